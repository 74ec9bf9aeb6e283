package middleware_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"log"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// whole is one envelope read off the wire, checked against CONTRACT S1, S2,
// S5 and S6 by parseWhole.
type whole struct {
	Code    int
	Header  http.Header
	Status  envelope.Status
	Flags   map[string]any
	Data    json.RawMessage
	ErrCode string // data.code, for statuses other than success
	ErrMsg  string // data.message
}

// parseWhole checks that body is exactly one envelope, whole: the right
// Content-Type and Content-Length, one JSON object with the keys status,
// time, flags and data in that order and nothing after it, a known status
// carried by its HTTP status, and on every status but success data with a
// code and a message.
func parseWhole(t testing.TB, code int, header http.Header, body []byte) whole {
	t.Helper()
	w := whole{Code: code, Header: header}
	require.Contains(t, []int{http.StatusOK, http.StatusInternalServerError, http.StatusServiceUnavailable}, code, "HTTP status; body %q", body)
	require.Equal(t, "application/json; charset=utf-8", header.Get("Content-Type"), "body %q", body)
	require.Equal(t, strconv.Itoa(len(body)), header.Get("Content-Length"), "Content-Length of %q", body)
	require.True(t, json.Valid(body), "not one JSON value: %q", body)

	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok, "body %q", body)
	var keys []string
	var time json.Number
	for dec.More() {
		tok, err := dec.Token()
		require.NoError(t, err)
		key := tok.(string)
		keys = append(keys, key)
		switch key {
		case "status":
			require.NoError(t, dec.Decode(&w.Status))
		case "time":
			require.NoError(t, dec.Decode(&time), "time in %q", body)
		case "flags":
			require.NoError(t, dec.Decode(&w.Flags), "flags in %q", body)
		default:
			var raw json.RawMessage
			require.NoError(t, dec.Decode(&raw))
			if key == "data" {
				w.Data = raw
			}
		}
	}
	require.Equal(t, []string{"status", "time", "flags", "data"}, keys, "keys of %q", body)
	secs, err := time.Float64()
	require.NoError(t, err, "time %q", time)
	require.Greater(t, secs, 0.0, "time")
	require.NotNil(t, w.Flags, "flags must be an object: %q", body)
	require.Equal(t, w.Status.HTTPStatus(), code, "HTTP status of %q", w.Status)
	switch w.Status {
	case envelope.StatusSuccess:
	case envelope.StatusParameterError, envelope.StatusValidationError, envelope.StatusAccessDenied,
		envelope.StatusNotFound, envelope.StatusError, envelope.StatusInternalServerError, envelope.StatusServiceUnavailable:
		var data struct {
			Code    *string `json:"code"`
			Message *string `json:"message"`
		}
		require.NoError(t, json.Unmarshal(w.Data, &data), "data of %q", body)
		require.NotNil(t, data.Code, "data.code of %q", body)
		require.NotNil(t, data.Message, "data.message of %q", body)
		require.NotEmpty(t, *data.Code, "data.code of %q", body)
		require.NotEmpty(t, *data.Message, "data.message of %q", body)
		w.ErrCode, w.ErrMsg = *data.Code, *data.Message
	default:
		require.Failf(t, "unknown status", "%q in %q", w.Status, body)
	}
	return w
}

// hostileLimit is the body limit of the hostile server.
const hostileLimit = 64 << 10

// hostileOrigin is the one origin the hostile server's CORS allows.
const hostileOrigin = "https://app.example"

type hostileParams struct {
	Name  string   `json:"name" envelope:"required"`
	Page  int      `json:"page"`
	Ratio float64  `json:"ratio"`
	Tags  []string `json:"tags"`
	Meta  any      `json:"meta"`
}

// hostileServer serves one typed action behind the full chain:
// RequireHTTPS, Envelope, Recover, PostOnly with CORS, Params. It counts
// the runs of the action and tracks the server's connections.
type hostileServer struct {
	*httptest.Server
	runs    atomic.Int32
	waiting chan struct{} // receives when the action named "wait" starts
	gaveUp  chan struct{} // receives when that action sees its context end
	mu      sync.Mutex
	open    map[net.Conn]http.ConnState
}

