package envelope_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// ErrMessageNotFound is declared once, at package level, and listed by the
// actions that return it.
var ErrMessageNotFound = envelope.Declare(envelope.StatusNotFound,
	"MessageNotFound", "No message found matching ID {id}", "id")

func ExampleDeclare() {
	type params struct {
		ID int `json:"id" envelope:"required" doc:"The message's id"`
	}
	get := envelope.ActionWith(envelope.ActionOptions{
		Title:  "Get a message",
		Errors: []*envelope.Error{ErrMessageNotFound},
	}, func(ctx context.Context, p params) (string, error) {
		if p.ID != 1 {
			return "", ErrMessageNotFound.With("id", p.ID)
		}
		return "Hello", nil
	})

	h := middleware.Envelope(envelope.Options{})(get)
	for _, body := range []string{`{"id":1}`, `{"id":7}`} {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/messages/message", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		fmt.Println(regexp.MustCompile(`"time":[0-9.e-]+`).ReplaceAllString(rec.Body.String(), `"time":T`))
	}

	// A client or a test tells the error by its declaration.
	err := error(ErrMessageNotFound.With("id", 7))
	fmt.Println(errors.Is(err, ErrMessageNotFound), err)
	// Output:
	// {"status":"success","time":T,"flags":{},"data":"Hello"}
	// {"status":"not-found","time":T,"flags":{},"data":{"code":"MessageNotFound","message":"No message found matching ID 7","id":7}}
	// true not-found: MessageNotFound: No message found matching ID 7
}

func ExampleAuthenticator() {
	errNoKey := envelope.Declare(envelope.StatusAccessDenied, "NoKey", "Send your API key in X-API-Key")
	apiKey := &envelope.Authenticator{
		Name:        "APIKey",
		Header:      "X-API-Key",
		Description: "The key you were given.",
		Errors:      []*envelope.Error{errNoKey},
		Check: func(r *http.Request) (context.Context, error) {
			if r.Header.Get("X-API-Key") != "secret" {
				return nil, errNoKey
			}
			return nil, nil // the request's own context
		},
	}
	list := envelope.ActionWith(envelope.ActionOptions{Title: "List", Auth: apiKey},
		func(ctx context.Context, p struct{}) ([]string, error) { return []string{"a"}, nil })

	h := middleware.Envelope(envelope.Options{})(list)
	for _, key := range []string{"", "secret"} {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/things/list", strings.NewReader(`{}`))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-API-Key", key)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		fmt.Println(regexp.MustCompile(`"time":[0-9.e-]+`).ReplaceAllString(rec.Body.String(), `"time":T`))
	}
	// Output:
	// {"status":"access-denied","time":T,"flags":{},"data":{"code":"NoKey","message":"Send your API key in X-API-Key"}}
	// {"status":"success","time":T,"flags":{},"data":["a"]}
}
