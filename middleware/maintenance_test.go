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

func TestMaintenanceSwitchesAtRunTime(t *testing.T) {
	var on atomic.Bool
	var ran atomic.Int32
	h := middleware.NewChain(
		middleware.Envelope(middleware.EnvelopeOptions{}),
		middleware.Maintenance(middleware.MaintenanceOptions{On: &on, RetryAfter: 90 * time.Second, Message: "Back at noon"}),
	).ThenFunc(func(w http.ResponseWriter, r *http.Request) {
		ran.Add(1)
		envelope.Success(w, r, "done")
	})
	srv := httptest.NewServer(h)
	defer srv.Close()

	post := func() (*http.Response, wire, errorData) {
		t.Helper()
		resp, err := srv.Client().Post(srv.URL, "application/json", strings.NewReader("{}"))
		require.NoError(t, err)
		defer resp.Body.Close()
		body := readAll(t, resp)
		env, data := decodeWire(t, body)
		return resp, env, data
	}

	resp, env, _ := post()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "success", env.Status)

	on.Store(true)
	resp, env, data := post()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "service-unavailable", env.Status)
	assert.Equal(t, envelope.CodeServiceUnavailable, data.Code)
	assert.Equal(t, "Back at noon", data.Message)
	assert.Equal(t, "90", resp.Header.Get("Retry-After"))

	on.Store(false)
	resp, env, _ = post()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "success", env.Status)
	assert.Equal(t, int32(2), ran.Load(), "the handler must not run during maintenance")
}

func TestMaintenanceOptions(t *testing.T) {
	on := new(atomic.Bool)
	on.Store(true)
	for _, tc := range []struct {
		name       string
		opts       middleware.MaintenanceOptions
		code       int
		message    string
		retryAfter string
	}{
		{"nil On is never", middleware.MaintenanceOptions{RetryAfter: time.Minute}, http.StatusOK, "", ""},
		{"default message, no Retry-After", middleware.MaintenanceOptions{On: on}, http.StatusServiceUnavailable, "The service is down for maintenance", ""},
		{"Retry-After rounds up", middleware.MaintenanceOptions{On: on, RetryAfter: 1500 * time.Millisecond}, http.StatusServiceUnavailable, "The service is down for maintenance", "2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := middleware.NewChain(middleware.Envelope(middleware.EnvelopeOptions{}), middleware.Maintenance(tc.opts)).
				ThenFunc(func(w http.ResponseWriter, r *http.Request) {})
			rec := serve(h, httptest.NewRequest(http.MethodPost, "/", nil))
			assert.Equal(t, tc.code, rec.Code)
			assert.Equal(t, tc.retryAfter, rec.Header().Get("Retry-After"))
			_, data := decodeWire(t, rec.Body.Bytes())
			assert.Equal(t, tc.message, data.Message)
		})
	}
}
