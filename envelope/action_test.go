package envelope

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type sendParams struct {
	To          []string          `json:"to" envelope:"required"`
	From        string            `json:"from" envelope:"required"`
	Subject     string            `json:"subject"`
	Page        int               `json:"page"`
	Headers     map[string]string `json:"headers"`
	Attachments []struct {
		Name string `json:"name"`
	} `json:"attachments"`
	Ignored string `json:"-"`
}

func (p sendParams) Validate() error {
	switch p.Subject {
	case "plain":
		return errors.New("subject must not be plain")
	case "invalid":
		return ValidationError("", map[string][]string{"subject": {"is invalid"}})
	}
	return nil
}

type sendResult struct {
	MessageID string `json:"message_id"`
	To        int    `json:"to"`
}

func send(ctx context.Context, p sendParams) (sendResult, error) {
	switch p.From {
	case "fail@example.com":
		return sendResult{}, NewError("NoRecipients", "There are no recipients defined to receive this message")
	case "crash@example.com":
		return sendResult{}, errors.New("smtp: connection refused")
	}
	return sendResult{MessageID: "m1", To: len(p.To)}, nil
}

func TestAction(t *testing.T) {
	cases := []struct {
		name    string
		opts    ActionOptions
		body    string
		status  Status
		code    string
		field   string
		message string
		data    string
	}{
		{name: "success", body: `{"to":["a","b"],"from":"f"}`, status: StatusSuccess, data: `{"message_id":"m1","to":2}`},
		{name: "names are case-sensitive", body: `{"TO":["a"],"from":"f"}`, status: StatusParameterError, code: CodeMissingParameter, field: "to"},
		{name: "missing required", body: `{"from":"f"}`, status: StatusParameterError, code: CodeMissingParameter, field: "to", message: "`to` parameter is required but is missing"},
		{name: "null required", body: `{"to":null,"from":"f"}`, status: StatusParameterError, code: CodeMissingParameter, field: "to"},
		{name: "empty body", body: ``, status: StatusParameterError, code: CodeMissingParameter, field: "to"},
		{name: "wrong type", body: `{"to":"a","from":"f"}`, status: StatusParameterError, code: CodeInvalidParameterType, field: "to", message: "`to` should be an array"},
		{name: "integer", body: `{"to":["a"],"from":"f","page":"2"}`, status: StatusParameterError, code: CodeInvalidParameterType, field: "page", message: "`page` should be an integer"},
		{name: "fraction for an integer", body: `{"to":["a"],"from":"f","page":1.5}`, status: StatusParameterError, code: CodeInvalidParameterType, field: "page"},
		{name: "huge number", body: `{"to":["a"],"from":"f","page":1e999}`, status: StatusParameterError, code: CodeInvalidParameterType, field: "page"},
		{name: "nested field", body: `{"to":["a"],"from":"f","headers":{"x":1}}`, status: StatusParameterError, code: CodeInvalidParameterType, field: "headers.x", message: "`headers.x` should be a string"},
		{name: "field in an array of objects", body: `{"to":["a"],"from":"f","attachments":[{"name":5}]}`, status: StatusParameterError, code: CodeInvalidParameterType, field: "attachments.0.name", message: "`attachments.0.name` should be a string"},
		{name: "unknown field allowed", body: `{"to":["a"],"from":"f","cc":[]}`, status: StatusSuccess},
		{name: "unknown field in strict mode", opts: ActionOptions{Strict: true}, body: `{"to":["a"],"from":"f","cc":[]}`, status: StatusParameterError, code: CodeUnknownParameter, field: "cc", message: "`cc`"},
		{name: "json:\"-\" field is unknown in strict mode", opts: ActionOptions{Strict: true}, body: `{"to":["a"],"from":"f","Ignored":"x"}`, status: StatusParameterError, code: CodeUnknownParameter, field: "Ignored"},
		{name: "strict mode: a name in another case is unknown", opts: ActionOptions{Strict: true}, body: `{"To":["a"],"from":"f"}`, status: StatusParameterError, code: CodeUnknownParameter, field: "To"},
		{name: "a name given twice", body: `{"to":["a"],"to":["b"],"from":"f"}`, status: StatusParameterError, code: CodeDuplicateParameter, field: "to", message: "`to` is given more than once"},
		{name: "null parameters", body: `null`, status: StatusParameterError, code: CodeParametersNotObject, message: "not null"},
		{name: "Validate plain error", body: `{"to":["a"],"from":"f","subject":"plain"}`, status: StatusParameterError, code: CodeInvalidParameter, message: "subject must not be plain"},
		{name: "Validate envelope error", body: `{"to":["a"],"from":"f","subject":"invalid"}`, status: StatusValidationError, code: CodeValidationFailed},
		{name: "action error", body: `{"to":["a"],"from":"fail@example.com"}`, status: StatusError, code: "NoRecipients"},
		{name: "action plain error", body: `{"to":["a"],"from":"crash@example.com"}`, status: StatusInternalServerError, code: CodeInternalServerError},
		{name: "malformed body", body: `{"to":`, status: StatusParameterError, code: CodeMalformedJSON},
		{name: "body over the action's limit", opts: ActionOptions{Params: ParamsOptions{MaxBytes: 10}}, body: `{"to":["a"],"from":"f"}`, status: StatusParameterError, code: CodeBodyTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := &Options{Logger: slog.New(slog.DiscardHandler)}
			w := readEnvelope(t, serve(ActionWith(c.opts, send), opts, post(c.body)))
			require.Equal(t, c.status, w.Status, "%s", w.RawData)
			if c.data != "" {
				assert.Equal(t, c.data, string(w.RawData))
			}
			if c.status == StatusSuccess {
				return
			}
			data := w.object(t)
			assert.Equal(t, c.code, data["code"])
			if c.field != "" {
				assert.Equal(t, c.field, data["field"])
			}
			assert.Contains(t, data["message"], c.message)
		})
	}
}

