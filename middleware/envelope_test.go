package middleware_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/envelope/goccycodec"
	"github.com/apienvelope/apienvelope/envelope/jsonitercodec"
	"github.com/apienvelope/apienvelope/middleware"
)

// answer is one response read off the wire.
type answer struct {
	Proto  int
	Code   int
	Header http.Header
	Keys   []string
	Env    struct {
		Status envelope.Status `json:"status"`
		Time   float64         `json:"time"`
		Flags  map[string]any  `json:"flags"`
		Data   json.RawMessage `json:"data"`
	}
}

func (a answer) dataCode(t *testing.T) string {
	t.Helper()
	var d struct{ Code string }
	require.NoError(t, json.Unmarshal(a.Env.Data, &d))
	return d.Code
}

// roundTrip sends a request with a real client and checks the envelope's
// shape on the wire (CONTRACT S1).
func roundTrip(t *testing.T, client *http.Client, req *http.Request) answer {
	t.Helper()
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := answer{Proto: resp.ProtoMajor, Code: resp.StatusCode, Header: resp.Header}
	require.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"), "%s", body)
	require.Equal(t, strconv.Itoa(len(body)), resp.Header.Get("Content-Length"))
	require.NoError(t, json.Unmarshal(body, &a.Env), "%s", body)
	dec := json.NewDecoder(bytes.NewReader(body))
	_, _ = dec.Token()
	for dec.More() {
		k, _ := dec.Token()
		a.Keys = append(a.Keys, k.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	require.Equal(t, []string{"status", "time", "flags", "data"}, a.Keys)
	require.NotNil(t, a.Env.Flags)
	require.Greater(t, a.Env.Time, 0.0)
	return a
}

type echoParams struct {
	Name string `json:"name" envelope:"required"`
	Page int    `json:"page"`
}

func TestEnvelopeAndParamsOverTLS(t *testing.T) {
	var runs int
	action := envelope.Action(func(ctx context.Context, p echoParams) (map[string]any, error) {
		runs++
		switch p.Name {
		case "panic":
			panic("boom")
		case "crash":
			return nil, errors.New("secret detail")
		}
		envelope.SetPage(ctx, envelope.Pagination{}.Page(p.Page, 0, 100))
		return map[string]any{"hello": p.Name}, nil
	})
	legacy := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such thing", http.StatusNotFound)
	})
	quiet := slog.New(slog.DiscardHandler)
	chain := func(h http.Handler) http.Handler {
		return middleware.Envelope(middleware.EnvelopeOptions{Logger: quiet})(
			middleware.Params(middleware.ParamsOptions{MaxBytes: 1024})(h))
	}
	mux := http.NewServeMux()
	mux.Handle("POST /api/v1/echo/hello", chain(action))
	mux.Handle("POST /api/v1/legacy/find", chain(legacy))
	srv := httptest.NewTLSServer(mux)
	defer srv.Close()

	cases := []struct {
		name        string
		path        string
		contentType string
		body        string
		code        int
		status      envelope.Status
		dataCode    string
		data        string
		runs        int
	}{
		{name: "success", path: "/api/v1/echo/hello", body: `{"name":"ann","page":2}`, code: 200, status: envelope.StatusSuccess, data: `{"hello":"ann"}`, runs: 1},
		{name: "missing field", path: "/api/v1/echo/hello", body: `{}`, code: 200, status: envelope.StatusParameterError, dataCode: envelope.CodeMissingParameter, runs: 0},
		{name: "malformed", path: "/api/v1/echo/hello", body: `{"name":`, code: 200, status: envelope.StatusParameterError, dataCode: envelope.CodeMalformedJSON},
		{name: "too large", path: "/api/v1/echo/hello", body: `{"name":"` + strings.Repeat("x", 2000) + `"}`, code: 200, status: envelope.StatusParameterError, dataCode: envelope.CodeBodyTooLarge},
		{name: "content type", path: "/api/v1/echo/hello", contentType: "text/xml", body: `<a/>`, code: 200, status: envelope.StatusParameterError, dataCode: envelope.CodeUnsupportedContentType},
		{name: "form params", path: "/api/v1/echo/hello", contentType: "application/x-www-form-urlencoded", body: `params=%7B%22name%22%3A%22bo%22%7D`, code: 200, status: envelope.StatusSuccess, data: `{"hello":"bo"}`, runs: 1},
		{name: "unanticipated error", path: "/api/v1/echo/hello", body: `{"name":"crash"}`, code: 500, status: envelope.StatusInternalServerError, dataCode: envelope.CodeInternalServerError, runs: 1},
		{name: "wrapped handler", path: "/api/v1/legacy/find", body: `{}`, code: 200, status: envelope.StatusNotFound, dataCode: "NotFound"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			runs = 0
			req, err := http.NewRequest(http.MethodPost, srv.URL+c.path, strings.NewReader(c.body))
			require.NoError(t, err)
			ct := c.contentType
			if ct == "" {
				ct = "application/json"
			}
			req.Header.Set("Content-Type", ct)
			a := roundTrip(t, srv.Client(), req)
			assert.Equal(t, c.code, a.Code)
			assert.Equal(t, c.status, a.Env.Status)
			if c.dataCode != "" {
				assert.Equal(t, c.dataCode, a.dataCode(t))
			}
			if c.data != "" {
				assert.Equal(t, c.data, string(a.Env.Data))
			}
			assert.Equal(t, c.runs, runs, "action runs")
			assert.NotContains(t, string(a.Env.Data), "secret detail")
		})
	}
}

