// Command loadtest drives the toolkit's full chain over loopback TLS with
// many concurrent keep-alive clients, and checks that it keeps working,
// loses nothing and leaks nothing.
//
// The server runs in this process, so that its heap and goroutines can be
// counted: the demo's chain (RequireHTTPS, Envelope, Recover, Maintenance,
// PostOnly, the router, Params and typed actions) on 127.0.0.1. The mix is,
// per ten requests: six valid calls, one the action refuses with its own
// error, two parameter errors that must not reach the action, and one
// action that panics. Every answer is checked (HTTP status, Content-Type,
// Content-Length, one envelope with its keys in order, the status and
// code), and the actions' runs are counted against the requests that
// should have run them.
//
// Each concurrency level is one round of -n requests. Before and after a
// round, with the client's connections closed, the program collects
// garbage and reads the heap in use and the goroutine count: they must
// return to where they were. It prints a Markdown table and exits with
// status 1 if any answer was unexpected or anything leaked.
//
//	go run ./loadtest                          # 200000 requests at 64 clients
//	go run ./loadtest -c 1,16,64,256,1024      # the table in README.md
//	go run ./loadtest -c 256 -soak 30m         # rounds at 256 clients for 30 minutes
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	levels := fs.String("c", "64", "concurrent clients, each on its own keep-alive connection; a comma-separated list runs one round per level")
	requests := fs.Int64("n", 200000, "requests per round")
	soak := fs.Duration("soak", 0, "soak mode: repeat rounds at the last level of -c until this much time has passed")
	warmup := fs.Int64("warmup", 5000, "requests sent, at the highest level of -c, before the first round, so that one-time caches are filled before the baseline")
	memprofile := fs.String("memprofile", "", "write the heap profile, after the last round, to this file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var conc []int
	for _, f := range strings.Split(*levels, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 1 {
			fmt.Fprintf(stderr, "loadtest: -c: %q is not a positive number\n", f)
			return 2
		}
		conc = append(conc, c)
	}
	if *requests < 1 {
		fmt.Fprintln(stderr, "loadtest: -n must be positive")
		return 2
	}

	s := newServer()
	defer s.Close()
	fmt.Fprintf(stdout, "loadtest %s: %s, GOMAXPROCS %d, %d CPUs, %s/%s, server on %s\n\n",
		strings.Join(args, " "), runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, s.Listener.Addr())
	if *warmup > 0 {
		// At the highest level, so that what the runtime and net/http keep
		// for that many connections (goroutine descriptors, buffers) is
		// in the baseline rather than counted as a leak.
		if w := round(s, slices.Max(conc), max(*warmup, 4*int64(slices.Max(conc)))); w.unexpectedTotal() > 0 {
			printExamples(stdout, w)
			fmt.Fprintln(stdout, "loadtest: the warm-up failed")
			return 1
		}
	}

	printHeader(stdout)
	var results []*result
	for _, c := range conc {
		r := round(s, c, *requests)
		results = append(results, r)
		printRow(stdout, r)
	}
	if *soak > 0 {
		c := conc[len(conc)-1]
		for end := time.Now().Add(*soak); time.Now().Before(end); {
			r := round(s, c, *requests)
			results = append(results, r)
			printRow(stdout, r)
		}
	}

	if *memprofile != "" {
		if err := writeHeapProfile(*memprofile); err != nil {
			fmt.Fprintf(stderr, "loadtest: %v\n", err)
			return 1
		}
	}

	failed := false
	fmt.Fprintln(stdout)
	for _, r := range results {
		if r.unexpectedTotal() > 0 {
			failed = true
			printExamples(stdout, r)
		}
		if r.leaked() {
			failed = true
			fmt.Fprintf(stdout, "LEAK at %d clients: goroutines %d -> %d, heap in use %s -> %s, %d connections left open\n",
				r.concurrency, r.before.goroutines, r.after.goroutines, mib(r.before.heapInuse), mib(r.after.heapInuse), r.openAfter)
		}
	}
	if len(results) > 1 {
		first, last := results[0], results[len(results)-1]
		fmt.Fprintf(stdout, "Across all rounds: goroutines %d -> %d, heap in use %s -> %s, live heap %s -> %s.\n",
			first.before.goroutines, last.after.goroutines, mib(first.before.heapInuse), mib(last.after.heapInuse),
			kib(first.before.heapAlloc), kib(last.after.heapAlloc))
		// A leak of even one small object per request shows over many
		// requests as live heap that grows with them.
		var since int64
		for _, r := range results[1:] {
			since += r.requests
		}
		growth := float64(last.after.heapAlloc) - float64(first.after.heapAlloc)
		perRequest := growth / float64(since)
		fmt.Fprintf(stdout, "Live heap growth after the first round: %+.0f bytes over %d requests, %+.3f bytes per request.\n", growth, since, perRequest)
		if since >= 100000 && perRequest >= leakPerRequest {
			failed = true
			fmt.Fprintf(stdout, "LEAK: the live heap grows by %.2f bytes per request\n", perRequest)
		}
	}
	if failed {
		fmt.Fprintln(stdout, "FAIL")
		return 1
	}
	fmt.Fprintln(stdout, "PASS: every answer as expected, every action run accounted for, nothing leaked.")
	return 0
}

// leakPerRequest is the growth of the live heap per request, over at least
// 100000 requests, that counts as a leak: the smallest object is 8 bytes.
const leakPerRequest = 4

func printHeader(w io.Writer) {
	fmt.Fprintln(w, "| clients | requests | valid / refused / param-error / panic | time | req/s | p50 | p90 | p99 | max | unexpected | action runs (want = got) | goroutines before → after | heap in use before → after | live heap before → after |")
	fmt.Fprintln(w, "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|")
}

func printRow(w io.Writer, r *result) {
	fmt.Fprintf(w, "| %d | %d | %d / %d / %d / %d | %.1fs | %.0f | %s | %s | %s | %s | %d | %d = %d, %d = %d | %d → %d | %s → %s | %s → %s |\n",
		r.concurrency, r.requests,
		r.byKind["valid"], r.byKind["refused"], r.byKind["param-error"], r.byKind["panic"],
		r.elapsed.Seconds(), float64(r.requests)/r.elapsed.Seconds(),
		ms(r.latency[0]), ms(r.latency[1]), ms(r.latency[2]), ms(r.latency[3]),
		r.unexpectedTotal(), r.ranWant, r.ranGot, r.panicWant, r.panicGot,
		r.before.goroutines, r.after.goroutines, mib(r.before.heapInuse), mib(r.after.heapInuse),
		kib(r.before.heapAlloc), kib(r.after.heapAlloc))
}

func kib(b uint64) string {
	return strconv.FormatUint(b>>10, 10) + " KiB"
}

func printExamples(w io.Writer, r *result) {
	fmt.Fprintf(w, "UNEXPECTED at %d clients:", r.concurrency)
	for _, k := range sortedKeys(r.unexpected) {
		fmt.Fprintf(w, " %s %d", k, r.unexpected[k])
	}
	fmt.Fprintln(w)
	for _, e := range r.examples {
		if len(e) > 300 {
			e = e[:300] + "..."
		}
		fmt.Fprintf(w, "  %s\n", e)
	}
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + " ms"
}

func mib(b uint64) string {
	return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) + " MiB"
}

func writeHeapProfile(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
