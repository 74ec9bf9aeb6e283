package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/internal/stdstub"
)

// root is the repository's root directory.
func root(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join(stdstub.Testdata(), ".."))
	require.NoError(t, err)
	return dir
}

// linterSection returns the envelopevet section of the repository's
// README.
func linterSection(t *testing.T) string {
	readme, err := os.ReadFile(filepath.Join(root(t), "README.md"))
	require.NoError(t, err)
	_, section, found := strings.Cut(string(readme), "\n## envelopevet\n")
	require.True(t, found, "README.md has no envelopevet section")
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// TestREADMEDocumentsTheLinter checks that the README's linter section says
// what a newcomer needs: that -json exits 0 with findings, how to see every
// finding in golangci-lint, and how to name wrapped legacy handlers.
func TestREADMEDocumentsTheLinter(t *testing.T) {
	section := linterSection(t)
	assert.Regexp(t, "`-json` exits 0", section)
	assert.Contains(t, section, "max-issues-per-linter: 0")
	assert.Contains(t, section, "max-same-issues: 0")
	assert.Contains(t, section, "-handlerflow.wrapped=")
	assert.Contains(t, section, "wrapped: []")
}

// TestREADMEClaimsAreExact checks that the READMEs say the tool checks or
// detects, never that it proves.
func TestREADMEClaimsAreExact(t *testing.T) {
	for _, name := range []string{"README.md", filepath.Join("cmd", "envelopevet", "README.md")} {
		text, err := os.ReadFile(filepath.Join(root(t), name))
		require.NoError(t, err)
		assert.NotRegexp(t, regexp.MustCompile(`(?i)\bprov(e|es|ed|ing)\b`), string(text), name)
	}
}

// installFromClone are the README's commands that pin envelopevet as a tool
// of one's own module from a clone at ../apienvelope.
var installFromClone = []string{
	"go mod edit -replace github.com/apienvelope/apienvelope=../apienvelope -tool github.com/apienvelope/apienvelope/cmd/envelopevet",
	"go mod tidy",
	"go vet -vettool=$(go tool -n envelopevet) ./...",
}

// TestInstallFromClone runs the README's commands that build and install
// envelopevet from a clone, in a new module next to a link to this
// repository, and checks that the README shows them as they run here.
func TestInstallFromClone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command in a new module")
	}
	section := linterSection(t)
	for _, cmd := range append([]string{
		"go build -o ~/bin/envelopevet ./cmd/envelopevet",
		"go install ./cmd/envelopevet",
	}, installFromClone...) {
		require.Contains(t, section, cmd)
	}

	work := t.TempDir()
	require.NoError(t, os.Symlink(root(t), filepath.Join(work, "apienvelope")))
	// HOME moves ~/bin into work; the caches stay where they are.
	env := append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local",
		"HOME="+work, "GOBIN="+filepath.Join(work, "gobin"))
	for _, name := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
		out, err := exec.Command("go", "env", name).Output()
		require.NoError(t, err)
		env = append(env, name+"="+strings.TrimSpace(string(out)))
	}
	sh := func(dir, line string) (string, error) {
		cmd := exec.Command("sh", "-c", line)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	clone := filepath.Join(work, "apienvelope")
	for _, line := range []string{"mkdir -p ~/bin && go build -o ~/bin/envelopevet ./cmd/envelopevet", "go install ./cmd/envelopevet"} {
		out, err := sh(clone, line)
		require.NoError(t, err, "%s: %s", line, out)
	}
	assert.FileExists(t, filepath.Join(work, "bin", "envelopevet"))
	assert.FileExists(t, filepath.Join(work, "gobin", "envelopevet"))

	app := filepath.Join(work, "app")
	require.NoError(t, os.Mkdir(app, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(app, "app.go"), []byte(`package app

import (
	"fmt"
	"net/http"
)

func Hello(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, "hello")
}
`), 0o644))
	out, err := sh(app, "go mod init example.com/app")
	require.NoError(t, err, out)
	// The clone's checksums, so that go mod tidy needs no checksum database.
	sums, err := os.ReadFile(filepath.Join(root(t), "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(app, "go.sum"), sums, 0o644))
	for _, line := range installFromClone[:len(installFromClone)-1] {
		out, err := sh(app, line)
		require.NoError(t, err, "%s: %s", line, out)
	}
	out, err = sh(app, installFromClone[len(installFromClone)-1])
	require.Error(t, err, "go vet finds the raw write")
	assert.Contains(t, out, "app.go:9:2: fmt.Fprintln writes the body of w around the envelope", out)
}
