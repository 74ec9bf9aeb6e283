package middleware_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// fetched is one answer as a client got it, or the error it got instead.
type fetched struct {
	id     int
	code   int
	header http.Header
	body   []byte
	err    error // from the round trip: the connection failed or closed
	// readErr is an error while reading the body: half a body.
	readErr error
}

// faultServer serves h over TLS with HTTP/1.1 keep-alive, quietly.
func faultServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.EnableHTTP2 = false
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// hammer sends requests calls from workers concurrent clients and returns
// every answer. body(i) is the JSON body of call i.
func hammer(client *http.Client, url string, workers, requests int, body func(i int) string) []fetched {
	out := make([]fetched, requests)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= requests {
					return
				}
				out[i] = fetch(client, url, i, body(i))
			}
		})
	}
	wg.Wait()
	return out
}

func fetch(client *http.Client, url string, id int, body string) fetched {
	f := fetched{id: id}
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		f.err = err
		return f
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		f.err = err
		return f
	}
	defer resp.Body.Close()
	f.code, f.header = resp.StatusCode, resp.Header
	f.body, f.readErr = io.ReadAll(resp.Body)
	return f
}

type faultParams struct {
	ID    int  `json:"id"`
	Panic bool `json:"panic"`
	Abort bool `json:"abort"`
}

func faultBody(i int, panics, aborts bool) string {
	return `{"id":` + strconv.Itoa(i) + `,"panic":` + strconv.FormatBool(panics) + `,"abort":` + strconv.FormatBool(aborts) + `}`
}

func TestFaultPanicsUnderConcurrency(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	var runs, panics atomic.Int64
	action := envelope.Action(func(ctx context.Context, p faultParams) (map[string]int, error) {
		runs.Add(1)
		switch {
		case p.Abort:
			panic(http.ErrAbortHandler)
		case p.Panic:
			panics.Add(1)
			panic("panic in request " + strconv.Itoa(p.ID))
		}
		return map[string]int{"id": p.ID}, nil
	})
	h := middleware.NewChain(
		middleware.RequireHTTPS(middleware.HTTPSOptions{}),
		middleware.Envelope(middleware.EnvelopeOptions{Logger: quiet}),
		middleware.Recover(middleware.RecoverOptions{Logger: quiet}),
		middleware.PostOnly(middleware.PostOnlyOptions{}),
		middleware.Params(middleware.ParamsOptions{}),
	).Then(action)
	srv := faultServer(t, h)

	const requests = 600
	answers := hammer(srv.Client(), srv.URL+"/api/v1/fault/call", 16, requests, func(i int) string {
		return faultBody(i, i%3 == 0, i%10 == 7)
	})
	var ok, internal, aborted int
	for _, a := range answers {
		if a.id%10 == 7 {
			// http.ErrAbortHandler drops the connection: no answer at all,
			// never half of one.
			assert.Error(t, a.err, "request %d: an aborted request got an answer", a.id)
			aborted++
			continue
		}
		require.NoError(t, a.err, "request %d", a.id)
		require.NoError(t, a.readErr, "request %d: half a body", a.id)
		got := parseWhole(t, a.code, a.header, a.body)
		if a.id%3 == 0 {
			assert.Equal(t, envelope.StatusInternalServerError, got.Status, "request %d", a.id)
			assert.NotContains(t, string(got.Data), "panic in request", "request %d: a panic's message must not reach the client", a.id)
			internal++
			continue
		}
		assert.Equal(t, envelope.StatusSuccess, got.Status, "request %d", a.id)
		assert.JSONEq(t, `{"id":`+strconv.Itoa(a.id)+`}`, string(got.Data), "request %d got another request's answer", a.id)
		ok++
	}
	assert.Equal(t, requests, ok+internal+aborted)
	assert.Equal(t, int64(requests), runs.Load(), "every request ran its action once")
	assert.Equal(t, int64(internal), panics.Load())
}

// failingCodec is the default codec, except that it fails to encode the
// values fail picks.
type failingCodec struct{ fail func(v any) bool }

var errCodec = errors.New("the codec failed")

func (c failingCodec) AppendJSON(dst []byte, v any) ([]byte, error) {
	if c.fail(v) {
		return append(dst, `{"half":`...), errCodec // and leaves half a value behind
	}
	return envelope.DefaultCodec.AppendJSON(dst, v)
}

