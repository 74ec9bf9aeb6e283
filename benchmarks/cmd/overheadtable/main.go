// Command overheadtable makes the benchmark table: it runs BenchmarkOverhead
// with -cpu 1 in rounds, then cmd/loadgen end to end, and prints the
// targets of issue 12 and both tables to stdout. Run it from benchmarks/:
//
//	go run ./cmd/overheadtable          # print; the raw output goes to a temporary file
//	go run ./cmd/overheadtable -write   # also update README.md and results/overhead.txt
//
// Without -write it changes no file of the repository. The raw output is in
// the Go benchmark format, for benchstat; -in renders a table from it again.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

func main() {
	log.SetFlags(0)
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		log.Fatal(err)
	}
}

// config is the command's flags.
type config struct {
	count      int
	benchtime  string
	e2e        bool
	e2eN       int
	e2eWarmup  int
	e2eRounds  int
	e2eConns   int
	e2ePayload string
	e2eModes   string
	in         string
	raw        string
	write      bool
	results    string
	readmes    string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("overheadtable", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.count, "count", 10, "rounds through every variant in process")
	fs.StringVar(&c.benchtime, "benchtime", "200ms", "go test -benchtime of each variant in each round")
	fs.BoolVar(&c.e2e, "e2e", true, "also run cmd/loadgen end to end")
	fs.IntVar(&c.e2eN, "e2e-n", 20000, "end to end: measured requests per variant, mode and round")
	fs.IntVar(&c.e2eWarmup, "e2e-warmup", 2000, "end to end: requests before measuring")
	fs.IntVar(&c.e2eRounds, "e2e-rounds", 5, "end to end: rounds through every variant")
	fs.IntVar(&c.e2eConns, "e2e-c", 8, "end to end: keep-alive connections")
	fs.StringVar(&c.e2ePayload, "e2e-payloads", "small", "end to end: payloads, comma-separated")
	fs.StringVar(&c.e2eModes, "e2e-modes", "plain,tls", "end to end: plain, tls or both")
	fs.StringVar(&c.in, "in", "", "render these raw outputs (comma-separated) instead of running anything")
	fs.StringVar(&c.raw, "raw", "", "keep the raw output here (default: a new file in the temporary directory, or -results with -write)")
	fs.BoolVar(&c.write, "write", false, "write the raw output to -results and the tables into the -readme files")
	fs.StringVar(&c.results, "results", "results/overhead.txt", "with -write, where the raw output goes")
	fs.StringVar(&c.readmes, "readme", "README.md", "with -write, the files whose table markers are updated, comma-separated")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	return c, nil
}

// run is the command. It writes nothing but its raw output (to a file of
// its own unless told otherwise) and, with -write, the README files.
func run(args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }

	var raw []byte
	if c.in != "" {
		for _, p := range strings.Split(c.in, ",") {
			b, err := os.ReadFile(strings.TrimSpace(p))
			if err != nil {
				return err
			}
			raw = append(raw, b...)
		}
	} else {
		if raw, err = measure(c, stderr); err != nil {
			return err
		}
		path := c.raw
		if path == "" && c.write {
			path = c.results
		}
		if path == "" {
			f, err := os.CreateTemp("", "overheadtable-*.txt")
			if err != nil {
				return err
			}
			path = f.Name()
			f.Close()
		}
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			return err
		}
		logf("raw output in %s", path)
	}

	r := parse(raw)
	if len(r.inproc) == 0 && len(r.e2e) == 0 {
		return fmt.Errorf("no BenchmarkOverhead or BenchmarkEndToEnd results in the output")
	}
	blocks := render(r)
	for _, b := range blocks {
		io.WriteString(stdout, b.text)
	}
	if !c.write {
		return nil
	}
	for _, p := range strings.Split(c.readmes, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if err := splice(p, blocks); err != nil {
			return err
		}
		logf("tables written into %s", p)
	}
	return nil
}

