package envelope_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

var (
	errNotFound     = envelope.Declare(envelope.StatusNotFound, "MessageNotFound", "No message found matching ID {id}", "id")
	errNoRecipients = envelope.Declare(envelope.StatusError, "NoRecipients", "There are no recipients defined to receive this message")
	errNoKey        = envelope.Declare(envelope.StatusAccessDenied, "NoKey", "Send your key in X-Key")
)

func TestDeclare(t *testing.T) {
	assert.Equal(t, &envelope.Error{
		Status:     envelope.StatusNotFound,
		Code:       "MessageNotFound",
		Message:    "No message found matching ID {id}",
		Attributes: map[string]any{"id": nil},
	}, errNotFound)
	assert.Nil(t, errNoRecipients.Attributes)

	got := errNotFound.With("id", 42)
	assert.Equal(t, "No message found matching ID 42", got.Message)
	assert.Equal(t, map[string]any{"id": 42}, got.Attributes)
	assert.Equal(t, "No message found matching ID {id}", errNotFound.Message, "the declaration is left as it was")
	assert.Equal(t, map[string]any{"id": nil}, errNotFound.Attributes)

	wrapped := error(got)
	assert.ErrorIs(t, wrapped, errNotFound, "a copy matches its declaration")
	assert.ErrorIs(t, wrapped, envelope.ErrNotFound, "and its status's sentinel")
	assert.NotErrorIs(t, wrapped, errNoRecipients)
	var e *envelope.Error
	require.ErrorAs(t, wrapped, &e)
	assert.Equal(t, "MessageNotFound", e.Code)
}

func TestWithFillsPlaceholders(t *testing.T) {
	two := envelope.Declare(envelope.StatusError, "Between", "{a} is not between {a} and {b}", "a", "b")
	tests := []struct {
		value any
		want  string
	}{
		{"x", "x is not between x and {b}"},
		{json.RawMessage(`"7"`), `"7" is not between "7" and {b}`},
		{[]byte("raw"), "raw is not between raw and {b}"},
		{3.5, "3.5 is not between 3.5 and {b}"},
		{nil, "<nil> is not between <nil> and {b}"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, two.With("a", tt.value).Message)
	}
	assert.Equal(t, "1 is not between 1 and 2", two.With("a", 1).With("b", 2).Message)
	assert.Equal(t, map[string]any{"a": 1, "b": 2}, two.With("a", 1).With("b", 2).Attributes)
	assert.Equal(t, "Braces {like this} and {} stay", envelope.Declare(envelope.StatusError, "Braces", "Braces {like this} and {} stay").Message)
	assert.PanicsWithValue(t, `envelope: Error.With: MessageNotFound declares no attribute "ID"`, func() { errNotFound.With("ID", 1) })
	assert.Panics(t, func() { envelope.NewError("Plain", "no attributes").With("id", 1) })
}

func TestDeclarePanics(t *testing.T) {
	tests := []struct {
		name    string
		declare func()
		want    string
	}{
		{"success", func() { envelope.Declare(envelope.StatusSuccess, "Done", "m") }, "is not one an action answers with"},
		{"500", func() { envelope.Declare(envelope.StatusInternalServerError, "Oops", "m") }, "is not one an action answers with"},
		{"503", func() { envelope.Declare(envelope.StatusServiceUnavailable, "Busy", "m") }, "is not one an action answers with"},
		{"unknown status", func() { envelope.Declare("gone", "Gone", "m") }, "is not one an action answers with"},
		{"empty status", func() { envelope.Declare("", "Empty", "m") }, "is not one an action answers with"},
		{"lower-case code", func() { envelope.Declare(envelope.StatusError, "noRecipients", "m") }, "CamelCase"},
		{"code with a dash", func() { envelope.Declare(envelope.StatusError, "No-Recipients", "m") }, "CamelCase"},
		{"empty code", func() { envelope.Declare(envelope.StatusError, "", "m") }, "CamelCase"},
		{"non-ASCII code", func() { envelope.Declare(envelope.StatusError, "Ünknown", "m") }, "CamelCase"},
		{"empty message", func() { envelope.Declare(envelope.StatusError, "Quiet", " ") }, "message is empty"},
		{"placeholder without attribute", func() { envelope.Declare(envelope.StatusError, "Missing", "No {id}") }, "{id} names no attribute"},
		{"attribute not an identifier", func() { envelope.Declare(envelope.StatusError, "Odd", "m", "an id") }, "is not an identifier"},
		{"attribute starting with a digit", func() { envelope.Declare(envelope.StatusError, "Odd", "m", "1st") }, "is not an identifier"},
		{"reserved attribute", func() { envelope.Declare(envelope.StatusError, "Odd", "m", "message") }, "would shadow"},
		{"attribute twice", func() { envelope.Declare(envelope.StatusError, "Odd", "m", "id", "id") }, "given twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				v := recover()
				require.NotNil(t, v, "no panic")
				assert.Contains(t, v, tt.want)
			}()
			tt.declare()
		})
	}
}