func (c failingCodec) Unmarshal(data []byte, v any, opts envelope.UnmarshalOptions) error {
	return envelope.DefaultCodec.Unmarshal(data, v, opts)
}

type poison struct{ Secret string }

// poisoned reports whether v holds a poison, however deep.
func poisoned(v any) bool { return strings.Contains(fmt.Sprintf("%#v", v), "poison") }

func TestFaultCodecFails(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	for _, tc := range []struct {
		name string
		fail func(v any) bool
		data any
		flag any
	}{
		{"on the data", poisoned, poison{"s3cret"}, nil},
		{"on the flags", poisoned, "fine", poison{"s3cret"}},
		{"on every value", func(any) bool { return true }, "fine", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var runs atomic.Int64
			action := envelope.Action(func(ctx context.Context, p faultParams) (any, error) {
				runs.Add(1)
				if tc.flag != nil {
					envelope.SetFlag(ctx, "bad", tc.flag)
				}
				return tc.data, nil
			})
			h := middleware.NewChain(
				middleware.Envelope(middleware.EnvelopeOptions{Logger: quiet, Codec: failingCodec{tc.fail}}),
				middleware.Recover(middleware.RecoverOptions{Logger: quiet}),
				middleware.Params(middleware.ParamsOptions{}),
			).Then(action)
			srv := faultServer(t, h)
			answers := hammer(srv.Client(), srv.URL, 4, 40, func(i int) string { return faultBody(i, false, false) })
			for _, a := range answers {
				require.NoError(t, a.err)
				require.NoError(t, a.readErr)
				got := parseWhole(t, a.code, a.header, a.body)
				assert.Equal(t, envelope.StatusInternalServerError, got.Status)
				assert.Equal(t, envelope.CodeInternalServerError, got.ErrCode)
				assert.NotContains(t, string(a.body), "s3cret")
				assert.NotContains(t, string(a.body), "half")
			}
			assert.Equal(t, int64(40), runs.Load())
		})
	}
}

func TestFaultMaintenanceFlippedDuringTraffic(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	var on atomic.Bool
	var runs atomic.Int64
	action := envelope.Action(func(ctx context.Context, p faultParams) (map[string]int, error) {
		runs.Add(1)
		return map[string]int{"id": p.ID}, nil
	})
	h := middleware.NewRouter(middleware.RouterOptions{
		HTTPS:      &middleware.HTTPSOptions{},
		Envelope:   middleware.EnvelopeOptions{Logger: quiet},
		Recover:    middleware.RecoverOptions{Logger: quiet},
		Middleware: []middleware.Middleware{middleware.Maintenance(middleware.MaintenanceOptions{On: &on, RetryAfter: 90 * time.Second})},
	})
	h.Action("fault", "call", middleware.Params(middleware.ParamsOptions{})(action))
	srv := faultServer(t, h)

	stop := make(chan struct{})
	flipped := make(chan int)
	go func() {
		n := 0
		defer func() { flipped <- n }()
		for {
			select {
			case <-stop:
				return
			default:
				on.Store(!on.Load())
				n++
				time.Sleep(50 * time.Microsecond)
			}
		}
	}()
	const requests = 800
	answers := hammer(srv.Client(), srv.URL+"/api/v1/fault/call", 16, requests, func(i int) string { return faultBody(i, false, false) })
	close(stop)
	flips := <-flipped

	var ok, unavailable int
	for _, a := range answers {
		require.NoError(t, a.err, "request %d", a.id)
		require.NoError(t, a.readErr, "request %d: half a body", a.id)
		got := parseWhole(t, a.code, a.header, a.body)
		switch got.Status {
		case envelope.StatusSuccess:
			assert.JSONEq(t, `{"id":`+strconv.Itoa(a.id)+`}`, string(got.Data))
			ok++
		case envelope.StatusServiceUnavailable:
			assert.Equal(t, envelope.CodeServiceUnavailable, got.ErrCode)
			assert.Equal(t, "90", got.Header.Get("Retry-After"))
			unavailable++
		default:
			assert.Failf(t, "unexpected status", "request %d: %s", a.id, got.Status)
		}
	}
	assert.Equal(t, requests, ok+unavailable)
	assert.Equal(t, int64(ok), runs.Load(), "the action ran for every success and for nothing else")
	t.Logf("%d successes, %d service-unavailable, %d flips", ok, unavailable, flips)
}

