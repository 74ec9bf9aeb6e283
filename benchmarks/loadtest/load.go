package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// kind is one sort of request in the mix, with the answer it must get.
type kind struct {
	name   string
	path   string
	body   string
	code   int    // HTTP status
	status string // envelope status
	errors string // data.code, for statuses other than success
	runs   bool   // whether the action runs
}

// mix is the request mix, one entry per tenth of the requests: six valid
// calls, one that the action refuses, two parameter errors (which must not
// reach the action) and one panicking action.
var mix = []kind{
	{name: "valid", path: "/api/v1/send/message", body: `{"to":["ann@example.com","bob@example.com"],"from":"load@example.com","subject":"Hello","plain_body":"A message body of some length, as mail has."}`, code: 200, status: "success", runs: true},
	{name: "valid", path: "/api/v1/send/message", body: `{"to":["cy@example.com"],"from":"load@example.com","subject":"Hi","page":3}`, code: 200, status: "success", runs: true},
	{name: "valid", path: "/api/v1/send/message", body: `{"to":["ann@example.com","bob@example.com"],"from":"load@example.com","subject":"Hello","plain_body":"A message body of some length, as mail has."}`, code: 200, status: "success", runs: true},
	{name: "valid", path: "/api/v1/send/message", body: `{"to":["dee@example.com"],"from":"load@example.com","subject":"Élan \u00e9 ✓","plain_body":"x"}`, code: 200, status: "success", runs: true},
	{name: "valid", path: "/api/v1/send/message", body: `{"to":["ann@example.com","bob@example.com"],"from":"load@example.com","subject":"Hello","plain_body":"A message body of some length, as mail has."}`, code: 200, status: "success", runs: true},
	{name: "valid", path: "/api/v1/send/message", body: `{"to":["eve@example.com"],"from":"load@example.com","plain_body":"no subject"}`, code: 200, status: "success", runs: true},
	{name: "refused", path: "/api/v1/send/message", body: `{"to":["ann@example.com"],"from":"load@example.com"}`, code: 200, status: "error", errors: "NoContent", runs: true},
	{name: "param-error", path: "/api/v1/send/message", body: `{"to":["ann@example.com"],"from":`, code: 200, status: "parameter-error", errors: "MalformedJSON"},
	{name: "param-error", path: "/api/v1/send/message", body: `{"to":["ann@example.com"],"from":"x","page":20700000000000000000}`, code: 200, status: "parameter-error", errors: "InvalidParameterType"},
	{name: "panic", path: "/api/v1/debug/panic", body: `{}`, code: 500, status: "internal-server-error", errors: "InternalServerError"},
}

// histogram records latencies in buckets 1% wide, from 1 µs.
type histogram struct {
	counts []int64
	max    time.Duration
	n      int64
}

const bucketBase = 1.01

func newHistogram() *histogram { return &histogram{counts: make([]int64, 3000)} }

func (h *histogram) add(d time.Duration) {
	us := float64(d) / float64(time.Microsecond)
	i := 0
	if us > 1 {
		i = int(math.Log(us) / math.Log(bucketBase))
	}
	if i >= len(h.counts) {
		i = len(h.counts) - 1
	}
	h.counts[i]++
	h.n++
	if d > h.max {
		h.max = d
	}
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	if o.max > h.max {
		h.max = o.max
	}
}

// quantile returns the upper bound of the bucket that holds quantile q.
func (h *histogram) quantile(q float64) time.Duration {
	want := int64(math.Ceil(q * float64(h.n)))
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= want && c > 0 {
			return min(time.Duration(math.Pow(bucketBase, float64(i+1))*float64(time.Microsecond)), h.max)
		}
	}
	return h.max
}

// snapshot is the server process's state between rounds.
type snapshot struct {
	goroutines  int
	heapInuse   uint64 // bytes in spans with at least one live object
	heapAlloc   uint64 // bytes of live objects
	heapObjects uint64
}

func takeSnapshot() snapshot {
	// Two collections empty the sync.Pools, whose contents are no leak.
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return snapshot{goroutines: runtime.NumGoroutine(), heapInuse: ms.HeapInuse, heapAlloc: ms.HeapAlloc, heapObjects: ms.HeapObjects}
}

// result is one round of load.
type result struct {
	concurrency int
	requests    int64
	elapsed     time.Duration
	latency     [4]time.Duration // p50, p90, p99, max
	byKind      map[string]int64
	unexpected  map[string]int64 // kind of failure → count
	examples    []string         // a few failures, to show
	before      snapshot
	after       snapshot
	openAfter   int
	ranWant     int64 // send/message runs the mix asks for
	ranGot      int64
	panicWant   int64
	panicGot    int64
}

func (r *result) unexpectedTotal() int64 {
	var n int64
	for _, c := range r.unexpected {
		n += c
	}
	return n
}

// heapSlack is how much more heap in use after a round than before it
// still counts as no leak: what the runtime and the pools keep between
// collections varies by a few hundred KiB from one snapshot to the next.
const heapSlack = 1 << 20

func (r *result) leaked() bool {
	return r.after.goroutines > r.before.goroutines || r.openAfter > 0 || r.after.heapInuse > r.before.heapInuse+heapSlack
}

