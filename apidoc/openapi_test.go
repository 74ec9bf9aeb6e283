package apidoc_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

var (
	errNotFound = envelope.Declare(envelope.StatusNotFound, "MessageNotFound", "No message {id}", "id")
	errNoKey    = envelope.Declare(envelope.StatusAccessDenied, "NoKey", "Send X-Key")
	errBusy     = envelope.Declare(envelope.StatusError, "Busy", "Try later")
)

var keyAuth = &envelope.Authenticator{
	Name: "Key", Header: "X-Key", Description: "Your key.",
	Errors: []*envelope.Error{errNoKey, errBusy},
	Check:  func(*http.Request) (context.Context, error) { return nil, nil },
}

type getParams struct {
	ID int `json:"id" envelope:"required" doc:"The id"`
}

type message struct {
	ID   int     `json:"id"`
	Note *string `json:"note,omitempty"`
}

// testAPI registers, in this order: a described action behind a chain, a
// strict one, and a plain handler.
func testAPI(opts middleware.RouterOptions) *apidoc.API {
	rt := middleware.NewRouter(opts)
	get := envelope.ActionWith(envelope.ActionOptions{
		Title: "Get a message", Description: "Returns it.", Auth: keyAuth,
		Errors: []*envelope.Error{errNotFound, errBusy},
	}, func(ctx context.Context, p getParams) (*message, error) { return nil, nil })
	rt.Action("messages", "get", middleware.NewChain(middleware.Params(middleware.ParamsOptions{})).Then(get))
	rt.Action("messages", "list-all", envelope.ActionWith(envelope.ActionOptions{Strict: true},
		func(ctx context.Context, p struct {
			Page int `json:"page"`
		}) ([]message, error) {
			return nil, nil
		}))
	rt.ActionFunc("debug", "ping", func(w http.ResponseWriter, r *http.Request) {})
	return rt.Describe()
}

func TestDescribe(t *testing.T) {
	api := testAPI(middleware.RouterOptions{
		Prefix: "rpc", Version: "v2",
		HTTPS: &middleware.HTTPSOptions{},
		Docs:  middleware.DocsOptions{Title: "Mail", Description: "Sends mail."},
	})
	assert.Equal(t, "Mail", api.Title)
	assert.Equal(t, "Sends mail.", api.Description)
	assert.Equal(t, "v2", api.Version)
	assert.Equal(t, "/rpc/v2/", api.Prefix)
	assert.Equal(t, "/rpc/docs/v2/", api.DocsPath)
	assert.Equal(t, http.StatusPermanentRedirect, api.PlainHTTP)
	assert.Equal(t, []*envelope.Authenticator{keyAuth}, api.Authenticators)
	require.Len(t, api.Actions, 3)

	get := api.Actions[0]
	assert.True(t, get.Described, "found through the chain")
	assert.Equal(t, "/rpc/v2/messages/get", get.Path)
	assert.Equal(t, "messagesGet", get.OperationID())
	assert.Equal(t, "Get a message", get.Title)
	assert.Same(t, keyAuth, get.Auth)
	assert.Equal(t, []apidoc.Error{
		{Status: envelope.StatusNotFound, Code: "MessageNotFound", Description: "No message {id}", Attributes: []string{"id"}},
		{Status: envelope.StatusError, Code: "Busy", Description: "Try later", Attributes: []string{}},
		{Status: envelope.StatusAccessDenied, Code: "NoKey", Description: "Send X-Key", Attributes: []string{}, Authenticator: "Key"},
	}, get.Errors, "the action's own, then its authenticator's it does not declare itself")
	require.Len(t, get.Params.Properties, 1)
	assert.Equal(t, apidoc.Property{Name: "id", Required: true, Schema: &apidoc.Schema{Type: "integer", Format: "int64", Description: "The id"}}, get.Params.Properties[0])
	assert.Equal(t, &apidoc.Schema{Ref: "Message", Nullable: true}, get.Result)
	assert.Contains(t, api.Schemas, "Message")

	list := api.Actions[1]
	assert.Equal(t, "messagesListAll", list.OperationID())
	assert.True(t, list.Strict)
	assert.True(t, list.Params.Closed)

	ping := api.Actions[2]
	assert.False(t, ping.Described)
	assert.Equal(t, &apidoc.Schema{Type: "object"}, ping.Params)
	assert.Equal(t, &apidoc.Schema{}, ping.Result)
	assert.Empty(t, ping.Errors)

	all := api.AllErrors(get)
	assert.Len(t, all, 3+len(envelope.ToolkitParameterCodes())+1, "the toolkit's parameter errors and HTTPSRequired join")
	assert.Equal(t, "HTTPSRequired", all[len(all)-1].Code)
	assert.True(t, all[len(all)-1].Toolkit)
}

