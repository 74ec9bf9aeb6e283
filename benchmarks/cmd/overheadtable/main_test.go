package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/benchmarks"
)

// synthetic is benchmark output where every variant costs cost(v, p)
// CPU-ns per request, and end to end action's server CPU is e2eAction
// times limit's.
func synthetic(cost func(v, p string) float64, e2eAction float64) []byte {
	var b bytes.Buffer
	b.WriteString("date: 2026-11-27\ncpu: Test CPU\ncores: 2\nloadavg-start: 0.50 0.40 0.30\n")
	for round := range 2 {
		for _, v := range benchmarks.VariantNames {
			for _, p := range payloads {
				c := cost(v, p) * float64(1+round) // the second round is slower
				fmt.Fprintf(&b, "BenchmarkOverhead/%s/%s \t 1000\t %.0f ns/op\t 10.0 MB/s\t %.0f cpu-ns/op\t 100 B/op\t 3 allocs/op\n", v, p, c, c)
			}
		}
	}
	b.WriteString("e2e-requests: 100\n")
	for _, mode := range []string{"plain", "tls"} {
		fmt.Fprintf(&b, "BenchmarkEndToEnd/%s/limit/small 100 30000 req/s 30000 server-cpu-ns/op\n", mode)
		fmt.Fprintf(&b, "BenchmarkEndToEnd/%s/action/small 100 29000 req/s %.0f server-cpu-ns/op\n", mode, 30000*e2eAction)
		fmt.Fprintf(&b, "BenchmarkEndToEnd/%s/fiber/small 100 40000 req/s 20000 server-cpu-ns/op\n", mode)
	}
	b.WriteString("loadavg-end: 1.50 0.60 0.35\n")
	return b.Bytes()
}

// cell is the cell of the targets table for the row starting with row and
// the payload's column.
func cell(t *testing.T, out, row, payload string) string {
	t.Helper()
	col := map[string]int{"small": 2, "medium": 3, "large": 4}[payload]
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| "+row) {
			f := strings.Split(line, "|")
			require.Greater(t, len(f), col)
			return strings.TrimSpace(f[col])
		}
	}
	t.Fatalf("no row %q in\n%s", row, out)
	return ""
}

func TestTargets(t *testing.T) {
	cost := func(v, p string) float64 {
		switch v {
		case "bare", "bare-jsoniter", "bare-goccy":
			return 1000
		case "action":
			return map[string]float64{"small": 1250, "medium": 1150, "large": 1100}[p]
		case "action-jsoniter":
			return 1400
		case "action-goccy":
			return 900
		case "gin":
			return map[string]float64{"small": 1200, "medium": 2300, "large": 2300}[p]
		case "huma", "echo", "chi-render":
			return 950
		}
		return 100
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "raw.txt")
	require.NoError(t, os.WriteFile(in, synthetic(cost, 1.25), 0o644))
	var out bytes.Buffer
	require.NoError(t, run([]string{"-in", in}, &out, io.Discard))
	s := out.String()

	const envelopeRow = "`action` ≤ 1.3x `bare`"
	assert.Equal(t, "1.25x met", cell(t, s, envelopeRow, "small"))
	assert.Equal(t, "1.15x **missed**", cell(t, s, envelopeRow, "medium"))
	assert.Equal(t, "1.10x met", cell(t, s, envelopeRow, "large"))
	assert.Equal(t, "1.40x **missed**", cell(t, s, "`action-jsoniter` ≤", "small"))
	assert.Equal(t, "0.90x met", cell(t, s, "`action-goccy` ≤", "large"))
	assert.Equal(t, "1.04x **missed**", cell(t, s, "`action` at least as fast as `gin`", "small"))
	assert.Equal(t, "0.50x met", cell(t, s, "`action` at least as fast as `gin`", "medium"))
	assert.Equal(t, "1.32x **missed**", cell(t, s, "`action` at least as fast as `huma`", "small"))
	assert.Equal(t, "`action-goccy` 0.95x `huma` met", cell(t, s, "the fastest adapter", "small"))
	assert.Equal(t, "1.25x **missed**", cell(t, s, "end to end, plain HTTP", "small"))
	assert.Equal(t, "–", cell(t, s, "end to end, TLS", "medium"))

	// The tables take the least of the rounds, and say what the load was.
	assert.Contains(t, s, "| action | 1.25 µs |")
	assert.Contains(t, s, "load average 0.50 0.40 0.30 at the start, 1.50 0.60 0.35 at the end")
	assert.Contains(t, s, "| fiber | 20.0 µs | 0.67x | 40000 | 20.0 µs | 0.67x | 40000 |")
}

