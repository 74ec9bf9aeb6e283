// Package stdstub lets the analyzers' tests load small stubs of the
// standard library instead of the real one.
//
// analysistest loads the fixtures of testdata/src, and every package they
// import, from source; handlerflow then computes facts for all of them.
// With the real net/http that is several hundred packages and minutes
// under the race detector. The directories of testdata/src named like a
// package of the standard library (net/http, io, fmt, ...) hold stubs of
// it instead: only the API the fixtures use, written so that handlerflow
// computes the same facts from them as from the real code.
//
// Go looks up standard-library packages in GOROOT before GOPATH, so a stub
// in testdata/src cannot shadow the real package by itself. [GOROOT] makes
// a GOROOT for the test: a temporary directory whose entries link to the
// real GOROOT's, except src, which holds links to the stubs. The go
// command run by go/packages, go vet or the vet tool then finds the stubs.
// [Run] and [RunWithSuggestedFixes] are analysistest's, run on the
// fixtures of testdata/src with that GOROOT.
//
// With ENVELOPEVET_STDLIB=1 in the environment, the same fixtures run
// against the real standard library: that run checks the stubs against
// what they stand for.
package stdstub

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/packages"
)

// Env is the environment variable that, set to 1, makes the tests use the
// real standard library.
const Env = "ENVELOPEVET_STDLIB"

// Real reports whether the tests use the real standard library.
func Real() bool { return os.Getenv(Env) == "1" }

// Testdata returns the absolute path of the repository's testdata
// directory, the GOPATH of the analyzers' fixtures.
func Testdata() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata")
}

// Run is analysistest.Run on the fixtures of testdata/src, with the stubs
// of the standard library unless [Real].
func Run(t *testing.T, a *analysis.Analyzer, patterns ...string) []*analysistest.Result {
	t.Helper()
	return logErrors(t, analysistest.Run(Use(t, Testdata()), Testdata(), a, patterns...))
}

// RunWithSuggestedFixes is analysistest.RunWithSuggestedFixes on the
// fixtures of testdata/src, with the stubs of the standard library unless
// [Real].
func RunWithSuggestedFixes(t *testing.T, a *analysis.Analyzer, patterns ...string) []*analysistest.Result {
	t.Helper()
	return logErrors(t, analysistest.RunWithSuggestedFixes(Use(t, Testdata()), Testdata(), a, patterns...))
}

// Environ returns what to add to the environment of a go command (go vet,
// or the vet tool) that a test runs on fixtures: the stub GOROOT, unless
// [Real].
func Environ(t testing.TB) []string {
	t.Helper()
	if Real() {
		return nil
	}
	return []string{"GOROOT=" + GOROOT(t)}
}

// Use points GOROOT at the stubs in gopath's src for the rest of the test,
// unless [Real], and returns what to give analysistest in place of t: an
// analyzer with fixtures of its own, under another GOPATH, runs them with
// analysistest.Run(stdstub.Use(t, gopath), gopath, ...).
//
// analysistest checks, when given a testing.TB, that "go env GOROOT" is
// the test binary's own GOROOT, which the stubs' GOROOT is not; it is given
// a Testing that only reports errors instead. It then no longer logs the
// packages' load and type errors: logErrors does.
func Use(t *testing.T, gopath string) analysistest.Testing {
	if Real() {
		return t
	}
	t.Setenv("GOROOT", goroot(t, filepath.Join(gopath, "src")))
	return errorf{t}
}

type errorf struct{ t *testing.T }

func (e errorf) Errorf(format string, args ...any) {
	e.t.Helper()
	e.t.Errorf(format, args...)
}

// logErrors logs the load and type errors of the packages analysed, when
// the test failed: a stub that lacks something shows up here.
func logErrors(t *testing.T, results []*analysistest.Result) []*analysistest.Result {
	if !t.Failed() {
		return results
	}
	var roots []*packages.Package
	for _, r := range results {
		roots = append(roots, r.Action.Package)
	}
	packages.Visit(roots, nil, func(p *packages.Package) {
		for _, err := range p.Errors {
			t.Log(err)
		}
	})
	return results
}

// GOROOT makes the stub GOROOT of testdata/src in a temporary directory of
// t and returns its path.
func GOROOT(t testing.TB) string {
	t.Helper()
	return goroot(t, filepath.Join(Testdata(), "src"))
}

// goroot makes a GOROOT whose src holds the stubs of src: its directories
// named like one of the real standard library's.
func goroot(t testing.TB, src string) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	real := strings.TrimSpace(string(out))
	root := t.TempDir()
	entries, err := os.ReadDir(real)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "src" {
			link(t, filepath.Join(real, e.Name()), filepath.Join(root, e.Name()))
		}
	}
	// unsafe is the compiler's own: go list always wants it.
	link(t, filepath.Join(real, "src", "unsafe"), filepath.Join(root, "src", "unsafe"))
	stubs, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range stubs {
		// A directory is a stub when the real standard library has one of
		// the same name: fixtures have names it does not use.
		if _, err := os.Stat(filepath.Join(real, "src", e.Name())); err == nil && e.IsDir() {
			link(t, filepath.Join(src, e.Name()), filepath.Join(root, "src", e.Name()))
		}
	}
	return root
}

func link(t testing.TB, target, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}
