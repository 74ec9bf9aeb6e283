package middleware_test

import (
	"bufio"
	"crypto/tls"
	"io"
	"log"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// serverAPI is a router with one action behind Params, as an API built with
// the toolkit has.
func serverAPI() http.Handler {
	quiet := slog.New(slog.DiscardHandler)
	r := middleware.NewRouter(middleware.RouterOptions{
		Envelope: middleware.EnvelopeOptions{Logger: quiet},
		Recover:  middleware.RecoverOptions{Logger: quiet},
	})
	r.Action("messages", "list", middleware.NewChain(middleware.Params(middleware.ParamsOptions{})).
		ThenFunc(func(w http.ResponseWriter, r *http.Request) { envelope.Success(w, r, "listed") }))
	return r
}

// testServer is a server started by startServer, which counts the
// connections it has not closed yet.
type testServer struct {
	*httptest.Server
	mu   sync.Mutex
	open map[net.Conn]bool
}

// conns is the number of connections the server has not closed yet.
func (ts *testServer) conns() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return len(ts.open)
}

// startServer serves srv over TLS (HTTP/2 offered when h2 is set) or plain
// HTTP, on a loopback port. It wraps srv's ConnState hook, as NewServer's
// documentation asks, to count connections.
func startServer(t *testing.T, srv *http.Server, useTLS, h2 bool) *testServer {
	t.Helper()
	ts := &testServer{Server: httptest.NewUnstartedServer(srv.Handler), open: map[net.Conn]bool{}}
	inner := srv.ConnState
	srv.ConnState = func(c net.Conn, state http.ConnState) {
		ts.mu.Lock()
		if state == http.StateClosed || state == http.StateHijacked {
			delete(ts.open, c)
		} else {
			ts.open[c] = true
		}
		ts.mu.Unlock()
		if inner != nil {
			inner(c, state)
		}
	}
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ts.Config = srv
	ts.EnableHTTP2 = h2
	if useTLS {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	t.Cleanup(ts.Close)
	return ts
}

func TestNewServerOptions(t *testing.T) {
	h := http.NotFoundHandler()
	tests := []struct {
		name                          string
		opts                          middleware.ServerOptions
		readHeader, read, write, idle time.Duration
		headerBytes                   int
	}{
		{"zero value", middleware.ServerOptions{}, 10 * time.Second, 30 * time.Second, 60 * time.Second, 60 * time.Second, 64 << 10},
		{"negative values", middleware.ServerOptions{ReadHeaderTimeout: -1, ReadTimeout: -1, WriteTimeout: -1, IdleTimeout: -1, MaxHeaderBytes: -1, MaxConns: -1, MaxConnsPerClient: -1, RetryAfter: -1},
			10 * time.Second, 30 * time.Second, 60 * time.Second, 60 * time.Second, 64 << 10},
		{"write time follows the read time", middleware.ServerOptions{ReadTimeout: 5 * time.Second}, 10 * time.Second, 5 * time.Second, 35 * time.Second, 60 * time.Second, 64 << 10},
		{"set", middleware.ServerOptions{ReadHeaderTimeout: time.Second, ReadTimeout: 2 * time.Second, WriteTimeout: 3 * time.Second, IdleTimeout: 4 * time.Second, MaxHeaderBytes: 8 << 10},
			time.Second, 2 * time.Second, 3 * time.Second, 4 * time.Second, 8 << 10},
		{"largest values", middleware.ServerOptions{ReadHeaderTimeout: math.MaxInt64, ReadTimeout: math.MaxInt64, IdleTimeout: math.MaxInt64, MaxHeaderBytes: math.MaxInt, MaxConns: math.MaxInt, MaxConnsPerClient: math.MaxInt, RetryAfter: math.MaxInt64},
			math.MaxInt64, math.MaxInt64, math.MaxInt64, math.MaxInt64, 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := middleware.NewServer(h, tt.opts)
			assert.Equal(t, tt.readHeader, srv.ReadHeaderTimeout)
			assert.Equal(t, tt.read, srv.ReadTimeout)
			assert.Equal(t, tt.write, srv.WriteTimeout)
			assert.Equal(t, tt.idle, srv.IdleTimeout)
			assert.Equal(t, tt.headerBytes, srv.MaxHeaderBytes)
			assert.True(t, srv.DisableGeneralOptionsHandler)
		})
	}
	t.Run("a write time not past the read time panics", func(t *testing.T) {
		assert.PanicsWithValue(t, "middleware: NewServer: WriteTimeout 30s must be longer than ReadTimeout 30s, so that the answer to a request that used up its read time can still be written",
			func() { middleware.NewServer(h, middleware.ServerOptions{WriteTimeout: 30 * time.Second}) })
		assert.Panics(t, func() {
			middleware.NewServer(h, middleware.ServerOptions{ReadTimeout: time.Minute, WriteTimeout: time.Second})
		})
	})
	t.Run("nil handler panics", func(t *testing.T) {
		assert.Panics(t, func() { middleware.NewServer(nil, middleware.ServerOptions{}) })
	})

	// The largest values still serve: MaxHeaderBytes at math.MaxInt would
	// make net/http refuse every request, its read limit overflowing.
	largest := middleware.NewServer(serverAPI(), tests[len(tests)-1].opts)
	ts := startServer(t, largest, true, false)
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/api/v1/messages/list", strings.NewReader(`{}`))
	require.NoError(t, err)
	a := roundTrip(t, ts.Client(), req)
	assert.Equal(t, envelope.StatusSuccess, a.Env.Status)
}

