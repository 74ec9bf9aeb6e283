package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// declaredBody is what each slow client says its body holds: the default
// limit of the toolkit's params reader.
const declaredBody = 1 << 20

// slowBody opens cfg.slowConns connections that declare a 1 MiB body and send
// one byte, reads how much the server's memory grew, then trickles a byte
// a second on each until the server answers.
func slowBody(ctx context.Context, cfg *config) []result {
	const memName, answerName = "slow-body-memory", "slow-body-answer"
	var before int64
	memErr := errNoHeapAction
	if cfg.heapAction != "" {
		before, memErr = heapOf(ctx, cfg)
	}

	h := head(cfg, "Content-Type: application/json", fmt.Sprintf("Content-Length: %d", declaredBody)) + "{"
	conns := make([]*tls.Conn, 0, cfg.slowConns)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range cfg.slowConns {
		c, err := dialTLS(ctx, cfg, sourceAddr(cfg, i, 20), "http/1.1")
		if err == nil {
			_, err = io.WriteString(c, h)
		}
		if err != nil {
			if c != nil {
				c.Close()
			}
			msg := fmt.Sprintf("opened %d of %d connections, then: %v", len(conns), cfg.slowConns, err)
			return []result{fail(memName, "%s", msg), fail(answerName, "%s", msg)}
		}
		conns = append(conns, c)
	}
	start := time.Now()
	// Time for the server to read every head and start on every body.
	if !sleep(ctx, time.Second) {
		return []result{fail(memName, "interrupted"), fail(answerName, "interrupted")}
	}

	var mem result
	if memErr == nil {
		var after int64
		if after, memErr = heapOf(ctx, cfg); memErr == nil {
			per := (after - before) / int64(len(conns))
			figure := fmt.Sprintf("%d connections declaring %s, 1 byte sent: server heap %s -> %s, %s per connection (limit %s)",
				len(conns), mib(declaredBody), mib(before), mib(after), kib(per), kib(cfg.maxConnMemory))
			mem = pass(memName, "%s", figure)
			if per > cfg.maxConnMemory {
				mem = fail(memName, "%s: memory is reserved for bytes not yet arrived", figure)
			}
		}
	}
	if memErr != nil {
		mem = skip(memName, "the server's heap cannot be read: %v", memErr)
	}
	return []result{mem, trickleUntilAnswered(ctx, answerName, conns, start)}
}

// trickleUntilAnswered sends one space (JSON whitespace) a second on every
// connection until it is answered, and checks every answer is the
// IncompleteBody parameter-error.
func trickleUntilAnswered(ctx context.Context, name string, conns []*tls.Conn, start time.Time) result {
	type answer struct {
		env   envelope
		err   error
		after time.Duration
	}
	answers := make([]answer, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() {
			done := make(chan struct{})
			go func() {
				defer close(done)
				if d, ok := ctx.Deadline(); ok {
					_ = c.SetReadDeadline(d)
				}
				env, err := readEnvelope(bufio.NewReader(c))
				answers[i] = answer{env, err, time.Since(start)}
			}()
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				select {
				case <-done:
					return
				case <-ctx.Done():
					c.Close()
					<-done
					return
				case <-tick.C:
					// A write error means the server closed its end:
					// the reader says what came before.
					_, _ = io.WriteString(c, " ")
				}
			}
		})
	}
	wg.Wait()

	var times []time.Duration
	others := map[string]int{}
	for _, a := range answers {
		switch {
		case a.err != nil:
			others["no answer ("+shortErr(a.err)+")"]++
		case a.env.http == 200 && a.env.code == "IncompleteBody":
			times = append(times, a.after)
		default:
			others[a.env.String()]++
		}
	}
	figure := fmt.Sprintf("%d of %d slow connections answered %q", len(times), len(conns), "parameter-error IncompleteBody")
	if len(times) > 0 {
		slices.Sort(times)
		figure += fmt.Sprintf(", %s to %s after the last one opened", times[0].Round(10*time.Millisecond), times[len(times)-1].Round(10*time.Millisecond))
	}
	if len(others) > 0 {
		return fail(name, "%s; the others: %s", figure, describeCounts(others))
	}
	return pass(name, "%s", figure)
}

// describeCounts lists counts as "3 × what, 1 × other".
func describeCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d × %s", m[k], k)
	}
	return strings.Join(parts, ", ")
}

// shortErr is err without the addresses net errors repeat.
func shortErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

// sleep waits d, or less if ctx ends first; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// errNoHeapAction is why slow-body-memory is skipped without -heap-action.
// The process's resident memory is no substitute: a buffer is not resident
// until written to, and 200 connections that held 206 MiB of the demo's
// heap added 1 to 14 MiB of resident memory.
var errNoHeapAction = errors.New("needs -heap-action: an action that tells the server's heap")

// heapOf asks cfg.heapAction, on the target's host, for heap_alloc.
func heapOf(ctx context.Context, cfg *config) (int64, error) {
	ref, err := url.Parse(cfg.heapAction)
	if err != nil {
		return 0, err
	}
	u := cfg.target.ResolveReference(ref)
	if u.Host != cfg.target.Host || u.Scheme != cfg.target.Scheme {
		return 0, fmt.Errorf("-heap-action %q leaves the target's host", cfg.heapAction)
	}
	c := *cfg
	c.target = u
	a, err := freshRequestData(ctx, &c)
	if err != nil {
		return 0, err
	}
	var m struct {
		HeapAlloc *int64 `json:"heap_alloc"`
	}
	if err := json.Unmarshal(a, &m); err != nil || m.HeapAlloc == nil {
		return 0, fmt.Errorf("-heap-action answered no heap_alloc: %.120q", a)
	}
	return *m.HeapAlloc, nil
}
