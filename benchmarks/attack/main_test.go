package main

import (
	"bytes"
	"context"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	apienvelope "github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

func attack(t *testing.T, args ...string) (string, string, int) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), code
}

// The command refuses every target that is not this machine's loopback.
func TestAttackStaysOnLoopback(t *testing.T) {
	tests := []struct{ target, want string }{
		{"https://10.0.0.1:8443/api/v1/a/b", "is not a loopback address"},
		{"https://192.0.2.1:443/api/v1/a/b", "is not a loopback address"},
		{"https://[2001:db8::1]:443/api/v1/a/b", "is not a loopback address"},
		{"https://0.0.0.0:443/api/v1/a/b", "is not a loopback address"},
		{"http://127.0.0.1:8080/api/v1/a/b", "not an https URL with a port"},
		{"https://127.0.0.1/api/v1/a/b", "not an https URL with a port"},
	}
	for _, tt := range tests {
		_, errOut, code := attack(t, tt.target)
		assert.Equal(t, 2, code, tt.target)
		assert.Contains(t, errOut, tt.want, tt.target)
	}
	for _, args := range [][]string{{"-conns", "5001"}, {"-streams", "0"}, {"-curl-runs", "1000"}, {"-check-timeout", "1h"}} {
		_, errOut, code := attack(t, append(args, "https://127.0.0.1:8443/x")...)
		assert.Equal(t, 2, code, args)
		assert.Contains(t, errOut, "must be", args)
	}
}

// Against a server made with middleware.NewServer and small caps, the
// bounded checks pass, with their figures.
func TestAttackAgainstNewServer(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	r := middleware.NewRouter(middleware.RouterOptions{
		Envelope: middleware.EnvelopeOptions{Logger: quiet},
		Recover:  middleware.RecoverOptions{Logger: quiet},
	})
	r.Action("messages", "list", middleware.Params(middleware.ParamsOptions{})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { apienvelope.Success(w, r, []int{}) })))
	srv := middleware.NewServer(r, middleware.ServerOptions{MaxConns: 30, MaxConnsPerClient: 10})
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ts := httptest.NewUnstartedServer(r)
	ts.Config = srv
	ts.EnableHTTP2 = true
	ts.StartTLS()
	defer ts.Close()

	// The caps first, while the server has no other connection to count.
	out, errOut, code := attack(t, "-insecure", "-conns", "40", "-only", "conn-cap", ts.URL+"/api/v1/messages/list")
	assert.Equal(t, 0, code, out+errOut)
	assert.Equal(t, "PASS conn-cap-per-client: 10 idle connections held from one address; the next got HTTP 503 service-unavailable ServiceUnavailable, Retry-After 5, and was closed\n"+
		"PASS conn-cap-total: 30 idle connections held in all; the next got HTTP 503 service-unavailable ServiceUnavailable, Retry-After 5, and was closed\n"+
		"PASS conn-cap-recovers: once the idle connections closed, a new one from the capped address was served\n"+
		"3 passed, 0 failed\n", out)

	out, errOut, code = attack(t, "-insecure", "-streams", "500", "-only", "large-body,h2-rapid-reset,h2-concurrent-streams", ts.URL+"/api/v1/messages/list")
	assert.Equal(t, 0, code, out+errOut)
	for _, line := range []string{
		"PASS large-body-declared: ", "PASS large-body-chunked: ", "PASS h2-rapid-reset: 500 streams opened and reset",
		"PASS h2-concurrent-streams: SETTINGS_MAX_CONCURRENT_STREAMS",
	} {
		assert.Contains(t, out, line)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Equal(t, "4 passed, 0 failed", lines[len(lines)-1])
}
