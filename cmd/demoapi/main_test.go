package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/cmd/demoapi/demo"
)

// reply is an answer of the running demo, its envelope decoded.
type reply struct {
	HTTPStatus int
	Header     http.Header
	Raw        string
	Status     string `json:"status"`
	Data       struct {
		Code string `json:"code"`
	} `json:"data"`
}

func (r reply) err(*testing.T) struct{ Code string } { return struct{ Code string }{r.Data.Code} }

func roundTrip(t *testing.T, c *http.Client, req *http.Request) reply {
	t.Helper()
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	r := reply{HTTPStatus: resp.StatusCode, Header: resp.Header, Raw: string(b)}
	if resp.StatusCode < 300 || resp.StatusCode >= 400 {
		require.NoError(t, json.Unmarshal(b, &r), "body: %s", b)
	}
	return r
}

// runningDemo is the demo started by startRun, as main starts it.
type runningDemo struct {
	httpsURL, plainURL string
	tlsConfig          *tls.Config // trusts the demo's certificate
	client             *http.Client
	stop               func()
}

// startRun starts the demo as main does, with args and on ports the system
// picks, and reads from its banner where the listeners are.
func startRun(t *testing.T, args ...string) *runningDemo {
	t.Helper()
	certPEM, keyPEM, err := demo.SelfSignedPEM()
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, certPEM, 0o600))
	require.NoError(t, os.WriteFile(keyFile, keyPEM, 0o600))

	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	args = append([]string{"-addr", "127.0.0.1:0", "-http-addr", "127.0.0.1:0", "-cert", certFile, "-key", keyFile, "-api-key", "k"}, args...)
	go func() {
		done <- run(ctx, args, pw)
		pw.Close()
	}()
	d := &runningDemo{}
	d.stop = func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(15 * time.Second):
			t.Fatal("run did not return after its context was cancelled")
		}
	}

	// The banner tells where the listeners are.
	lines := bufio.NewScanner(pr)
	httpsLine := regexp.MustCompile(`HTTPS:\s+(https://\S+)/api/v1/`)
	plainLine := regexp.MustCompile(`HTTP:\s+(http://\S+) `)
	for (d.httpsURL == "" || d.plainURL == "") && lines.Scan() {
		if m := httpsLine.FindStringSubmatch(lines.Text()); m != nil {
			d.httpsURL = m[1]
		}
		if m := plainLine.FindStringSubmatch(lines.Text()); m != nil {
			d.plainURL = m[1]
		}
	}
	require.NotEmpty(t, d.httpsURL)
	require.NotEmpty(t, d.plainURL)
	go io.Copy(io.Discard, pr) // keep the log flowing

	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM(certPEM))
	d.tlsConfig = &tls.Config{RootCAs: roots}
	d.client = &http.Client{
		Transport: &http.Transport{TLSClientConfig: d.tlsConfig},
		Timeout:   10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return d
}

// TestRun starts the demo as main does, on ports the system picks, and
// calls it over both listeners.
func TestRun(t *testing.T) {
	d := startRun(t)
	req, err := http.NewRequest(http.MethodPost, d.httpsURL+"/api/v1/send/message", strings.NewReader(`{"to":["ann@example.com"],"from":"me@example.com","plain_body":"Hi"}`))
	require.NoError(t, err)
	req.Header.Set("X-Server-API-Key", "k")
	req.Header.Set("Content-Type", "application/json")
	r := roundTrip(t, d.client, req)
	assert.Equal(t, http.StatusOK, r.HTTPStatus)
	assert.Equal(t, "success", r.Status, r.Raw)

	req, err = http.NewRequest(http.MethodPost, d.plainURL+"/api/v1/messages/list", strings.NewReader(`{}`))
	require.NoError(t, err)
	r = roundTrip(t, d.client, req)
	assert.Equal(t, http.StatusPermanentRedirect, r.HTTPStatus)
	assert.Equal(t, d.httpsURL+"/api/v1/messages/list", r.Header.Get("Location"), "to the HTTPS listener's port")

	// OPTIONS * is the API's to answer, over HTTP/1.1 and HTTP/2: net/http
	// answered it with a bare 200 (issue 13, bug 4).
	for _, h2 := range []bool{false, true} {
		tr := &http.Transport{TLSClientConfig: d.tlsConfig.Clone(), ForceAttemptHTTP2: h2}
		u, err := url.Parse(d.httpsURL)
		require.NoError(t, err)
		u.Opaque = "*"
		r := roundTrip(t, &http.Client{Transport: tr}, &http.Request{Method: http.MethodOptions, URL: u, Host: u.Host, Header: http.Header{}})
		tr.CloseIdleConnections()
		assert.Equal(t, http.StatusOK, r.HTTPStatus, "HTTP/2: %v", h2)
		assert.Equal(t, "error", r.Status, "HTTP/2: %v: %s", h2, r.Raw)
		assert.Equal(t, "MethodNotAllowed", r.err(t).Code)
	}
	d.stop()
}