// newHostileServer starts a hostile server over TLS, or plain HTTP when
// useTLS is false, after configure has set what it needs of the server.
func newHostileServer(t *testing.T, useTLS bool, httpsOpts middleware.HTTPSOptions, configure func(*http.Server)) *hostileServer {
	t.Helper()
	s := &hostileServer{waiting: make(chan struct{}, 1), gaveUp: make(chan struct{}, 1), open: map[net.Conn]http.ConnState{}}
	quiet := slog.New(slog.DiscardHandler)
	action := envelope.Action(func(ctx context.Context, p hostileParams) (hostileParams, error) {
		s.runs.Add(1)
		if p.Name == "wait" {
			s.waiting <- struct{}{}
			<-ctx.Done()
			s.gaveUp <- struct{}{}
		}
		return p, nil
	})
	h := middleware.NewChain(
		middleware.RequireHTTPS(httpsOpts),
		middleware.Envelope(middleware.EnvelopeOptions{Logger: quiet}),
		middleware.Recover(middleware.RecoverOptions{Logger: quiet}),
		middleware.PostOnly(middleware.PostOnlyOptions{CORS: middleware.CORSOptions{AllowedOrigins: []string{hostileOrigin}}}),
		middleware.Params(middleware.ParamsOptions{MaxBytes: hostileLimit}),
	).Then(action)
	s.Server = httptest.NewUnstartedServer(h)
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.Config.ConnState = func(c net.Conn, state http.ConnState) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if state == http.StateClosed || state == http.StateHijacked {
			delete(s.open, c)
		} else {
			s.open[c] = state
		}
	}
	if configure != nil {
		configure(s.Config)
	}
	if useTLS {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s
}

// post sends body with a real client and returns the whole envelope.
func (s *hostileServer) post(t *testing.T, contentType string, body io.Reader) whole {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+"/api/v1/hostile/call", body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return parseWhole(t, resp.StatusCode, resp.Header, b)
}

// dial opens a raw connection to the server, TLS when the server has it.
func (s *hostileServer) dial(t *testing.T) net.Conn {
	t.Helper()
	addr := s.Listener.Addr().String()
	if s.TLS == nil {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		return c
	}
	cfg := s.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	c, err := tls.Dial("tcp", addr, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	// Not a timing assertion: a guard, so that a server that never
	// answers fails the test instead of hanging it.
	require.NoError(t, c.SetDeadline(time.Now().Add(20*time.Second)))
	return c
}

// readAnswer reads one response off a raw connection.
func readAnswer(t *testing.T, br *bufio.Reader) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err, "the body must come whole")
	return resp, body
}

// assertParameterError reads the answer on c, whole, and checks that it is
// the parameter-error envelope with code.
func assertParameterError(t *testing.T, c net.Conn, code string) {
	t.Helper()
	resp, body := readAnswer(t, bufio.NewReader(c))
	env := parseWhole(t, resp.StatusCode, resp.Header, body)
	assert.Equal(t, envelope.StatusParameterError, env.Status)
	assert.Equal(t, code, env.ErrCode)
}

// requireSettles waits until the server has no connection left open and
// the process no more goroutines than baseline: nothing leaked.
func (s *hostileServer) requireSettles(t *testing.T, baseline int) {
	t.Helper()
	open := func() int {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.open)
	}
	// Polled here, not in assert.Eventually, whose own goroutines would
	// be counted.
	var conns, goroutines int
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if conns, goroutines = open(), runtime.NumGoroutine(); conns == 0 && goroutines <= baseline {
			return
		}
	}
	assert.Zero(t, conns, "the server kept connections open")
	assert.LessOrEqual(t, goroutines, baseline, "goroutines did not return to the baseline")
}

