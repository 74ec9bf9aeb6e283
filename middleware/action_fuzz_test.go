package middleware_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// fuzzActionParams has a field of every kind a typed action's parameters
// commonly have, one of them required.
type fuzzActionParams struct {
	Name  string           `json:"name" envelope:"required"`
	Page  int              `json:"page"`
	Ratio float64          `json:"ratio"`
	On    *bool            `json:"on"`
	Tags  []string         `json:"tags"`
	Meta  map[string]any   `json:"meta"`
	Inner struct{ A int8 } `json:"inner"`
	Raw   json.RawMessage  `json:"raw"`
}

// fuzzLimit is the body limit of the chain FuzzTypedActionChain drives.
const fuzzLimit = 2048

// countingBody counts the bytes the server read from a request body.
type countingBody struct {
	r io.Reader
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingBody) Close() error { return nil }

// typedActionChain is the full chain in front of a typed action:
// RequireHTTPS, Envelope, Recover, PostOnly, Params, then a probe that
// records the parameters Params accepted, then envelope.ActionWith. The
// action panics for the name "panic", fails with an anticipated error for
// "fail" and an unanticipated one for "oops", and else returns its
// parameters. Every run is passed to ran.
func typedActionChain(strict bool, ran func(p fuzzActionParams), accepted func(raw []byte)) http.Handler {
	quiet := slog.New(slog.DiscardHandler)
	action := envelope.ActionWith(envelope.ActionOptions{Strict: strict}, func(ctx context.Context, p fuzzActionParams) (fuzzActionParams, error) {
		ran(p)
		switch p.Name {
		case "panic":
			panic("the action panicked")
		case "fail":
			return p, envelope.NewError("Failed", "The action failed")
		case "oops":
			return p, errors.New("an unanticipated failure")
		}
		return p, nil
	})
	probe := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			raw, err := envelope.ReadParams(r, envelope.ParamsOptions{})
			if err == nil {
				accepted(raw)
			}
			next.ServeHTTP(w, r)
		})
	}
	return middleware.NewChain(
		middleware.RequireHTTPS(middleware.HTTPSOptions{}),
		middleware.Envelope(middleware.EnvelopeOptions{Logger: quiet}),
		middleware.Recover(middleware.RecoverOptions{Logger: quiet}),
		middleware.PostOnly(middleware.PostOnlyOptions{}),
		middleware.Params(middleware.ParamsOptions{MaxBytes: fuzzLimit, MaxDepth: 8}),
		probe,
	).Then(action)
}

