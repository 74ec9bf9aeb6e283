// Command overheadtable runs BenchmarkOverhead with -cpu 1 and writes the
// table of what each variant costs, with its ratios to limit, bare and
// handwritten-std, into benchmarks/README.md (and into the repository's
// README.md when it holds the same markers). Run it from benchmarks/:
//
//	go run ./cmd/overheadtable
//
// The raw benchmark output is kept in results/overhead.txt, for benchstat.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apienvelope/apienvelope/benchmarks"
)

const (
	startMarker = "<!-- overhead-table:start -->"
	endMarker   = "<!-- overhead-table:end -->"
)

func main() {
	count := flag.Int("count", 10, "rounds through every variant")
	benchtime := flag.String("benchtime", "200ms", "go test -benchtime")
	input := flag.String("in", "", "read this benchmark output instead of running the benchmarks")
	raw := flag.String("raw", "results/overhead.txt", "where to keep the raw benchmark output")
	readmes := flag.String("readme", "README.md,../README.md", "files to write the table into, between the markers "+startMarker+" and "+endMarker)
	flag.Parse()
	log.SetFlags(0)

	var out []byte
	if *input != "" {
		var err error
		if out, err = os.ReadFile(*input); err != nil {
			log.Fatal(err)
		}
	} else {
		var err error
		if out, err = runRounds(*count, *benchtime); err != nil {
			log.Fatal(err)
		}
		if *raw != "" {
			if err := os.WriteFile(*raw, out, 0o644); err != nil {
				log.Fatal(err)
			}
		}
	}
	res, cpu := parse(out)
	if len(res) == 0 {
		log.Fatal("no BenchmarkOverhead results in the output")
	}
	runs := fmt.Sprintf("%d rounds through every variant, %s each", *count, *benchtime)
	if *input != "" {
		runs = "the runs in " + *input
	}
	table := render(res, cpu, runs)
	fmt.Print(table)
	for _, p := range strings.Split(*readmes, ",") {
		if p = strings.TrimSpace(p); p != "" {
			if err := splice(p, table); err != nil {
				log.Printf("%s: %v", p, err)
			}
		}
	}
}

// runRounds builds the benchmark once and runs it count times, each run
// going through every variant once: a burst of other work on a shared
// machine then spoils one sample of several variants, not every sample of
// one, as go test -count (which repeats each benchmark back to back) would.
func runRounds(count int, benchtime string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "overheadtable")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "benchmarks.test")
	build := exec.Command("go", "test", "-c", "-o", bin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("building the benchmark: %w", err)
	}
	args := []string{"-test.run", "^$", "-test.bench", "^BenchmarkOverhead$", "-test.benchmem",
		"-test.cpu", "1", "-test.count", "1", "-test.benchtime", benchtime}
	var out bytes.Buffer
	for round := 1; round <= count; round++ {
		log.Printf("round %d of %d: %s %s", round, count, bin, strings.Join(args, " "))
		cmd := exec.Command(bin, args...)
		cmd.Stderr = os.Stderr
		var buf bytes.Buffer
		cmd.Stdout = &buf
		if err := cmd.Run(); err != nil {
			os.Stdout.Write(buf.Bytes())
			return nil, fmt.Errorf("round %d: %w", round, err)
		}
		out.Write(buf.Bytes())
	}
	return out.Bytes(), nil
}

type key struct{ variant, payload string }

type result struct {
	ns, cpu, bytes, allocs []float64
}

func (r *result) median() (ns, cpu, b, allocs float64) {
	return med(r.ns), med(r.cpu), med(r.bytes), med(r.allocs)
}

// cost is what ratios are taken of: the least CPU time per request of the
// runs where the benchmark reports it, else the least wall time. Other
// processes only ever add to a run's time, so the least is the closest to
// what the variant itself costs.
func (r *result) cost() float64 {
	if c := least(r.cpu); c > 0 {
		return c
	}
	return least(r.ns)
}

func least(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return slices.Min(xs)
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

var name = regexp.MustCompile(`^BenchmarkOverhead/([^/\s]+)/([^\s-]+)(?:-\d+)?$`)

func parse(out []byte) (map[key]*result, string) {
	res := map[key]*result{}
	cpu := ""
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		t := sc.Text()
		if c, ok := strings.CutPrefix(t, "cpu: "); ok {
			cpu = c
		}
		f := strings.Fields(t)
		if len(f) < 4 {
			continue
		}
		m := name.FindStringSubmatch(f[0])
		if m == nil {
			continue
		}
		k := key{m[1], m[2]}
		r := res[k]
		if r == nil {
			r = &result{}
			res[k] = r
		}
		// f[1] is the iteration count, then value-unit pairs.
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				r.ns = append(r.ns, v)
			case "cpu-ns/op":
				r.cpu = append(r.cpu, v)
			case "B/op":
				r.bytes = append(r.bytes, v)
			case "allocs/op":
				r.allocs = append(r.allocs, v)
			}
		}
	}
	return res, cpu
}