// TestWriteTouchesOnlyWhatItIsTold checks that -write replaces what lies
// between the markers of the files named, and nothing else.
func TestWriteTouchesOnlyWhatItIsTold(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "raw.txt")
	require.NoError(t, os.WriteFile(in, synthetic(func(string, string) float64 { return 1000 }, 1), 0o644))
	readme := filepath.Join(dir, "README.md")
	const before = "intro\n<!-- overhead-table:start -->\nold\n<!-- overhead-table:end -->\nmiddle\n<!-- e2e-table:start -->\nold\n<!-- e2e-table:end -->\nend\n"
	require.NoError(t, os.WriteFile(readme, []byte(before), 0o644))

	require.NoError(t, run([]string{"-in", in}, io.Discard, io.Discard))
	got, err := os.ReadFile(readme)
	require.NoError(t, err)
	assert.Equal(t, before, string(got), "without -write")

	require.NoError(t, run([]string{"-in", in, "-write", "-readme", readme}, io.Discard, io.Discard))
	got, err = os.ReadFile(readme)
	require.NoError(t, err)
	s := string(got)
	assert.NotContains(t, s, "old")
	assert.True(t, strings.HasPrefix(s, "intro\n<!-- overhead-table:start -->\nMade by"), s)
	assert.Contains(t, s, "<!-- overhead-table:end -->\nmiddle\n<!-- e2e-table:start -->\nMade by")
	assert.True(t, strings.HasSuffix(s, "<!-- e2e-table:end -->\nend\n"), s)

	noMarkers := filepath.Join(dir, "other.md")
	require.NoError(t, os.WriteFile(noMarkers, []byte("no table here\n"), 0o644))
	assert.ErrorContains(t, run([]string{"-in", in, "-write", "-readme", noMarkers}, io.Discard, io.Discard), "no table markers")
}

// TestRunLeavesTheTreeClean runs the command as documented, with every
// benchmark once and a tiny end-to-end run, and checks that git sees no
// file changed or added.
func TestRunLeavesTheTreeClean(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every benchmark")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	t.Chdir(filepath.Join("..", "..")) // benchmarks/, where the command runs
	status := func() string {
		out, err := exec.Command("git", "status", "--porcelain", "--untracked-files=all").CombinedOutput()
		if err != nil {
			t.Skipf("not a git work tree: %s", out)
		}
		return string(out)
	}
	before := status()
	var out, log bytes.Buffer
	err := run([]string{"-count", "1", "-benchtime", "1x", "-e2e-n", "40", "-e2e-warmup", "4", "-e2e-rounds", "1", "-e2e-c", "2"}, &out, &log)
	require.NoError(t, err, "%s", log.String())
	assert.Equal(t, before, status(), "the command changed the work tree")
	assert.Contains(t, out.String(), "| action |")
	assert.Contains(t, out.String(), "| fiber |")

	// The raw output went to the temporary directory, and says where.
	_, path, ok := strings.Cut(log.String(), "raw output in ")
	require.True(t, ok, log.String())
	path = strings.TrimSpace(strings.SplitN(path, "\n", 2)[0])
	assert.True(t, strings.HasPrefix(path, os.TempDir()), path)
	require.NoError(t, os.Remove(path))
}
