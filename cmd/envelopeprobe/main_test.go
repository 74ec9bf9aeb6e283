package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/conformance"
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

type listParams struct {
	Page int `json:"page"`
}

// toolkitServer is an API built the documented way on middleware.Router:
// it keeps the contract, redirecting plain HTTP to httpsPort. With dev set
// its 500s show the panic, as development mode does.
func toolkitServer(maintenance *atomic.Bool, httpsPort int, dev bool) http.Handler {
	quiet := slog.New(slog.DiscardHandler)
	r := middleware.NewRouter(middleware.RouterOptions{
		HTTPS:    &middleware.HTTPSOptions{HTTPSPort: httpsPort},
		Envelope: middleware.EnvelopeOptions{Logger: quiet, Development: dev},
		Recover:  middleware.RecoverOptions{Logger: quiet},
		Middleware: []middleware.Middleware{
			middleware.Maintenance(middleware.MaintenanceOptions{On: maintenance, RetryAfter: time.Minute}),
		},
	})
	r.ActionFunc("debug", "panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	r.Action("messages", "list", middleware.Params(middleware.ParamsOptions{})(
		envelope.Action(func(_ context.Context, p listParams) ([]int, error) {
			return []int{p.Page}, nil
		})))
	return r
}

// servers serves the handler mk makes, over TLS and plain HTTP, returning
// both base URLs. mk learns the ports first: the HTTPS port is where plain
// HTTP is redirected to.
func servers(t *testing.T, mk func(httpsPort, plainPort int) http.Handler) (httpsURL, httpURL string) {
	tlsSrv := httptest.NewUnstartedServer(nil)
	plainSrv := httptest.NewUnstartedServer(nil)
	h := mk(tlsSrv.Listener.Addr().(*net.TCPAddr).Port, plainSrv.Listener.Addr().(*net.TCPAddr).Port)
	tlsSrv.Config.Handler, plainSrv.Config.Handler = h, h
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	plainSrv.Start()
	t.Cleanup(plainSrv.Close)
	return tlsSrv.URL, plainSrv.URL
}

// good is a toolkit server that keeps the contract, in production mode.
func good(maintenance *atomic.Bool) func(httpsPort, _ int) http.Handler {
	return func(httpsPort, _ int) http.Handler { return toolkitServer(maintenance, httpsPort, false) }
}

func probe(t *testing.T, args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = run(t.Context(), args, &out, &errOut)
	return out.String(), errOut.String(), code
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestProbePassesAToolkitServer(t *testing.T) {
	var maintenance atomic.Bool
	httpsURL, httpURL := servers(t, good(&maintenance))
	target := httpsURL + "/api/v1/messages/list"

	out, errOut, code := probe(t, "-insecure", "-http-url", httpURL, "-params", `{"page":1}`, "-int-field", "page", "-toolkit-codes",
		"-panic-action", "/api/v1/debug/panic", "-production", "-panic-value", "boom", target)
	assert.Equal(t, 0, code, out+errOut)
	assert.Regexp(t, `^\d+ passed, 0 failed$`, lastLine(out))
	assert.NotContains(t, out, "FAIL ")
	assert.Contains(t, out, "PASS transport/forged-x-forwarded-proto [R2]\n")
	assert.Contains(t, out, "PASS transport/plain-http-redirect-port [R2]\n")
	assert.Contains(t, out, "PASS responses/panic [S7]\n")
	assert.Contains(t, out, "PASS responses/panic-in-production [S7]\n")
	assert.Contains(t, out, "SKIP wrapping/panic [S7]: runs only in-process")

	maintenance.Store(true)
	out, _, code = probe(t, "-insecure", "-maintenance", "-params", `{"page":1}`, target)
	assert.Equal(t, 0, code, out)
	assert.Equal(t, "2 passed, 0 failed", lastLine(out))
}

func TestProbeOverHTTP2(t *testing.T) {
	var maintenance atomic.Bool
	h := toolkitServer(&maintenance, 0, false)
	var protos sync.Map // proto → true
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		protos.Store(r.Proto, true)
		h.ServeHTTP(w, r)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)

	out, errOut, code := probe(t, "-insecure", "-http2", "-params", `{"page":1}`, "-int-field", "page", "-toolkit-codes", srv.URL+"/api/v1/messages/list")
	assert.Equal(t, 0, code, out+errOut)
	assert.Regexp(t, `^\d+ passed, 0 failed$`, lastLine(out))
	var seen []string
	protos.Range(func(k, _ any) bool { seen = append(seen, k.(string)); return true })
	assert.Equal(t, []string{"HTTP/2.0"}, seen)
}