// serve sends one request through the Envelope middleware to h and returns
// the answer's body.
func serve(t *testing.T, opts envelope.Options, h http.Handler, body string, header http.Header) string {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/api/v1/messages/message", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		r.Header[k] = v
	}
	rec := httptest.NewRecorder()
	middleware.Envelope(opts)(h).ServeHTTP(rec, r)
	return rec.Body.String()
}

type keyParams struct {
	ID int `json:"id" envelope:"required"`
}

type callerKey struct{}

// keyAuth accepts the key "k" and tells the action who called.
var keyAuth = &envelope.Authenticator{
	Name:   "Key",
	Header: "X-Key",
	Errors: []*envelope.Error{errNoKey},
	Check: func(r *http.Request) (context.Context, error) {
		if r.Header.Get("X-Key") != "k" {
			return nil, errNoKey
		}
		return context.WithValue(r.Context(), callerKey{}, "ann"), nil
	},
}

func TestAuthenticator(t *testing.T) {
	action := envelope.ActionWith(envelope.ActionOptions{Auth: keyAuth}, func(ctx context.Context, p keyParams) (string, error) {
		return ctx.Value(callerKey{}).(string), nil
	})
	withKey := http.Header{"X-Key": {"k"}}

	assert.JSONEq(t, `"ann"`, data(t, serve(t, envelope.Options{}, action, `{"id":1}`, withKey)), "the action runs with Check's context")
	assert.Contains(t, serve(t, envelope.Options{}, action, `{"id":1}`, nil), `"status":"access-denied"`)
	assert.Contains(t, serve(t, envelope.Options{}, action, `{not json`, nil), `"code":"NoKey"`, "Check runs before the parameters are read")
	assert.Contains(t, serve(t, envelope.Options{}, action, `{not json`, withKey), `"code":"MalformedJSON"`)

	// Behind a Params middleware, which leaves its check to the action, a
	// malformed body gets the answer it gets without an authenticator.
	behind := middleware.Params(middleware.ParamsOptions{})(action)
	assert.Contains(t, serve(t, envelope.Options{}, behind, `{not json`, nil), `"code":"MalformedJSON"`)
	assert.Contains(t, serve(t, envelope.Options{}, behind, `{"id":1}`, nil), `"code":"NoKey"`)

	keep := &envelope.Authenticator{Name: "Anyone", Check: func(*http.Request) (context.Context, error) { return nil, nil }}
	open := envelope.ActionWith(envelope.ActionOptions{Auth: keep}, func(ctx context.Context, p keyParams) (int, error) { return p.ID, nil })
	assert.JSONEq(t, `7`, data(t, serve(t, envelope.Options{}, open, `{"id":7}`, nil)), "a nil context keeps the request's")
}

// readWatcher notes whether the body was read.
type readWatcher struct {
	io.Reader
	read bool
}

func (w *readWatcher) Read(p []byte) (int, error) { w.read = true; return w.Reader.Read(p) }

