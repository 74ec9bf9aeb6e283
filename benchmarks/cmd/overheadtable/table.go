package main

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/apienvelope/apienvelope/benchmarks"
)

var payloads = []string{"small", "medium", "large"}

type key struct{ variant, payload string }

// sample is one in-process benchmark's values over the rounds.
type sample struct{ ns, cpu, bytes, allocs []float64 }

// cost is what ratios are taken of: the least CPU time per request over
// the rounds where the benchmark reports it, else the least wall time.
// Other processes only ever add to a run's time, so the least is the
// closest to what the variant itself costs.
func (s *sample) cost() float64 {
	if c := least(s.cpu); c > 0 {
		return c
	}
	return least(s.ns)
}

type e2eKey struct{ mode, variant, payload string }

// e2eSample is one end-to-end run's values over the rounds.
type e2eSample struct{ rps, cpu []float64 }

type results struct {
	inproc   map[key]*sample
	e2e      map[e2eKey]*e2eSample
	e2eOrder []string // variants in the order loadgen ran them
	// conf holds the "key: value" lines, each value in the order read.
	conf map[string][]string
}

func (r *results) first(k string) string {
	if v := r.conf[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (r *results) last(k string) string {
	if v := r.conf[k]; len(v) > 0 {
		return v[len(v)-1]
	}
	return ""
}

var (
	inprocName = regexp.MustCompile(`^BenchmarkOverhead/([^/\s]+)/([^/\s-]+)(?:-\d+)?$`)
	e2eName    = regexp.MustCompile(`^BenchmarkEndToEnd/(plain|tls)/([^/\s]+)/([^/\s-]+)(?:-\d+)?$`)
	confLine   = regexp.MustCompile(`^([a-z][a-z0-9-]*): (.*)$`)
)

// parse reads the output of BenchmarkOverhead and cmd/loadgen.
func parse(out []byte) *results {
	r := &results{inproc: map[key]*sample{}, e2e: map[e2eKey]*e2eSample{}, conf: map[string][]string{}}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if m := confLine.FindStringSubmatch(line); m != nil {
			r.conf[m[1]] = append(r.conf[m[1]], strings.TrimSpace(m[2]))
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 {
			continue
		}
		values := map[string]float64{}
		// f[1] is the iteration count, then value-unit pairs.
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				values[f[i+1]] = v
			}
		}
		if m := inprocName.FindStringSubmatch(f[0]); m != nil {
			k := key{m[1], m[2]}
			s := r.inproc[k]
			if s == nil {
				s = &sample{}
				r.inproc[k] = s
			}
			s.ns = appendIf(s.ns, values, "ns/op")
			s.cpu = appendIf(s.cpu, values, "cpu-ns/op")
			s.bytes = appendIf(s.bytes, values, "B/op")
			s.allocs = appendIf(s.allocs, values, "allocs/op")
		}
		if m := e2eName.FindStringSubmatch(f[0]); m != nil {
			k := e2eKey{m[1], m[2], m[3]}
			s := r.e2e[k]
			if s == nil {
				s = &e2eSample{}
				r.e2e[k] = s
			}
			if !slices.Contains(r.e2eOrder, k.variant) {
				r.e2eOrder = append(r.e2eOrder, k.variant)
			}
			s.rps = appendIf(s.rps, values, "req/s")
			s.cpu = appendIf(s.cpu, values, "server-cpu-ns/op")
		}
	}
	return r
}

func appendIf(xs []float64, values map[string]float64, unit string) []float64 {
	if v, ok := values[unit]; ok {
		return append(xs, v)
	}
	return xs
}

func least(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return slices.Min(xs)
}

func most(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return slices.Max(xs)
}