// shortBody sends over c a request that declares 100 bytes of body and
// sends 10, then waits.
func shortBody(t *testing.T, c net.Conn) {
	t.Helper()
	_, err := io.WriteString(c, "POST /api/v1/messages/list HTTP/1.1\r\nHost: api.example\r\n"+
		"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"page\": 1")
	require.NoError(t, err)
}

// A body shorter than its Content-Length is answered once the read time is
// up, with the IncompleteBody envelope, over TLS and HTTP/1.1 (issue 13,
// bug 3: the demo's write deadline came with its read deadline, and the
// answer was never written).
func TestNewServerAnswersABodyThatStopsShort(t *testing.T) {
	srv := middleware.NewServer(serverAPI(), middleware.ServerOptions{ReadTimeout: 300 * time.Millisecond})
	ts := startServer(t, srv, true, false)
	c, err := tls.Dial("tcp", ts.Listener.Addr().String(), ts.Client().Transport.(*http.Transport).TLSClientConfig)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(20*time.Second))) // a guard against a hang, not a timing assertion
	shortBody(t, c)
	resp, body := readAnswer(t, bufio.NewReader(c))
	env := parseWhole(t, resp.StatusCode, resp.Header, body)
	assert.Equal(t, envelope.StatusParameterError, env.Status)
	assert.Equal(t, envelope.CodeIncompleteBody, env.ErrCode)

	// The check can fail: a server whose write time ends before its read
	// time, as NewServer refuses to make, never sends that answer.
	bad := &http.Server{Handler: serverAPI(), ReadTimeout: 300 * time.Millisecond, WriteTimeout: 150 * time.Millisecond}
	badTS := startServer(t, bad, true, false)
	c2, err := tls.Dial("tcp", badTS.Listener.Addr().String(), badTS.Client().Transport.(*http.Transport).TLSClientConfig)
	require.NoError(t, err)
	defer c2.Close()
	require.NoError(t, c2.SetDeadline(time.Now().Add(20*time.Second)))
	shortBody(t, c2)
	_, err = http.ReadResponse(bufio.NewReader(c2), nil)
	assert.Error(t, err, "with the write time over first, no answer")
}