func TestPlainHTTPAnswer(t *testing.T) {
	tests := []struct {
		https *middleware.HTTPSOptions
		want  int
	}{
		{nil, 0},
		{&middleware.HTTPSOptions{}, 308},
		{&middleware.HTTPSOptions{RedirectStatus: 301}, 301},
		{&middleware.HTTPSOptions{Reject: true}, 200},
	}
	for _, tt := range tests {
		api := testAPI(middleware.RouterOptions{HTTPS: tt.https})
		assert.Equal(t, tt.want, api.PlainHTTP)
		doc := openAPI(t, api, "3.1")
		responses := doc["paths"].(map[string]any)["/api/v1/debug/ping"].(map[string]any)["post"].(map[string]any)["responses"].(map[string]any)
		for _, code := range []string{"301", "308"} {
			_, has := responses[code]
			assert.Equal(t, code == "301" && tt.want == 301 || code == "308" && tt.want == 308, has, "%v: response %s", tt.https, code)
		}
	}
}

func TestAuthenticatorsNeedUniqueNames(t *testing.T) {
	other := *keyAuth
	rt := middleware.NewRouter(middleware.RouterOptions{})
	fn := func(ctx context.Context, p struct{}) (int, error) { return 0, nil }
	rt.Action("a", "one", envelope.ActionWith(envelope.ActionOptions{Auth: keyAuth}, fn))
	assert.PanicsWithValue(t, "apidoc: two authenticators are named Key", func() {
		rt.Action("a", "two", envelope.ActionWith(envelope.ActionOptions{Auth: &other}, fn))
	}, "when the second is registered")
}

func openAPI(t *testing.T, api *apidoc.API, version string) map[string]any {
	t.Helper()
	b, err := api.OpenAPI(apidoc.OpenAPIOptions{Version: version})
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(b, &doc))
	return doc
}