// FuzzTypedActionChain sends any method, Content-Type and body, with a
// true, missing, understated or overstated Content-Length, through the full
// chain to a typed action, and checks on every input: no panic escapes;
// exactly one whole envelope with an allowed HTTP status (or a bodyless
// redirect for plain HTTP); a code and message on every error; the action
// runs only for POST over HTTPS with parameters that encoding/json decodes
// and that carry the required field, and then gets what encoding/json
// decodes; no more than the limit and one byte is ever read of the body.
func FuzzTypedActionChain(f *testing.F) {
	for _, seed := range []struct {
		method, ct, body string
		mode             uint8
	}{
		{"POST", "application/json", `{"name":"ann","page":2,"ratio":0.5,"on":true,"tags":["a"],"meta":{"k":[1,null]},"inner":{"A":3},"raw":[1]}`, 0},
		{"POST", "application/json", `{"name":"panic"}`, 0},
		{"POST", "application/json", `{"name":"fail"}`, 1},
		{"POST", "application/json", `{"name":"oops"}`, 0},
		{"POST", "application/json", `{"name":"x","extra":1}`, 4},
		{"POST", "application/json", `{"name":"x","page":1e400}`, 0},
		{"POST", "application/json", `{"name":"x","ratio":1e400}`, 0},
		{"POST", "application/json", `{"name":"x","inner":{"A":300}}`, 0},
		{"POST", "application/json", `{"name":"x","page":12345678901234567890}`, 0},
		{"POST", "application/json", `{"name":"a","name":"b"}`, 0},
		{"POST", "application/json", `{"name":"a","NAME":"b"}`, 0},
		{"POST", "application/json", `{"name":null}`, 0},
		{"POST", "application/json", `{"name":"\ud800"}`, 0},
		{"POST", "application/json", "{\"name\":\"\xff\"}", 0},
		{"POST", "application/json", `{"name":"x","meta":` + strings.Repeat(`{"a":`, 12) + `1` + strings.Repeat(`}`, 12) + `}`, 0},
		{"POST", "application/json", `{"name":"` + strings.Repeat("x", fuzzLimit) + `"}`, 2},
		{"POST", "application/json", `{"name":"short"}`, 3},
		{"POST", "application/json; charset=latin1", `{"name":"x"}`, 0},
		{"POST", "application/x-www-form-urlencoded", `params=%7B%22name%22%3A%22bo%22%7D`, 0},
		{"POST", "application/x-www-form-urlencoded", `params=%7B%7D&params=%7B%7D`, 0},
		{"POST", "multipart/form-data; boundary=X", "--X\r\nContent-Disposition: form-data; name=\"params\"\r\n\r\n{\"name\":\"m\"}\r\n--X--\r\n", 0},
		{"POST", "text/plain", `{"name":"x"}`, 0},
		{"GET", "application/json", `{"name":"x"}`, 0},
		{"POST", "application/json", `{"name":"x"}`, 8},
		{"PUT", "", ``, 1},
	} {
		f.Add(seed.method, seed.ct, []byte(seed.body), seed.mode)
	}
	f.Fuzz(func(t *testing.T, method, contentType string, body []byte, mode uint8) {
		if !validMethod(method) {
			return // net/http refuses such a request line before any handler
		}
		var runs int
		var got fuzzActionParams
		var raw []byte
		h := typedActionChain(mode&4 != 0, func(p fuzzActionParams) { runs++; got = p }, func(b []byte) { raw = b })

		counter := &countingBody{r: bytes.NewReader(body)}
		r := httptest.NewRequest(http.MethodPost, "https://api.example/api/v1/x/y", nil)
		r.Method = method
		r.Body = counter
		switch mode & 3 {
		case 0:
			r.ContentLength = int64(len(body))
		case 1:
			r.ContentLength = -1 // chunked
		case 2:
			r.ContentLength = int64(len(body) / 2) // a lying client: it sends more
		case 3:
			r.ContentLength = int64(len(body)) + fuzzLimit // a lying client: it sends less
		}
		r.Header.Set("Content-Type", contentType)
		if mode&8 != 0 {
			r.TLS = nil // plain HTTP
		} else {
			r.TLS = &tls.ConnectionState{}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)

		require.LessOrEqual(t, counter.n, int64(fuzzLimit+1), "read past the body limit")
		if mode&8 != 0 {
			require.Equal(t, http.StatusPermanentRedirect, rec.Code)
			require.Empty(t, rec.Body.Bytes())
			require.Equal(t, "https://api.example/api/v1/x/y", rec.Header().Get("Location"))
			require.Zero(t, counter.n, "plain HTTP must read no body")
			require.Zero(t, runs)
			return
		}
		env := parseWhole(t, rec.Code, rec.Header(), rec.Body.Bytes())
		if method != http.MethodPost {
			require.Equal(t, envelope.StatusError, env.Status)
			require.Equal(t, envelope.CodeMethodNotAllowed, env.ErrCode)
			require.Zero(t, counter.n, "a refused method must read no body")
			require.Zero(t, runs)
			return
		}
		if raw == nil {
			// Params refused the body.
			require.Equal(t, envelope.StatusParameterError, env.Status)
			require.Zero(t, runs)
			return
		}
		var want fuzzActionParams
		stdErr := jsonv2.Unmarshal(raw, &want, jsonv2.RejectUnknownMembers(mode&4 != 0))
		required := hasRequiredName(raw)
		if runs == 0 {
			require.Equal(t, envelope.StatusParameterError, env.Status, "the action did not run: %q", raw)
			require.True(t, stdErr != nil || !required,
				"parameters that encoding/json v2 decodes were refused: %q: %s", raw, env.Data)
			return
		}
		require.Equal(t, 1, runs)
		require.NoError(t, stdErr, "the action ran with parameters that encoding/json v2 refuses: %q", raw)
		require.True(t, required, "the action ran without its required field: %q", raw)
		require.Equal(t, want, got, "the action got other values than encoding/json v2 decodes from %q", raw)
		switch got.Name {
		case "panic", "oops":
			require.Equal(t, envelope.StatusInternalServerError, env.Status)
			require.NotContains(t, string(env.Data), "panicked")
			require.NotContains(t, string(env.Data), "unanticipated failure")
		case "fail":
			require.Equal(t, envelope.StatusError, env.Status)
			require.Equal(t, "Failed", env.ErrCode)
		default:
			require.Equal(t, envelope.StatusSuccess, env.Status)
		}
	})
}

// validMethod reports whether m is a token, as net/http requires of a
// request's method.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// hasRequiredName reports whether the object raw has a key that matches
// "name" as encoding/json matches keys to fields, with a value other than
// null.
func hasRequiredName(raw []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	for k, v := range m {
		if k == "name" && string(v) != "null" {
			return true
		}
	}
	return false
}
