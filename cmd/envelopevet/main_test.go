package main_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/internal/stdstub"
)

// envelopevet builds the command once for the tests of this file.
func envelopevet(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "envelopevet")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// fixture returns a copy of the fixture module, which -fix may change.
func fixture(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "mod")
	require.NoError(t, os.CopyFS(dir, os.DirFS(filepath.Join(stdstub.Testdata(), "envelopevet", "mod"))))
	return dir
}

// run runs name with args in dir, with the stubs of the standard library
// unless ENVELOPEVET_STDLIB=1 (see internal/stdstub), and returns its exit
// code and output.
func run(t *testing.T, dir, name string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
	cmd.Env = append(cmd.Env, stdstub.Environ(t)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), stdout.String(), stderr.String()
	}
	require.NoError(t, err)
	return 0, stdout.String(), stderr.String()
}

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := envelopevet(t)
	dir := fixture(t)

	t.Run("go vet reports findings", func(t *testing.T) {
		code, _, stderr := run(t, dir, "go", "vet", "-vettool="+bin, "./...")
		assert.NotZero(t, code)
		assert.Contains(t, stderr, "bad.go:14:2: http.Error sets the HTTP status of w")
		assert.Contains(t, stderr, "bad.go:18:2: fmt.Fprintln writes the body of w")
		assert.Contains(t, stderr, `route "GET /users/info" registered for GET`)
		assert.NotContains(t, stderr, "clean")
	})
	t.Run("go vet passes clean code", func(t *testing.T) {
		code, _, stderr := run(t, dir, "go", "vet", "-vettool="+bin, "./clean")
		assert.Zero(t, code, stderr)
	})
	t.Run("standalone exits 3 on findings", func(t *testing.T) {
		code, _, stderr := run(t, dir, bin, "./...")
		assert.Equal(t, 3, code, stderr)
		// http.Error and http.NotFound are reported twice: by rawstatus
		// for the status and by rawwrite for the body.
		assert.Equal(t, 12, strings.Count(stderr, "\n"), stderr)
	})
	t.Run("standalone finds what go vet finds", func(t *testing.T) {
		_, _, vet := run(t, dir, "go", "vet", "-vettool="+bin, "./...")
		_, _, standalone := run(t, dir, bin, "./...")
		assert.ElementsMatch(t, findingLines(t, dir, vet), findingLines(t, dir, standalone))
	})
	t.Run("standalone exits 0 on clean code", func(t *testing.T) {
		code, stdout, stderr := run(t, dir, bin, "./clean")
		assert.Zero(t, code, stderr)
		assert.Empty(t, stdout+stderr)
	})
	t.Run("json output parses and exits 0 with findings", func(t *testing.T) {
		code, stdout, stderr := run(t, dir, bin, "-json", "./...")
		require.Zero(t, code, stderr)
		// package -> analyzer -> diagnostics
		var report map[string]map[string][]struct {
			Posn    string `json:"posn"`
			Message string `json:"message"`
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &report), stdout)
		bad := report["example.com/fixture/bad"]
		require.NotNil(t, bad, stdout)
		assert.Len(t, bad["rawstatus"], 1)
		assert.Len(t, bad["rawwrite"], 2)
		assert.Len(t, bad["postonly"], 1)
		assert.Contains(t, bad["rawstatus"][0].Posn, "bad.go:14")
		// bad is analysed with its test file: each finding is listed
		// once all the same.
		var posns []string
		for _, byAnalyzer := range report {
			for analyzer, diags := range byAnalyzer {
				for _, d := range diags {
					posns = append(posns, analyzer+" "+d.Posn)
				}
			}
		}
		assert.Len(t, posns, 12, stdout)
		slices.Sort(posns)
		assert.Len(t, slices.Compact(posns), 12, "listed twice: %s", stdout)
	})
	t.Run("json still lists the findings when a package does not build", func(t *testing.T) {
		broken := fixture(t)
		require.NoError(t, os.MkdirAll(filepath.Join(broken, "broken"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(broken, "broken", "broken.go"), []byte("package broken\n\nvar x int = \"s\"\n"), 0o644))
		code, stdout, stderr := run(t, broken, bin, "-json", "./...")
		assert.Equal(t, 1, code, stderr)
		assert.Contains(t, stderr, "broken.go:3:13")
		var report map[string]map[string][]struct{ Posn string }
		require.NoError(t, json.Unmarshal([]byte(stdout), &report), stdout)
		assert.Len(t, report["example.com/fixture/bad"]["rawstatus"], 1)
	})
	t.Run("fix lists what it did not fix and the go get line", func(t *testing.T) {
		fixed := fixture(t)
		code, _, stderr := run(t, fixed, bin, "-fix", "./...")
		assert.Equal(t, 3, code, stderr)
		// The probe handlers keep their finding of each analyzer.
		assert.Contains(t, stderr, "envelopevet: 6 findings not fixed:\n")
		assert.Regexp(t, `bad.go:10:17: route "GET /users/info" registered for GET`, stderr)
		assert.Regexp(t, `bad.go:18:2: fmt.Fprintln writes the body of w`, stderr)
		assert.Regexp(t, `probe.go:16:4: http.NotFound sets the HTTP status of w`, stderr)
		assert.Regexp(t, `probe.go:24:4: http.NotFound sets the HTTP status of w`, stderr)
		assert.Regexp(t, `which \S+/go.mod does not require; in \S+, run:\n\tgo get github.com/apienvelope/apienvelope@(latest|v\S+)\n`, stderr)

		probe, err := os.ReadFile(filepath.Join(fixed, "probe", "probe.go"))
		require.NoError(t, err)
		assert.Equal(t, 2, strings.Count(string(probe), "\t\t\thttp.NotFound(w, r)\n"), "the probe and the metrics keep their status")
		assert.Contains(t, string(probe), "\tenvelope.Fail(w, r, envelope.NotFound(\"NotFound\", \"404 page not found\"))\n", "info is fixed")
		assert.Contains(t, string(probe), "\tenvelope.Fail(w, r, envelope.NotFound(\"NotFound\", \"the users are not ready\"))\n", "a message is not a route")
	})
	t.Run("fix exits 0 when it fixes everything", func(t *testing.T) {
		code, stdout, stderr := run(t, fixture(t), bin, "-fix", "-rawstatus", "./bad")
		assert.Zero(t, code, stderr)
		assert.Empty(t, stdout)
		assert.NotContains(t, stderr, "not fixed")
		assert.Contains(t, stderr, "go get github.com/apienvelope/apienvelope@")
	})
	t.Run("the diff is the fix", func(t *testing.T) {
		_, diff, stderr := run(t, dir, bin, "-fix", "-diff", "./bad")
		assert.Contains(t, diff, `+	envelope.Fail(w, r, envelope.NotFound("NotFound", "no such user"))`, stderr)
		before, err := os.ReadFile(filepath.Join(dir, "bad", "bad.go"))
		require.NoError(t, err)

		fixed := fixture(t)
		run(t, fixed, bin, "-fix", "./bad")
		after, err := os.ReadFile(filepath.Join(fixed, "bad", "bad.go"))
		require.NoError(t, err)
		assert.Contains(t, string(after), "\n\n\t\"github.com/apienvelope/apienvelope/envelope\"\n)", "the import in a group of its own")
		assert.Equal(t, string(after), patch(t, string(before), diff))
	})
	t.Run("flags are accepted by go vet", func(t *testing.T) {
		code, _, stderr := run(t, dir, "go", "vet", "-vettool="+bin,
			"-handlerflow.trusted=example.com/fixture/...", "-handlerflow.wrapped=example.com/fixture/bad", "./clean")
		assert.Zero(t, code, stderr)
	})
	t.Run("wrapped handlers are not reported", func(t *testing.T) {
		code, _, stderr := run(t, dir, bin, "-handlerflow.wrapped=example.com/fixture/bad", "./bad")
		assert.Equal(t, 3, code, stderr)
		assert.Equal(t, 1, strings.Count(stderr, "\n"), stderr)
		assert.Contains(t, stderr, "registered for GET")
	})
}

