package middleware_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

func docsRouter(opts middleware.RouterOptions) *middleware.Router {
	rt := middleware.NewRouter(opts)
	rt.Action("send", "message", envelope.ActionWith(envelope.ActionOptions{Title: "Send"},
		func(ctx context.Context, p struct {
			To string `json:"to"`
		}) (string, error) {
			return p.To, nil
		}))
	return rt
}

func get(t *testing.T, c *http.Client, method, url string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

// TestRouterServesOpenAPI checks the documents at /api/docs/v1/: GET and
// HEAD only, as files, outside the actions' envelope; anything else there
// is answered like any other path.
func TestRouterServesOpenAPI(t *testing.T) {
	srv := httptest.NewTLSServer(docsRouter(middleware.RouterOptions{Docs: middleware.DocsOptions{Title: "Test API"}}))
	defer srv.Close()
	c := srv.Client()

	for _, tt := range []struct{ path, version string }{
		{"/api/docs/v1/openapi.json", "3.1.0"},
		{"/api/docs/v1/openapi-3.0.json", "3.0.3"},
	} {
		resp, body := get(t, c, http.MethodGet, srv.URL+tt.path)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
		var doc struct {
			OpenAPI string `json:"openapi"`
			Info    struct {
				Title string `json:"title"`
			} `json:"info"`
			Paths map[string]any `json:"paths"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &doc), body)
		assert.Equal(t, tt.version, doc.OpenAPI)
		assert.Equal(t, "Test API", doc.Info.Title)
		assert.Contains(t, doc.Paths, "/api/v1/send/message")

		resp, body = get(t, c, http.MethodHead, srv.URL+tt.path)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Empty(t, body)
	}

	for _, tt := range []struct{ method, path, code string }{
		{http.MethodPost, "/api/docs/v1/openapi.json", envelope.CodeUnknownAction},
		{http.MethodGet, "/api/docs/v1/other.json", envelope.CodeMethodNotAllowed},
		{http.MethodGet, "/api/docs/v2/openapi.json", envelope.CodeMethodNotAllowed},
		{http.MethodGet, "/api/v1/send/message", envelope.CodeMethodNotAllowed},
	} {
		resp, body := get(t, c, tt.method, srv.URL+tt.path)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, body, `"code":"`+tt.code+`"`, "%s %s", tt.method, tt.path)
	}
}

func TestRouterDocsOff(t *testing.T) {
	rt := docsRouter(middleware.RouterOptions{Docs: middleware.DocsOptions{Off: true}})
	assert.Empty(t, rt.Describe().DocsPath)
	rec := httptest.NewRecorder()
	rt.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/docs/v1/openapi.json", nil))
	assert.Contains(t, rec.Body.String(), `"code":"MethodNotAllowed"`)
}

func TestRouterDocsRequireHTTPS(t *testing.T) {
	rt := docsRouter(middleware.RouterOptions{HTTPS: &middleware.HTTPSOptions{HTTPSPort: 8443}})
	rec := httptest.NewRecorder()
	rt.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://api.example.com/api/docs/v1/openapi.json", nil))
	assert.Equal(t, http.StatusPermanentRedirect, rec.Code)
	assert.Equal(t, "https://api.example.com:8443/api/docs/v1/openapi.json", rec.Header().Get("Location"))
}

func TestRouterPanicsOnWrongDescription(t *testing.T) {
	rt := middleware.NewRouter(middleware.RouterOptions{})
	assert.Panics(t, func() {
		rt.Action("a", "b", envelope.ActionWith(envelope.ActionOptions{}, func(ctx context.Context, p struct {
			N int `json:"n" default:"many"`
		}) (int, error) {
			return 0, nil
		}))
	}, "at registration, not when the documentation is first asked for")
}

func TestChainKeepsWhatItWrapsReachable(t *testing.T) {
	action := envelope.ActionWith(envelope.ActionOptions{Title: "Inner"}, func(ctx context.Context, p struct{}) (int, error) { return 1, nil })
	h := middleware.NewChain(middleware.Params(middleware.ParamsOptions{}), middleware.Recover(quietRecover())).Then(action)
	info, ok := apidoc.Info(h)
	require.True(t, ok)
	assert.Equal(t, "Inner", info.Options.Title)

	nested := middleware.NewChain(middleware.Maintenance(middleware.MaintenanceOptions{})).Then(h)
	info, ok = apidoc.Info(nested)
	require.True(t, ok)
	assert.Equal(t, "Inner", info.Options.Title)

	assert.Same(t, action, middleware.Chain{}.Then(action), "an empty chain adds nothing")
	_, ok = apidoc.Info(middleware.NewChain(middleware.Recover(quietRecover())).Then(http.NotFoundHandler()))
	assert.False(t, ok)

	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`))
	r.Header.Set("Content-Type", "application/json")
	middleware.Envelope(middleware.EnvelopeOptions{})(h).ServeHTTP(rec, r)
	assert.Contains(t, rec.Body.String(), `"data":1`, "the chain still serves")
}
