package demo

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/conformance"
)

// TestConformance runs the toolkit's conformance suite against the demo's
// actions, as a client with the API key.
func TestConformance(t *testing.T) {
	headers := http.Header{"X-Server-API-Key": {testKey}}
	t.Run("messages/list", func(t *testing.T) {
		h, d := newServer(Config{
			APIKey:         testKey,
			HTTPSPort:      443,
			Dev:            true,
			TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32")},
		})
		conformance.Run(t, h, conformance.Options{
			Action:           "/api/v1/messages/list",
			Params:           `{"page":1,"per_page":5}`,
			Headers:          headers,
			IntField:         "page",
			PlainHTTP:        "308",
			ToolkitCodes:     true,
			Maintenance:      d.maintenance.Store,
			TrustedProxyAddr: "10.0.0.1:40000",
			PanicAction:      "/api/v1/debug/panic",
		})
	})
	t.Run("messages/list in production mode", func(t *testing.T) {
		h, _ := newServer(Config{APIKey: testKey, HTTPSPort: 443, Debug: true})
		conformance.Run(t, h, conformance.Options{
			Action:       "/api/v1/messages/list",
			Params:       `{"page":1,"per_page":5}`,
			Headers:      headers,
			IntField:     "page",
			PlainHTTP:    "308",
			ToolkitCodes: true,
			PanicAction:  "/api/v1/debug/panic",
			PanicValue:   debugPanicValue,
			Production:   true,
		})
	})
	t.Run("send/raw", func(t *testing.T) {
		h, _ := newServer(Config{APIKey: testKey, HTTPSPort: 443})
		conformance.Run(t, h, conformance.Options{
			Action:        "/api/v1/send/raw",
			Params:        `{"rcpt_to":["ann@example.com"],"mail_from":"me@example.com","data":"U3ViamVjdDogaGkNCg0KaGk="}`,
			Headers:       headers,
			RequiredField: "rcpt_to",
			PlainHTTP:     "308",
			ToolkitCodes:  true,
		})
	})
}

// TestConformanceOverTLS runs the suite against the demo as a live server:
// real TLS, a real plain-HTTP listener, then again in maintenance mode.
func TestConformanceOverTLS(t *testing.T) {
	// Plain HTTP is redirected to the HTTPS listener's port, known once it
	// listens, as run does.
	tlsSrv := httptest.NewUnstartedServer(nil)
	h, d := newServer(Config{APIKey: testKey, Debug: true, HTTPSPort: tlsSrv.Listener.Addr().(*net.TCPAddr).Port})
	tlsSrv.Config.Handler = h
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	plainSrv := httptest.NewServer(h)
	t.Cleanup(plainSrv.Close)
	opts := conformance.Options{
		Params:       `{"page":1}`,
		IntField:     "page",
		Headers:      http.Header{"X-Server-API-Key": {testKey}},
		PlainHTTP:    "308",
		ToolkitCodes: true,
		PanicAction:  "/api/v1/debug/panic",
		PanicValue:   debugPanicValue,
		Production:   true,
		HTTPURL:      plainSrv.URL,
		Insecure:     true,
	}
	report, err := conformance.RunURL(t.Context(), tlsSrv.URL+"/api/v1/messages/list", opts)
	require.NoError(t, err)
	for _, r := range report.Results {
		if r.Outcome == conformance.Fail {
			t.Error(r)
		}
	}
	assert.Positive(t, report.Passed)
	t.Log(report.Summary())

	d.maintenance.Store(true)
	opts.InMaintenance = true
	report, err = conformance.RunURL(t.Context(), tlsSrv.URL+"/api/v1/messages/list", opts)
	require.NoError(t, err)
	assert.Zero(t, report.Failed, report.Summary())
	assert.Positive(t, report.Passed)
}

// The same suite over HTTP/2, which net/http serves with other code: no
// chunked encoding, no Connection header, bodies drained or streams reset.
func TestConformanceOverHTTP2(t *testing.T) {
	h, _ := newServer(Config{APIKey: testKey, Dev: true})
	var h2, h1 atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor == 2 {
			h2.Add(1)
		} else {
			h1.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	report, err := conformance.RunURL(t.Context(), srv.URL+"/api/v1/messages/list", conformance.Options{
		Params:       `{"page":1}`,
		IntField:     "page",
		Headers:      http.Header{"X-Server-API-Key": {testKey}},
		ToolkitCodes: true,
		PanicAction:  "/api/v1/debug/panic",
		Insecure:     true,
		HTTP2:        true,
	})
	require.NoError(t, err)
	for _, r := range report.Results {
		if r.Outcome == conformance.Fail {
			t.Error(r)
		}
	}
	assert.Positive(t, report.Passed)
	assert.Positive(t, h2.Load(), "no request came over HTTP/2")
	assert.Zero(t, h1.Load(), "requests came over HTTP/1")
	t.Log(report.Summary())
}