// TestHelp checks that -h says what the tool is, its analyzers and what
// they check, before the generic flags of analysis drivers.
func TestHelp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	code, stdout, stderr := run(t, t.TempDir(), envelopevet(t), "-h")
	assert.Zero(t, code)
	help := stdout + stderr
	assert.True(t, strings.HasPrefix(help, "envelopevet checks that HTTP handlers answer through the apienvelope envelope"), help)
	intro, _, found := strings.Cut(help, "Flags:")
	require.True(t, found, help)
	for _, want := range []string{
		"rawstatus    report handlers that set the HTTP status themselves",
		"rawwrite     report handlers that write the response body around the envelope",
		"postonly     report routes registered for an HTTP method",
		"handlerflow",
		"-json packages          findings as JSON; exits 0, findings or not",
	} {
		assert.Contains(t, intro, want)
	}
}

// findingLines returns the "file:line:col: message" lines of output, with
// file relative to dir.
func findingLines(t *testing.T, dir, output string) []string {
	t.Helper()
	var lines []string
	for _, line := range regexp.MustCompile(`(?m)^\S+\.go:\d+:\d+: .*$`).FindAllString(output, -1) {
		if rel, err := filepath.Rel(dir, line); err == nil && filepath.IsAbs(line) {
			line = rel
		}
		lines = append(lines, line)
	}
	require.NotEmpty(t, lines, output)
	return lines
}

// patch applies a unified diff of one file to old, checking each hunk's
// header against its lines: a wrong line count or start fails the test.
func patch(t *testing.T, old, diff string) string {
	t.Helper()
	lines := strings.SplitAfter(old, "\n")
	var out []string
	next := 0 // index in lines of the first line not yet copied
	hunk := regexp.MustCompile(`^@@ -(\d+),(\d+) \+(\d+),(\d+) @@`)
	body := strings.Split(diff, "\n")
	for i := 0; i < len(body); i++ {
		m := hunk.FindStringSubmatch(body[i])
		if m == nil {
			continue
		}
		oldStart, oldLen, newStart, newLen := atoi(t, m[1]), atoi(t, m[2]), atoi(t, m[3]), atoi(t, m[4])
		require.GreaterOrEqual(t, oldStart-1, next, "hunk %q overlaps the previous one", body[i])
		out = append(out, lines[next:oldStart-1]...)
		assert.Equal(t, len(out)+1, newStart, "hunk %q: new start", body[i])
		next = oldStart - 1
		var removed, added int
		for i+1 < len(body) && body[i+1] != "" && strings.ContainsRune(" -+", rune(body[i+1][0])) && !strings.HasPrefix(body[i+1], "--- ") {
			i++
			line := body[i][1:] + "\n"
			switch body[i][0] {
			case ' ':
				require.Equal(t, lines[next], line, "hunk context")
				out = append(out, line)
				next++
				removed++
				added++
			case '-':
				require.Equal(t, lines[next], line, "hunk removal")
				next++
				removed++
			case '+':
				out = append(out, line)
				added++
			}
		}
		assert.Equal(t, oldLen, removed, "hunk %q: old line count", m[0])
		assert.Equal(t, newLen, added, "hunk %q: new line count", m[0])
	}
	return strings.Join(append(out, lines[next:]...), "")
}

func atoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}
