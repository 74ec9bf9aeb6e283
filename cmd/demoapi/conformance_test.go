package main

import (
	"net/http"
	"net/netip"
	"testing"

	"github.com/apienvelope/apienvelope/conformance"
)

// TestConformance runs the toolkit's conformance suite against the demo's
// actions, as a client with the API key.
func TestConformance(t *testing.T) {
	headers := http.Header{"X-Server-API-Key": {testKey}}
	t.Run("messages/list", func(t *testing.T) {
		h, d := newServer(config{
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
	t.Run("send/raw", func(t *testing.T) {
		h, _ := newServer(config{APIKey: testKey, HTTPSPort: 443})
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