func med(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// block is a piece of the output, written between its markers in a README.
type block struct {
	marker string
	text   string
}

func render(r *results) []block {
	var blocks []block
	if len(r.inproc) > 0 {
		blocks = append(blocks, block{"overhead-table", renderInProcess(r)})
	}
	if len(r.e2e) > 0 {
		blocks = append(blocks, block{"e2e-table", renderEndToEnd(r)})
	}
	return blocks
}

func (r *results) cost(variant, payload string) (float64, bool) {
	s := r.inproc[key{variant, payload}]
	if s == nil {
		return 0, false
	}
	c := s.cost()
	return c, c > 0
}

// bareOf is the bare variant with the same codec as v.
func bareOf(v string) string {
	if b, ok := benchmarks.Adapters[v]; ok {
		return b
	}
	return "bare"
}

func renderInProcess(r *results) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Made by `cd benchmarks && go run ./cmd/overheadtable -write` on %s: %s, %s cores, %s, %s, `-cpu 1`, %s rounds through every variant, %s each; "+
		"load average %s at the start, %s at the end (1, 5 and 15 minutes). "+
		"*CPU/op* is the least, over the rounds, of the process's CPU time per request (getrusage); *wall/op* the median ns/op; B/op and allocs/op the median. "+
		"Every ratio is of CPU/op, which the other processes of a shared machine disturb much less than the wall clock. "+
		"*vs bare* is against the bare variant with the same codec (`action-goccy` against `bare-goccy`), `bare` for the others.\n\n",
		orUnknown(r.first("date")), orUnknown(r.first("cpu")), orUnknown(r.first("cores")), orUnknown(r.first("os")), orUnknown(r.first("go")),
		orUnknown(r.first("rounds")), orUnknown(r.first("benchtime")), orUnknown(r.first("loadavg-start")), orUnknown(r.last("loadavg-end")))
	b.WriteString(targets(r))
	for _, p := range payloads {
		if _, ok := r.cost("limit", p); !ok {
			continue
		}
		fmt.Fprintf(&b, "**%s**\n\n", p)
		b.WriteString("| variant | CPU/op | wall/op | B/op | allocs/op | vs limit | vs bare | vs action |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, v := range benchmarks.VariantNames {
			s := r.inproc[key{v, p}]
			if s == nil {
				continue
			}
			c := s.cost()
			fmt.Fprintf(&b, "| %s | %s | %s | %.0f | %.0f | %s | %s | %s |\n", v, ns(c), ns(med(s.ns)), med(s.bytes), med(s.allocs),
				r.ratioTo(c, "limit", p), r.ratioTo(c, bareOf(v), p), r.ratioTo(c, "action", p))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (r *results) ratioTo(c float64, variant, payload string) string {
	d, ok := r.cost(variant, payload)
	if !ok {
		return "–"
	}
	return ratio(c / d)
}

// targets is the table of issue 12's targets, each checked on this run.
func targets(r *results) string {
	var b strings.Builder
	b.WriteString("**Targets of issue 12 in this run** (ratios of CPU/op; end to end, of server CPU per request)\n\n")
	b.WriteString("| target | small | medium | large |\n|---|---|---|---|\n")
	row := func(name string, cell func(p string) string) {
		b.WriteString("| " + name)
		for _, p := range payloads {
			b.WriteString(" | " + cell(p))
		}
		b.WriteString(" |\n")
	}
	// atMost is the cell of a ≤ limit × bb.
	atMost := func(a, bb string, limit func(p string) float64) func(string) string {
		return func(p string) string {
			x, ok1 := r.cost(a, p)
			y, ok2 := r.cost(bb, p)
			if !ok1 || !ok2 {
				return "–"
			}
			return fmt.Sprintf("%.2fx %s", x/y, mark(x/y <= limit(p)))
		}
	}
	envelopeCost := func(p string) float64 {
		if p == "small" {
			return 1.3
		}
		return 1.1
	}
	row("`action` ≤ 1.3x `bare` on small, ≤ 1.1x on medium and large (default codec)", atMost("action", "bare", envelopeCost))
	for _, a := range slices.Sorted(maps.Keys(benchmarks.Adapters)) {
		bare := benchmarks.Adapters[a]
		row(fmt.Sprintf("`%s` ≤ 1.3x / 1.1x `%s`", a, bare), atMost(a, bare, envelopeCost))
	}
	for _, peer := range benchmarks.Peers {
		row(fmt.Sprintf("`action` at least as fast as `%s`", peer), atMost("action", peer, func(string) float64 { return 1 }))
	}
	row("the fastest adapter ahead of every peer", func(p string) string {
		a, ac := fastest(r, slices.Sorted(maps.Keys(benchmarks.Adapters)), p)
		peer, pc := fastest(r, benchmarks.Peers, p)
		if a == "" || peer == "" {
			return "–"
		}
		return fmt.Sprintf("`%s` %.2fx `%s` %s", a, ac/pc, peer, mark(ac < pc))
	})
	for _, mode := range []string{"plain", "tls"} {
		name := map[string]string{"plain": "plain HTTP", "tls": "TLS"}[mode]
		row(fmt.Sprintf("end to end, %s: `action`'s server CPU ≤ 1.2x `limit`'s", name), func(p string) string {
			a, l := r.e2e[e2eKey{mode, "action", p}], r.e2e[e2eKey{mode, "limit", p}]
			if a == nil || l == nil || least(l.cpu) == 0 {
				return "–"
			}
			x := least(a.cpu) / least(l.cpu)
			return fmt.Sprintf("%.2fx %s", x, mark(x <= 1.2))
		})
	}
	b.WriteString("\n")
	return b.String()
}

// fastest is the variant of names with the least cost on payload p.
func fastest(r *results, names []string, p string) (string, float64) {
	best, bestCost := "", 0.0
	for _, n := range names {
		if c, ok := r.cost(n, p); ok && (best == "" || c < bestCost) {
			best, bestCost = n, c
		}
	}
	return best, bestCost
}

func renderEndToEnd(r *results) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Made by `cd benchmarks && go run ./cmd/overheadtable -write` (`cmd/loadgen`) on %s: %s cores, %s, %s; "+
		"%s measured requests per variant, mode and round after %s of warm-up, HTTP/1.1 keep-alive, %s connections; "+
		"each variant's best of %s rounds (the highest req/s, the least server CPU per request).\n\n",
		orUnknown(r.first("date")), orUnknown(r.first("e2e-cores")), orUnknown(r.first("e2e-go")), orUnknown(r.first("e2e-pinning")),
		orUnknown(r.first("e2e-requests")), orUnknown(r.first("e2e-warmup")), orUnknown(r.first("e2e-connections")), orUnknown(r.first("e2e-rounds")))
	for _, p := range payloads {
		if r.e2e[e2eKey{"plain", "limit", p}] == nil && r.e2e[e2eKey{"tls", "limit", p}] == nil {
			continue
		}
		fmt.Fprintf(&b, "**%s payload**\n\n", p)
		b.WriteString("| variant | plain HTTP: server CPU/req | vs limit | req/s | TLS: server CPU/req | vs limit | req/s |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|\n")
		for _, v := range r.e2eOrder {
			fmt.Fprintf(&b, "| %s", v)
			for _, mode := range []string{"plain", "tls"} {
				s, l := r.e2e[e2eKey{mode, v, p}], r.e2e[e2eKey{mode, "limit", p}]
				if s == nil || l == nil {
					b.WriteString(" | – | – | –")
					continue
				}
				c := least(s.cpu)
				fmt.Fprintf(&b, " | %s | %s | %.0f", ns(c), ratio(c/least(l.cpu)), most(s.rps))
			}
			b.WriteString(" |\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func mark(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

func ratio(r float64) string {
	switch {
	case r >= 100:
		return fmt.Sprintf("%.0fx", r)
	case r >= 10:
		return fmt.Sprintf("%.1fx", r)
	}
	return fmt.Sprintf("%.2fx", r)
}

func ns(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2f ms", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.1f µs", v/1e3)
	case v >= 1e3:
		return fmt.Sprintf("%.2f µs", v/1e3)
	}
	return fmt.Sprintf("%.0f ns", v)
}