func TestEnvelopeAccessLog(t *testing.T) {
	var logs bytes.Buffer
	h := middleware.Envelope(middleware.EnvelopeOptions{AccessLog: slog.New(slog.NewJSONHandler(&logs, nil))})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			envelope.Fail(w, r, envelope.NewError("NoRecipients", "none"))
		}))
	r := httptest.NewRequest(http.MethodPost, "/api/v1/send/message", nil)
	r.Header.Set("X-Request-Id", "forged\nline")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)

	var line map[string]any
	require.NoError(t, json.Unmarshal(logs.Bytes(), &line), logs.String())
	assert.Equal(t, "/api/v1/send/message", line["action"])
	assert.Equal(t, "error", line["status"])
	assert.Contains(t, line, "time")
	id := rec.Header().Get("X-Request-Id")
	assert.Regexp(t, `^[0-9a-f]+$`, id, "the ID is made by the server, not taken from the client")
	assert.Equal(t, id, line["request_id"])
}

func TestNestedEnvelopesWriteOneEnvelope(t *testing.T) {
	inner := middleware.Envelope(middleware.EnvelopeOptions{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		envelope.Success(w, r, "once")
	}))
	outer := middleware.Envelope(middleware.EnvelopeOptions{})(inner)
	rec := httptest.NewRecorder()
	outer.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil))
	assert.Equal(t, 1, strings.Count(rec.Body.String(), `"status"`), rec.Body.String())
	assert.Contains(t, rec.Body.String(), `"data":"once"`)
}

func TestParamsWithoutEnvelope(t *testing.T) {
	h := middleware.Params(middleware.ParamsOptions{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p echoParams
		if err := envelope.Decode(r, &p); err != nil {
			envelope.Fail(w, r, err)
			return
		}
		envelope.Success(w, r, p.Name)
	}))
	for body, want := range map[string]string{
		`{"name":"x"}`: `"data":"x"`,
		`[]`:           `"code":"ParametersNotObject"`,
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)))
		assert.Equal(t, 200, rec.Code)
		assert.Contains(t, rec.Body.String(), want)
	}
}

func TestAPanicIsLoggedOnce(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	h := middleware.NewChain(
		middleware.Envelope(middleware.EnvelopeOptions{Logger: logger}),
		middleware.Recover(middleware.RecoverOptions{Logger: logger}),
	).ThenFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, 1, strings.Count(logs.String(), "\n"), logs.String())
	assert.Contains(t, logs.String(), "boom")
}

