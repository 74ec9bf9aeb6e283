package demo

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/conformance"
)

// proxyAddr is the address nginx reaches the demo from (proxy_bind), the
// one address the demo trusts as a proxy. The test's own requests come
// from 127.0.0.1, which the demo does not trust.
var proxyAddr = netip.MustParseAddr("127.0.0.2")

// nginxEnv names a variable that, when set, is the nginx binary to use
// instead of looking for one; pointing it at nothing shows what happens
// where nginx is not installed.
const nginxEnv = "DEMOAPI_NGINX"

// TestNginx puts the demo behind a real nginx that terminates TLS and says
// so with X-Forwarded-Proto (CONTRACT R2): through nginx the demo answers over
// HTTPS, straight to its plain port it redirects, and a forged
// X-Forwarded-Proto or Forwarded from an address it does not trust is not
// believed. Then the conformance suite runs through nginx.
//
// It needs nginx (Debian: apt-get install nginx-light), found in PATH, at
// /usr/sbin/nginx, or at $DEMOAPI_NGINX, and 127.0.0.2 on loopback (Linux):
// without them, the test is skipped, or fails when CI is set.
func TestNginx(t *testing.T) {
	bin := findNginx(t)
	requireAddr(t, proxyAddr)

	dir := t.TempDir()
	certPEM, keyPEM, err := SelfSignedPEM()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cert.pem"), certPEM, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600))
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM(certPEM))

	px := startBehindNginx(t, bin, dir)
	nginxTLS := "https://127.0.0.1:" + strconv.Itoa(px.tlsPort)
	nginxPlain := "http://127.0.0.1:" + strconv.Itoa(px.httpPort)
	direct := px.demoURL

	client := loopbackClient(roots, netip.MustParseAddr("127.0.0.1"))
	key := map[string]string{"X-Server-API-Key": testKey, "Content-Type": "application/json"}
	const sendBody = `{"to":["ann@example.com"],"from":"me@example.com","subject":"Hi","plain_body":"Hello"}`

	// stored is the number of messages the demo holds, asked through nginx.
	stored := func(t *testing.T) int {
		t.Helper()
		r := call(t, client, nginxTLS+"/api/v1/messages/list", `{"page":1}`, key)
		require.Equal(t, "success", r.Status, r.Raw)
		var p struct {
			TotalRecords int `json:"total_records"`
		}
		require.NoError(t, json.Unmarshal(r.Flags["paginated"], &p), r.Raw)
		return p.TotalRecords
	}

	t.Run("https through nginx", func(t *testing.T) {
		r := call(t, client, nginxTLS+"/api/v1/messages/list", `{"page":1}`, key)
		assert.Equal(t, http.StatusOK, r.HTTPStatus)
		assert.Equal(t, "success", r.Status, r.Raw)
		assert.Equal(t, []string{"status", "time", "flags", "data"}, topLevelKeys(t, r.Raw))
	})

	t.Run("plain http straight to the demo", func(t *testing.T) {
		r := call(t, client, direct+"/api/v1/messages/list", `{"page":1}`, key)
		assert.Equal(t, http.StatusPermanentRedirect, r.HTTPStatus)
		assert.Equal(t, nginxTLS+"/api/v1/messages/list", r.Header.Get("Location"))
		assert.Empty(t, r.Raw)
	})

	forged := []map[string]string{
		{"X-Forwarded-Proto": "https"},
		{"Forwarded": "proto=https"},
		{"X-Forwarded-Proto": "https", "Forwarded": "for=192.0.2.60;proto=https"},
	}
	withKey := func(h map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range key {
			m[k] = v
		}
		for k, v := range h {
			m[k] = v
		}
		return m
	}

	t.Run("forged headers straight to the demo", func(t *testing.T) {
		for _, h := range forged {
			r := call(t, client, direct+"/api/v1/send/message", sendBody, withKey(h))
			assert.Equal(t, http.StatusPermanentRedirect, r.HTTPStatus, "%v from 127.0.0.1 was believed", h)
			assert.Equal(t, nginxTLS+"/api/v1/send/message", r.Header.Get("Location"))
			assert.Empty(t, r.Raw)
		}
		assert.Zero(t, stored(t), "send/message ran for a forged header")

		// The same request from the proxy's address is believed: what
		// decides is the peer, not the headers.
		fromProxy := loopbackClient(roots, proxyAddr)
		r := call(t, fromProxy, direct+"/api/v1/send/message", sendBody, withKey(forged[0]))
		assert.Equal(t, http.StatusOK, r.HTTPStatus)
		assert.Equal(t, "success", r.Status, r.Raw)
		assert.Equal(t, 1, stored(t))
	})

	t.Run("forged headers through nginx's plain port", func(t *testing.T) {
		before := stored(t)
		for _, h := range forged {
			r := call(t, client, nginxPlain+"/api/v1/send/message", sendBody, withKey(h))
			assert.Equal(t, http.StatusPermanentRedirect, r.HTTPStatus, "%v through nginx's plain port was believed", h)
			assert.Equal(t, nginxTLS+"/api/v1/send/message", r.Header.Get("Location"))
			assert.Empty(t, r.Raw)
		}
		assert.Equal(t, before, stored(t), "send/message ran for plain HTTP through nginx")
	})

	// nginx reads the whole body before it forwards it; the demo answers a
	// body over its limit (1 MiB) from the Content-Length, without reading
	// it, and Go's server, which discards no more than 256 KiB of an unread
	// body, then closes the connection on the rest. If nginx
	// is still sending then, it gets a reset and answers 502 in HTML
	// instead of the demo's parameter-error (S6, R5). Whether it is still
	// sending is a race, so the request is repeated.
	t.Run("body over the limit through nginx", func(t *testing.T) {
		big := `{"page":1,"pad":"` + strings.Repeat("x", 2<<20) + `"}`
		for i := range 5 {
			r := callRaw(t, client, nginxTLS+"/api/v1/messages/list", big, key)
			if !assert.Equal(t, http.StatusOK, r.HTTPStatus, "try %d: the demo's answer did not get through nginx: %.200s", i+1, r.Raw) {
				t.Log("the server must read (and discard, up to a bound) the rest of a body it refuses, so that a proxy that is still sending it gets the answer")
				break
			}
			var e reply
			require.NoError(t, json.Unmarshal([]byte(r.Raw), &e), r.Raw)
			assert.Equal(t, "parameter-error", e.Status, r.Raw)
			assert.Contains(t, string(e.Data), `"BodyTooLarge"`)
		}
	})

	t.Run("conformance through nginx", func(t *testing.T) {
		opts := conformance.Options{
			Params:       `{"page":1}`,
			IntField:     "page",
			Headers:      http.Header{"X-Server-API-Key": {testKey}},
			PlainHTTP:    "308",
			ToolkitCodes: true,
			PanicAction:  "/api/v1/debug/panic",
			HTTPURL:      nginxPlain,
			RootCAs:      roots,
		}
		target := nginxTLS + "/api/v1/messages/list"
		run := func(t *testing.T, label string, opts conformance.Options) {
			t.Helper()
			rep, err := conformance.RunURL(t.Context(), target, opts)
			require.NoError(t, err)
			for _, r := range rep.Results {
				if r.Outcome == conformance.Fail {
					t.Error(r)
				}
			}
			assert.Zero(t, rep.Failed, rep.Summary())
			assert.Positive(t, rep.Passed)
			t.Logf("conformance through nginx%s: %s, %d skipped", label, rep.Summary(), rep.Skipped)
		}
		run(t, "", opts)

		px.demo.maintenance.Store(true)
		t.Cleanup(func() { px.demo.maintenance.Store(false) })
		opts.InMaintenance = true
		run(t, ", in maintenance mode", opts)
	})
}

