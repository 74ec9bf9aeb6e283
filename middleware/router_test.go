package middleware_test

import (
	"log/slog"
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

func TestRouterContract(t *testing.T) {
	var maintenance atomic.Bool
	router := middleware.NewRouter(middleware.RouterOptions{
		Envelope:   middleware.EnvelopeOptions{Logger: slog.New(slog.DiscardHandler)},
		Recover:    quietRecover(),
		CORS:       middleware.CORSOptions{AllowedOrigins: []string{"https://app.example.com"}},
		Middleware: []middleware.Middleware{middleware.Maintenance(middleware.MaintenanceOptions{On: &maintenance, RetryAfter: time.Minute})},
	})
	router.ActionFunc("send", "message", func(w http.ResponseWriter, r *http.Request) {
		envelope.Success(w, r, map[string]string{"id": "m1"})
	})
	router.Action("messages", "no_recipients", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		envelope.Fail(w, r, envelope.NewError("NoRecipients", "Add at least one recipient"))
	}))
	router.ActionFunc("crash", "now", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	router.ActionFunc("legacy", "not-found", func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r) //envelopevet:allow the test wraps a handler that writes its own status
	})
	srv := httptest.NewServer(router)
	defer srv.Close()

	for _, tc := range []struct {
		name   string
		method string
		path   string
		header http.Header
		code   int
		status string
		data   string // the data's code, or for success the data itself
		allow  string
	}{
		{"an action", "POST", "/api/v1/send/message", nil, 200, "success", `{"id":"m1"}`, ""},
		{"an action's own error", "POST", "/api/v1/messages/no_recipients", nil, 200, "error", "NoRecipients", ""},
		{"a wrapped handler's 404", "POST", "/api/v1/legacy/not-found", nil, 200, "not-found", "NotFound", ""},
		{"a panic", "POST", "/api/v1/crash/now", nil, 500, "internal-server-error", "InternalServerError", ""},
		{"an unknown action", "POST", "/api/v1/send/letter", nil, 200, "error", "UnknownAction", ""},
		{"an unknown controller", "POST", "/api/v1/nothing/here", nil, 200, "error", "UnknownAction", ""},
		{"outside the prefix", "POST", "/", nil, 200, "error", "UnknownAction", ""},
		{"another version", "POST", "/api/v2/send/message", nil, 200, "error", "UnknownAction", ""},
		{"a trailing slash is not redirected", "POST", "/api/v1/send/message/", nil, 200, "error", "UnknownAction", ""},
		{"another case is not redirected", "POST", "/API/v1/Send/Message", nil, 200, "error", "UnknownAction", ""},
		{"an unclean path is not redirected", "POST", "/api/v1/send/../send/message", nil, 200, "error", "UnknownAction", ""},
		{"GET", "GET", "/api/v1/send/message", nil, 200, "error", "MethodNotAllowed", "POST, OPTIONS"},
		{"PUT", "PUT", "/api/v1/send/message", nil, 200, "error", "MethodNotAllowed", "POST, OPTIONS"},
		{"GET of an unknown action", "GET", "/api/v1/send/letter", nil, 200, "error", "MethodNotAllowed", "POST, OPTIONS"},
		{
			"CORS preflight", "OPTIONS", "/api/v1/send/message",
			http.Header{"Origin": {"https://app.example.com"}, "Access-Control-Request-Method": {"POST"}},
			200, "success", "null", "POST, OPTIONS",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader("{}"))
			require.NoError(t, err)
			req.Header = tc.header
			if req.Header == nil {
				req.Header = http.Header{}
			}
			req.Header.Set("Content-Type", "application/json")
			client := srv.Client()
			client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			resp, err := client.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body := readAll(t, resp)

			assert.Equal(t, tc.code, resp.StatusCode)
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
			assert.Equal(t, tc.allow, resp.Header.Get("Allow"))
			env, data := decodeWire(t, body)
			assert.Equal(t, tc.status, env.Status)
			if tc.status == "success" {
				assert.JSONEq(t, tc.data, string(env.Data))
			} else {
				assert.Equal(t, tc.data, data.Code)
			}
			if tc.method == "OPTIONS" {
				assert.Equal(t, "https://app.example.com", resp.Header.Get("Access-Control-Allow-Origin"))
				assert.Equal(t, "POST", resp.Header.Get("Access-Control-Allow-Methods"))
			}
		})
	}

	t.Run("maintenance", func(t *testing.T) {
		maintenance.Store(true)
		defer maintenance.Store(false)
		resp, err := srv.Client().Post(srv.URL+"/api/v1/send/message", "application/json", nil)
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		assert.Equal(t, "60", resp.Header.Get("Retry-After"))
		env, data := decodeWire(t, readAll(t, resp))
		assert.Equal(t, "service-unavailable", env.Status)
		assert.Equal(t, envelope.CodeServiceUnavailable, data.Code)
	})
}

