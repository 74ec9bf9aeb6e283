package docsite_test

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// A small mail API, described as the toolkit describes any: every feature
// the site shows has a use here.

var (
	errNoRecipients   = envelope.Declare(envelope.StatusError, "NoRecipients", "There are no recipients defined to receive this message")
	errMessageMissing = envelope.Declare(envelope.StatusNotFound, "MessageNotFound", "No message found matching ID {id}", "id")
	errAccessDenied   = envelope.Declare(envelope.StatusAccessDenied, "AccessDenied", "Must be authenticated as a server.")
	errInvalidKey     = envelope.Declare(envelope.StatusAccessDenied, "InvalidServerAPIKey", "The API key {token} is not valid.", "token")
)

var serverKey = &envelope.Authenticator{
	Name:        "ServerAPIKey",
	Header:      "X-Server-API-Key",
	Description: "Every request carries the API key of a mail server.",
	Errors:      []*envelope.Error{errAccessDenied, errInvalidKey},
	Check: func(r *http.Request) (context.Context, error) {
		switch key := r.Header.Get("X-Server-API-Key"); key {
		case "":
			return nil, errAccessDenied
		case "secret":
			return nil, nil
		default:
			return nil, errInvalidKey.With("token", key)
		}
	},
}

type attachment struct {
	Name        string `json:"name" doc:"The file name." example:"report.pdf"`
	ContentType string `json:"content_type" doc:"The media type." default:"application/octet-stream"`
	Data        []byte `json:"data" doc:"The content."`
}

type sendParams struct {
	To          []string     `json:"to" envelope:"required" doc:"The <To> addresses." example:"[\"ann@example.com\"]"`
	Subject     string       `json:"subject" doc:"The subject." example:"Hello"`
	Kind        string       `json:"kind" doc:"How the body is written." enum:"plain,html" default:"plain"`
	Attachments []attachment `json:"attachments" doc:"Files to attach."`
}

type messageRef struct {
	ID    int    `json:"id" doc:"The message's id."`
	Token string `json:"token" doc:"The message's token."`
}

type sendResult struct {
	MessageID string                `json:"message_id" doc:"The Message-ID header."`
	Messages  map[string]messageRef `json:"messages" doc:"Per recipient, the message stored for it."`
}

type getParams struct {
	ID json.RawMessage `json:"id" envelope:"required" doc:"The message's id."`
}

type message struct {
	ID      int        `json:"id"`
	Subject string     `json:"subject,omitempty"`
	Ref     messageRef `json:"ref"`
}

type listParams struct {
	Page int `json:"page" doc:"The page to return." default:"1"`
}

func fixtureRouter() *middleware.Router {
	r := middleware.NewRouter(middleware.RouterOptions{
		HTTPS: &middleware.HTTPSOptions{},
		Docs:  middleware.DocsOptions{Title: "Mail API", Description: "Send e-mail & read what was sent."},
	})
	r.Action("send", "message", envelope.ActionWith(envelope.ActionOptions{
		Title:       "Send a message",
		Description: "Sends an e-mail to every recipient.",
		Auth:        serverKey,
		Errors:      []*envelope.Error{errNoRecipients},
	}, func(context.Context, sendParams) (sendResult, error) { return sendResult{}, nil }))
	r.Action("messages", "message", envelope.ActionWith(envelope.ActionOptions{
		Title:  "Get a message",
		Auth:   serverKey,
		Errors: []*envelope.Error{errMessageMissing},
	}, func(context.Context, getParams) (*message, error) { return nil, errMessageMissing.With("id", 1) }))
	r.Action("messages", "list", envelope.ActionWith(envelope.ActionOptions{
		Title:  "List messages",
		Strict: true,
	}, func(context.Context, listParams) ([]message, error) { return nil, nil }))
	r.Action("status", "ping", envelope.ActionWith(envelope.ActionOptions{},
		func(context.Context, struct{}) (string, error) { return "pong", nil }))
	r.Action("legacy", "dump", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		envelope.Success(w, r, "dump")
	}))
	return r
}

func fixtureAPI() *apidoc.API { return fixtureRouter().Describe() }
