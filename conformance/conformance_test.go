package conformance_test

import (
	"bytes"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/conformance"
	"github.com/apienvelope/apienvelope/middleware"
)

// Every rule of CONTRACT.md's Requests and Responses sections, and W1, has
// cases.
func TestSuiteCoversEveryRule(t *testing.T) {
	cases := conformance.Suite()
	rules := map[string]int{}
	areas := map[string]int{}
	ids := map[string]bool{}
	for _, c := range cases {
		rules[c.Rule]++
		areas[c.Area]++
		assert.False(t, ids[c.ID()], "duplicate case %s", c.ID())
		ids[c.ID()] = true
	}
	for _, r := range []string{"R1", "R2", "R3", "R4", "R5", "S1", "S5", "S6", "S7", "W1"} {
		assert.Positive(t, rules[r], "no case names rule %s", r)
	}
	// S2, S3 and S4 are checked on every answer rather than by own cases.
	for _, a := range conformance.Areas {
		assert.Positive(t, areas[a], "area %s has no cases", a)
	}
}

func TestLoadRejectsUnknownKeys(t *testing.T) {
	fsys := os.DirFS(t.TempDir())
	_, err := conformance.Load(fsys)
	require.Error(t, err, "no files")

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "x.yaml"), []byte("cases:\n  - name: a\n    rule: R3\n    expect: {stauts: error}\n"), 0o644))
	_, err = conformance.Load(os.DirFS(dir))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "stauts")
}

// The reference server passes every case in-process; only the CORS case is
// skipped, as the reference has no CORS (TestToolkitCORSPreflight runs it),
// and the case for actions that are not strict, as the reference is.
func TestReferencePassesInProcess(t *testing.T) {
	s := &refServer{trusted: []netip.Prefix{docProxy}}
	rep := conformance.Run(t, s.handler(), refOptions(s))
	var skipped []string
	for _, r := range rep.Results {
		if r.Outcome == conformance.Skip {
			skipped = append(skipped, r.Case)
		}
	}
	assert.Equal(t, []string{"method/cors-preflight", "parameters/names-are-case-sensitive"}, skipped)
	assert.Equal(t, len(conformance.Suite())-2, rep.Passed)
}

// Over real TLS and plain HTTP listeners the reference passes every case
// that a live server can be asked (wrapping needs in-process middleware).
func TestReferencePassesOverTLS(t *testing.T) {
	s := &refServer{}
	tlsSrv, plainSrv := startLive(t, s, s.handler())

	opts := refOptions(s)
	opts.HTTPURL = plainSrv.URL
	opts.Insecure = true
	rep, err := conformance.RunURL(t.Context(), tlsSrv.URL+actionPath, opts)
	require.NoError(t, err)
	assert.Zero(t, rep.Failed, problems(rep))
	for _, r := range rep.Results {
		if r.Outcome == conformance.Skip {
			assert.True(t, strings.HasPrefix(r.Case, "wrapping/") || strings.Contains(r.Case, "maintenance") ||
				strings.Contains(r.Case, "trusted-proxy") || r.Case == "method/cors-preflight" || r.Case == "parameters/names-are-case-sensitive",
				"%s was skipped: %s", r.Case, r.Reason)
		}
	}

	// With the loopback as a trusted proxy, the trusted-proxy cases run and
	// pass, and the forged ones cannot run.
	s.trusted = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	opts.TrustedProxy = true
	rep, err = conformance.RunURL(t.Context(), tlsSrv.URL+actionPath, opts)
	require.NoError(t, err)
	assert.Zero(t, rep.Failed, problems(rep))
	for _, r := range rep.Results {
		switch {
		case strings.Contains(r.Case, "trusted-proxy"):
			assert.Equal(t, conformance.Pass, r.Outcome, r.Case)
		case strings.HasPrefix(r.Case, "transport/forged"):
			assert.Equal(t, conformance.Skip, r.Outcome, r.Case)
		}
	}
	opts.TrustedProxy = false

	// And in maintenance mode, the maintenance cases pass and only they run.
	s.maintenance.Store(true)
	opts.InMaintenance = true
	rep, err = conformance.RunURL(t.Context(), tlsSrv.URL+actionPath, opts)
	require.NoError(t, err)
	assert.Zero(t, rep.Failed, problems(rep))
	assert.Equal(t, 2, rep.Passed)
}

// startLive serves h over TLS and plain HTTP on loopback ports, with s
// redirecting plain HTTP to the TLS listener's port.
func startLive(t *testing.T, s *refServer, h http.Handler) (tlsSrv, plainSrv *httptest.Server) {
	t.Helper()
	tlsSrv = httptest.NewUnstartedServer(h)
	_, s.httpsPort, _ = net.SplitHostPort(tlsSrv.Listener.Addr().String())
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	plainSrv = httptest.NewServer(h)
	t.Cleanup(plainSrv.Close)
	return tlsSrv, plainSrv
}

