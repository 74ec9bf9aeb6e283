package middleware_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// wire is an envelope as a client decodes it.
type wire struct {
	Status string          `json:"status"`
	Time   float64         `json:"time"`
	Flags  map[string]any  `json:"flags"`
	Data   json.RawMessage `json:"data"`
}

// errorData is the data of an error envelope, with the attributes the
// tests look at.
type errorData struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Stack   string `json:"stack"`
	Cause   string `json:"cause"`
}

// decodeWire decodes body as exactly one envelope and its data as an error,
// when it is one.
func decodeWire(t *testing.T, body []byte) (wire, errorData) {
	t.Helper()
	var env wire
	dec := json.NewDecoder(bytes.NewReader(body))
	require.NoError(t, dec.Decode(&env), "body: %s", body)
	require.False(t, dec.More(), "more than one JSON value in %s", body)
	var data errorData
	if env.Status != "success" {
		require.NoError(t, json.Unmarshal(env.Data, &data), "data: %s", env.Data)
	}
	return env, data
}

// serve runs h on r and returns what it answered.
func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return body
}

func panicking(v any) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(v) })
}

func quietRecover() middleware.RecoverOptions {
	return middleware.RecoverOptions{Logger: slog.New(slog.DiscardHandler)}
}

func TestRecoverInsideEnvelope(t *testing.T) {
	for _, tc := range []struct {
		name        string
		development bool
		message     string
		stack       bool
	}{
		{"production hides the panic", false, "An internal error occurred while processing the request", false},
		{"development shows it", true, "boom", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := middleware.NewChain(
				middleware.Envelope(middleware.EnvelopeOptions{Development: tc.development, Logger: slog.New(slog.DiscardHandler)}),
				middleware.Recover(quietRecover()),
			).ThenFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(`{"half":`)) // captured by the envelope, never sent
				panic("boom")
			})
			rec := serve(h, httptest.NewRequest(http.MethodPost, "/", nil))

			assert.Equal(t, http.StatusInternalServerError, rec.Code)
			env, data := decodeWire(t, rec.Body.Bytes())
			assert.Equal(t, "internal-server-error", env.Status)
			assert.Equal(t, "InternalServerError", data.Code)
			assert.Equal(t, tc.message, data.Message)
			if tc.stack {
				assert.Contains(t, data.Stack, "recover_test.go")
				assert.Equal(t, "panic: boom", data.Cause)
			} else {
				assert.NotContains(t, rec.Body.String(), "stack")
				assert.NotContains(t, rec.Body.String(), "boom")
			}
		})
	}
}

func TestRecoverWithoutEnvelopeAnswersWhenNothingWasSent(t *testing.T) {
	h := middleware.Recover(quietRecover())(panicking(errors.New("db down")))
	rec := serve(h, httptest.NewRequest(http.MethodPost, "/", nil))

	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	env, data := decodeWire(t, rec.Body.Bytes())
	assert.Equal(t, "internal-server-error", env.Status)
	assert.Equal(t, "InternalServerError", data.Code)
	assert.NotContains(t, rec.Body.String(), "db down", "outside Envelope the default options hide the cause")
}

func TestRecoverWithoutEnvelopeAbortsAfterAWrite(t *testing.T) {
	var onPanic int
	opts := quietRecover()
	opts.OnPanic = func(*http.Request, any, []byte) { onPanic++ }
	h := middleware.Recover(opts)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"partial":`)) //envelopevet:allow the test needs a handler that already wrote
		panic("late")
	}))
	rec := httptest.NewRecorder()

	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil))
	})
	assert.Equal(t, `{"partial":`, rec.Body.String(), "nothing may follow what was sent")
	assert.Equal(t, 1, onPanic)
}

func TestRecoverWithoutEnvelopeAbortsTheConnection(t *testing.T) {
	srv := httptest.NewServer(middleware.Recover(quietRecover())(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"partial":`)) //envelopevet:allow the test needs a handler that already wrote
		w.(http.Flusher).Flush()
		panic("late")
	})))
	defer srv.Close()

	resp, err := srv.Client().Post(srv.URL, "application/json", nil)
	require.NoError(t, err, "the headers went out before the panic")
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "the client must see a broken response, not a complete one")
}

func TestRecoverPassesErrAbortHandlerOn(t *testing.T) {
	var onPanic int
	opts := quietRecover()
	opts.OnPanic = func(*http.Request, any, []byte) { onPanic++ }
	for _, env := range []bool{false, true} {
		chain := middleware.NewChain(middleware.Recover(opts))
		if env {
			chain = middleware.NewChain(middleware.Envelope(middleware.EnvelopeOptions{}), middleware.Recover(opts))
		}
		h := chain.Then(panicking(http.ErrAbortHandler))
		assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
			serve(h, httptest.NewRequest(http.MethodPost, "/", nil))
		}, "inside Envelope: %v", env)
	}
	assert.Zero(t, onPanic, "an abort is not a failure")
}

