package errcodes_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/analyzers/errcodes"
)

// envelopevet builds the vet tool, errcodes among its analyzers.
func envelopevet(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "envelopevet")
	out, err := exec.Command("go", "build", "-o", bin, "../../cmd/envelopevet").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// inRepo runs name with args at the root of the repository and returns
// its exit code, standard output and standard error.
func inRepo(t *testing.T, name string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = filepath.Join("..", "..")
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

// TestDemo checks that the demo declares every code its actions return,
// that an undeclared code added to a copy of it is reported where the
// action is registered, with the path that returns it, and what
// -errcodes.json prints for it. It runs the tool as users do: under go
// vet, whose cache keeps what it learnt of the standard library, and
// standalone.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the vet tool and runs it on the demo with the real standard library")
	}
	bin := envelopevet(t)

	t.Run("the demo passes", func(t *testing.T) {
		code, _, stderr := inRepo(t, "go", "vet", "-vettool="+bin, "./cmd/demoapi/...")
		assert.Zero(t, code, stderr)
		assert.Empty(t, stderr)
	})

	t.Run("a broken copy is reported", func(t *testing.T) {
		// send/message answers an empty body with a code it does not
		// declare, through a helper; NoContent is no longer returned.
		file, err := filepath.Abs(filepath.Join("..", "..", "cmd", "demoapi", "demo", "send.go"))
		require.NoError(t, err)
		src, err := os.ReadFile(file)
		require.NoError(t, err)
		const declared = "return sendResult{}, ErrNoContent"
		require.Equal(t, 1, strings.Count(string(src), declared))
		broken := strings.Replace(string(src), declared, "return sendResult{}, emptyBody()", 1) +
			"\nfunc emptyBody() error { return envelope.NewError(\"EmptyBody\", \"The message has no body\") }\n"
		helperLine := strings.Count(broken, "\n")
		dir := t.TempDir()
		copyFile := filepath.Join(dir, "send.go")
		require.NoError(t, os.WriteFile(copyFile, []byte(broken), 0o644))
		overlay, err := json.Marshal(map[string]any{"Replace": map[string]string{file: copyFile}})
		require.NoError(t, err)
		overlayFile := filepath.Join(dir, "overlay.json")
		require.NoError(t, os.WriteFile(overlayFile, overlay, 0o644))

		code, _, stderr := inRepo(t, "go", "vet", "-vettool="+bin, "-overlay="+overlayFile, "./cmd/demoapi/demo")
		assert.NotZero(t, code)
		// Reported at the action function and at the declaration.
		assert.Regexp(t, `api.go:\d+:\d+: `+regexp.QuoteMeta(fmt.Sprintf("action send/message returns a code it does not declare: error/EmptyBody ((*demo.demo).sendMessage → demo.emptyBody, send.go:%d); declare it in ActionOptions.Errors", helperLine)), stderr)
		assert.Regexp(t, `api.go:\d+:\d+: warning: action send/message declares a code it never returns: error/NoContent`, stderr)
		assert.Equal(t, 2, strings.Count(stderr, "api.go:"), stderr)
	})

	t.Run("-errcodes.json", func(t *testing.T) {
		code, stdout, stderr := inRepo(t, bin, "-errcodes.json", "./cmd/demoapi/demo")
		require.Zero(t, code, stderr)
		actions := map[string]errcodes.Action{}
		lines := bufio.NewScanner(strings.NewReader(stdout))
		for lines.Scan() {
			var a errcodes.Action
			require.NoError(t, json.Unmarshal(lines.Bytes(), &a))
			key := a.Kind + " " + a.Name
			require.NotContains(t, actions, key, "printed twice")
			actions[key] = a
		}
		assert.Len(t, actions, 8, "7 actions and the authenticator: %s", stdout)

		send := actions["action send/message"]
		assert.Equal(t, "(*demo.demo).sendMessage", send.Func)
		assert.Equal(t, "ServerAPIKey", send.Auth)
		assert.Len(t, send.Declared, 8)
		assert.Contains(t, send.Returns, errcodes.Returned{Code: errcodes.Code{Status: "error", Code: "NoRecipients"}, Via: "(*demo.demo).sendMessage, send.go:20"})
		assert.Contains(t, send.Returns, errcodes.Returned{Code: errcodes.Code{Status: "parameter-error", Code: "InvalidParameter"}, Via: "(*demo.demo).sendMessage, send.go:158", Exempt: true})

		deliveries := actions["action messages/deliveries"]
		assert.ElementsMatch(t, []errcodes.Code{{Status: "parameter-error", Code: "BadRequest"}, {Status: "not-found", Code: "NotFound"}}, deliveries.Declared)
		var found []errcodes.Code
		for _, r := range deliveries.Returns {
			found = append(found, r.Code)
		}
		assert.ElementsMatch(t, deliveries.Declared, found, "the 400 and the 404 it writes")

		auth := actions["authenticator ServerAPIKey"]
		assert.Len(t, auth.Returns, 2)
	})
}