func TestProbeJSONReport(t *testing.T) {
	var maintenance atomic.Bool
	httpsURL, _ := servers(t, good(&maintenance))
	out, _, code := probe(t, "-insecure", "-json", "-params", `{"page":1}`, httpsURL+"/api/v1/messages/list")
	require.Equal(t, 0, code, out)
	var rep conformance.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Positive(t, rep.Passed)
	assert.Zero(t, rep.Failed)
	assert.Equal(t, len(rep.Results), rep.Passed+rep.Skipped)
	for _, r := range rep.Results {
		if r.Outcome == conformance.Skip {
			assert.NotEmpty(t, r.Reason, r.Case)
		}
	}
}

// rewriteBody edits every answer's body, keeping Content-Length right.
func rewriteBody(h http.Handler, edit func([]byte) []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		body := edit(rec.Body.Bytes())
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code) //envelopevet:allow a deliberately broken server
		_, _ = w.Write(body)    //envelopevet:allow a deliberately broken server
	})
}

func TestProbeFailsBrokenServersNamingTheRule(t *testing.T) {
	tests := []struct {
		name   string
		broken func(good http.Handler) http.Handler
		want   string
	}{
		{"double envelope", func(good http.Handler) http.Handler {
			return rewriteBody(good, func(b []byte) []byte { return append(b, b...) })
		}, `S1: the body holds 2 JSON values, want one`},
		{"404 sender", func(good http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.TLS != nil && r.URL.Path != "/api/v1/messages/list" {
					http.NotFound(w, r) //envelopevet:allow a deliberately broken server
					return
				}
				good.ServeHTTP(w, r)
			})
		}, "S6: HTTP 404 is not an allowed status"},
		{"flags dropper", func(good http.Handler) http.Handler {
			return rewriteBody(good, func(b []byte) []byte { return bytes.Replace(b, []byte(`,"flags":{}`), nil, 1) })
		}, `S4: "flags" is missing`},
		{"X-Forwarded-Proto truster", func(good http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("X-Forwarded-Proto") == "https" {
					r.TLS = &tls.ConnectionState{}
				}
				good.ServeHTTP(w, r)
			})
		}, "R2: forged X-Forwarded-Proto from an untrusted peer was believed"},
		{"time remover", func(good http.Handler) http.Handler {
			return rewriteBody(good, func(b []byte) []byte {
				i := bytes.Index(b, []byte(`"time":`))
				j := bytes.Index(b, []byte(`"flags":`))
				if i < 0 || j < i {
					return b
				}
				return append(b[:i:i], b[j:]...)
			})
		}, `S3: "time" is missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var maintenance atomic.Bool
			httpsURL, httpURL := servers(t, func(httpsPort, _ int) http.Handler {
				return tt.broken(toolkitServer(&maintenance, httpsPort, false))
			})
			out, _, code := probe(t, "-insecure", "-http-url", httpURL, "-params", `{"page":1}`, httpsURL+"/api/v1/messages/list")
			assert.Equal(t, 1, code)
			assert.Contains(t, out, tt.want)
			assert.Regexp(t, `^\d+ passed, [1-9]\d* failed$`, lastLine(out))
		})
	}
}

// A redirect back to the plain-HTTP port fails R2, named first.
func TestProbeFailsARedirectToThePlainPort(t *testing.T) {
	var maintenance atomic.Bool
	httpsURL, httpURL := servers(t, func(_, plainPort int) http.Handler { return toolkitServer(&maintenance, plainPort, false) })
	out, _, code := probe(t, "-insecure", "-http-url", httpURL, "-params", `{"page":1}`, httpsURL+"/api/v1/messages/list")
	assert.Equal(t, 1, code)
	u, err := url.Parse(httpURL)
	require.NoError(t, err)
	assert.Contains(t, out, "FAIL transport/plain-http-redirect-port [R2]: R2: the redirect does not point at the HTTPS port: the redirect goes to port "+
		u.Port()+", the plain-HTTP port the request came in on, want the HTTPS port ")
}

// A development-mode server fails -production: its 500 shows the panic.
func TestProbeFailsAPanicShownInProduction(t *testing.T) {
	var maintenance atomic.Bool
	httpsURL, _ := servers(t, func(httpsPort, _ int) http.Handler { return toolkitServer(&maintenance, httpsPort, true) })
	out, _, code := probe(t, "-insecure", "-params", `{"page":1}`, "-panic-action", "/api/v1/debug/panic",
		"-production", "-panic-value", "boom", httpsURL+"/api/v1/messages/list")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, `FAIL responses/panic-in-production [S7]: S7: data shows the panic's value "boom" outside development mode`)
	assert.Contains(t, out, "S7: data shows a stack trace")
	assert.Contains(t, out, "PASS responses/panic [S7]")
}

