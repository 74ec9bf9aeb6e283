package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// postOnlyServer serves an action behind Envelope and PostOnly and counts
// how often the action ran.
func postOnlyServer(t *testing.T, opts middleware.PostOnlyOptions) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var ran atomic.Int32
	h := middleware.NewChain(middleware.Envelope(middleware.EnvelopeOptions{}), middleware.PostOnly(opts)).
		ThenFunc(func(w http.ResponseWriter, r *http.Request) {
			ran.Add(1)
			envelope.Success(w, r, "ran")
		})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, &ran
}

func do(t *testing.T, srv *httptest.Server, method string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+"/api/v1/a/b", strings.NewReader("{}"))
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	return resp, readAll(t, resp)
}

func TestPostOnlyMethods(t *testing.T) {
	srv, ran := postOnlyServer(t, middleware.PostOnlyOptions{})
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions, "PROPFIND"} {
		t.Run(method, func(t *testing.T) {
			resp, body := do(t, srv, method, nil)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, "POST, OPTIONS", resp.Header.Get("Allow"))
			assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
			if method == http.MethodHead {
				assert.Empty(t, body, "a HEAD answer has no body")
				return
			}
			env, data := decodeWire(t, body)
			assert.Equal(t, "error", env.Status)
			assert.Equal(t, envelope.CodeMethodNotAllowed, data.Code)
			assert.Contains(t, data.Message, method)
		})
	}
	assert.Zero(t, ran.Load())

	resp, body := do(t, srv, http.MethodPost, nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	env, _ := decodeWire(t, body)
	assert.Equal(t, "success", env.Status)
	assert.JSONEq(t, `"ran"`, string(env.Data))
	assert.Equal(t, int32(1), ran.Load())
}