func TestRouterPrefixAndVersion(t *testing.T) {
	router := middleware.NewRouter(middleware.RouterOptions{Prefix: "rpc", Version: "v2"})
	router.ActionFunc("users", "list", func(w http.ResponseWriter, r *http.Request) { envelope.Success(w, r, []int{1}) })

	rec := serve(router, httptest.NewRequest(http.MethodPost, "/rpc/v2/users/list", nil))
	env, _ := decodeWire(t, rec.Body.Bytes())
	assert.Equal(t, "success", env.Status)
	assert.JSONEq(t, "[1]", string(env.Data))

	rec = serve(router, httptest.NewRequest(http.MethodPost, "/api/v1/users/list", nil))
	_, data := decodeWire(t, rec.Body.Bytes())
	assert.Equal(t, envelope.CodeUnknownAction, data.Code)
}

func TestRouterDevelopmentShowsPanics(t *testing.T) {
	router := middleware.NewRouter(middleware.RouterOptions{
		Envelope: middleware.EnvelopeOptions{Development: true, Logger: slog.New(slog.DiscardHandler)},
		Recover:  quietRecover(),
	})
	router.ActionFunc("crash", "now", func(w http.ResponseWriter, r *http.Request) { panic("boom") })

	rec := serve(router, httptest.NewRequest(http.MethodPost, "/api/v1/crash/now", nil))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	_, data := decodeWire(t, rec.Body.Bytes())
	assert.Equal(t, "boom", data.Message)
	assert.Contains(t, data.Stack, "router_test.go")
}

func TestRouterInsideAnotherEnvelope(t *testing.T) {
	router := middleware.NewRouter(middleware.RouterOptions{Recover: quietRecover()})
	router.ActionFunc("a", "b", func(w http.ResponseWriter, r *http.Request) {
		envelope.SetFlag(r.Context(), "seen", true)
	})
	h := middleware.Envelope(middleware.EnvelopeOptions{TimeDecimals: 3})(router)

	rec := serve(h, httptest.NewRequest(http.MethodPost, "/api/v1/a/b", nil))
	env, _ := decodeWire(t, rec.Body.Bytes())
	assert.Equal(t, "success", env.Status)
	assert.Equal(t, map[string]any{"seen": true}, env.Flags)
	assert.Equal(t, 1, strings.Count(rec.Body.String(), `"status"`), "one envelope, from the outer Envelope")
}

func TestRouterRequiresHTTPS(t *testing.T) {
	router := middleware.NewRouter(middleware.RouterOptions{HTTPS: &middleware.HTTPSOptions{HTTPSPort: 8443}})
	router.ActionFunc("a", "b", func(w http.ResponseWriter, r *http.Request) { t.Error("the action ran over plain HTTP") })

	r := httptest.NewRequest(http.MethodPost, "http://localhost:8080/api/v1/a/b?x=1", nil)
	rec := serve(router, r)
	assert.Equal(t, http.StatusPermanentRedirect, rec.Code)
	assert.Equal(t, "https://localhost:8443/api/v1/a/b?x=1", rec.Header().Get("Location"))

	srv := httptest.NewTLSServer(router)
	defer srv.Close()
	resp, err := srv.Client().Post(srv.URL+"/api/v1/a/c", "application/json", nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	_, data := decodeWire(t, readAll(t, resp))
	assert.Equal(t, envelope.CodeUnknownAction, data.Code, "HTTPS goes through to the router")
}

func TestRouterRefusesBadRegistrations(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	router := middleware.NewRouter(middleware.RouterOptions{})
	router.Action("send", "message", ok)
	for name, register := range map[string]func(){
		"twice":            func() { router.Action("send", "message", ok) },
		"nil handler":      func() { router.Action("send", "other", nil) },
		"nil func":         func() { router.ActionFunc("send", "other", nil) },
		"empty controller": func() { router.Action("", "message", ok) },
		"empty action":     func() { router.Action("send", "", ok) },
		"slash":            func() { router.Action("send/x", "message", ok) },
		"parameter":        func() { router.Action("send", ":id", ok) },
		"catch-all":        func() { router.Action("send", "*rest", ok) },
		"leading digit":    func() { router.Action("1send", "message", ok) },
		"space":            func() { router.Action("send", "a message", ok) },
		"non-ASCII":        func() { router.Action("envoyer", "méssage", ok) },
		"dots":             func() { router.Action("..", "message", ok) },
		"bad prefix":       func() { middleware.NewRouter(middleware.RouterOptions{Prefix: "/api"}) },
		"bad version":      func() { middleware.NewRouter(middleware.RouterOptions{Version: "v1/"}) },
		"bad CORS": func() {
			middleware.NewRouter(middleware.RouterOptions{CORS: middleware.CORSOptions{AllowedOrigins: []string{"*"}, AllowCredentials: true}})
		},
		"bad HTTPS": func() {
			middleware.NewRouter(middleware.RouterOptions{HTTPS: &middleware.HTTPSOptions{RedirectStatus: 302}})
		},
		"nil middleware": func() { middleware.NewRouter(middleware.RouterOptions{Middleware: []middleware.Middleware{nil}}) },
	} {
		assert.Panics(t, register, name)
	}
	router.Action("send_2", "message-now", ok) // underscores, digits and dashes are fine
}
