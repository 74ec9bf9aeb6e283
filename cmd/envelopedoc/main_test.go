package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestOpenAPIGolden compares the demo's documents with the golden files,
// which check.sh (apidoc/internal/openapitest) lints and turns into a
// TypeScript client. go test ./cmd/envelopedoc -update rewrites them.
func TestOpenAPIGolden(t *testing.T) {
	for _, v := range []string{"3.1", "3.0"} {
		t.Run(v, func(t *testing.T) {
			var out, errOut bytes.Buffer
			require.NoError(t, run([]string{"openapi", "-version", v}, &out, &errOut))
			golden := filepath.Join("testdata", "openapi-"+v+".json")
			if *update {
				require.NoError(t, os.WriteFile(golden, out.Bytes(), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "go test ./cmd/envelopedoc -update writes it")
			assert.Equal(t, string(want), out.String(), "the document changed: review the diff, then go test ./cmd/envelopedoc -update")
		})
	}
}

// TestNoConst checks the rule that generators need: no bare const, only
// one-value enums.
func TestNoConst(t *testing.T) {
	for _, v := range []string{"3.1", "3.0"} {
		var out bytes.Buffer
		require.NoError(t, run([]string{"openapi", "-version", v}, &out, &bytes.Buffer{}))
		var doc any
		require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
		var walk func(path string, v any)
		walk = func(path string, v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, child := range v {
					assert.NotEqual(t, "const", k, "%s: a const at %s", v, path)
					walk(path+"/"+k, child)
				}
			case []any:
				for _, child := range v {
					walk(path+"[]", child)
				}
			}
		}
		walk("", doc)
	}
}

func TestOutputFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "openapi.json")
	require.NoError(t, run([]string{"openapi", "-version", "3.0", "-server", "https://api.example.com", "-o", file}, &bytes.Buffer{}, &bytes.Buffer{}))
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	var doc struct {
		OpenAPI string `json:"openapi"`
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	assert.Equal(t, "3.0.3", doc.OpenAPI)
	require.Len(t, doc.Servers, 1)
	assert.Equal(t, "https://api.example.com", doc.Servers[0].URL)
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "no command"},
		{[]string{"pdf"}, `unknown command "pdf"`},
		{[]string{"openapi", "-version", "2.0"}, "use 3.1 or 3.0"},
		{[]string{"openapi", "extra"}, "unexpected arguments extra"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var errOut bytes.Buffer
			err := run(tt.args, &bytes.Buffer{}, &errOut)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	assert.ErrorIs(t, run([]string{"-h"}, &bytes.Buffer{}, &bytes.Buffer{}), flag.ErrHelp)
}

func TestSite(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	require.NoError(t, run([]string{"site", "-o", dir, "-host", "https://mail.example.com", "-contact", "mailto:api@example.com"}, &out, &errOut))
	assert.Equal(t, "wrote 19 files to "+dir+"; the welcome page is "+filepath.Join(dir, "index.html")+"\n", out.String())
	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	require.NoError(t, err)
	assert.Contains(t, string(index), "https://mail.example.com/api/v1/&lt;controller&gt;/&lt;action&gt;")
	assert.Contains(t, string(index), `<a href="mailto:api@example.com">contact our team</a>`)
	page, err := os.ReadFile(filepath.Join(dir, "controllers", "send", "message.html"))
	require.NoError(t, err)
	assert.Contains(t, string(page), "<code>https://mail.example.com/api/v1/send/message</code>")
	assert.Contains(t, string(page), "NoRecipients")
	openapi, err := os.ReadFile(filepath.Join(dir, "openapi.json"))
	require.NoError(t, err)
	assert.Contains(t, string(openapi), `"url": "https://mail.example.com"`)

	for _, tt := range []struct {
		args []string
		err  string
	}{
		{[]string{"site"}, "site: -o DIR is required"},
		{[]string{"site", "-o", dir, "-host", "mail.example.com"}, `Host "mail.example.com" is not a URL`},
		{[]string{"site", "-o", dir, "extra"}, "site: unexpected arguments extra"},
		{[]string{"site", "-o", filepath.Join(dir, "index.html", "x")}, "not a directory"},
	} {
		err := run(tt.args, &bytes.Buffer{}, &bytes.Buffer{})
		assert.ErrorContains(t, err, tt.err, "%v", tt.args)
	}
}
