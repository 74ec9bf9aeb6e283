// Command attack runs bounded attacks against an API served on this
// machine's loopback interface, and says, one line per check with its
// figure, whether the server stood: slow clients that trickle a body,
// bodies declared larger than the limit, HTTP/2 stream floods, many idle
// connections, and curl over HTTP/2. The last line is "N passed, N failed";
// the exit status is 1 if a check failed, 2 on bad usage.
//
//	attack [flags] https://127.0.0.1:8443/api/v1/messages/list
//
// It refuses any target that is not a loopback address (127.0.0.0/8, ::1,
// or localhost when every address it has is one of those): it is a test
// of one's own server, not a tool to point elsewhere. Every check is
// bounded in count (-slow-conns, -conns, -streams, -curl-runs) and in time
// (-check-timeout), and closes what it opened.
//
// The checks:
//
//   - slow-body-memory: -slow-conns connections each declare a body of 1
//     MiB and send one byte; the server's heap, which -heap-action tells,
//     is read before and after, and must grow by no more than
//     -max-conn-memory per connection: a server must not reserve memory
//     for bytes not yet arrived. Skipped without -heap-action: the
//     process's resident memory does not show a buffer that is reserved
//     and not yet written to.
//   - slow-body-answer: the same connections then trickle one byte a second;
//     each must get the parameter-error envelope IncompleteBody once the
//     server's read time is up (run the server with a short one).
//   - large-body-declared, large-body-chunked: a body declared as 1 GiB,
//     and one sent chunked without end, must be refused with BodyTooLarge,
//     the first before the client has sent more than the limit.
//   - big-number: an integer of 900,000 digits in "page" must be
//     refused with a parameter-error; the time it took is the figure.
//   - h2-rapid-reset: -streams HTTP/2 streams opened and reset at once
//     (CVE-2023-44487); the server must still answer a new client.
//   - h2-concurrent-streams: streams opened and left open past the
//     server's SETTINGS_MAX_CONCURRENT_STREAMS must be refused.
//   - conn-cap: -conns idle keep-alive connections, spread over loopback
//     source addresses, then more from one address: past the server's caps
//     every connection must get the 503 envelope with Retry-After, none
//     may go unanswered, and a cap must show.
//   - curl-h2-refusal: -curl-runs curl --http2 calls with an unsupported
//     Content-Type: every one must get the whole body (skipped without
//     curl).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// Bounds no flag can lift: the command stays a test, not a weapon.
const (
	maxConns     = 5000
	maxStreams   = 100000
	maxCurlRuns  = 200
	maxCheckTime = 10 * time.Minute
)

// config is what the checks need.
type config struct {
	target        *url.URL
	addr          netip.AddrPort // where target's host and port lead
	header        http.Header
	insecure      bool
	conns         int
	slowConns     int
	streams       int
	curlRuns      int
	checkTimeout  time.Duration
	maxConnMemory int64
	heapAction    string          // path of an action that tells the server's heap
	only          map[string]bool // checks to run; empty means all
}

// result is one check's line.
type result struct {
	name    string
	outcome string // PASS, FAIL or SKIP
	figure  string
}

func (r result) String() string { return r.outcome + " " + r.name + ": " + r.figure }

func pass(name, format string, a ...any) result {
	return result{name, "PASS", fmt.Sprintf(format, a...)}
}

func fail(name, format string, a ...any) result {
	return result{name, "FAIL", fmt.Sprintf(format, a...)}
}

func skip(name, format string, a ...any) result {
	return result{name, "SKIP", fmt.Sprintf(format, a...)}
}

// headerFlag collects repeated -header "Name: value" flags.
type headerFlag http.Header

func (h headerFlag) String() string { return "" }