func TestRecoverLogsAndCallsOnPanic(t *testing.T) {
	var (
		mu   sync.Mutex
		logs bytes.Buffer
		got  []any
	)
	opts := middleware.RecoverOptions{
		Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
		OnPanic: func(r *http.Request, v any, stack []byte) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, v, r.URL.Path, strings.Contains(string(stack), "recover_test.go"))
		},
	}
	h := middleware.NewChain(middleware.Envelope(middleware.EnvelopeOptions{Logger: slog.New(slog.DiscardHandler)}), middleware.Recover(opts)).
		Then(panicking("kaput"))
	rec := serve(h, httptest.NewRequest(http.MethodPost, "/api/v1/a/b", nil))

	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, []any{"kaput", "/api/v1/a/b", true}, got)
	var line map[string]any
	require.NoError(t, json.Unmarshal(logs.Bytes(), &line), "one JSON log line: %s", logs.String())
	assert.Equal(t, "ERROR", line["level"])
	assert.Equal(t, "kaput", line["panic"])
	assert.Equal(t, "/api/v1/a/b", line["path"])
	assert.Contains(t, line["stack"], "recover_test.go")
}

func TestRecoverLeavesOtherRequestsAlone(t *testing.T) {
	h := middleware.NewChain(middleware.Envelope(middleware.EnvelopeOptions{}), middleware.Recover(quietRecover())).
		ThenFunc(func(w http.ResponseWriter, r *http.Request) {})
	rec := serve(h, httptest.NewRequest(http.MethodPost, "/", nil))

	assert.Equal(t, http.StatusOK, rec.Code)
	env, _ := decodeWire(t, rec.Body.Bytes())
	assert.Equal(t, "success", env.Status)
	assert.JSONEq(t, "null", string(env.Data))
}

func TestRecoverWithoutEnvelopeCountsAFlushAsAWrite(t *testing.T) {
	h := middleware.Recover(quietRecover())(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, http.NewResponseController(w).Flush())
		panic("after the headers went out")
	}))
	rec := httptest.NewRecorder()
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil))
	})
	assert.True(t, rec.Flushed)
	assert.Empty(t, rec.Body.String())
}

func TestRecoverWithoutEnvelopeAnswersAfterAnInterimResponse(t *testing.T) {
	srv := httptest.NewServer(middleware.Recover(quietRecover())(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints) //envelopevet:allow the test needs a handler that sent an interim response
		panic("after early hints")
	})))
	defer srv.Close()

	resp, err := srv.Client().Post(srv.URL, "application/json", nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	env, data := decodeWire(t, readAll(t, resp))
	assert.Equal(t, "internal-server-error", env.Status)
	assert.Equal(t, "InternalServerError", data.Code)
}

// panicsWhenEncoded is a result whose MarshalJSON panics: the envelope is
// written after the handler, and Recover, have returned.
type panicsWhenEncoded struct{}

func (panicsWhenEncoded) MarshalJSON() ([]byte, error) { panic("boom while encoding") }

// TestPanicWhileEncodingIsThe500Envelope is issue 13's bug 5, over a real
// TLS connection: the panic used to escape Recover and drop the connection.
func TestPanicWhileEncodingIsThe500Envelope(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	h := middleware.NewChain(
		middleware.Envelope(middleware.EnvelopeOptions{Logger: quiet}),
		middleware.Recover(middleware.RecoverOptions{Logger: quiet}),
	).Then(envelope.Action(func(context.Context, struct{}) (panicsWhenEncoded, error) {
		return panicsWhenEncoded{}, nil
	}))
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	resp, err := srv.Client().Post(srv.URL+"/api/v1/x/y", "application/json", strings.NewReader(`{}`))
	require.NoError(t, err, "the connection must not be dropped")
	body := readAll(t, resp)
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	w, e := decodeWire(t, body)
	assert.Equal(t, "internal-server-error", w.Status)
	assert.Equal(t, "InternalServerError", e.Code)
	assert.NotContains(t, string(body), "boom", "no panic value outside development mode")
}

// TestParamsAtTheLargestLimit is issue 13's bug 6, over a real TLS
// connection: MaxBytes of math.MaxInt64 used to overflow, and every body was
// read as {}.
func TestParamsAtTheLargestLimit(t *testing.T) {
	var got string
	h := middleware.NewChain(
		middleware.Envelope(middleware.EnvelopeOptions{}),
		middleware.Params(middleware.ParamsOptions{MaxBytes: math.MaxInt64, MaxDepth: math.MaxInt}),
	).ThenFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct {
			Name string `json:"name"`
		}
		if err := envelope.Decode(r, &p); err != nil {
			envelope.Fail(w, r, err)
			return
		}
		got = p.Name
		envelope.Success(w, r, nil)
	})
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	resp, err := srv.Client().Post(srv.URL+"/api/v1/x/y", "application/json", strings.NewReader(`{"name":"ann"}`))
	require.NoError(t, err)
	w, _ := decodeWire(t, readAll(t, resp))
	assert.Equal(t, "success", w.Status)
	assert.Equal(t, "ann", got, "the parameters reach the handler")
}