// TestBodyTooLargeOverHTTP2: the server resets the stream of a body left
// unread, and clients such as curl drop the answer with it, so the refused
// body is read to its end (up to a bound) before the answer goes out.
func TestBodyTooLargeOverHTTP2(t *testing.T) {
	h := middleware.NewChain(
		middleware.Envelope(middleware.EnvelopeOptions{}),
		middleware.Params(middleware.ParamsOptions{}),
	).ThenFunc(func(w http.ResponseWriter, r *http.Request) { envelope.Success(w, r, "ran") })
	srv := httptest.NewUnstartedServer(h)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()

	for _, contentLength := range []int64{2 << 20, -1} {
		body := &sentBytes{r: strings.NewReader(strings.Repeat("a", 2<<20))}
		req, err := http.NewRequest(http.MethodPost, srv.URL, body)
		require.NoError(t, err)
		req.ContentLength = contentLength
		req.Header.Set("Content-Type", "application/json")
		a := roundTrip(t, srv.Client(), req)
		assert.Equal(t, 2, a.Proto)
		assert.Equal(t, envelope.StatusParameterError, a.Env.Status)
		assert.Equal(t, envelope.CodeBodyTooLarge, a.dataCode(t))
		assert.Equal(t, 2<<20, body.n, "the server reads the whole body rather than reset the stream")
	}
}

type sentBytes struct {
	r  io.Reader
	mu sync.Mutex
	n  int
}

func (s *sentBytes) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.mu.Lock()
	s.n += n
	s.mu.Unlock()
	return n, err
}

// keepingAction keeps what it decodes, as an action may.
func keepingAction(keep func(string)) http.Handler {
	return envelope.Action(func(ctx context.Context, p struct {
		Name string          `json:"name"`
		Raw  json.RawMessage `json:"raw"`
	}) (any, error) {
		keep(p.Name + " " + string(p.Raw))
		return nil, nil
	})
}

// What a handler or codec keeps of the parameters must not change under it
// when the next request comes, though the next request's body may be read
// into the same pooled buffer.
func TestKeptParamsOutliveTheirRequest(t *testing.T) {
	var kept []string
	var mu sync.Mutex
	keep := func(s string) { mu.Lock(); kept = append(kept, s); mu.Unlock() }
	handlers := map[string]http.Handler{
		"Params hands out the bytes": middleware.NewChain(middleware.Envelope(middleware.EnvelopeOptions{}), middleware.Params(middleware.ParamsOptions{})).
			Then(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				raw, err := envelope.ReadParams(r, envelope.ParamsOptions{})
				require.NoError(t, err)
				defer func() { keep(unsafeString(raw)) }()
				envelope.Success(w, r, nil)
			})),
		"the default codec decodes copies, behind Params": middleware.NewChain(middleware.Envelope(middleware.EnvelopeOptions{}), middleware.Params(middleware.ParamsOptions{})).
			Then(keepingAction(keep)),
		"the default codec decodes copies, from a pooled body": middleware.Envelope(middleware.EnvelopeOptions{})(keepingAction(keep)),
		"json-iterator decodes copies, from a pooled body":     middleware.Envelope(middleware.EnvelopeOptions{Codec: jsonitercodec.Codec})(keepingAction(keep)),
		"goccy decodes copies, from a pooled body":             middleware.Envelope(middleware.EnvelopeOptions{Codec: goccycodec.Codec})(keepingAction(keep)),
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			kept = nil
			var want []string
			for i := range 50 {
				body := `{"name":"request ` + strconv.Itoa(i) + `","raw":[` + strconv.Itoa(i) + `]}`
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)))
				require.Contains(t, rec.Body.String(), `"status":"success"`)
				if strings.Contains(name, "decodes copies") {
					body = "request " + strconv.Itoa(i) + " [" + strconv.Itoa(i) + "]"
				}
				want = append(want, body)
			}
			assert.Equal(t, want, kept)
		})
	}
}

// unsafeString shares b's memory, as a handler keeping b would.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func TestParamsTwiceKeepsTheParameters(t *testing.T) {
	action := envelope.Action(func(ctx context.Context, p echoParams) (string, error) { return p.Name, nil })
	params := middleware.Params(middleware.ParamsOptions{})
	for name, h := range map[string]http.Handler{
		"inside Envelope":  middleware.Envelope(middleware.EnvelopeOptions{})(params(params(action))),
		"without Envelope": params(params(action)),
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"name":"kept"}`)))
		assert.Contains(t, rec.Body.String(), `"data":"kept"`, name)
	}
}