// receive waits for a value on ch, failing the test if none comes in ten
// seconds.
func receive[T any](t *testing.T, ch <-chan T, failure string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		require.FailNow(t, failure)
	}
	var zero T
	return zero
}

// paramsOfSize returns a valid parameters object of exactly n bytes.
func paramsOfSize(n int) string {
	const frame = `{"name":""}`
	return `{"name":"` + strings.Repeat("x", n-len(frame)) + `"}`
}

// unsized hides a reader's length, so that the client sends it chunked.
type unsized struct{ io.Reader }

func TestHostileBodySizes(t *testing.T) {
	s := newHostileServer(t, true, middleware.HTTPSOptions{}, nil)
	for _, tc := range []struct {
		name    string
		size    int
		chunked bool
		ok      bool
	}{
		{"just under the limit", hostileLimit - 1, false, true},
		{"at the limit", hostileLimit, false, true},
		{"one byte over the limit", hostileLimit + 1, false, false},
		{"far over the limit", 16 * hostileLimit, false, false},
		{"chunked, just under the limit", hostileLimit - 1, true, true},
		{"chunked, at the limit", hostileLimit, true, true},
		{"chunked, one byte over the limit", hostileLimit + 1, true, false},
		{"chunked, far over the limit", 16 * hostileLimit, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.runs.Load()
			var body io.Reader = strings.NewReader(paramsOfSize(tc.size))
			if tc.chunked {
				body = unsized{body}
			}
			got := s.post(t, "application/json", body)
			if tc.ok {
				assert.Equal(t, envelope.StatusSuccess, got.Status)
				assert.Equal(t, before+1, s.runs.Load())
				return
			}
			assert.Equal(t, envelope.StatusParameterError, got.Status)
			assert.Equal(t, envelope.CodeBodyTooLarge, got.ErrCode)
			assert.Contains(t, got.ErrMsg, strconv.Itoa(hostileLimit))
			assert.Equal(t, before, s.runs.Load(), "the action ran")
		})
	}
}

func TestHostileLyingContentLength(t *testing.T) {
	// No ReadTimeout: every answer must come without the server waiting
	// for bytes the client will not send. (net/http drains up to 256 KiB
	// of a body the handler left unread before it answers, unless the
	// answer closes the connection, as envelope.Fail has it do for a
	// body refused unread or broken off.)
	s := newHostileServer(t, true, middleware.HTTPSOptions{}, nil)
	request := func(contentLength int, body string) string {
		return "POST /api/v1/hostile/call HTTP/1.1\r\nHost: api.example\r\nContent-Type: application/json\r\n" +
			"Content-Length: " + strconv.Itoa(contentLength) + "\r\n\r\n" + body
	}

	t.Run("a Content-Length over the limit, and the body", func(t *testing.T) {
		c := s.dial(t)
		_, err := io.WriteString(c, request(hostileLimit+1, paramsOfSize(hostileLimit+1)))
		require.NoError(t, err)
		assertParameterError(t, c, envelope.CodeBodyTooLarge)
	})

	t.Run("a Content-Length over the limit, and no body", func(t *testing.T) {
		c := s.dial(t)
		// The body is never sent: the answer must come all the same, and
		// the connection close after it, the rest being no request.
		_, err := io.WriteString(c, request(hostileLimit+1, `{"name":"x"`))
		require.NoError(t, err)
		br := bufio.NewReader(c)
		resp, body := readAnswer(t, br)
		got := parseWhole(t, resp.StatusCode, resp.Header, body)
		assert.Equal(t, envelope.StatusParameterError, got.Status)
		assert.Equal(t, envelope.CodeBodyTooLarge, got.ErrCode)
		assert.True(t, resp.Close, "the connection must close after the answer")
		// Once the client has sent what it announced (net/http reads it to
		// keep the client from blocking), the server closes the connection:
		// the bytes are never read as another request.
		_, err = io.WriteString(c, strings.Repeat(" ", hostileLimit+1-len(`{"name":"x"`)))
		require.NoError(t, err)
		_, err = br.ReadByte()
		assert.ErrorIs(t, err, io.EOF, "the server closed the connection")
	})

	t.Run("a Content-Length shorter than the body cuts the object", func(t *testing.T) {
		c := s.dial(t)
		body := `{"name":"x","page":1}`
		_, err := io.WriteString(c, request(len(body)-5, body))
		require.NoError(t, err)
		assertParameterError(t, c, envelope.CodeMalformedJSON)
	})

	t.Run("a Content-Length longer than the body, then the client closes its side", func(t *testing.T) {
		c := s.dial(t)
		_, err := io.WriteString(c, request(100, `{"name":"x"}`))
		require.NoError(t, err)
		require.NoError(t, c.(*tls.Conn).CloseWrite())
		assertParameterError(t, c, envelope.CodeIncompleteBody)
	})

	t.Run("a chunked body that lies about its chunk size", func(t *testing.T) {
		c := s.dial(t)
		_, err := io.WriteString(c, "POST /api/v1/hostile/call HTTP/1.1\r\nHost: api.example\r\nContent-Type: application/json\r\n"+
			"Transfer-Encoding: chunked\r\n\r\n5\r\n{\"name\":\"x\"}\r\n0\r\n\r\n")
		require.NoError(t, err)
		assertParameterError(t, c, envelope.CodeIncompleteBody)
	})
	assert.Zero(t, s.runs.Load(), "the action ran")
}

