package main_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
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
		assert.Equal(t, 3, strings.Count(stderr, "\n"), stderr)
	})
	t.Run("standalone exits 0 on clean code", func(t *testing.T) {
		code, stdout, stderr := run(t, dir, bin, "./clean")
		assert.Zero(t, code, stderr)
		assert.Empty(t, stdout+stderr)
	})
	t.Run("json output parses", func(t *testing.T) {
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
		assert.Len(t, bad["rawwrite"], 1)
		assert.Len(t, bad["postonly"], 1)
		assert.Contains(t, bad["rawstatus"][0].Posn, "bad.go:14")
	})
	t.Run("diff shows the fix", func(t *testing.T) {
		_, stdout, stderr := run(t, dir, bin, "-fix", "-diff", "./bad")
		assert.Contains(t, stdout, `+	envelope.Fail(w, r, envelope.NotFound("NotFound", "no such user"))`, stderr)
		assert.Contains(t, stdout, `"github.com/apienvelope/apienvelope/envelope"`)
	})
	t.Run("trusted packages flag is accepted by go vet", func(t *testing.T) {
		code, _, stderr := run(t, dir, "go", "vet", "-vettool="+bin, "-handlerflow.trusted=example.com/fixture/...", "./clean")
		assert.Zero(t, code, stderr)
	})
}