// at walks a decoded document along keys.
func at(t *testing.T, v any, keys ...string) any {
	t.Helper()
	for _, k := range keys {
		m, ok := v.(map[string]any)
		require.True(t, ok, "no object at %q", k)
		v, ok = m[k]
		require.True(t, ok, "no %q among %v", k, keysOf(m))
	}
	return v
}

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestOpenAPI(t *testing.T) {
	api := testAPI(middleware.RouterOptions{HTTPS: &middleware.HTTPSOptions{}})
	for _, v := range []string{"3.1", "3.0"} {
		t.Run(v, func(t *testing.T) {
			doc := openAPI(t, api, v)
			assert.Equal(t, map[string]string{"3.1": "3.1.0", "3.0": "3.0.3"}[v], doc["openapi"])
			assert.Equal(t, "API", at(t, doc, "info", "title"))
			assert.Equal(t, []any{map[string]any{"url": "/"}}, doc["servers"])
			assert.Len(t, doc["tags"], 2, "one per controller")

			op := at(t, doc, "paths", "/api/v1/messages/get", "post").(map[string]any)
			assert.Len(t, at(t, doc, "paths", "/api/v1/messages/get"), 1, "post only")
			assert.Equal(t, []any{"messages"}, op["tags"])
			assert.Equal(t, "Get a message", op["summary"])
			assert.Equal(t, "messagesGet", op["operationId"])
			assert.Equal(t, []any{map[string]any{"Key": []any{}}}, op["security"])
			assert.Equal(t, true, at(t, op, "requestBody", "required"))
			assert.Equal(t, []any{"id"}, at(t, op, "requestBody", "content", "application/json", "schema", "required"))
			assert.ElementsMatch(t, []string{"200", "308", "500", "503"}, keysOf(op["responses"].(map[string]any)))
			assert.Contains(t, at(t, op, "responses", "503", "headers"), "Retry-After")

			ok := at(t, op, "responses", "200", "content", "application/json", "schema")
			assert.Equal(t, map[string]any{
				"propertyName": "status",
				"mapping": map[string]any{
					"success":         "#/components/schemas/MessagesGetSuccess",
					"parameter-error": "#/components/schemas/MessagesGetParameterError",
					"access-denied":   "#/components/schemas/MessagesGetAccessDenied",
					"not-found":       "#/components/schemas/MessagesGetNotFound",
					"error":           "#/components/schemas/MessagesGetError",
				},
			}, at(t, ok, "discriminator"))
			assert.Len(t, at(t, ok, "oneOf"), 5)

			schemas := at(t, doc, "components", "schemas")
			assert.Equal(t, []any{"not-found"}, at(t, schemas, "MessagesGetNotFound", "properties", "status", "enum"), "a one-value enum, never const")
			assert.Equal(t, false, at(t, schemas, "MessagesGetNotFound", "additionalProperties"))
			assert.Equal(t, map[string]any{"$ref": "#/components/schemas/MessageNotFoundError"}, at(t, schemas, "MessagesGetNotFound", "properties", "data"))
			notFound := at(t, schemas, "MessageNotFoundError")
			assert.Equal(t, "No message {id}", at(t, notFound, "description"))
			assert.Equal(t, []any{"MessageNotFound"}, at(t, notFound, "properties", "code", "enum"))
			assert.Equal(t, []any{"code", "message", "id"}, at(t, notFound, "required"), "a declared attribute is always sent")
			errData := at(t, schemas, "MessagesGetError", "properties", "data")
			assert.Equal(t, "code", at(t, errData, "discriminator", "propertyName"))
			assert.Len(t, at(t, errData, "oneOf"), 1+1, "Busy, declared by both the action and its authenticator, once; HTTPSRequired")

			assert.Equal(t, false, at(t, doc, "paths", "/api/v1/messages/list-all", "post", "requestBody", "content", "application/json", "schema", "additionalProperties"), "strict")
			assert.Equal(t, []any{}, at(t, doc, "paths", "/api/v1/debug/ping", "post", "security"), "no authenticator: said so")
			assert.Equal(t, map[string]any{"type": "apiKey", "in": "header", "name": "X-Key", "description": "Your key."}, at(t, doc, "components", "securitySchemes", "Key"))
			for _, name := range []string{"Flags", "Paginated", "Sorted", "InternalServerErrorEnvelope", "ServiceUnavailableEnvelope"} {
				assert.Contains(t, schemas, name)
			}

			note := at(t, schemas, "Message", "properties", "note")
			success := at(t, schemas, "MessagesGetSuccess", "properties", "data")
			if v == "3.1" {
				assert.Equal(t, []any{"string", "null"}, at(t, note, "type"))
				assert.Equal(t, map[string]any{"anyOf": []any{map[string]any{"$ref": "#/components/schemas/Message"}, map[string]any{"type": "null"}}}, success)
			} else {
				assert.Equal(t, "string", at(t, note, "type"))
				assert.Equal(t, true, at(t, note, "nullable"))
				assert.Equal(t, map[string]any{"type": "object", "nullable": true, "allOf": []any{map[string]any{"$ref": "#/components/schemas/Message"}}}, success)
			}
		})
	}
	_, err := api.OpenAPI(apidoc.OpenAPIOptions{Version: "2.0"})
	assert.ErrorContains(t, err, `OpenAPI version "2.0": use 3.1 or 3.0`)
}

func TestRoutingErrors(t *testing.T) {
	codes := map[string]bool{}
	for _, e := range apidoc.RoutingErrors() {
		codes[e.Code] = true
		assert.NotEmpty(t, e.Description)
		assert.True(t, e.Toolkit)
	}
	assert.Equal(t, map[string]bool{envelope.CodeMethodNotAllowed: true, envelope.CodeUnknownAction: true}, codes)
	for _, e := range (&apidoc.API{PlainHTTP: 308}).ToolkitErrors() {
		assert.NotEmpty(t, e.Description, "%s has no description", e.Code)
	}
}