// The same over HTTP/2, where net/http applies the timeouts to each stream.
func TestNewServerAnswersABodyThatStopsShortOverHTTP2(t *testing.T) {
	srv := middleware.NewServer(serverAPI(), middleware.ServerOptions{ReadTimeout: 300 * time.Millisecond})
	ts := startServer(t, srv, true, true)
	pr, pw := io.Pipe()
	defer pw.Close()
	go func() { _, _ = io.WriteString(pw, `{"page": 1`) }() // and nothing more
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/api/v1/messages/list", pr)
	require.NoError(t, err)
	req.ContentLength = 100
	req.Header.Set("Content-Type", "application/json")
	a := roundTrip(t, ts.Client(), req)
	assert.Equal(t, 2, a.Proto)
	assert.Equal(t, envelope.StatusParameterError, a.Env.Status)
	assert.Equal(t, envelope.CodeIncompleteBody, a.dataCode(t))
}

// "OPTIONS *" gets the envelope from the API, not net/http's bare 200,
// over HTTP/1.1 and HTTP/2, TLS and plain (issue 13, bug 4).
func TestNewServerOptionsStarGetsTheEnvelope(t *testing.T) {
	tests := []struct {
		name       string
		useTLS, h2 bool
		wantProto  int
	}{
		{"HTTP/1.1 over TLS", true, false, 1},
		{"HTTP/1.1 plain", false, false, 1},
		{"HTTP/2 over TLS", true, true, 2},
		{"HTTP/2 plain", false, true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := middleware.NewServer(serverAPI(), middleware.ServerOptions{})
			if !tt.useTLS && tt.h2 {
				srv.Protocols = new(http.Protocols)
				srv.Protocols.SetUnencryptedHTTP2(true)
			}
			ts := startServer(t, srv, tt.useTLS, tt.h2)
			client := ts.Client()
			if !tt.useTLS && tt.h2 {
				tr := &http.Transport{Protocols: new(http.Protocols)}
				tr.Protocols.SetUnencryptedHTTP2(true)
				client = &http.Client{Transport: tr}
				defer tr.CloseIdleConnections()
			}
			u, err := url.Parse(ts.URL)
			require.NoError(t, err)
			u.Opaque = "*"
			req := &http.Request{Method: http.MethodOptions, URL: u, Host: u.Host, Header: http.Header{}}
			a := roundTrip(t, client, req)
			assert.Equal(t, tt.wantProto, a.Proto)
			assert.Equal(t, envelope.StatusError, a.Env.Status)
			assert.Equal(t, envelope.CodeMethodNotAllowed, a.dataCode(t))
			assert.Equal(t, "POST, OPTIONS", a.Header.Get("Allow"))
		})
	}
}