// findNginx returns the nginx binary: $DEMOAPI_NGINX when set, else nginx
// in PATH, else /usr/sbin/nginx (Debian's, outside a user's PATH).
func findNginx(t *testing.T) string {
	t.Helper()
	const hint = "install it with `apt-get install nginx-light` (Debian, Ubuntu)"
	if p := os.Getenv(nginxEnv); p != "" {
		if isExecutable(p) {
			return p
		}
		unavailable(t, fmt.Sprintf("nginx is not at %s=%s; %s", nginxEnv, p, hint))
	}
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	if p := "/usr/sbin/nginx"; isExecutable(p) {
		return p
	}
	unavailable(t, "nginx is not installed (not in PATH, not /usr/sbin/nginx); "+hint)
	return ""
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// unavailable skips the test for want of something it needs, or, in CI,
// fails it: CI must never pass by skipping.
func unavailable(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why + " (CI is set, so this fails instead of being skipped)")
	}
	t.Skip(why)
}

// requireAddr checks that this machine can use addr, such as 127.0.0.2,
// which Linux has on loopback but macOS, for one, does not.
func requireAddr(t *testing.T, addr netip.Addr) {
	t.Helper()
	ln, err := net.Listen("tcp", netip.AddrPortFrom(addr, 0).String())
	if err != nil {
		unavailable(t, fmt.Sprintf("this machine cannot use %s for the proxy's address: %v", addr, err))
	}
	ln.Close()
}

// proxied is the demo, served on plain HTTP, behind a running nginx.
type proxied struct {
	demo              *demo
	demoURL           string // the demo's own plain listener
	tlsPort, httpPort int    // nginx's
}

