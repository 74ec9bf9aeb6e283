package plugin_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
	"github.com/apienvelope/apienvelope/analyzers/plugin"
	"github.com/apienvelope/apienvelope/internal/stdstub"
)

func TestPlugin(t *testing.T) {
	newPlugin, err := register.GetPlugin(plugin.Name)
	require.NoError(t, err)

	p, err := newPlugin(map[string]any{
		"trusted": []any{"example.com/render", "example.com/kit/..."},
		"wrapped": []any{"example.com/legacy/...", "example.com/app.Deliveries"},
	})
	require.NoError(t, err)
	assert.Equal(t, register.LoadModeTypesInfo, p.GetLoadMode())

	analyzers, err := p.BuildAnalyzers()
	require.NoError(t, err)
	t.Cleanup(func() {
		require.NoError(t, handlerflow.Analyzer.Flags.Set("trusted", ""))
		require.NoError(t, handlerflow.Analyzer.Flags.Set("wrapped", ""))
	})
	var names []string
	for _, a := range analyzers {
		names = append(names, a.Name)
	}
	assert.Equal(t, []string{"handlerflow", "rawstatus", "rawwrite", "postonly", "errcodes"}, names)

	assert.True(t, handlerflow.Trusted("example.com/render"))
	assert.True(t, handlerflow.Trusted("example.com/kit/json"))
	assert.False(t, handlerflow.Trusted("example.com/renderer"))
	assert.True(t, handlerflow.Trusted("github.com/apienvelope/apienvelope/envelope"))

	assert.True(t, handlerflow.Wrapped("example.com/legacy/mail", nil))
	assert.False(t, handlerflow.Wrapped("example.com/app", nil))
}

func TestPluginRejectsUnknownSettings(t *testing.T) {
	newPlugin, err := register.GetPlugin(plugin.Name)
	require.NoError(t, err)
	_, err = newPlugin(map[string]any{"trust": []any{"x"}})
	assert.Error(t, err)
}

// TestMessagesNameTheAnalyzerOnce runs each analyzer of the plugin on its
// fixtures. golangci-lint writes each diagnostic as "name: message", so a
// message must not start by naming its analyzer again, even spelled apart
// ("rawstatus: raw status: ...").
func TestMessagesNameTheAnalyzerOnce(t *testing.T) {
	newPlugin, err := register.GetPlugin(plugin.Name)
	require.NoError(t, err)
	p, err := newPlugin(nil)
	require.NoError(t, err)
	analyzers, err := p.BuildAnalyzers()
	require.NoError(t, err)
	fixtures := map[string][]string{
		"handlerflow": {"handlerflow/allow"},
		"rawstatus":   {"rawstatus/calls"},
		"rawwrite":    {"rawwrite/calls"},
		"postonly":    {"postonly/servemux", "postonly/httprouter"},
		"errcodes":    {"example.com/errcodes/constants"},
	}
	// errcodes' fixtures have a GOPATH of their own.
	errcodesPath := filepath.Join(stdstub.Testdata(), "errcodes")
	for _, a := range analyzers {
		t.Run(a.Name, func(t *testing.T) {
			require.Contains(t, fixtures, a.Name)
			run := func() []*analysistest.Result { return stdstub.Run(t, a, fixtures[a.Name]...) }
			if a.Name == "errcodes" {
				run = func() []*analysistest.Result {
					return analysistest.Run(stdstub.Use(t, errcodesPath), errcodesPath, a, fixtures[a.Name]...)
				}
			}
			var n int
			for _, res := range run() {
				for _, d := range res.Diagnostics {
					text := fmt.Sprintf("%s: %s", a.Name, d.Message) // as golangci-lint writes it
					label, _, _ := strings.Cut(d.Message, ":")
					assert.NotEqual(t, a.Name, strings.ToLower(strings.ReplaceAll(label, " ", "")), "the name twice: %s", text)
					n++
				}
			}
			assert.NotZero(t, n, "no diagnostics to check")
		})
	}
}