// measure runs the in-process rounds, then the end-to-end ones, and
// returns their output with the run's configuration as "key: value" lines.
func measure(c config, stderr io.Writer) ([]byte, error) {
	dir, err := os.MkdirTemp("", "overheadtable")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var out bytes.Buffer
	fmt.Fprintf(&out, "date: %s\n", time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(&out, "cores: %d\ngo: %s\nos: %s/%s\n", runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&out, "loadavg-start: %s\n", loadAverage())
	if c.count > 0 {
		fmt.Fprintf(&out, "rounds: %d\nbenchtime: %s\n", c.count, c.benchtime)
		if err := inProcess(c, dir, &out, stderr); err != nil {
			return nil, err
		}
	}
	if c.e2e {
		if err := endToEnd(c, dir, &out, stderr); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(&out, "loadavg-end: %s\n", loadAverage())
	return out.Bytes(), nil
}

// inProcess builds the benchmark once and runs it c.count times, each run
// going through every variant once: a burst of other work on a shared
// machine then spoils one sample of several variants, not every sample of
// one, as go test -count (which repeats each benchmark back to back) would.
func inProcess(c config, dir string, out, stderr io.Writer) error {
	bin := filepath.Join(dir, "benchmarks.test")
	if err := command(stderr, nil, "go", "test", "-c", "-o", bin, "."); err != nil {
		return fmt.Errorf("building the benchmark: %w", err)
	}
	args := []string{"-test.run", "^$", "-test.bench", "^BenchmarkOverhead$", "-test.benchmem",
		"-test.cpu", "1", "-test.count", "1", "-test.benchtime", c.benchtime}
	for round := 1; round <= c.count; round++ {
		fmt.Fprintf(stderr, "in process, round %d of %d\n", round, c.count)
		if err := command(stderr, out, bin, args...); err != nil {
			return fmt.Errorf("round %d: %w", round, err)
		}
	}
	return nil
}

// endToEnd builds cmd/loadgen and runs it once per payload.
func endToEnd(c config, dir string, out, stderr io.Writer) error {
	bin := filepath.Join(dir, "loadgen")
	if err := command(stderr, nil, "go", "build", "-o", bin, "./cmd/loadgen"); err != nil {
		return fmt.Errorf("building the load generator: %w", err)
	}
	for _, p := range strings.Split(c.e2ePayload, ",") {
		p = strings.TrimSpace(p)
		fmt.Fprintf(stderr, "end to end, %s payload\n", p)
		err := command(stderr, out, bin, "-payload", p, "-n", fmt.Sprint(c.e2eN), "-warmup", fmt.Sprint(c.e2eWarmup),
			"-rounds", fmt.Sprint(c.e2eRounds), "-c", fmt.Sprint(c.e2eConns), "-modes", c.e2eModes)
		if err != nil {
			return fmt.Errorf("end to end, %s: %w", p, err)
		}
	}
	return nil
}

// command runs name with args, its stdout into out (stderr when nil), its
// stderr into stderr.
func command(stderr, out io.Writer, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stderr = stderr
	cmd.Stdout = out
	if out == nil {
		cmd.Stdout = stderr
	}
	return cmd.Run()
}

// loadAverage is the first three fields of /proc/loadavg, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// splice replaces what lies between each block's markers in path. A file
// must hold the markers of one block at least.
func splice(path string, blocks []block) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s, found := string(data), false
	for _, b := range blocks {
		start, end := "<!-- "+b.marker+":start -->", "<!-- "+b.marker+":end -->"
		i, j := strings.Index(s, start), strings.Index(s, end)
		if i < 0 || j < i {
			continue
		}
		found = true
		s = s[:i+len(start)] + "\n" + b.text + s[j:]
	}
	if !found {
		return fmt.Errorf("%s: no table markers (<!-- overhead-table:start --> … <!-- overhead-table:end -->)", path)
	}
	return os.WriteFile(path, []byte(s), 0o644)
}