func TestHostileClientStopsMidBody(t *testing.T) {
	s := newHostileServer(t, true, middleware.HTTPSOptions{}, func(srv *http.Server) {
		srv.ReadTimeout = 300 * time.Millisecond
	})
	baseline := runtime.NumGoroutine()
	c := s.dial(t)
	_, err := io.WriteString(c, "POST /api/v1/hostile/call HTTP/1.1\r\nHost: api.example\r\nContent-Type: application/json\r\n"+
		"Content-Length: 1000\r\n\r\n{\"name\":\"half a bo")
	require.NoError(t, err)
	// The client sends nothing more and waits: the server's ReadTimeout
	// ends the body, and the answer says so.
	assertParameterError(t, c, envelope.CodeIncompleteBody)
	assert.Zero(t, s.runs.Load(), "the action ran")
	c.Close()
	s.requireSettles(t, baseline)
}

func TestHostileClientDisconnectsBeforeTheAnswer(t *testing.T) {
	s := newHostileServer(t, true, middleware.HTTPSOptions{}, nil)

	t.Run("mid-body", func(t *testing.T) {
		baseline := runtime.NumGoroutine()
		c := s.dial(t)
		_, err := io.WriteString(c, "POST /api/v1/hostile/call HTTP/1.1\r\nHost: api.example\r\nContent-Type: application/json\r\n"+
			"Content-Length: 1000\r\n\r\n{\"name\":\"gone")
		require.NoError(t, err)
		require.NoError(t, c.Close())
		s.requireSettles(t, baseline)
		assert.Zero(t, s.runs.Load(), "the action ran on half a body")
	})

	t.Run("while the action runs", func(t *testing.T) {
		baseline := runtime.NumGoroutine()
		c := s.dial(t)
		_, err := io.WriteString(c, "POST /api/v1/hostile/call HTTP/1.1\r\nHost: api.example\r\nContent-Type: application/json\r\n"+
			"Content-Length: 15\r\n\r\n{\"name\":\"wait\"}")
		require.NoError(t, err)
		receive(t, s.waiting, "the action did not start")
		require.NoError(t, c.Close())
		// The request's context ends when the client goes: the action is
		// told, and nothing of the request stays behind.
		receive(t, s.gaveUp, "the action was not told that the client went")
		s.requireSettles(t, baseline)
	})
}