func TestAuthenticatorRunsBeforeTheBodyIsRead(t *testing.T) {
	action := envelope.ActionWith(envelope.ActionOptions{Auth: keyAuth}, func(ctx context.Context, p keyParams) (int, error) { return p.ID, nil })
	body := &readWatcher{Reader: strings.NewReader(`{"id":1}`)}
	r := httptest.NewRequest(http.MethodPost, "/api/v1/a/b", body)
	r.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	middleware.Envelope(envelope.Options{})(action).ServeHTTP(rec, r)
	assert.Contains(t, rec.Body.String(), `"code":"NoKey"`)
	assert.False(t, body.read)
}

func data(t *testing.T, body string) string {
	t.Helper()
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &env), body)
	return string(env.Data)
}

func TestDeclaredAttributesAreSent(t *testing.T) {
	action := envelope.ActionWith(envelope.ActionOptions{Errors: []*envelope.Error{errNotFound}}, func(ctx context.Context, p keyParams) (int, error) {
		if p.ID == 0 {
			return 0, errNotFound
		}
		return 0, errNotFound.With("id", p.ID)
	})
	assert.JSONEq(t, `{"code":"MessageNotFound","message":"No message found matching ID 9","id":9}`, data(t, serve(t, envelope.Options{}, action, `{"id":9}`, nil)))
	assert.JSONEq(t, `{"code":"MessageNotFound","message":"No message found matching ID {id}","id":null}`, data(t, serve(t, envelope.Options{}, action, `{"id":0}`, nil)),
		"a declared attribute is sent, null until With sets it")
}

// TestUndeclaredErrorsAreLogged checks the runtime guard: in development
// mode, an error whose code the action does not declare is logged.
func TestUndeclaredErrorsAreLogged(t *testing.T) {
	action := envelope.ActionWith(envelope.ActionOptions{Auth: keyAuth, Errors: []*envelope.Error{errNotFound}}, func(ctx context.Context, p keyParams) (int, error) {
		switch p.ID {
		case 1:
			return 0, errNotFound.With("id", 1)
		case 2:
			return 0, envelope.NewError("Surprise", "not declared")
		case 3:
			return 0, envelope.NotFound("MessageNotFound", "the declared status and code")
		case 4:
			return 0, envelope.NewError("MessageNotFound", "declared code, undeclared status")
		case 5:
			return 0, envelope.ParameterError(envelope.CodeInvalidParameter, "the toolkit's parameter codes need no declaration").WithField("id")
		case 6:
			return 0, errors.New("unanticipated: a 500, not a code")
		case 7:
			return 0, envelope.Unavailable("busy", 0)
		}
		return p.ID, nil
	})
	tests := []struct {
		body   string
		header http.Header
		logged string
	}{
		{`{"id":1}`, http.Header{"X-Key": {"k"}}, ""},
		{`{"id":2}`, http.Header{"X-Key": {"k"}}, "code=Surprise"},
		{`{"id":3}`, http.Header{"X-Key": {"k"}}, ""},
		{`{"id":4}`, http.Header{"X-Key": {"k"}}, "status=error code=MessageNotFound"},
		{`{"id":5}`, http.Header{"X-Key": {"k"}}, ""},
		{`{"id":6}`, http.Header{"X-Key": {"k"}}, ""},
		{`{"id":7}`, http.Header{"X-Key": {"k"}}, ""},
		{`{"id":1}`, nil, ""}, // the authenticator's own error
		{`{"id":"x"}`, http.Header{"X-Key": {"k"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			var log bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&log, nil))
			serve(t, envelope.Options{Development: true, Logger: logger}, action, tt.body, tt.header)
			if tt.logged == "" {
				assert.NotContains(t, log.String(), "does not declare")
				return
			}
			assert.Contains(t, log.String(), `level=WARN msg="envelope: the action returned an error it does not declare" action=/api/v1/messages/message`)
			assert.Contains(t, log.String(), tt.logged)

			log.Reset()
			serve(t, envelope.Options{Logger: logger}, action, tt.body, tt.header)
			assert.Empty(t, log.String(), "only in development mode")
		})
	}
}