func TestBrokenServersFailNamingTheRule(t *testing.T) {
	tests := []struct {
		name    string
		handler func(s *refServer) http.Handler
		want    string
	}{
		{"404 sender", func(s *refServer) http.Handler { s.notFound = true; return s.handler() },
			"S6: HTTP 404 is not an allowed status"},
		{"flags dropper", func(s *refServer) http.Handler { return rewrite(s.handler(), dropFlags) },
			`S4: "flags" is missing`},
		{"X-Forwarded-Proto truster", func(s *refServer) http.Handler { s.trustAnyForwardedProto = true; return s.handler() },
			"R2: forged X-Forwarded-Proto from an untrusted peer was believed"},
		{"redirect to the plain port", func(s *refServer) http.Handler { s.plainPortRedirect = true; return s.handler() },
			"R2: the redirect does not point at the HTTPS port: the redirect goes to port"},
		{"400 sender", func(s *refServer) http.Handler {
			return rewriteAll(s.handler(), func(_ http.Header, code int, body []byte) (int, []byte) {
				if bytes.Contains(body, []byte(`"status":"parameter-error"`)) {
					code = http.StatusBadRequest
				}
				return code, body
			})
		}, "S6: HTTP 400 is not an allowed status"},
		{"Content-Length dropper", func(s *refServer) http.Handler {
			return rewriteAll(s.handler(), func(h http.Header, code int, body []byte) (int, []byte) {
				h.Del("Content-Length")
				h.Set("Transfer-Encoding", "chunked") // so that net/http never adds it back
				return code, body
			})
		}, "S1: Content-Length is not set"},
		{"milliseconds", func(s *refServer) http.Handler {
			return rewrite(s.handler(), func(b []byte) []byte {
				return regexp.MustCompile(`"time":[0-9.]+`).ReplaceAll(b, []byte(`"time":12.5`))
			})
		}, "S3: time is 12.5 seconds, more than"},
		{"GET runner", func(s *refServer) http.Handler {
			h := s.handler()
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet {
					r.Method = http.MethodPost
				}
				h.ServeHTTP(w, r)
			})
		}, `R3: data.code is "MissingParameter", want "MethodNotAllowed"`},
		{"key sorter", func(s *refServer) http.Handler { return rewrite(s.handler(), sortKeys) },
			"S1: keys are in the order data, flags, status, time, want status, time, flags, data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &refServer{trusted: []netip.Prefix{docProxy}}
			h := tt.handler(s)
			rep := conformance.RunHandler(t.Context(), h, refOptions(s))
			require.Positive(t, rep.Failed)
			assert.Contains(t, problems(rep), tt.want)

			// And over the network.
			tlsSrv, plainSrv := startLive(t, s, h)
			opts := refOptions(s)
			opts.HTTPURL, opts.Insecure = plainSrv.URL, true
			live, err := conformance.RunURL(t.Context(), tlsSrv.URL+actionPath, opts)
			require.NoError(t, err)
			require.Positive(t, live.Failed)
			assert.Contains(t, problems(live), tt.want)
		})
	}
}

// The toolkit's own Router, Envelope and Recover pass the whole suite
// in-process, wrapping cases included.
func TestToolkitRouterPassesInProcess(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	rep := conformance.Run(t, exampleAPI(0), conformance.Options{
		Action:       "/api/v1/messages/list",
		Params:       `{"page":1}`,
		IntField:     "page",
		PlainHTTP:    "308",
		ToolkitCodes: true,
		Wrap: middleware.NewChain(
			middleware.Envelope(middleware.EnvelopeOptions{Logger: quiet}),
			middleware.Recover(middleware.RecoverOptions{Logger: quiet}),
		).Then,
	})
	assert.Zero(t, rep.Failed)
}

// With CORS configured, the preflight case runs and passes.
func TestToolkitCORSPreflight(t *testing.T) {
	r := middleware.NewRouter(middleware.RouterOptions{
		HTTPS: &middleware.HTTPSOptions{},
		CORS:  middleware.CORSOptions{AllowedOrigins: []string{"https://app.example.test"}},
	})
	r.ActionFunc("messages", "list", func(http.ResponseWriter, *http.Request) {})
	var cases []*conformance.Case
	for _, c := range conformance.Suite() {
		if c.Area == "method" {
			cases = append(cases, c)
		}
	}
	opts := conformance.Options{Action: "/api/v1/messages/list", Params: `{}`, CORSOrigin: "https://app.example.test", Cases: cases}
	rep := conformance.Run(t, r, opts)
	assert.Zero(t, rep.Skipped)

	// An origin the API does not allow is not granted: the case fails.
	opts.CORSOrigin = "https://evil.example.test"
	rep = conformance.RunHandler(t.Context(), r, opts)
	assert.Contains(t, problems(rep), "R3: the CORS preflight was not granted: header Access-Control-Allow-Origin is missing")
}

// In-process, the suite also sees a handler read the body of a plain-HTTP
// request, which R2 forbids and no client can see over the wire.
func TestPlainHTTPBodyReaderFails(t *testing.T) {
	s := &refServer{trusted: []netip.Prefix{docProxy}, readsPlainBody: true}
	rep := conformance.RunHandler(t.Context(), s.handler(), refOptions(s))
	assert.Contains(t, problems(rep), "FAIL transport/plain-http-post [R2]: R2: the body of a plain-HTTP request was read")
}
