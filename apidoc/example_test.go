package apidoc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

var ErrNoRecipients = envelope.Declare(envelope.StatusError, "NoRecipients", "There are no recipients defined to receive this message")

func ExampleAPI_OpenAPI() {
	type params struct {
		To []string `json:"to" doc:"The recipients" example:"[\"ann@example.com\"]"`
	}
	type result struct {
		MessageID string `json:"message_id"`
	}
	rt := middleware.NewRouter(middleware.RouterOptions{Docs: middleware.DocsOptions{Title: "Mail"}})
	rt.Action("send", "message", envelope.ActionWith(envelope.ActionOptions{
		Title:  "Send a message",
		Errors: []*envelope.Error{ErrNoRecipients},
	}, func(ctx context.Context, p params) (result, error) {
		if len(p.To) == 0 {
			return result{}, ErrNoRecipients
		}
		return result{MessageID: "m1"}, nil
	}))

	api := rt.Describe()
	for _, a := range api.Actions {
		fmt.Println(a.Path, a.Title, a.Params.Properties[0].Name, a.Result.Ref)
		for _, e := range a.Errors {
			fmt.Println(" ", e.Status, e.Code)
		}
	}

	b, err := api.OpenAPI(apidoc.OpenAPIOptions{})
	if err != nil {
		panic(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		panic(err)
	}
	for _, s := range []json.RawMessage{
		doc.Components.Schemas["SendMessageError"].Properties["status"],
		doc.Components.Schemas["SendMessageError"].Properties["data"],
		doc.Components.Schemas["NoRecipientsError"].Properties["code"],
	} {
		var compact bytes.Buffer
		if err := json.Compact(&compact, s); err != nil {
			panic(err)
		}
		fmt.Println(compact.String())
	}
	// Output:
	// /api/v1/send/message Send a message to Result
	//   error NoRecipients
	// {"type":"string","enum":["error"]}
	// {"$ref":"#/components/schemas/NoRecipientsError"}
	// {"type":"string","enum":["NoRecipients"]}
}
