package errcodes_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/apienvelope/apienvelope/analyzers/errcodes"
)

// testdata is the GOPATH of the fixtures: testdata/errcodes/src holds them,
// and stubs of the standard library and of the toolkit.
func testdata(t testing.TB) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "errcodes"))
	require.NoError(t, err)
	return dir
}

// stubGOROOT points GOROOT, for the rest of the test, at a copy of the
// real one whose src holds only the stubs of testdata/errcodes/src that
// are named like a standard package (context, errors, fmt, net/http,
// time): the go command finds the standard library in GOROOT before
// GOPATH, and loading the real net/http from source takes most of a
// minute under the race detector. It returns what to give analysistest in
// place of t, which would check that GOROOT is the test binary's own.
func stubGOROOT(t *testing.T) analysistest.Testing {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	require.NoError(t, err)
	real := strings.TrimSpace(string(out))
	root := t.TempDir()
	entries, err := os.ReadDir(real)
	require.NoError(t, err)
	for _, e := range entries {
		if e.Name() != "src" {
			require.NoError(t, os.Symlink(filepath.Join(real, e.Name()), filepath.Join(root, e.Name())))
		}
	}
	require.NoError(t, os.MkdirAll(filepath.Join(root, "src", "net"), 0o755))
	// unsafe belongs to the compiler: go list always wants it.
	require.NoError(t, os.Symlink(filepath.Join(real, "src", "unsafe"), filepath.Join(root, "src", "unsafe")))
	for _, pkg := range []string{"context", "errors", "fmt", "net/http", "time"} {
		require.NoError(t, os.Symlink(filepath.Join(testdata(t), "src", pkg), filepath.Join(root, "src", pkg)))
	}
	t.Setenv("GOROOT", root)
	return errorf{t}
}

type errorf struct{ t *testing.T }

func (e errorf) Errorf(format string, args ...any) {
	e.t.Helper()
	e.t.Errorf(format, args...)
}

func TestErrcodes(t *testing.T) {
	analysistest.Run(stubGOROOT(t), testdata(t), errcodes.Analyzer,
		"example.com/errcodes/constants", "example.com/errcodes/declared", "example.com/errcodes/helpers", "example.com/errcodes/helpers/postal", "example.com/errcodes/undetermined", "example.com/errcodes/allow", "example.com/errcodes/unused", "example.com/errcodes/auth", "example.com/errcodes/handlers", "example.com/errcodes/generated")
}

// TestUnusedOff checks -errcodes.unused=false: the fixture's unused code
// would be an unexpected diagnostic.
func TestUnusedOff(t *testing.T) {
	flag := errcodes.Analyzer.Flags.Lookup("unused")
	require.NoError(t, flag.Value.Set("false"))
	t.Cleanup(func() { require.NoError(t, flag.Value.Set("true")) })
	analysistest.Run(stubGOROOT(t), testdata(t), errcodes.Analyzer, "example.com/errcodes/nowarn")
}