// The demo's server limits over real connections: a request whose body
// stops short is answered once its read time is up (issue 13, bug 3), and a
// client over its connection cap gets the 503 envelope.
func TestRunLimits(t *testing.T) {
	d := startRun(t, "-read-timeout", "300ms", "-max-conns-per-client", "1")
	addr := strings.TrimPrefix(d.httpsURL, "https://")

	held, err := tls.Dial("tcp", addr, d.tlsConfig)
	require.NoError(t, err)
	require.NoError(t, held.SetDeadline(time.Now().Add(20*time.Second))) // a guard against a hang
	_, err = io.WriteString(held, "POST /api/v1/messages/list HTTP/1.1\r\nHost: "+addr+"\r\nX-Server-API-Key: k\r\n"+
		"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"page\": 1")
	require.NoError(t, err)

	// While held waits for the rest of its body, a second connection from
	// the same address is over the cap.
	req, err := http.NewRequest(http.MethodPost, d.httpsURL+"/api/v1/messages/list", strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set("X-Server-API-Key", "k")
	req.Header.Set("Content-Type", "application/json")
	r := roundTrip(t, d.client, req)
	assert.Equal(t, http.StatusServiceUnavailable, r.HTTPStatus)
	assert.Equal(t, "service-unavailable", r.Status, r.Raw)
	assert.Equal(t, "5", r.Header.Get("Retry-After"))

	resp, err := http.ReadResponse(bufio.NewReader(held), nil)
	require.NoError(t, err, "the answer to a body that stopped short must come")
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), `"code":"IncompleteBody"`)
	held.Close()
	d.stop()
}

func TestRunFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // part of the error
	}{
		{"cert without key", []string{"-cert", "x.pem"}, "-cert and -key must be given together"},
		{"bad proxy", []string{"-trusted-proxies", "10.0.0.0/8,nonsense"}, `"nonsense" is not a CIDR`},
		{"stray argument", []string{"serve"}, "unexpected arguments"},
		{"unknown flag", []string{"-port", "1"}, "flag provided but not defined"},
		{"missing cert file", []string{"-cert", "/nonexistent/c.pem", "-key", "/nonexistent/k.pem"}, "no such file"},
		{"bad address", []string{"-addr", "127.0.0.1:bad"}, "bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			err := run(context.Background(), tt.args, &out)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	t.Run("help", func(t *testing.T) {
		var out strings.Builder
		err := run(context.Background(), []string{"-h"}, &out)
		assert.True(t, errors.Is(err, flag.ErrHelp))
		for _, f := range []string{"-addr", "-http-addr", "-cert", "-key", "-api-key", "-trusted-proxies", "-maintenance", "-dev", "-debug", "-read-timeout", "-max-conns", "-max-conns-per-client"} {
			assert.Contains(t, out.String(), f)
		}
	})
}

func TestParseCIDRs(t *testing.T) {
	got, err := parseCIDRs(" 127.0.0.1/32, 10.1.2.3/8 ,::1,192.168.0.7")
	require.NoError(t, err)
	var s []string
	for _, p := range got {
		s = append(s, p.String())
	}
	assert.Equal(t, []string{"127.0.0.1/32", "10.0.0.0/8", "::1/128", "192.168.0.7/32"}, s)

	got, err = parseCIDRs("")
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestSelfSignedCertificate(t *testing.T) {
	certPEM, keyPEM, err := demo.SelfSignedPEM()
	require.NoError(t, err)
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	require.NoError(t, err)
	assert.Equal(t, x509.ECDSA, leaf.PublicKeyAlgorithm)
	for _, host := range []string{"localhost", "127.0.0.1", "::1"} {
		assert.NoError(t, leaf.VerifyHostname(host), host)
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	_, err = leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: "localhost"})
	assert.NoError(t, err, "trusting the certificate itself is enough, as with curl --cacert")
}

// TestRunDefaults starts the demo without -cert, -key, -api-key or a plain
// listener: it makes its certificate, writes it for clients, makes a key,
// and cleans up when it stops.
func TestRunDefaults(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-http-addr", "", "-maintenance"}, pw)
		pw.Close()
	}()
	var banner []string
	lines := bufio.NewScanner(pr)
	for lines.Scan() && !strings.HasPrefix(lines.Text(), "Try:") {
		banner = append(banner, lines.Text())
	}
	go io.Copy(io.Discard, pr)
	text := strings.Join(banner, "\n")
	assert.NotContains(t, text, "HTTP: ")
	assert.Contains(t, text, "Maintenance mode is on")
	assert.Regexp(t, `API key: [A-Za-z0-9]{24} `, text)
	assert.Regexp(t, `Docs:    https://127\.0\.0\.1:\d+/api/docs/v1/ `, text)
	m := regexp.MustCompile(`written to (\S+)`).FindStringSubmatch(text)
	require.NotNil(t, m, text)
	certPEM, err := os.ReadFile(m[1])
	require.NoError(t, err)
	assert.Contains(t, string(certPEM), "BEGIN CERTIFICATE")
	assert.NotContains(t, string(certPEM), "PRIVATE KEY", "the key stays in memory")

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after its context was cancelled")
	}
	_, err = os.Stat(m[1])
	assert.True(t, os.IsNotExist(err), "the certificate file is removed at exit")
}

func TestRandomToken(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		tok := demo.RandomToken(12)
		assert.Regexp(t, `^[A-Za-z0-9]{12}$`, tok)
		seen[tok] = true
	}
	assert.Len(t, seen, 1000)
}