func TestDescribeAction(t *testing.T) {
	opts := envelope.ActionOptions{Title: "Get", Description: "Gets", Strict: true, Auth: keyAuth, Errors: []*envelope.Error{errNotFound}}
	action := envelope.ActionWith(opts, func(ctx context.Context, p keyParams) (*string, error) { return nil, nil })
	d, ok := action.(envelope.Describer)
	require.True(t, ok)
	info := d.DescribeAction()
	assert.Equal(t, opts, info.Options)
	assert.Equal(t, reflect.TypeFor[keyParams](), info.Params)
	assert.Equal(t, reflect.TypeFor[*string](), info.Result)
}

func TestHandlerWith(t *testing.T) {
	var ran bool
	h := envelope.HandlerWith[keyParams, []string](envelope.ActionOptions{Title: "Old", Auth: keyAuth}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ran = true
		envelope.Success(w, r, []string{r.Context().Value(callerKey{}).(string)})
	}))
	info := h.(envelope.Describer).DescribeAction()
	assert.Equal(t, "Old", info.Options.Title)
	assert.Equal(t, reflect.TypeFor[keyParams](), info.Params)
	assert.Equal(t, reflect.TypeFor[[]string](), info.Result)

	assert.Contains(t, serve(t, envelope.Options{}, h, `{}`, nil), `"code":"NoKey"`)
	assert.False(t, ran, "the authenticator runs first")
	assert.JSONEq(t, `["ann"]`, data(t, serve(t, envelope.Options{}, h, `{}`, http.Header{"X-Key": {"k"}})))

	assert.PanicsWithValue(t, "envelope: HandlerWith: nil handler", func() { envelope.HandlerWith[keyParams, int](envelope.ActionOptions{}, nil) })
	assert.Panics(t, func() {
		envelope.HandlerWith[keyParams, int](envelope.ActionOptions{Strict: true}, http.NotFoundHandler())
	})
}

func TestActionWithRefusesWhatCannotBeDocumented(t *testing.T) {
	fn := func(ctx context.Context, p keyParams) (int, error) { return 0, nil }
	check := func(*http.Request) (context.Context, error) { return nil, nil }
	tests := []struct {
		name string
		opts envelope.ActionOptions
		want string
	}{
		{"nil error", envelope.ActionOptions{Errors: []*envelope.Error{nil}}, "Errors[0] is nil"},
		{"500 error", envelope.ActionOptions{Errors: []*envelope.Error{{Status: envelope.StatusInternalServerError, Code: "Oops"}}}, "cannot be declared"},
		{"bad code", envelope.ActionOptions{Errors: []*envelope.Error{envelope.NewError("bad code", "m")}}, "is not CamelCase"},
		{"no check", envelope.ActionOptions{Auth: &envelope.Authenticator{Name: "Key"}}, "has no Check"},
		{"bad name", envelope.ActionOptions{Auth: &envelope.Authenticator{Name: "_key", Check: check}}, "must be ASCII letters"},
		{"empty name", envelope.ActionOptions{Auth: &envelope.Authenticator{Check: check}}, "must be ASCII letters"},
		{"authenticator's nil error", envelope.ActionOptions{Auth: &envelope.Authenticator{Name: "Key", Check: check, Errors: []*envelope.Error{nil}}}, "Authenticator Key: Errors[0] is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				v := recover()
				require.NotNil(t, v, "no panic")
				assert.Contains(t, v, tt.want)
			}()
			envelope.ActionWith(tt.opts, fn)
		})
	}
	// A NewError with the zero status is status error: it can be declared.
	assert.NotPanics(t, func() {
		envelope.ActionWith(envelope.ActionOptions{Errors: []*envelope.Error{{Code: "Plain", Message: "m"}}}, fn)
	})
}

func TestToolkitParameterCodes(t *testing.T) {
	codes := envelope.ToolkitParameterCodes()
	assert.Contains(t, codes, envelope.CodeMalformedJSON)
	assert.Contains(t, codes, envelope.CodeMissingParameter)
	codes[0] = "Changed"
	assert.NotContains(t, envelope.ToolkitParameterCodes(), "Changed", "each call returns a copy")
}
