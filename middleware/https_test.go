package middleware_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// httpsServer serves an action behind RequireHTTPS and Envelope over TLS
// or plain HTTP, and counts how often the action ran.
func httpsServer(t *testing.T, useTLS bool, opts middleware.HTTPSOptions) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	ran := new(atomic.Int32)
	h := middleware.NewChain(middleware.RequireHTTPS(opts), middleware.Envelope(middleware.EnvelopeOptions{})).
		ThenFunc(func(w http.ResponseWriter, r *http.Request) {
			ran.Add(1)
			envelope.Success(w, r, "ran")
		})
	srv := httptest.NewUnstartedServer(h)
	if useTLS {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	srv.Client().CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return srv, ran
}

func TestRequireHTTPSOverTheWire(t *testing.T) {
	const path = "/api/v1/send/message?to=a%40b.example&x=1"
	for _, tc := range []struct {
		name     string
		tls      bool
		opts     middleware.HTTPSOptions
		code     int
		location string // after https://127.0.0.1
		status   string // envelope status, "" when there is no body
		hsts     string
	}{
		{name: "HTTPS runs the handler", tls: true, code: http.StatusOK, status: "success"},
		{
			name: "HTTPS with HSTS", tls: true,
			opts: middleware.HTTPSOptions{HSTSMaxAge: 365 * 24 * time.Hour, HSTSIncludeSubdomains: true, HSTSPreload: true},
			code: http.StatusOK, status: "success", hsts: "max-age=31536000; includeSubDomains; preload",
		},
		{name: "HTTP is redirected with 308", code: http.StatusPermanentRedirect, location: path},
		{name: "HTTP to another port", opts: middleware.HTTPSOptions{HTTPSPort: 8443}, code: http.StatusPermanentRedirect, location: ":8443" + path},
		{name: "HTTP with 301", opts: middleware.HTTPSOptions{RedirectStatus: http.StatusMovedPermanently}, code: http.StatusMovedPermanently, location: path},
		{name: "HTTP gets no HSTS", opts: middleware.HTTPSOptions{HSTSMaxAge: time.Hour}, code: http.StatusPermanentRedirect, location: path},
		{name: "HTTP rejected", opts: middleware.HTTPSOptions{Reject: true}, code: http.StatusOK, status: "error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, ran := httpsServer(t, tc.tls, tc.opts)
			resp, err := srv.Client().Post(srv.URL+path, "application/json", strings.NewReader(`{"secret":"in clear"}`))
			require.NoError(t, err)
			defer resp.Body.Close()
			body := readAll(t, resp)

			assert.Equal(t, tc.code, resp.StatusCode)
			assert.Equal(t, tc.hsts, resp.Header.Get("Strict-Transport-Security"))
			if tc.location != "" {
				assert.Equal(t, "https://127.0.0.1"+tc.location, resp.Header.Get("Location"))
			} else {
				assert.Empty(t, resp.Header.Get("Location"))
			}
			if tc.status == "" {
				assert.Empty(t, body)
				assert.Zero(t, ran.Load())
				return
			}
			env, data := decodeWire(t, body)
			assert.Equal(t, tc.status, env.Status)
			if tc.status == "error" {
				assert.Equal(t, envelope.CodeHTTPSRequired, data.Code)
				assert.Zero(t, ran.Load())
			} else {
				assert.Equal(t, int32(1), ran.Load())
			}
		})
	}
}

func TestRequireHTTPSKeepsDoubleSlashPathsAsPaths(t *testing.T) {
	srv, _ := httpsServer(t, false, middleware.HTTPSOptions{})
	resp, err := srv.Client().Post(srv.URL+"//evil.example/x", "application/json", nil)
	require.NoError(t, err)
	resp.Body.Close()

	require.Equal(t, http.StatusPermanentRedirect, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", loc.Host)
	assert.Equal(t, "//evil.example/x", loc.Path)
}

// failingBody fails the test when it is read.
type failingBody struct{ t *testing.T }

func (b failingBody) Read([]byte) (int, error) {
	b.t.Error("the body of a plain HTTP request was read")
	return 0, io.EOF
}

func TestRequireHTTPSReadsNoBody(t *testing.T) {
	for _, opts := range []middleware.HTTPSOptions{{}, {Reject: true}} {
		h := middleware.RequireHTTPS(opts)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			t.Error("the handler ran for plain HTTP")
		}))
		r := httptest.NewRequest(http.MethodPost, "/api/v1/a/b", failingBody{t})
		serve(h, r)
	}
}