// worker's share of a round.
type tally struct {
	latency    *histogram
	byKind     map[string]int64
	unexpected map[string]int64
	examples   []string
	ran        int64
	panics     int64
}

func (t *tally) fail(what string, format string, args ...any) {
	t.unexpected[what]++
	if len(t.examples) < 3 {
		t.examples = append(t.examples, what+": "+fmt.Sprintf(format, args...))
	}
}

// round sends requests requests, concurrency at a time, each client on its
// own keep-alive connection, and checks every answer.
func round(s *server, concurrency int, requests int64) *result {
	res := &result{concurrency: concurrency, requests: requests, byKind: map[string]int64{}, unexpected: map[string]int64{}}
	res.before = takeSnapshot()
	sentBefore, panickedBefore := s.sent.Load(), s.panicked.Load()

	tlsConfig := s.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	tlsConfig.ClientSessionCache = tls.NewLRUClientSessionCache(concurrency)
	transport := &http.Transport{
		TLSClientConfig:     tlsConfig,
		MaxIdleConns:        concurrency,
		MaxIdleConnsPerHost: concurrency,
		MaxConnsPerHost:     concurrency,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	client := &http.Client{Transport: transport, Timeout: time.Minute}

	var next atomic.Int64
	tallies := make([]*tally, concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range concurrency {
		t := &tally{latency: newHistogram(), byKind: map[string]int64{}, unexpected: map[string]int64{}}
		tallies[w] = t
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= requests {
					return
				}
				k := mix[i%int64(len(mix))]
				t.byKind[k.name]++
				if k.runs {
					t.ran++
				}
				if k.name == "panic" {
					t.panics++
				}
				call(client, s.URL, k, t)
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)

	transport.CloseIdleConnections()
	// The histograms are dropped once read: the results of a long soak
	// are kept, and must not weigh on the heap measured.
	latency := newHistogram()
	for _, t := range tallies {
		latency.merge(t.latency)
		res.ranWant += t.ran
		res.panicWant += t.panics
		for k, v := range t.byKind {
			res.byKind[k] += v
		}
		for k, v := range t.unexpected {
			res.unexpected[k] += v
		}
		res.examples = append(res.examples, t.examples...)
	}
	res.latency = [4]time.Duration{latency.quantile(0.50), latency.quantile(0.90), latency.quantile(0.99), latency.max}
	tallies, latency = nil, nil
	res.ranGot = s.sent.Load() - sentBefore
	res.panicGot = s.panicked.Load() - panickedBefore
	if res.ranGot != res.ranWant {
		res.unexpected["lost-or-extra-run"] += absDiff(res.ranGot, res.ranWant)
	}
	if res.panicGot != res.panicWant {
		res.unexpected["lost-or-extra-panic"] += absDiff(res.panicGot, res.panicWant)
	}

	// The connections close as the client lets them go; the goroutines
	// that served them end with them.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if s.openConns() == 0 && runtime.NumGoroutine() <= res.before.goroutines {
			break
		}
	}
	res.openAfter = s.openConns()
	res.after = takeSnapshot()
	return res
}

func absDiff(a, b int64) int64 {
	if a > b {
		return a - b
	}
	return b - a
}

// call sends one request and checks its answer against CONTRACT S1, S5 and S6:
// the HTTP status, Content-Type, a Content-Length that matches the body,
// one JSON object with status, time, flags and data in that order, and
// the status and code the request must get.
func call(client *http.Client, base string, k kind, t *tally) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, base+k.path, bytes.NewReader([]byte(k.body)))
	if err != nil {
		t.fail("request", "%v", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		t.fail("transport", "%v", err)
		return
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	t.latency.add(time.Since(start))
	if err != nil {
		t.fail("truncated-body", "%v", err)
		return
	}
	if resp.StatusCode != k.code {
		t.fail("http-status", "%s got %d: %s", k.name, resp.StatusCode, body)
		return
	}
	if resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.fail("content-type", "%q", resp.Header.Get("Content-Type"))
		return
	}
	if resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
		t.fail("content-length", "header %s, body %d bytes", resp.Header.Get("Content-Length"), len(body))
		return
	}
	if !wellFormed(body) {
		t.fail("malformed-envelope", "%s", body)
		return
	}
	var env struct {
		Status string `json:"status"`
		Data   struct {
			Code      string `json:"code"`
			MessageID string `json:"message_id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.fail("malformed-envelope", "%v: %s", err, body)
		return
	}
	switch {
	case env.Status != k.status:
		t.fail("wrong-status", "%s got %s: %s", k.name, env.Status, body)
	case k.errors != "" && env.Data.Code != k.errors:
		t.fail("wrong-code", "%s got %s: %s", k.name, env.Data.Code, body)
	case k.status == "success" && env.Data.MessageID == "":
		t.fail("wrong-data", "%s", body)
	}
}

// wellFormed reports whether body is one JSON object whose keys are
// status, time, flags and data, in that order.
func wellFormed(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	for _, want := range []string{"status", "time", "flags", "data"} {
		tok, err := dec.Token()
		if err != nil || tok != want {
			return false
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return false
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return false
	}
	_, err := dec.Token()
	return err == io.EOF
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
