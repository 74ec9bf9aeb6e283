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
)

// show prints a response with its varying "time" blanked out.
func show(rec *httptest.ResponseRecorder) {
	body := regexp.MustCompile(`"time":[0-9.e-]+`).ReplaceAllString(rec.Body.String(), `"time":T`)
	fmt.Println(rec.Code, body)
}

func call(h http.Handler, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/api/v1/messages/send", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func ExampleAction() {
	type params struct {
		To      []string `json:"to" envelope:"required"`
		Subject string   `json:"subject"`
	}
	type result struct {
		Queued int `json:"queued"`
	}
	send := envelope.Action(func(ctx context.Context, p params) (result, error) {
		if len(p.To) > 50 {
			return result{}, envelope.NewError("TooManyToAddresses", "The maximum number of To addresses has been reached (maximum 50)")
		}
		return result{Queued: len(p.To)}, nil
	})

	show(call(send, `{"to":["a@example.com"],"subject":"Hi"}`))
	show(call(send, `{"subject":"Hi"}`))
	show(call(send, `{"to":"a@example.com"}`))
	// Output:
	// 200 {"status":"success","time":T,"flags":{},"data":{"queued":1}}
	// 200 {"status":"parameter-error","time":T,"flags":{},"data":{"code":"MissingParameter","message":"`to` parameter is required but is missing","field":"to"}}
	// 200 {"status":"parameter-error","time":T,"flags":{},"data":{"code":"InvalidParameterType","message":"`to` should be an array","field":"to"}}
}

func ExampleFail() {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		envelope.Fail(w, r, envelope.NotFound("MessageNotFound", "No message found matching provided ID"))
	})
	show(call(h, `{}`))

	unanticipated := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		envelope.Fail(w, r, errors.New("the database is down"))
	})
	show(call(unanticipated, `{}`))
	// Output:
	// 200 {"status":"not-found","time":T,"flags":{},"data":{"code":"MessageNotFound","message":"No message found matching provided ID"}}
	// 500 {"status":"internal-server-error","time":T,"flags":{},"data":{"code":"InternalServerError","message":"An internal error occurred while processing the request"}}
}

func ExampleError_Is() {
	err := fmt.Errorf("loading message 7: %w", envelope.NotFound("MessageNotFound", "No such message"))
	fmt.Println(errors.Is(err, envelope.ErrNotFound))
	fmt.Println(errors.Is(err, envelope.NotFound("MessageNotFound", "")))
	fmt.Println(errors.Is(err, envelope.ErrAccessDenied))
	// Output:
	// true
	// true
	// false
}

func ExamplePagination() {
	page := envelope.Pagination{}.Page(2, 500, 97)
	fmt.Printf("%+v offset %d\n", page, page.Offset())
	// Output:
	// {Page:2 PerPage:60 TotalPages:2 TotalRecords:97} offset 60
}

func ExampleWrap() {
	// The handler below writes its own status and body, as handlers did
	// before the toolkit; Wrap turns them into an envelope.
	legacy := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":"no such delivery"}`)
	})
	r := httptest.NewRequest(http.MethodPost, "/api/v1/messages/deliveries", nil)
	rec := httptest.NewRecorder()
	envelope.Wrap(legacy, envelope.Options{}).ServeHTTP(rec, r)
	show(rec)
	// Output:
	// 200 {"status":"not-found","time":T,"flags":{},"data":{"code":"NotFound","message":"no such delivery"}}
}