func TestRequireHTTPSRedirectTarget(t *testing.T) {
	for _, tc := range []struct {
		host   string // the request's Host header
		target string // the request target
		opts   middleware.HTTPSOptions
		want   string // Location; "" for the HTTPSRequired envelope
	}{
		{"example.com", "/a/b?c=d", middleware.HTTPSOptions{}, "https://example.com/a/b?c=d"},
		{"example.com:8080", "/a", middleware.HTTPSOptions{HTTPSPort: 8443}, "https://example.com:8443/a"},
		{"example.com:8080", "/a", middleware.HTTPSOptions{HTTPSPort: 443}, "https://example.com/a"},
		{"example.com:", "/a", middleware.HTTPSOptions{}, "https://example.com/a"},
		{"Example.COM.", "/a", middleware.HTTPSOptions{}, "https://Example.COM./a"},
		{"[::1]:8080", "/a", middleware.HTTPSOptions{HTTPSPort: 8443}, "https://[::1]:8443/a"},
		{"192.0.2.7", "/a", middleware.HTTPSOptions{}, "https://192.0.2.7/a"},
		{"example.com", "//evil.example/x", middleware.HTTPSOptions{}, "https://example.com//evil.example/x"},
		{"example.com", "/%2F%2Fevil.example", middleware.HTTPSOptions{}, "https://example.com/%2F%2Fevil.example"},
		{"example.com", "/a%20b/%5Cc?q=%0d%0a", middleware.HTTPSOptions{}, "https://example.com/a%20b/%5Cc?q=%0d%0a"},
		{"example.com", "*", middleware.HTTPSOptions{}, "https://example.com/"},
		{"evil.example", "/a", middleware.HTTPSOptions{Host: "api.example.com", HTTPSPort: 8443}, "https://api.example.com:8443/a"},
		{"evil.example/x", "/a", middleware.HTTPSOptions{Host: "api.example.com"}, "https://api.example.com/a"},

		{"evil.example/x", "/a", middleware.HTTPSOptions{}, ""},
		{"user@evil.example", "/a", middleware.HTTPSOptions{}, ""},
		{`evil.example\x`, "/a", middleware.HTTPSOptions{}, ""},
		{"evil.example?", "/a", middleware.HTTPSOptions{}, ""},
		{"evil.example#", "/a", middleware.HTTPSOptions{}, ""},
		{"a b", "/a", middleware.HTTPSOptions{}, ""},
		{"example.com\r\nSet-Cookie: a=b", "/a", middleware.HTTPSOptions{}, ""},
		{"example.com%2fevil", "/a", middleware.HTTPSOptions{}, ""},
		{"", "/a", middleware.HTTPSOptions{}, ""},
		{":8080", "/a", middleware.HTTPSOptions{}, ""},
		{"example.com:80:80", "/a", middleware.HTTPSOptions{}, ""},
		{"example.com:8o", "/a", middleware.HTTPSOptions{}, ""},
		{"example.com:8080808", "/a", middleware.HTTPSOptions{}, ""},
		{"[::1", "/a", middleware.HTTPSOptions{}, ""},
		{"[::1]x", "/a", middleware.HTTPSOptions{}, ""},
		{"[192.0.2.7]", "/a", middleware.HTTPSOptions{}, ""},
		{"[fe80::1%25eth0]", "/a", middleware.HTTPSOptions{}, ""},
		{"::1", "/a", middleware.HTTPSOptions{}, ""},
		{"bücher.example", "/a", middleware.HTTPSOptions{}, ""},
	} {
		t.Run(tc.host+" "+tc.target, func(t *testing.T) {
			h := middleware.RequireHTTPS(tc.opts)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				t.Error("the handler ran for plain HTTP")
			}))
			r := httptest.NewRequest(http.MethodPost, tc.target, nil)
			r.Host = tc.host
			rec := serve(h, r)

			if tc.want == "" {
				assert.Equal(t, http.StatusOK, rec.Code)
				assert.Empty(t, rec.Header().Get("Location"))
				env, data := decodeWire(t, rec.Body.Bytes())
				assert.Equal(t, "error", env.Status)
				assert.Equal(t, envelope.CodeHTTPSRequired, data.Code)
				return
			}
			assert.Equal(t, http.StatusPermanentRedirect, rec.Code)
			assert.Equal(t, tc.want, rec.Header().Get("Location"))
			assert.Empty(t, rec.Body.String())
			assert.Equal(t, tc.host, r.Host, "the request must not change")
		})
	}
}

