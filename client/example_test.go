package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/apienvelope/apienvelope/client"
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// ErrUnknownID is the error the server declares; the client matches it
// with errors.Is, by status and code, as the server does.
var ErrUnknownID = envelope.NotFound("UnknownID", "")

type GetParams struct {
	ID int `json:"id"`
}

type Message struct {
	ID      int    `json:"id"`
	Subject string `json:"subject"`
}

func ExampleCall() {
	// The server: one action, messages/get, over TLS.
	router := middleware.NewRouter(middleware.RouterOptions{})
	router.Action("messages", "get", envelope.Action(func(_ context.Context, p GetParams) (Message, error) {
		if p.ID != 1 {
			e := envelope.NotFound("UnknownID", "No message has this ID")
			e.Attributes = map[string]any{"id": p.ID}
			return Message{}, e
		}
		return Message{ID: 1, Subject: "Hello"}, nil
	}))
	srv := httptest.NewTLSServer(router)
	defer srv.Close()

	c := &client.Client{
		BaseURL:    srv.URL + "/api/v1",
		HTTPClient: srv.Client(),
		Header:     http.Header{"X-Server-API-Key": {"secret"}},
	}
	ctx := context.Background()

	msg, meta, err := client.Call[GetParams, Message](ctx, c, "messages/get", GetParams{ID: 1})
	fmt.Printf("%+v %v %v\n", msg, err, meta.Time > 0)

	_, _, err = client.Call[GetParams, Message](ctx, c, "messages/get", GetParams{ID: 7})
	var e *envelope.Error
	if errors.Is(err, ErrUnknownID) && errors.As(err, &e) {
		fmt.Println(e.Status, e.Code, e.Message, e.Attributes["id"])
	}
	// Output:
	// {ID:1 Subject:Hello} <nil> true
	// not-found UnknownID No message has this ID 7
}