// startBehindNginx serves the demo on 127.0.0.1 and starts nginx in front
// of it, with its configuration, certificate and logs in dir; both stop
// when the test ends. Free ports are found by listening and closing, so
// another process may take one first: then it tries again with new ones.
func startBehindNginx(t *testing.T, bin, dir string) *proxied {
	t.Helper()
	tmpl, err := template.ParseFiles(filepath.Join("testdata", "nginx.conf.tmpl"))
	require.NoError(t, err)
	errorLog := filepath.Join(dir, "error.log")
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(errorLog)
			t.Logf("nginx's error log:\n%s", b)
		}
	})

	const attempts = 3
	for attempt := 1; ; attempt++ {
		ports := freePorts(t, 2)
		h, d := newServer(Config{
			APIKey:         testKey,
			HTTPSPort:      ports[0],
			TrustedProxies: []netip.Prefix{netip.PrefixFrom(proxyAddr, proxyAddr.BitLen())},
			Dev:            true,
		})
		srv := httptest.NewServer(h)
		px := &proxied{demo: d, demoURL: srv.URL, tlsPort: ports[0], httpPort: ports[1]}

		conf := filepath.Join(dir, "nginx.conf")
		var b bytes.Buffer
		require.NoError(t, tmpl.Execute(&b, map[string]any{
			"Dir":       dir,
			"TLSPort":   px.tlsPort,
			"HTTPPort":  px.httpPort,
			"Upstream":  srv.Listener.Addr().String(),
			"ProxyBind": proxyAddr.String(),
		}))
		require.NoError(t, os.WriteFile(conf, b.Bytes(), 0o600))
		_ = os.Remove(errorLog) // only this attempt's

		stop, err := runNginx(bin, dir, conf, errorLog, px.tlsPort, px.httpPort)
		if err == nil {
			t.Cleanup(srv.Close)
			t.Cleanup(stop) // runs first: nginx goes before the demo
			return px
		}
		srv.Close()
		logged, _ := os.ReadFile(errorLog)
		if attempt < attempts && bytes.Contains(logged, []byte("Address already in use")) {
			t.Logf("attempt %d: a port was taken, trying others: %v", attempt, err)
			continue
		}
		t.Fatalf("nginx did not start: %v\nconfiguration:\n%s\nerror log:\n%s", err, b.Bytes(), logged)
	}
}

// runNginx starts nginx in the foreground and waits, a bounded time, until
// it accepts connections on both ports. stop kills it and waits for it.
func runNginx(bin, dir, conf, errorLog string, ports ...int) (stop func(), err error) {
	cmd := exec.Command(bin, "-p", dir+string(filepath.Separator), "-c", conf, "-e", errorLog)
	// nginx reads inherited listening sockets from $NGINX.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NGINX=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop = func() {
		_ = cmd.Process.Kill()
		<-exited
	}

	const tries, every = 400, 25 * time.Millisecond // 10s at most
	for range tries {
		select {
		case err := <-exited:
			return nil, fmt.Errorf("nginx exited: %v; its output: %s", err, out.Bytes())
		case <-time.After(every):
		}
		if accepting(ports) {
			return stop, nil
		}
	}
	stop()
	return nil, fmt.Errorf("nginx does not accept connections on 127.0.0.1:%v after %v", ports, tries*every)
}

func accepting(ports []int) bool {
	for _, p := range ports {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(p), time.Second)
		if err != nil {
			return false
		}
		c.Close()
	}
	return true
}

// freePorts returns n distinct ports of 127.0.0.1 that were free a moment
// ago.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// loopbackClient connects from local, trusts roots, and follows no
// redirect.
func loopbackClient(roots *x509.CertPool, local netip.Addr) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, LocalAddr: net.TCPAddrFromAddrPort(netip.AddrPortFrom(local, 0))}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:             nil,
			DialContext:       dialer.DialContext,
			TLSClientConfig:   &tls.Config{RootCAs: roots},
			DisableKeepAlives: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
}

// call POSTs body to url with headers.
func call(t *testing.T, c *http.Client, url, body string, headers map[string]string) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return roundTrip(t, c, req)
}

// callRaw is call for answers that may not be envelopes at all.
func callRaw(t *testing.T, c *http.Client, url, body string, headers map[string]string) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{HTTPStatus: resp.StatusCode, Header: resp.Header, Raw: string(b)}
}

// topLevelKeys returns the keys of a JSON object in the order they come.
func topLevelKeys(t *testing.T, raw string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(raw))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok, raw)
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, tok.(string))
		var v json.RawMessage
		require.NoError(t, dec.Decode(&v))
	}
	_, err = dec.Token()
	require.NoError(t, err)
	_, err = dec.Token()
	require.True(t, errors.Is(err, io.EOF), "data after the object: %s", raw)
	return keys
}