func TestProbeUsage(t *testing.T) {
	_, errOut, code := probe(t)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "usage: envelopeprobe")

	_, errOut, code = probe(t, "-plain-http", "307", "https://localhost/api/v1/a/b")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "-plain-http")

	_, errOut, code = probe(t, "-params", "{", "https://localhost/api/v1/a/b")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "-params")

	_, errOut, code = probe(t, "ftp://localhost/x")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "not an absolute http(s) URL")

	_, errOut, code = probe(t, "-header", "no colon", "https://localhost/api/v1/a/b")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "Name: value")
}

// The probe sends nothing to an address it was not given: a case whose
// path would leave the target's host is refused, not sent.
func TestProbeStaysOnItsTarget(t *testing.T) {
	var hits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	t.Cleanup(other.Close)
	var maintenance atomic.Bool
	httpsURL, _ := servers(t, good(&maintenance))

	dir := t.TempDir()
	caseFile := "cases:\n  - name: escape\n    rule: R1\n    request: {path: '" + other.URL + "/x'}\n    expect: {http: 200}\n"
	require.NoError(t, writeFile(dir+"/escape.yaml", caseFile))
	out, _, code := probe(t, "-insecure", "-cases", dir, httpsURL+"/api/v1/messages/list")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "refusing to send to")
	assert.Zero(t, hits.Load())
}

func writeFile(name, content string) error {
	return os.WriteFile(name, []byte(content), 0o644)
}

// -cacert verifies the server with its own certificate, no -insecure needed.
func TestProbeCACert(t *testing.T) {
	var maintenance atomic.Bool
	tlsSrv := httptest.NewTLSServer(toolkitServer(&maintenance, 0, false))
	t.Cleanup(tlsSrv.Close)
	certFile := t.TempDir() + "/cert.pem"
	require.NoError(t, writeFile(certFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw}))))

	out, _, code := probe(t, "-cacert", certFile, "-params", `{"page":1}`, tlsSrv.URL+"/api/v1/messages/list")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "rules checked: R1 R2 R3 R4 R5 S1 S2 S3 S4 S5 S6\n")

	// Without it the system's roots do not know the certificate.
	out, _, code = probe(t, "-params", `{"page":1}`, tlsSrv.URL+"/api/v1/messages/list")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "certificate")

	_, errOut, code := probe(t, "-cacert", t.TempDir()+"/missing.pem", tlsSrv.URL+"/api/v1/messages/list")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "missing.pem")
}