func TestPostOnlyCORS(t *testing.T) {
	const app = "https://app.example.com"
	preflight := func(origin, method string) http.Header {
		return http.Header{"Origin": {origin}, "Access-Control-Request-Method": {method}, "Access-Control-Request-Headers": {"content-type"}}
	}
	for _, tc := range []struct {
		name    string
		cors    middleware.CORSOptions
		method  string
		header  http.Header
		status  string // envelope status
		code    string
		allowed string // Access-Control-Allow-Origin
		want    map[string]string
		ran     bool
	}{
		{
			name:   "preflight from an allowed origin",
			cors:   middleware.CORSOptions{AllowedOrigins: []string{app}, AllowedHeaders: []string{"X-Api-Key", "content-type"}, MaxAge: 10 * time.Minute},
			method: http.MethodOptions, header: preflight(app, "POST"),
			status: "success", allowed: app,
			want: map[string]string{
				"Access-Control-Allow-Methods":     "POST",
				"Access-Control-Allow-Headers":     "Content-Type, X-Api-Key",
				"Access-Control-Max-Age":           "600",
				"Access-Control-Allow-Credentials": "",
			},
		},
		{
			name:   "preflight with credentials",
			cors:   middleware.CORSOptions{AllowedOrigins: []string{app}, AllowCredentials: true},
			method: http.MethodOptions, header: preflight(app, "POST"),
			status: "success", allowed: app,
			want: map[string]string{"Access-Control-Allow-Credentials": "true", "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": ""},
		},
		{
			name:   "configured origins match whatever their case",
			cors:   middleware.CORSOptions{AllowedOrigins: []string{"HTTPS://App.Example.com"}},
			method: http.MethodOptions, header: preflight(app, "POST"),
			status: "success", allowed: app,
		},
		{
			name:   "preflight from another origin is not granted",
			cors:   middleware.CORSOptions{AllowedOrigins: []string{app}},
			method: http.MethodOptions, header: preflight("https://evil.example", "POST"),
			status: "success", allowed: "",
			want: map[string]string{"Access-Control-Allow-Methods": ""},
		},
		{
			name:   "preflight for another method is not granted",
			cors:   middleware.CORSOptions{AllowedOrigins: []string{app}},
			method: http.MethodOptions, header: preflight(app, "DELETE"),
			status: "success", allowed: "",
			want: map[string]string{"Access-Control-Allow-Methods": ""},
		},
		{
			name:   "any origin",
			cors:   middleware.CORSOptions{AllowedOrigins: []string{"*"}},
			method: http.MethodOptions, header: preflight("https://anyone.example", "POST"),
			status: "success", allowed: "*",
		},
		{
			name:   "an origin that tries to inject a header is just not allowed",
			cors:   middleware.CORSOptions{AllowedOrigins: []string{app}},
			method: http.MethodPost, header: http.Header{"Origin": {app + " Set-Cookie: a=b"}},
			status: "success", allowed: "", ran: true,
		},
		{
			name:   "a POST from an allowed origin may be read",
			cors:   middleware.CORSOptions{AllowedOrigins: []string{"https://other.example", app}, AllowCredentials: true},
			method: http.MethodPost, header: http.Header{"Origin": {app}},
			status: "success", allowed: app, ran: true,
			want: map[string]string{"Access-Control-Allow-Credentials": "true", "Access-Control-Allow-Methods": ""},
		},
		{
			name:   "a POST from another origin runs but may not be read",
			cors:   middleware.CORSOptions{AllowedOrigins: []string{app}},
			method: http.MethodPost, header: http.Header{"Origin": {"https://evil.example"}},
			status: "success", allowed: "", ran: true,
		},
		{
			name:   "a GET from an allowed origin can read its MethodNotAllowed",
			cors:   middleware.CORSOptions{AllowedOrigins: []string{app}},
			method: http.MethodGet, header: http.Header{"Origin": {app}},
			status: "error", code: envelope.CodeMethodNotAllowed, allowed: app,
			want: map[string]string{"Allow": "POST, OPTIONS"},
		},
		{
			name:   "OPTIONS without Origin still gets the preflight answer",
			cors:   middleware.CORSOptions{AllowedOrigins: []string{app}},
			method: http.MethodOptions,
			status: "success", allowed: "",
			want: map[string]string{"Allow": "POST, OPTIONS"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, ran := postOnlyServer(t, middleware.PostOnlyOptions{CORS: tc.cors})
			resp, body := do(t, srv, tc.method, tc.header)

			assert.Equal(t, http.StatusOK, resp.StatusCode)
			env, data := decodeWire(t, body)
			assert.Equal(t, tc.status, env.Status)
			assert.Equal(t, tc.code, data.Code)
			assert.Equal(t, tc.allowed, resp.Header.Get("Access-Control-Allow-Origin"))
			assert.Contains(t, resp.Header.Values("Vary"), "Origin")
			for k, v := range tc.want {
				assert.Equal(t, v, resp.Header.Get(k), k)
			}
			assert.Equal(t, tc.ran, ran.Load() == 1)
			if tc.method == http.MethodOptions {
				assert.JSONEq(t, "null", string(env.Data))
			}
		})
	}
}

func TestPostOnlyRefusesBadCORSOptions(t *testing.T) {
	for _, cors := range []middleware.CORSOptions{
		{AllowedOrigins: []string{"*"}, AllowCredentials: true},
		{AllowedOrigins: []string{"https://app.example.com/"}},
		{AllowedOrigins: []string{"app.example.com"}},
		{AllowedOrigins: []string{"https://user@app.example.com"}},
		{AllowedOrigins: []string{"https://app.example.com\r\nSet-Cookie: a=b"}},
		{AllowedOrigins: []string{"null"}},
		{AllowedOrigins: []string{"https://app.example.com"}, AllowedHeaders: []string{"X-Key\r\nX-Evil"}},
		{AllowedOrigins: []string{"https://app.example.com"}, AllowedHeaders: []string{""}},
	} {
		assert.Panics(t, func() { middleware.PostOnly(middleware.PostOnlyOptions{CORS: cors}) }, "%+v", cors)
	}
}
