package plugin_test

import (
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
	"github.com/apienvelope/apienvelope/analyzers/plugin"
)

func TestPlugin(t *testing.T) {
	newPlugin, err := register.GetPlugin(plugin.Name)
	require.NoError(t, err)

	p, err := newPlugin(map[string]any{"trusted": []any{"example.com/render", "example.com/kit/..."}})
	require.NoError(t, err)
	assert.Equal(t, register.LoadModeTypesInfo, p.GetLoadMode())

	analyzers, err := p.BuildAnalyzers()
	require.NoError(t, err)
	var names []string
	for _, a := range analyzers {
		names = append(names, a.Name)
	}
	assert.Equal(t, []string{"handlerflow", "rawstatus", "rawwrite", "postonly", "errcodes"}, names)

	assert.True(t, handlerflow.Trusted("example.com/render"))
	assert.True(t, handlerflow.Trusted("example.com/kit/json"))
	assert.False(t, handlerflow.Trusted("example.com/renderer"))
	assert.True(t, handlerflow.Trusted("github.com/apienvelope/apienvelope/envelope"))
}

func TestPluginRejectsUnknownSettings(t *testing.T) {
	newPlugin, err := register.GetPlugin(plugin.Name)
	require.NoError(t, err)
	_, err = newPlugin(map[string]any{"trust": []any{"x"}})
	assert.Error(t, err)
}
