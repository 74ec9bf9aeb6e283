package middleware_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// plainParams are what the codec's struct decoder takes, so that an action
// right after Params checks them as it decodes them.
type plainParams struct {
	Name string `json:"name"`
	Page int    `json:"page"`
	Kid  struct {
		Tags []string `json:"tags"`
	} `json:"kid"`
}

// richParams have a field of each kind the struct decoder takes besides
// plain values: a pointer, maps, an any, values that decode themselves.
type richParams struct {
	Opt   *int              `json:"opt"`
	Meta  map[string]string `json:"meta"`
	Extra any               `json:"extra"`
	At    time.Time         `json:"at"`
	Raw   json.RawMessage   `json:"raw"`
}

// TestParamsLeaveTheCheckToAnActionWithTheSameAnswers serves each body
// through Params then an action, which checks the parameters as it decodes
// them, and through Params then the same action hidden in a HandlerFunc,
// after Params has checked them: the answers must not differ.
func TestParamsLeaveTheCheckToAnActionWithTheSameAnswers(t *testing.T) {
	bodies := []string{
		``, `{}`, `{"name":"x","page":2,"kid":{"tags":["a","b"]}}`, `{"NAME":"x","name":"y"}`,
		`{"name":"x","name":"y"}`, `{"kid":{"tags":[],"tags":[]}}`, `{"other":{"a":1,"a":2}}`, `{"other":1,"other":2}`,
		`{"kid":` + strings.Repeat(`{"kid":`, 40) + `1` + strings.Repeat(`}`, 41) + `}`, `{"other":` + strings.Repeat("[", 33) + strings.Repeat("]", 33) + `}`,
		`{"name":"x"`, `{"name":"x"} x`, `[1]`, `{"name":"a\"b"}`, `{"page":"2"}`, `{"page":1e400}`, "{\"name\":\"\xff\"}",
		`{"opt":5,"meta":{"a":"1"},"extra":[1,"x",null,{"k":true}],"at":"2026-11-27T09:00:00Z","raw":{"k":[1]}}`,
		`{"opt":null,"meta":null,"extra":null,"raw":null}`, `{"meta":{"a":"1","a":"2"}}`, `{"extra":{"x":{"y":1,"y":2}}}`,
		`{"raw":{"a":1,"a":2}}`, `{"at":"yesterday"}`, `{"meta":{"a":1}}`, `{"opt":"5"}`, `{"extra":1e400}`,
		`{"extra":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, `{"raw":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`,
		`{"meta":` + strings.Repeat(`{"a":`, 2) + `"x"}}}`,
		`{"name":"x","zzz":1}`, `{"NAME":"x"}`, `{"name":null}`, `{"Name":"x","meta":{"zzz":1}}`, `{"opt":1,"zzz":null}`,
		`{"zzz":1,"name":"x","zzz":2}`, `{"name":"x","page":"two","zzz":1}`,
	}
	for _, tc := range hostileBodies {
		bodies = append(bodies, tc.body)
	}
	chain := func(h http.Handler) http.Handler {
		return middleware.NewChain(
			middleware.Envelope(middleware.EnvelopeOptions{}),
			middleware.Params(middleware.ParamsOptions{MaxBytes: hostileLimit}),
		).Then(h)
	}
	for name, action := range map[string]http.Handler{
		"plain":   envelope.Action(func(_ context.Context, p plainParams) (plainParams, error) { return p, nil }),
		"hostile": envelope.Action(func(_ context.Context, p hostileParams) (hostileParams, error) { return p, nil }),
		"rich":    envelope.Action(func(_ context.Context, p richParams) (richParams, error) { return p, nil }),
		"strict hostile": envelope.ActionWith(envelope.ActionOptions{Strict: true},
			func(_ context.Context, p hostileParams) (hostileParams, error) { return p, nil }),
		"strict rich": envelope.ActionWith(envelope.ActionOptions{Strict: true},
			func(_ context.Context, p richParams) (richParams, error) { return p, nil }),
	} {
		direct, hidden := chain(action), chain(http.HandlerFunc(action.ServeHTTP))
		for _, body := range bodies {
			assert.Equal(t, answerOf(t, direct, body), answerOf(t, hidden, body), "%s params, body %.80q", name, body)
		}
	}
}

// answerOf is the envelope h answers body with, without its time.
func answerOf(t *testing.T, h http.Handler, body string) map[string]any {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "https://api.example/act", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var got map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got), rec.Body.String())
	delete(got, "time")
	return got
}
