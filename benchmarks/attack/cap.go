package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/netip"
	"time"
)

// held is a connection the server answered and kept open.
type held struct {
	c  *tls.Conn
	br *bufio.Reader
}

// connOutcome is what became of one connection's first request.
type connOutcome int

const (
	served    connOutcome = iota // success: the connection is kept, idle
	refused                      // the 503 envelope with Retry-After
	badAnswer                    // another answer
	noAnswer                     // none
)

// connCap holds idle keep-alive connections until the server's caps
// refuse more: first from one address (the cap per client), then from
// many (the cap in all). Every refusal must be the 503 envelope with
// Retry-After; then, once they are closed, a new client must be served.
func connCap(ctx context.Context, cfg *config) []result {
	var conns []held
	defer func() {
		for _, h := range conns {
			h.c.Close()
		}
	}()
	problems := map[string]int{}
	// open opens connections from the addresses from gives until one is
	// refused or cfg.conns are open; it returns how many were served and
	// the refusal.
	open := func(from func(i int) netip.Addr) (int, *envelope) {
		n := 0
		for len(conns) < cfg.conns && ctx.Err() == nil {
			h, outcome, env, err := openIdle(ctx, cfg, from(n))
			switch outcome {
			case served:
				conns = append(conns, h)
				n++
				continue
			case refused:
				return n, &env
			case badAnswer:
				problems[env.String()]++
			case noAnswer:
				problems["no answer ("+shortErr(err)+")"]++
			}
			return n, nil
		}
		return n, nil
	}

	// From one address, one the spread below does not use.
	one := sourceAddr(cfg, maxConns+1, 1)
	perClient, perRefusal := open(func(int) netip.Addr { return one })
	// Then from many, 20 an address.
	base := len(conns)
	_, totalRefusal := open(func(i int) netip.Addr { return sourceAddr(cfg, base+i, 20) })

	var results []result
	results = append(results, capResult("conn-cap-per-client", fmt.Sprintf("%d idle connections held from one address", perClient), perRefusal, cfg, problems))
	results = append(results, capResult("conn-cap-total", fmt.Sprintf("%d idle connections held in all", len(conns)), totalRefusal, cfg, problems))

	// Room comes back once they close.
	for _, h := range conns {
		h.c.Close()
	}
	conns = nil
	var last string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && ctx.Err() == nil; sleep(ctx, 100*time.Millisecond) {
		h, outcome, env, err := openIdle(ctx, cfg, one)
		if outcome == served {
			h.c.Close()
			return append(results, pass("conn-cap-recovers", "once the idle connections closed, a new one from the capped address was served"))
		}
		last = env.String()
		if err != nil {
			last = shortErr(err)
		}
	}
	return append(results, fail("conn-cap-recovers", "the capped address is still refused after its connections closed: %s", last))
}

// capResult judges one cap: there must be a refusal, the 503 envelope with
// Retry-After, and no other answer.
func capResult(name, kept string, refusal *envelope, cfg *config, problems map[string]int) result {
	switch {
	case len(problems) > 0:
		return fail(name, "%s; then: %s", kept, describeCounts(problems))
	case refusal == nil:
		return fail(name, "%s and no cap showed: raise -conns past the server's cap", kept)
	case refusal.http != 503 || refusal.status != "service-unavailable" || refusal.retryAfter == "":
		return fail(name, "%s; the next got %s, Retry-After %q: want HTTP 503 service-unavailable with Retry-After", kept, refusal, refusal.retryAfter)
	case !refusal.close:
		return fail(name, "%s; the next got %s but the connection was left open", kept, refusal)
	}
	return pass(name, "%s; the next got %s, Retry-After %s, and was closed", kept, refusal, refusal.retryAfter)
}

// openIdle opens a connection from the address from, sends one POST of {}
// and reads its answer, leaving the connection open when it was served.
func openIdle(ctx context.Context, cfg *config, from netip.Addr) (held, connOutcome, envelope, error) {
	c, err := dialTLS(ctx, cfg, from, "http/1.1")
	if err != nil {
		// A server that closes at once (its refusals all busy) fails the
		// handshake: no answer.
		return held{}, noAnswer, envelope{}, err
	}
	_ = c.SetDeadline(time.Now().Add(15 * time.Second))
	br := bufio.NewReader(c)
	if _, err := io.WriteString(c, head(cfg, "Content-Type: application/json", "Content-Length: 2")+"{}"); err != nil {
		c.Close()
		return held{}, noAnswer, envelope{}, err
	}
	env, err := readEnvelope(br)
	switch {
	case err != nil:
		c.Close()
		return held{}, noAnswer, env, err
	case env.http == 200 && env.status == "success":
		_ = c.SetDeadline(time.Time{})
		return held{c, br}, served, env, nil
	case env.http == 503:
		c.Close()
		return held{}, refused, env, nil
	}
	c.Close()
	return held{}, badAnswer, env, nil
}