func (h headerFlag) Set(v string) error {
	name, value, ok := strings.Cut(v, ":")
	if name = strings.TrimSpace(name); !ok || name == "" {
		return fmt.Errorf("want \"Name: value\", got %q", v)
	}
	http.Header(h).Add(name, strings.TrimSpace(value))
	return nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("attack", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: attack [flags] https://127.0.0.1:PORT/api/v1/controller/action")
		fs.PrintDefaults()
	}
	headers := headerFlag{}
	cfg := config{header: http.Header(headers)}
	var only string
	fs.Var(headers, "header", "a `\"Name: value\"` header sent with every request, such as an API key (repeatable)")
	fs.BoolVar(&cfg.insecure, "insecure", false, "skip TLS certificate verification (a self-signed test certificate)")
	fs.IntVar(&cfg.slowConns, "slow-conns", 200, fmt.Sprintf("slow connections for the slow-body checks, at most %d; keep them below the server's caps", maxConns))
	fs.IntVar(&cfg.conns, "conns", 400, fmt.Sprintf("connections the conn-cap check opens at most, at most %d; more than the server's cap", maxConns))
	fs.IntVar(&cfg.streams, "streams", 20000, fmt.Sprintf("HTTP/2 streams for h2-rapid-reset, at most %d", maxStreams))
	fs.IntVar(&cfg.curlRuns, "curl-runs", 30, fmt.Sprintf("curl calls for curl-h2-refusal, at most %d", maxCurlRuns))
	fs.DurationVar(&cfg.checkTimeout, "check-timeout", 60*time.Second, fmt.Sprintf("the longest one check may take, at most %s", maxCheckTime))
	fs.Int64Var(&cfg.maxConnMemory, "max-conn-memory", 64<<10, "the most server memory, in bytes, one slow connection may cost")
	fs.StringVar(&cfg.heapAction, "heap-action", "", "the `path` of an action on the target's host whose data is {\"heap_alloc\": bytes}, such as the demo's /api/v1/debug/memory (-debug), for slow-body-memory")
	fs.StringVar(&only, "only", "", "a comma-separated list of the checks to run (default: all)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	switch {
	case cfg.conns < 1 || cfg.conns > maxConns || cfg.slowConns < 1 || cfg.slowConns > maxConns:
		fmt.Fprintf(stderr, "attack: -conns and -slow-conns must be 1 to %d\n", maxConns)
		return 2
	case cfg.streams < 1 || cfg.streams > maxStreams:
		fmt.Fprintf(stderr, "attack: -streams must be 1 to %d\n", maxStreams)
		return 2
	case cfg.curlRuns < 1 || cfg.curlRuns > maxCurlRuns:
		fmt.Fprintf(stderr, "attack: -curl-runs must be 1 to %d\n", maxCurlRuns)
		return 2
	case cfg.checkTimeout <= 0 || cfg.checkTimeout > maxCheckTime:
		fmt.Fprintf(stderr, "attack: -check-timeout must be positive and at most %s\n", maxCheckTime)
		return 2
	}
	var err error
	if cfg.target, cfg.addr, err = loopbackTarget(ctx, fs.Arg(0)); err != nil {
		fmt.Fprintln(stderr, "attack:", err)
		return 2
	}
	cfg.only = map[string]bool{}
	for name := range strings.SplitSeq(only, ",") {
		if name = strings.TrimSpace(name); name != "" {
			cfg.only[name] = true
		}
	}

	var passed, failed, skipped int
	for _, c := range checks {
		if len(cfg.only) > 0 && !cfg.only[c.name] {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, cfg.checkTimeout)
		results := c.run(cctx, &cfg)
		cancel()
		for _, r := range results {
			fmt.Fprintln(stdout, r)
			switch r.outcome {
			case "PASS":
				passed++
			case "FAIL":
				failed++
			default:
				skipped++
			}
		}
	}
	if skipped > 0 {
		fmt.Fprintf(stdout, "%d skipped: see the SKIP lines for what they need\n", skipped)
	}
	// Alone on the last line: CI reads it.
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return 1
	}
	return 0
}

// check is one kind of attack; it may report several lines.
type check struct {
	name string
	run  func(ctx context.Context, cfg *config) []result
}

// checks run in this order: the memory figure first, on a server that has
// seen nothing else yet.
var checks = []check{
	{"slow-body", slowBody},
	{"large-body", largeBody},
	{"big-number", bigNumber},
	{"h2-rapid-reset", h2RapidReset},
	{"h2-concurrent-streams", h2ConcurrentStreams},
	{"conn-cap", connCap},
	{"curl-h2-refusal", curlRefusal},
}

// loopbackTarget parses target and checks that it leads to this machine's
// loopback interface and nowhere else. A host name counts only if every
// address it has is a loopback one; the checks then dial the first.
func loopbackTarget(ctx context.Context, target string) (*url.URL, netip.AddrPort, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, netip.AddrPort{}, err
	}
	if u.Scheme != "https" || u.Host == "" || u.Port() == "" {
		return nil, netip.AddrPort{}, fmt.Errorf("the target %q is not an https URL with a port", target)
	}
	port, err := netip.ParseAddrPort("127.0.0.1:" + u.Port())
	if err != nil {
		return nil, netip.AddrPort{}, fmt.Errorf("the target's port %q is not a number", u.Port())
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(u.Hostname()); err == nil {
		addrs = []netip.Addr{a}
	} else if addrs, err = net.DefaultResolver.LookupNetIP(ctx, "ip", u.Hostname()); err != nil {
		return nil, netip.AddrPort{}, err
	}
	if len(addrs) == 0 {
		return nil, netip.AddrPort{}, fmt.Errorf("%s has no address", u.Hostname())
	}
	for _, a := range addrs {
		if !a.Unmap().IsLoopback() {
			return nil, netip.AddrPort{}, fmt.Errorf("refusing %s: %s is not a loopback address; attack runs against this machine only", u.Hostname(), a)
		}
	}
	return u, netip.AddrPortFrom(addrs[0].Unmap(), port.Port()), nil
}