// hostileBodies are parameters that must each get a parameter-error with
// the code given, without running the action.
var hostileBodies = []struct {
	name, body, code, field string
}{
	{"nesting far past the depth limit, unclosed", `{"meta":` + strings.Repeat("[", 50000), envelope.CodeNestingTooDeep, ""},
	{"nesting far past the depth limit, closed", `{"meta":` + strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat("}", 5000) + `,"name":"x"}`, envelope.CodeNestingTooDeep, ""},
	{"nesting past the depth limit in arrays", `{"name":"x","meta":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, envelope.CodeNestingTooDeep, ""},
	{"invalid UTF-8 in a string", "{\"name\":\"a\xffb\"}", envelope.CodeInvalidUTF8, ""},
	{"invalid UTF-8 in a key", "{\"name\":\"x\",\"\xc3\":1}", envelope.CodeInvalidUTF8, ""},
	{"an overlong UTF-8 encoding", "{\"name\":\"\xc0\xaf\"}", envelope.CodeInvalidUTF8, ""},
	{"a surrogate encoded in UTF-8", "{\"name\":\"\xed\xa0\x80\"}", envelope.CodeInvalidUTF8, ""},
	{"a lone high surrogate escape", `{"name":"\ud800"}`, envelope.CodeInvalidUTF8, ""},
	{"a lone low surrogate escape", `{"name":"x\udc00y"}`, envelope.CodeInvalidUTF8, ""},
	{"a high surrogate escape before a non-surrogate", `{"name":"\ud800\u0041"}`, envelope.CodeInvalidUTF8, ""},
	{"a huge integer", `{"name":"x","page":123456789012345678901234567890}`, envelope.CodeInvalidParameterType, "page"},
	{"an integer with a huge exponent", `{"name":"x","page":1e400}`, envelope.CodeInvalidParameterType, "page"},
	{"a float out of range", `{"name":"x","ratio":1e400}`, envelope.CodeInvalidParameterType, "ratio"},
	{"a number out of range in a free field", `{"name":"x","meta":[-1e99999]}`, envelope.CodeInvalidParameterType, "meta.0"},
	{"a number of 60000 digits", `{"name":"x","page":` + strings.Repeat("9", 60000) + `}`, envelope.CodeInvalidParameterType, "page"},
	{"a duplicate key", `{"name":"a","name":"b"}`, envelope.CodeDuplicateParameter, "name"},
	{"a duplicate key spelt with an escape", `{"name":"a","n\u0061me":"b"}`, envelope.CodeDuplicateParameter, "name"},
	{"a duplicate key in a nested object", `{"name":"a","meta":{"k":1,"k":2}}`, envelope.CodeDuplicateParameter, ""},
}

func TestHostileParameters(t *testing.T) {
	s := newHostileServer(t, true, middleware.HTTPSOptions{}, nil)
	for _, tc := range hostileBodies {
		t.Run(tc.name, func(t *testing.T) {
			require.LessOrEqual(t, len(tc.body), hostileLimit, "the body must be within the limit, to test what it holds")
			got := s.post(t, "application/json", strings.NewReader(tc.body))
			assert.Equal(t, envelope.StatusParameterError, got.Status, "%s", got.Data)
			assert.Equal(t, tc.code, got.ErrCode, "%s", got.Data)
			if tc.field != "" {
				var data struct{ Field string }
				require.NoError(t, json.Unmarshal(got.Data, &data))
				assert.Equal(t, tc.field, data.Field)
			}
			assert.Zero(t, s.runs.Load(), "the action ran")
		})
	}
}

func TestHostileParamsAsFormAndElsewhere(t *testing.T) {
	s := newHostileServer(t, true, middleware.HTTPSOptions{}, nil)
	send := func(t *testing.T, query, contentType, body string) whole {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, s.URL+"/api/v1/hostile/call"+query, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", contentType)
		resp, err := s.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return parseWhole(t, resp.StatusCode, resp.Header, b)
	}
	form := func(fields ...[2]string) (string, string) {
		var b strings.Builder
		mw := multipart.NewWriter(&b)
		for _, f := range fields {
			require.NoError(t, mw.WriteField(f[0], f[1]))
		}
		require.NoError(t, mw.Close())
		return mw.FormDataContentType(), b.String()
	}

	twiceType, twiceBody := form([2]string{"params", `{"name":"a"}`}, [2]string{"params", `{"name":"b"}`})
	for _, c := range []struct {
		name, query, contentType, body, code string
	}{
		{"params twice in a urlencoded form", "", "application/x-www-form-urlencoded", "params=%7B%22name%22%3A%22a%22%7D&params=%7B%22name%22%3A%22b%22%7D", envelope.CodeDuplicateParameter},
		{"params twice in a multipart form", "", twiceType, twiceBody, envelope.CodeDuplicateParameter},
		{"a form without params", "", "application/x-www-form-urlencoded", "name=a", envelope.CodeMalformedForm},
		{"params in the query string and a form without them", "?params=%7B%22name%22%3A%22q%22%7D", "application/x-www-form-urlencoded", "name=a", envelope.CodeMalformedForm},
		{"params in the query string (which carries none) and an empty JSON body", "?params=%7B%22name%22%3A%22q%22%7D", "application/json", "", envelope.CodeMissingParameter},
		{"a form field params that is not an object", "", "application/x-www-form-urlencoded", "params=%5B1%5D", envelope.CodeParametersNotObject},
		{"a form field params with invalid UTF-8", "", "application/x-www-form-urlencoded", "params=%7B%22name%22%3A%22%FF%22%7D", envelope.CodeInvalidUTF8},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := send(t, c.query, c.contentType, c.body)
			assert.Equal(t, envelope.StatusParameterError, got.Status)
			assert.Equal(t, c.code, got.ErrCode)
		})
	}
	t.Run("a multipart file named params", func(t *testing.T) {
		var b strings.Builder
		mw := multipart.NewWriter(&b)
		fw, err := mw.CreateFormFile("params", "params.json")
		require.NoError(t, err)
		_, err = io.WriteString(fw, `{"name":"file"}`)
		require.NoError(t, err)
		require.NoError(t, mw.Close())
		got := send(t, "", mw.FormDataContentType(), b.String())
		assert.Equal(t, envelope.StatusParameterError, got.Status, "a file is not the params field")
		assert.Equal(t, envelope.CodeMalformedForm, got.ErrCode)
	})
	assert.Zero(t, s.runs.Load(), "the action ran")

	// The form's params, and only they, reach the action.
	got := send(t, "?params=%7B%22name%22%3A%22q%22%7D", "application/x-www-form-urlencoded", "params=%7B%22name%22%3A%22form%22%7D")
	assert.Equal(t, envelope.StatusSuccess, got.Status)
	assert.JSONEq(t, `{"name":"form","page":0,"ratio":0,"tags":[],"meta":null}`, string(got.Data))
}

// rawExchange writes a raw request on a new connection and reads the
// answer.
func rawExchange(t *testing.T, s *hostileServer, request string) (*http.Response, []byte) {
	t.Helper()
	c := s.dial(t)
	_, err := io.WriteString(c, request)
	require.NoError(t, err)
	return readAnswer(t, bufio.NewReader(c))
}

func TestHostileCORSOriginIsNeverEchoed(t *testing.T) {
	s := newHostileServer(t, true, middleware.HTTPSOptions{}, nil)
	for _, origin := range []string{
		"https://evil.example",
		"https://app.example.evil.example",
		"https://app.example:443",
		"https://app.example/",
		"https://app.example@evil.example",
		"null",
		"*",
		"https://app.example\tX-Injected: 1",
		"https://app.example%0d%0aX-Injected: 1",
		"https://xn--pp-7ka.example",
		"https://аpp.example", // a Cyrillic а
	} {
		for _, method := range []string{http.MethodPost, http.MethodOptions} {
			t.Run(method+" "+origin, func(t *testing.T) {
				resp, body := rawExchange(t, s, method+" /api/v1/hostile/call HTTP/1.1\r\nHost: api.example\r\n"+
					"Origin: "+origin+"\r\nAccess-Control-Request-Method: POST\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
				got := parseWhole(t, resp.StatusCode, resp.Header, body)
				if method == http.MethodOptions {
					assert.Equal(t, envelope.StatusSuccess, got.Status)
				} else {
					assert.Equal(t, envelope.StatusParameterError, got.Status)
				}
				assert.Empty(t, resp.Header.Values("Access-Control-Allow-Origin"), "granted to %q", origin)
				assert.Empty(t, resp.Header.Values("Access-Control-Allow-Methods"))
				assert.Empty(t, resp.Header.Values("X-Injected"))
			})
		}
	}
	// The allowed origin, in any case, gets itself back as configured.
	resp, body := rawExchange(t, s, "OPTIONS /api/v1/hostile/call HTTP/1.1\r\nHost: api.example\r\n"+
		"Origin: HTTPS://APP.Example\r\nAccess-Control-Request-Method: POST\r\n\r\n")
	parseWhole(t, resp.StatusCode, resp.Header, body)
	assert.Equal(t, []string{hostileOrigin}, resp.Header.Values("Access-Control-Allow-Origin"))
	assert.Zero(t, s.runs.Load(), "the action ran")

	// A CR or LF inside the header is refused by net/http itself, before
	// any handler: the answer has no envelope but reaches no action either.
	c := s.dial(t)
	_, err := io.WriteString(c, "POST /api/v1/hostile/call HTTP/1.1\r\nHost: api.example\r\nOrigin: https://app.example\rX-Injected: 1\r\nContent-Length: 2\r\n\r\n{}")
	require.NoError(t, err)
	resp, err = http.ReadResponse(bufio.NewReader(c), nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Empty(t, resp.Header.Values("X-Injected"))
	assert.Zero(t, s.runs.Load(), "the action ran")
}

func TestHostileRedirectStaysOnItsHost(t *testing.T) {
	for _, tc := range []struct {
		name, target, host string
		location           string // "" when the answer is the HTTPSRequired envelope
	}{
		{"a path that starts with //", "//evil.example/x", "api.example", "https://api.example//evil.example/x"},
		{"a path of three slashes", "///evil.example/x", "api.example", "https://api.example///evil.example/x"},
		{"a path with a backslash", `/\evil.example/x`, "api.example", "https://api.example/%5Cevil.example/x"},
		{"a path with an escaped slash", "/%2F%2Fevil.example", "api.example", "https://api.example/%2F%2Fevil.example"},
		{"a query that holds a URL", "/x?next=//evil.example", "api.example", "https://api.example/x?next=//evil.example"},
		{"a query with an escaped CRLF", "/x?a=%0d%0aLocation:%20https://evil.example", "api.example", "https://api.example/x?a=%0d%0aLocation:%20https://evil.example"},
		{"a Host with a path", "/x", "evil.example/..", ""},
		{"a Host with user info", "/x", "api.example@evil.example", ""},
		{"a Host with user info and a port", "/x", "api.example:443@evil.example", ""},
		{"a Host with a backslash", "/x", `evil.example\api.example`, ""},
		{"a Host with a query", "/x", "evil.example?api.example", ""},
		{"a Host with a fragment", "/x", "evil.example#api.example", ""},
		{"a Host with an escaped byte", "/x", "evil.example%2f", ""},
		{"a Host with a bad port", "/x", "api.example:443x", ""},
		{"a Host with a zone", "/x", "[fe80::1%25eth0]", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newHostileServer(t, false, middleware.HTTPSOptions{}, nil)
			check := func(t *testing.T, code int, header http.Header, body []byte) {
				t.Helper()
				if tc.location == "" {
					got := parseWhole(t, code, header, body)
					assert.Equal(t, envelope.StatusError, got.Status)
					assert.Equal(t, envelope.CodeHTTPSRequired, got.ErrCode)
					assert.Empty(t, header.Values("Location"))
				} else {
					require.Equal(t, http.StatusPermanentRedirect, code, "%s", body)
					assert.Empty(t, body)
					assert.Equal(t, tc.location, header.Get("Location"))
					u, err := url.Parse(header.Get("Location"))
					require.NoError(t, err)
					assert.Equal(t, "api.example", u.Host)
				}
			}

			// In process, as a server that lets any Host through would
			// pass the request on.
			r := httptest.NewRequest(http.MethodPost, tc.target, strings.NewReader(`{"name":"evil"}`))
			r.Host = tc.host
			rec := httptest.NewRecorder()
			s.Config.Handler.ServeHTTP(rec, r)
			check(t, rec.Code, rec.Header(), rec.Body.Bytes())

			// Over the wire, where net/http refuses some Host headers
			// itself, before any handler, with a bare 400.
			resp, body := rawExchange(t, s, "POST "+tc.target+" HTTP/1.1\r\nHost: "+tc.host+"\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"name\":\"evil\"}")
			if resp.StatusCode == http.StatusBadRequest {
				assert.Empty(t, resp.Header.Values("Location"))
				assert.Zero(t, s.runs.Load(), "the action ran")
				return
			}
			check(t, resp.StatusCode, resp.Header, body)
			assert.Zero(t, s.runs.Load(), "the action ran")
		})
	}

	t.Run("a configured host is the only one a redirect names", func(t *testing.T) {
		s := newHostileServer(t, false, middleware.HTTPSOptions{Host: "api.example"}, nil)
		for _, host := range []string{"evil.example", "evil.example:80", "api.example.evil.example", "evil.example/..", "api.example@evil.example"} {
			resp, body := rawExchange(t, s, "POST //evil.example/x HTTP/1.1\r\nHost: "+host+"\r\nContent-Length: 0\r\n\r\n")
			if resp.StatusCode == http.StatusBadRequest {
				continue // refused by net/http itself
			}
			require.Equal(t, http.StatusPermanentRedirect, resp.StatusCode, "%s", body)
			assert.Equal(t, "https://api.example//evil.example/x", resp.Header.Get("Location"), "Host %q", host)
		}
		// The absolute form names the host too, and is no more believed.
		resp, _ := rawExchange(t, s, "POST http://evil.example/x HTTP/1.1\r\nHost: api.example\r\nContent-Length: 0\r\n\r\n")
		require.Equal(t, http.StatusPermanentRedirect, resp.StatusCode)
		assert.Equal(t, "https://api.example/x", resp.Header.Get("Location"))
		assert.Zero(t, s.runs.Load(), "the action ran")
	})

	t.Run("a CR or LF in the Host never reaches a header", func(t *testing.T) {
		s := newHostileServer(t, false, middleware.HTTPSOptions{}, nil)
		for _, host := range []string{"api.example\rLocation: https://evil.example", "api.example\x00evil.example", "api.example evil.example"} {
			r := httptest.NewRequest(http.MethodPost, "/x", nil)
			r.Host = host
			rec := httptest.NewRecorder()
			s.Config.Handler.ServeHTTP(rec, r)
			got := parseWhole(t, rec.Code, rec.Header(), rec.Body.Bytes())
			assert.Equal(t, envelope.CodeHTTPSRequired, got.ErrCode, "Host %q", host)
			assert.Empty(t, rec.Header().Values("Location"))

			resp, body := rawExchange(t, s, "POST /x HTTP/1.1\r\nHost: "+host+"\r\nContent-Length: 0\r\n\r\n")
			for _, loc := range resp.Header.Values("Location") {
				assert.NotContains(t, loc, "evil", "Host %q", host)
			}
			if resp.StatusCode != http.StatusBadRequest {
				got := parseWhole(t, resp.StatusCode, resp.Header, body)
				assert.Equal(t, envelope.CodeHTTPSRequired, got.ErrCode)
			}
		}
		assert.Zero(t, s.runs.Load(), "the action ran")
	})
}