func TestRequireHTTPSTrustedProxies(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	const proxy = "10.1.2.3:5000"
	for _, tc := range []struct {
		name      string
		remote    string
		xfp       []string
		forwarded []string
		https     bool
	}{
		{"X-Forwarded-Proto from a trusted proxy", proxy, []string{"https"}, nil, true},
		{"scheme is case-insensitive", proxy, []string{"HTTPS"}, nil, true},
		{"the proxy says http", proxy, []string{"http"}, nil, false},
		{"the proxy says nothing", proxy, nil, nil, false},
		{"untrusted X-Forwarded-Proto", "192.0.2.1:5000", []string{"https"}, nil, false},
		{"untrusted Forwarded", "192.0.2.1:5000", nil, []string{"proto=https"}, false},
		{"just outside the prefix", "11.0.0.1:5000", []string{"https"}, nil, false},
		{"IPv6 proxy", "[2001:db8::7]:443", nil, []string{"proto=https"}, true},
		{"IPv4 proxy seen as IPv6", "[::ffff:10.0.0.5]:1234", []string{"https"}, nil, true},
		{"zoned address", "[2001:db8::7%eth0]:443", []string{"https"}, nil, true},
		{"RemoteAddr without port", "10.1.2.3", []string{"https"}, nil, true},
		{"RemoteAddr that is no address", "proxy.internal:80", []string{"https"}, nil, false},
		{"X-Forwarded-Proto: last hop https", proxy, []string{"http, https"}, nil, true},
		{"X-Forwarded-Proto: last hop http", proxy, []string{"https, http"}, nil, false},
		{"X-Forwarded-Proto over two lines", proxy, []string{"http", "https"}, nil, true},
		{"X-Forwarded-Proto with empty elements", proxy, []string{"https , ,"}, nil, true},

		{"Forwarded", proxy, nil, []string{"for=192.0.2.60;proto=https;by=203.0.113.43"}, true},
		{"Forwarded parameter names are case-insensitive", proxy, nil, []string{"Proto=HTTPS"}, true},
		{"Forwarded quoted value", proxy, nil, []string{`for="[2001:db8::1]:80";proto="https"`}, true},
		{"Forwarded quoted separators", proxy, nil, []string{`for="a,b;proto=http";proto=https`}, true},
		{"Forwarded escaped quote", proxy, nil, []string{`for="a\",proto=http";proto=https`}, true},
		{"Forwarded last element http", proxy, nil, []string{"proto=https, for=10.0.0.1;proto=http"}, false},
		{"Forwarded last element https", proxy, nil, []string{"proto=http, for=10.0.0.1;proto=https"}, true},
		{"Forwarded over two lines", proxy, nil, []string{"proto=http", "proto=https"}, true},
		{"Forwarded last element without proto", proxy, nil, []string{"proto=https, for=10.0.0.1"}, false},
		{"Forwarded with empty elements", proxy, nil, []string{", proto=https , ,"}, true},
		{"Forwarded with spaces around ;", proxy, nil, []string{"for=192.0.2.60 ; proto=https"}, true},
		{"Forwarded proto twice", proxy, nil, []string{"proto=https;proto=https"}, false},
		{"Forwarded empty value", proxy, nil, []string{"proto="}, false},
		{"Forwarded unterminated quote", proxy, nil, []string{`proto="https`}, false},
		{"Forwarded junk after a value", proxy, nil, []string{"proto=https x"}, false},
		{"Forwarded without a name", proxy, nil, []string{"=https"}, false},
		{"Forwarded space around =", proxy, nil, []string{"proto = https"}, false},

		{"both say https", proxy, []string{"https"}, []string{"proto=https"}, true},
		{"the headers disagree", proxy, []string{"https"}, []string{"proto=http"}, false},
		{"the headers disagree the other way", proxy, []string{"http"}, []string{"proto=https"}, false},
		{"Forwarded without proto leaves it to X-Forwarded-Proto", proxy, []string{"https"}, []string{"for=192.0.2.60"}, true},
		{"malformed Forwarded is not believed", proxy, []string{"https"}, []string{"proto=https;" + `for="`}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ran := false
			h := middleware.RequireHTTPS(middleware.HTTPSOptions{Reject: true, TrustedProxies: trusted, HSTSMaxAge: time.Hour})(
				http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ran = true }))
			r := httptest.NewRequest(http.MethodPost, "/api/v1/a/b", nil)
			r.RemoteAddr = tc.remote
			r.Header["X-Forwarded-Proto"] = tc.xfp
			r.Header["Forwarded"] = tc.forwarded
			rec := serve(h, r)

			assert.Equal(t, tc.https, ran)
			if tc.https {
				assert.Equal(t, "max-age=3600", rec.Header().Get("Strict-Transport-Security"))
			} else {
				_, data := decodeWire(t, rec.Body.Bytes())
				assert.Equal(t, envelope.CodeHTTPSRequired, data.Code)
				assert.Empty(t, rec.Header().Get("Strict-Transport-Security"))
			}
		})
	}
}

