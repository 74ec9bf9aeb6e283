package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"io"
	"net/http"
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

// TestRun starts the demo as main does, on ports the system picks, and
// calls it over both listeners.
func TestRun(t *testing.T) {
	certPEM, keyPEM, err := demo.SelfSignedPEM()
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, certPEM, 0o600))
	require.NoError(t, os.WriteFile(keyFile, keyPEM, 0o600))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-http-addr", "127.0.0.1:0", "-cert", certFile, "-key", keyFile, "-api-key", "k"}, pw)
		pw.Close()
	}()

	// The banner tells where the listeners are.
	var httpsURL, plainURL string
	lines := bufio.NewScanner(pr)
	httpsLine := regexp.MustCompile(`HTTPS:\s+(https://\S+)/api/v1/`)
	plainLine := regexp.MustCompile(`HTTP:\s+(http://\S+) `)
	for (httpsURL == "" || plainURL == "") && lines.Scan() {
		if m := httpsLine.FindStringSubmatch(lines.Text()); m != nil {
			httpsURL = m[1]
		}
		if m := plainLine.FindStringSubmatch(lines.Text()); m != nil {
			plainURL = m[1]
		}
	}
	require.NotEmpty(t, httpsURL)
	require.NotEmpty(t, plainURL)
	go io.Copy(io.Discard, pr) // keep the log flowing

	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM(certPEM))
	client := &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}},
		Timeout:   10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}

	req, err := http.NewRequest(http.MethodPost, httpsURL+"/api/v1/send/message", strings.NewReader(`{"to":["ann@example.com"],"from":"me@example.com","plain_body":"Hi"}`))
	require.NoError(t, err)
	req.Header.Set("X-Server-API-Key", "k")
	req.Header.Set("Content-Type", "application/json")
	r := roundTrip(t, client, req)
	assert.Equal(t, http.StatusOK, r.StatusCode)
	assert.Contains(t, r.body, `"status":"success"`)

	req, err = http.NewRequest(http.MethodPost, plainURL+"/api/v1/messages/list", strings.NewReader(`{}`))
	require.NoError(t, err)
	r = roundTrip(t, client, req)
	assert.Equal(t, http.StatusPermanentRedirect, r.StatusCode)
	assert.Equal(t, httpsURL+"/api/v1/messages/list", r.Header.Get("Location"), "to the HTTPS listener's port")

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after its context was cancelled")
	}
}

// answer is a response with its body read.
type answer struct {
	*http.Response
	body string
}

func roundTrip(t *testing.T, c *http.Client, req *http.Request) answer {
	t.Helper()
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{resp, string(b)}
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
		for _, f := range []string{"-addr", "-http-addr", "-cert", "-key", "-api-key", "-trusted-proxies", "-maintenance", "-dev"} {
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