var payloads = []string{"small", "medium", "large"}

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	r := a / b
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

func render(res map[key]*result, cpu, runs string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Made by `cd benchmarks && go run ./cmd/overheadtable` on %s: %s, %d cores, %s/%s, %s, `-cpu 1`, %s. "+
		"*CPU/op* is the least, over the runs, of the process's CPU time per request (getrusage); *wall/op* the median ns/op. "+
		"The ratios are of CPU/op, which the other processes of a shared machine disturb much less than the wall clock.\n\n",
		time.Now().UTC().Format("2006-01-02"), orUnknown(strings.TrimSpace(cpu)), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), runs)
	for _, p := range payloads {
		lim, bare, hw := res[key{"limit", p}], res[key{"bare", p}], res[key{"handwritten-std", p}]
		if lim == nil || bare == nil || hw == nil {
			continue
		}
		_, _, _, bareAllocs := bare.median()
		fmt.Fprintf(&b, "**%s**\n\n", p)
		b.WriteString("| variant | CPU/op | wall/op | B/op | allocs/op | vs limit | vs bare | vs handwritten-std |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, v := range benchmarks.VariantNames {
			r := res[key{v, p}]
			if r == nil {
				continue
			}
			n, _, by, al := r.median()
			extra := ""
			if strings.HasPrefix(v, "action") && math.Round(al) != math.Round(bareAllocs) {
				extra = fmt.Sprintf(" (%+.0f)", al-bareAllocs)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %.0f | %.0f%s | %s | %s | %s |\n", v, ns(r.cost()), ns(n), by, al, extra,
				ratio(r.cost(), lim.cost()), ratio(r.cost(), bare.cost()), ratio(r.cost(), hw.cost()))
		}
		b.WriteString("\n")
	}
	b.WriteString(targets(res))
	return b.String()
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown CPU"
	}
	return s
}

// targets checks the targets against this run.
func targets(res map[key]*result) string {
	get := func(v, p string) (float64, float64, bool) {
		r := res[key{v, p}]
		if r == nil {
			return 0, 0, false
		}
		_, _, _, a := r.median()
		return r.cost(), a, true
	}
	var b strings.Builder
	b.WriteString("| target | small | medium | large |\n|---|---|---|---|\n")
	row := func(name string, f func(p string) string) {
		b.WriteString("| " + name)
		for _, p := range payloads {
			b.WriteString(" | " + f(p))
		}
		b.WriteString(" |\n")
	}
	// check compares a with bb; the target holds on the payloads named,
	// every payload when none is.
	check := func(a, bb string, limit float64, on ...string) func(p string) string {
		return func(p string) string {
			x, _, ok1 := get(a, p)
			y, _, ok2 := get(bb, p)
			if !ok1 || !ok2 {
				return "–"
			}
			r := x / y
			if len(on) > 0 && !slices.Contains(on, p) {
				return fmt.Sprintf("%.2fx (no target)", r)
			}
			return fmt.Sprintf("%.2fx %s", r, mark(r <= limit))
		}
	}
	row("`action` ≤ 0.5x `handwritten-std` on small and medium", check("action", "handwritten-std", 0.5, "small", "medium"))
	row("`action` ≤ 1.15x `bare`", check("action", "bare", 1.15))
	row("`action` ≤ `bare` + 2 allocs", func(p string) string {
		_, a, ok1 := get("action", p)
		_, bb, ok2 := get("bare", p)
		if !ok1 || !ok2 {
			return "–"
		}
		return fmt.Sprintf("%+.0f %s", a-bb, mark(a-bb <= 2))
	})
	row("`wrapped` ≤ 1.3x `action`", check("wrapped", "action", 1.3))
	row("`action-std` / `action-jsoniter`", func(p string) string {
		x, _, ok1 := get("action-std", p)
		y, _, ok2 := get("action-jsoniter", p)
		if !ok1 || !ok2 {
			return "–"
		}
		return fmt.Sprintf("%.2fx", x/y)
	})
	b.WriteString("\n")
	return b.String()
}

func mark(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}

// splice replaces what lies between the markers in path.
func splice(path, table string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(data)
	i, j := strings.Index(s, startMarker), strings.Index(s, endMarker)
	if i < 0 || j < i {
		return fmt.Errorf("no %s … %s markers: table not written", startMarker, endMarker)
	}
	s = s[:i+len(startMarker)] + "\n" + table + s[j:]
	return os.WriteFile(path, []byte(s), 0o644)
}