func TestRequireHTTPSBelievesTLSAboveHeaders(t *testing.T) {
	ran := false
	h := middleware.RequireHTTPS(middleware.HTTPSOptions{Reject: true})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ran = true }))
	r := httptest.NewRequest(http.MethodPost, "https://example.com/api/v1/a/b", nil)
	require.NotNil(t, r.TLS)
	r.Header.Set("X-Forwarded-Proto", "http")
	serve(h, r)
	assert.True(t, ran)
}

func TestRequireHTTPSRefusesBadOptions(t *testing.T) {
	for _, opts := range []middleware.HTTPSOptions{
		{RedirectStatus: http.StatusFound},
		{RedirectStatus: http.StatusTemporaryRedirect},
		{Host: "api.example.com:8443"},
		{Host: "api.example.com/x"},
		{Host: "user@api.example.com"},
		{HTTPSPort: -1},
		{HTTPSPort: 65536},
	} {
		assert.Panics(t, func() { middleware.RequireHTTPS(opts) }, "%+v", opts)
	}
}

// FuzzRequireHTTPSRedirect checks that no Host header, path or query can
// make the redirect leave the host it names, inject a header or panic.
func FuzzRequireHTTPSRedirect(f *testing.F) {
	for _, seed := range [][3]string{
		{"example.com", "/a/b", "c=d"},
		{"example.com:8080", "//evil.example/x", ""},
		{"[::1]:80", "/a b", "q=\r\n"},
		{"user@evil.example", "/", ""},
		{`evil.example\@good.example`, `/\evil`, "#x"},
		{"example.com", "*", ""},
		{"ex ample.com", "", "%zz"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	h := middleware.RequireHTTPS(middleware.HTTPSOptions{HTTPSPort: 8443})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("the handler ran for plain HTTP")
	}))
	simpleHost := func(s string) bool {
		name, port, _ := strings.Cut(s, ":")
		return name != "" && strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789.-") == "" &&
			len(name) <= 253 && len(port) <= 5 && strings.Trim(port, "0123456789") == ""
	}
	f.Fuzz(func(t *testing.T, host, path, query string) {
		r := &http.Request{
			Method:     http.MethodPost,
			Host:       host,
			URL:        &url.URL{Path: path, RawQuery: query},
			Header:     http.Header{},
			RemoteAddr: "192.0.2.1:1234",
		}
		rec := serve(h, r)
		if rec.Code != http.StatusPermanentRedirect {
			require.Equal(t, http.StatusOK, rec.Code)
			require.False(t, simpleHost(host), "a plain host name must be redirected: %q", host)
			_, data := decodeWire(t, rec.Body.Bytes())
			require.Equal(t, envelope.CodeHTTPSRequired, data.Code)
			return
		}
		loc := rec.Header().Get("Location")
		for i := 0; i < len(loc); i++ {
			require.False(t, loc[i] <= ' ' || loc[i] >= 0x7f, "byte %#x in Location %q", loc[i], loc)
		}
		rest, ok := strings.CutPrefix(loc, "https://")
		require.True(t, ok, loc)
		authority, _, _ := strings.Cut(rest, "/")
		require.NotContains(t, authority, `\`)
		require.NotContains(t, authority, "@")
		require.NotContains(t, authority, "?")
		require.NotContains(t, authority, "#")
		require.NotContains(t, authority, "%")
		u, err := url.Parse(loc)
		require.NoError(t, err, loc)
		assert.Equal(t, "https", u.Scheme)
		assert.Equal(t, authority, u.Host)
		assert.Equal(t, "8443", u.Port())
		assert.Nil(t, u.User)
		if strings.HasPrefix(path, "/") {
			assert.Equal(t, path, u.Path, "the path must survive the redirect")
		} else {
			assert.Equal(t, "/", u.Path)
		}
	})
}

// FuzzRequireHTTPSForwarded checks that the proxy headers never crash the
// parser and are believed only when they say https.
func FuzzRequireHTTPSForwarded(f *testing.F) {
	for _, seed := range [][2]string{
		{"for=192.0.2.60;proto=https;by=203.0.113.43", ""},
		{`for="a,b;proto=http";proto="https"`, ""},
		{"proto=http, proto=https", "http"},
		{"", "http, https"},
		{`proto="\`, "https"},
		{"proto=https;;, ,", " https "},
	} {
		f.Add(seed[0], seed[1])
	}
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	f.Fuzz(func(t *testing.T, forwarded, xfp string) {
		ran := false
		h := middleware.RequireHTTPS(middleware.HTTPSOptions{Reject: true, TrustedProxies: trusted})(
			http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ran = true }))
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.RemoteAddr = "10.0.0.1:1234"
		if forwarded != "" {
			r.Header["Forwarded"] = []string{forwarded}
		}
		if xfp != "" {
			r.Header["X-Forwarded-Proto"] = []string{xfp}
		}
		serve(h, r)
		if ran {
			assert.Contains(t, strings.ToLower(forwarded+xfp), "https")
		}
		if forwarded == "" && strings.EqualFold(strings.Trim(xfp[strings.LastIndexByte(xfp, ',')+1:], " \t"), "https") {
			assert.True(t, ran, "X-Forwarded-Proto %q says https", xfp)
		}
		if xfp == "" && strings.EqualFold(forwarded, "proto=https") {
			assert.True(t, ran)
		}
	})
}

// TestRequireHTTPSDrainsWhatATrustedProxySent: a proxy sends the whole body
// before it reads the answer, so what the handler left unread is read and
// discarded, up to a bound, instead of the connection being closed on it.
func TestRequireHTTPSDrainsWhatATrustedProxySent(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	h := middleware.RequireHTTPS(middleware.HTTPSOptions{TrustedProxies: trusted})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for _, c := range []struct {
		remote string
		size   int
		unread int
	}{
		{remote: "10.1.2.3:5000", size: 2 << 20, unread: 0},
		{remote: "10.1.2.3:5000", size: 9 << 20, unread: 1 << 20},
		{remote: "192.0.2.1:5000", size: 2 << 20, unread: 2 << 20},
	} {
		body := strings.NewReader(strings.Repeat("x", c.size))
		r := httptest.NewRequest(http.MethodPost, "http://api.example/api/v1/a/b", body)
		r.RemoteAddr = c.remote
		r.Header.Set("X-Forwarded-Proto", "https")
		h.ServeHTTP(httptest.NewRecorder(), r)
		assert.Equal(t, c.unread, body.Len(), "%s sent %d bytes", c.remote, c.size)
	}
}