func TestFaultShutdownDuringTraffic(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	var runs atomic.Int64
	action := envelope.Action(func(ctx context.Context, p faultParams) (map[string]any, error) {
		runs.Add(1)
		time.Sleep(time.Millisecond) // keep requests in flight
		return map[string]any{"id": p.ID, "padding": strings.Repeat("x", 4096)}, nil
	})
	h := middleware.NewChain(
		middleware.RequireHTTPS(middleware.HTTPSOptions{}),
		middleware.Envelope(middleware.EnvelopeOptions{Logger: quiet}),
		middleware.Recover(middleware.RecoverOptions{Logger: quiet}),
		middleware.PostOnly(middleware.PostOnlyOptions{}),
		middleware.Params(middleware.ParamsOptions{}),
	).Then(action)
	srv := faultServer(t, h)

	// Sixteen clients send until the shutdown has returned, and once more
	// after that; the shutdown starts once 200 requests are under way.
	var (
		next    atomic.Int64
		down    atomic.Bool
		mu      sync.Mutex
		answers []fetched
		wg      sync.WaitGroup
	)
	shutdownDone := make(chan error, 1)
	go func() {
		for next.Load() < 200 {
			time.Sleep(time.Millisecond)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := srv.Config.Shutdown(ctx)
		down.Store(true)
		shutdownDone <- err
	}()
	for range 16 {
		wg.Go(func() {
			for last := false; !last; {
				last = down.Load()
				i := int(next.Add(1) - 1)
				a := fetch(srv.Client(), srv.URL, i, faultBody(i, false, false))
				mu.Lock()
				answers = append(answers, a)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.NoError(t, <-shutdownDone, "every request in flight finished in time")
	requests := len(answers)

	var ok, refused int
	for _, a := range answers {
		if a.err != nil {
			refused++ // no connection, or closed before the answer began
			continue
		}
		require.NoError(t, a.readErr, "request %d: half a body", a.id)
		got := parseWhole(t, a.code, a.header, a.body)
		require.Equal(t, envelope.StatusSuccess, got.Status)
		var data struct{ ID int }
		require.NoError(t, json.Unmarshal(got.Data, &data))
		assert.Equal(t, a.id, data.ID)
		ok++
	}
	assert.Equal(t, requests, ok+refused)
	assert.Positive(t, ok)
	assert.GreaterOrEqual(t, refused, 16, "the requests after the shutdown were answered")
	assert.Equal(t, int64(ok), runs.Load(), "an action ran whose answer was lost")
	t.Logf("%d answered, %d refused by the shutdown", ok, refused)
}

func TestFaultShutdownTimesOutThenClose(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	started := make(chan struct{}, 8)
	release := make(chan struct{})
	action := envelope.Action(func(ctx context.Context, p faultParams) (map[string]any, error) {
		started <- struct{}{}
		<-release
		return map[string]any{"id": p.ID, "padding": strings.Repeat("x", 1<<16)}, nil
	})
	h := middleware.NewChain(
		middleware.Envelope(middleware.EnvelopeOptions{Logger: quiet}),
		middleware.Recover(middleware.RecoverOptions{Logger: quiet}),
		middleware.Params(middleware.ParamsOptions{}),
	).Then(action)
	srv := faultServer(t, h)

	const inFlight = 4
	results := make(chan fetched, inFlight)
	for i := range inFlight {
		go func() { results <- fetch(srv.Client(), srv.URL, i, faultBody(i, false, false)) }()
	}
	for range inFlight {
		receive(t, started, "the action did not start")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, srv.Config.Shutdown(ctx), context.DeadlineExceeded, "the actions are still running")
	require.NoError(t, srv.Config.Close())
	close(release)
	for range inFlight {
		a := receive(t, results, "the client did not return")
		// The connections were closed before any byte of the answer:
		// the clients see an error, never half an envelope.
		assert.Error(t, a.err, "request %d", a.id)
		assert.Empty(t, a.body, "request %d", a.id)
	}
}