func TestActionTakesParamsReadParamsRead(t *testing.T) {
	r := post(`{"to":["x"],"from":"f"}`)
	_, err := ReadParams(r, ParamsOptions{})
	require.NoError(t, err)
	w := readEnvelope(t, serve(Action(send), nil, r))
	assert.Equal(t, `{"message_id":"m1","to":1}`, string(w.RawData))
}

func TestDecode(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p sendParams
		if err := Decode(r, &p); err != nil {
			Fail(w, r, err)
			return
		}
		Success(w, r, strings.Join(p.To, ","))
	})
	w := readEnvelope(t, serve(h, nil, post(`{"to":["a","b"],"from":"f"}`)))
	assert.Equal(t, "a,b", w.Data)
	w = readEnvelope(t, serve(h, nil, post(`{"to":["a","b"]}`)))
	assert.Equal(t, CodeMissingParameter, w.object(t)["code"])

	var m map[string]any
	require.NoError(t, Decode(post(`{"any":"thing"}`), &m))
	assert.Equal(t, "thing", m["any"])
	var n int
	var e *Error
	require.ErrorAs(t, Decode(post(`{"a":1}`), &n), &e)
	assert.Equal(t, "The parameters should be an integer", e.Message)
}

type embeddedParams struct {
	Base
	Extra string `json:"extra"`
}

type Base struct {
	ID int `json:"id" envelope:"required"`
}

func TestRequiredFieldOfAnEmbeddedStruct(t *testing.T) {
	h := Action(func(ctx context.Context, p embeddedParams) (int, error) { return p.ID, nil })
	w := readEnvelope(t, serve(h, nil, post(`{"extra":"x"}`)))
	assert.Equal(t, "id", w.object(t)["field"])
	w = readEnvelope(t, serve(h, nil, post(`{"id":4}`)))
	assert.Equal(t, 4.0, w.Data)
}