// dialCap opens a plain connection to ts from the loopback address from.
func dialCap(t *testing.T, ts *testServer, from string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	c, err := d.Dial("tcp", ts.Listener.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	require.NoError(t, c.SetDeadline(time.Now().Add(20*time.Second))) // a guard against a hang
	return c
}

// listOn sends one request on c and reads its answer.
func listOn(t *testing.T, c net.Conn) (*http.Response, whole) {
	t.Helper()
	_, err := io.WriteString(c, "POST /api/v1/messages/list HTTP/1.1\r\nHost: api.example\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
	require.NoError(t, err)
	resp, body := readAnswer(t, bufio.NewReader(c))
	return resp, parseWhole(t, resp.StatusCode, resp.Header, body)
}

// assertRefused checks that c gets the 503 envelope with Retry-After and
// is then closed.
func assertRefused(t *testing.T, c net.Conn, retryAfter string) {
	t.Helper()
	br := bufio.NewReader(c)
	_, err := io.WriteString(c, "POST /api/v1/messages/list HTTP/1.1\r\nHost: api.example\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
	require.NoError(t, err)
	resp, body := readAnswer(t, br)
	env := parseWhole(t, resp.StatusCode, resp.Header, body)
	assert.Equal(t, envelope.StatusServiceUnavailable, env.Status)
	assert.Equal(t, retryAfter, resp.Header.Get("Retry-After"))
	assert.True(t, resp.Close, "the connection is closed after the answer")
	_, err = br.ReadByte()
	assert.ErrorIs(t, err, io.EOF, "the connection is closed after the answer")
}

// closeAndWait closes c and waits until the server has closed its end:
// until then it still counts c.
func closeAndWait(t *testing.T, ts *testServer, c net.Conn) {
	t.Helper()
	before := ts.conns()
	c.Close()
	require.Eventually(t, func() bool { return ts.conns() < before }, 10*time.Second, 5*time.Millisecond)
}

func TestNewServerCapsConnections(t *testing.T) {
	srv := middleware.NewServer(serverAPI(), middleware.ServerOptions{MaxConns: 3, MaxConnsPerClient: 2, RetryAfter: 7 * time.Second})
	ts := startServer(t, srv, false, false)

	a1, a2 := dialCap(t, ts, "127.0.0.1"), dialCap(t, ts, "127.0.0.1")
	for _, c := range []net.Conn{a1, a2} {
		_, env := listOn(t, c)
		assert.Equal(t, envelope.StatusSuccess, env.Status)
	}
	// A third connection from the same address is over its cap.
	assertRefused(t, dialCap(t, ts, "127.0.0.1"), "7")

	// Another address has room of its own, up to the total.
	b1 := dialCap(t, ts, "127.0.0.2")
	_, env := listOn(t, b1)
	assert.Equal(t, envelope.StatusSuccess, env.Status)
	assertRefused(t, dialCap(t, ts, "127.0.0.3"), "7")

	// A connection that closes makes room for the next one.
	closeAndWait(t, ts, a1)
	_, env = listOn(t, dialCap(t, ts, "127.0.0.1"))
	assert.Equal(t, envelope.StatusSuccess, env.Status)
}

// Over TLS and HTTP/2 the refusal is the same envelope.
func TestNewServerCapsConnectionsOverHTTP2(t *testing.T) {
	srv := middleware.NewServer(serverAPI(), middleware.ServerOptions{MaxConns: 1})
	ts := startServer(t, srv, true, true)
	first := ts.Client()
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/api/v1/messages/list", strings.NewReader(`{}`))
	require.NoError(t, err)
	a := roundTrip(t, first, req)
	require.Equal(t, 2, a.Proto)
	require.Equal(t, envelope.StatusSuccess, a.Env.Status)

	// A second client opens a second connection, over the cap.
	second := &http.Client{Transport: ts.Client().Transport.(*http.Transport).Clone()}
	defer second.CloseIdleConnections()
	req, err = http.NewRequest(http.MethodPost, ts.URL+"/api/v1/messages/list", strings.NewReader(`{}`))
	require.NoError(t, err)
	a = roundTrip(t, second, req)
	assert.Equal(t, 2, a.Proto)
	assert.Equal(t, envelope.StatusServiceUnavailable, a.Env.Status)
	assert.Equal(t, "5", a.Header.Get("Retry-After"))
}

// While 64 connections over the cap wait to be refused, the next one is
// closed at once, unanswered: refusing costs a bounded amount too.
func TestNewServerClosesWhatItCannotRefuse(t *testing.T) {
	srv := middleware.NewServer(serverAPI(), middleware.ServerOptions{MaxConns: 1})
	ts := startServer(t, srv, false, false)
	held := dialCap(t, ts, "127.0.0.1")
	_, env := listOn(t, held)
	require.Equal(t, envelope.StatusSuccess, env.Status)

	waiting := make([]net.Conn, 64)
	for i := range waiting {
		waiting[i] = dialCap(t, ts, "127.0.0.1") // each sends nothing: a refusal waiting for its request
	}
	require.Eventually(t, func() bool { return ts.conns() == 65 }, 10*time.Second, 5*time.Millisecond)
	over := dialCap(t, ts, "127.0.0.1")
	_, err := io.WriteString(over, "POST /api/v1/messages/list HTTP/1.1\r\nHost: api.example\r\nContent-Length: 2\r\n\r\n{}")
	if err == nil {
		var n int
		n, err = over.Read(make([]byte, 1))
		assert.Zero(t, n, "no answer")
	}
	assert.Error(t, err, "closed unanswered")

	// The waiting ones still get their answer.
	assertRefused(t, waiting[0], "5")
}
