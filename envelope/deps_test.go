package envelope_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAdaptersStayOutOfTheImportGraph: a program that imports envelope and
// middleware builds neither json-iterator nor goccy/go-json; only the
// adapter packages bring them in.
func TestAdaptersStayOutOfTheImportGraph(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the packages with")
	}
	list := func(pkgs ...string) string {
		out, err := exec.Command(goTool, append([]string{"list", "-deps"}, pkgs...)...).CombinedOutput()
		require.NoError(t, err, "%s", out)
		return string(out)
	}
	deps := list("github.com/apienvelope/apienvelope/envelope", "github.com/apienvelope/apienvelope/middleware")
	assert.NotContains(t, deps, "github.com/json-iterator/go")
	assert.NotContains(t, deps, "github.com/goccy/go-json")
	assert.Contains(t, deps, "github.com/go-json-experiment/json")

	assert.True(t, strings.Contains(list("github.com/apienvelope/apienvelope/envelope/jsonitercodec"), "github.com/json-iterator/go"))
	assert.True(t, strings.Contains(list("github.com/apienvelope/apienvelope/envelope/goccycodec"), "github.com/goccy/go-json"))
}
