package middleware_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// printAnswer prints what a client would see of an answer, leaving out the
// time it took.
func printAnswer(rec *httptest.ResponseRecorder) {
	var env struct {
		Status string          `json:"status"`
		Data   json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		fmt.Println(rec.Code, "no envelope:", rec.Body.String())
		return
	}
	fmt.Println(rec.Code, env.Status, string(env.Data))
}

func examplePost(h http.Handler, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, target, strings.NewReader(`{}`)))
	return rec
}

func ExampleNewRouter() {
	router := middleware.NewRouter(middleware.RouterOptions{})
	router.ActionFunc("send", "message", func(w http.ResponseWriter, r *http.Request) {
		envelope.Success(w, r, map[string]string{"id": "m1"})
	})

	printAnswer(examplePost(router, "/api/v1/send/message"))
	printAnswer(examplePost(router, "/api/v1/send/letter"))

	rec := httptest.NewRecorder()
	router.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/send/message", nil))
	printAnswer(rec)
	fmt.Println("Allow:", rec.Header().Get("Allow"))
	// Output:
	// 200 success {"id":"m1"}
	// 200 error {"code":"UnknownAction","message":"There is no action at \"/api/v1/send/letter\""}
	// 200 error {"code":"MethodNotAllowed","message":"Actions are called with POST, not GET"}
	// Allow: POST, OPTIONS
}

func ExampleNewChain() {
	logger := slog.New(slog.DiscardHandler)
	api := middleware.NewChain(
		middleware.Envelope(middleware.EnvelopeOptions{Logger: logger}),
		middleware.Recover(middleware.RecoverOptions{Logger: logger}),
		middleware.PostOnly(middleware.PostOnlyOptions{}),
	)
	h := api.ThenFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("the database is gone")
	})

	printAnswer(examplePost(h, "/"))
	// Output:
	// 500 internal-server-error {"code":"InternalServerError","message":"An internal error occurred while processing the request"}
}

func ExampleChain_Append() {
	base := middleware.NewChain(middleware.Envelope(middleware.EnvelopeOptions{}))
	var on atomic.Bool
	on.Store(true)
	closed := base.Append(middleware.Maintenance(middleware.MaintenanceOptions{On: &on, RetryAfter: time.Minute}))

	hello := func(w http.ResponseWriter, r *http.Request) { envelope.Success(w, r, "hello") }
	printAnswer(examplePost(base.ThenFunc(hello), "/"))
	rec := examplePost(closed.ThenFunc(hello), "/")
	printAnswer(rec)
	fmt.Println("Retry-After:", rec.Header().Get("Retry-After"))
	// Output:
	// 200 success "hello"
	// 503 service-unavailable {"code":"ServiceUnavailable","message":"The service is down for maintenance"}
	// Retry-After: 60
}

func ExampleRequireHTTPS() {
	action := middleware.Envelope(middleware.EnvelopeOptions{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		envelope.Success(w, r, "over TLS")
	}))
	redirect := middleware.RequireHTTPS(middleware.HTTPSOptions{HTTPSPort: 8443})(action)
	reject := middleware.RequireHTTPS(middleware.HTTPSOptions{Reject: true})(action)

	rec := examplePost(redirect, "http://localhost:8080/api/v1/send/message?draft=1")
	fmt.Println(rec.Code, rec.Header().Get("Location"))
	printAnswer(examplePost(reject, "http://localhost:8080/api/v1/send/message"))
	printAnswer(examplePost(redirect, "https://localhost:8443/api/v1/send/message"))
	// Output:
	// 308 https://localhost:8443/api/v1/send/message?draft=1
	// 200 error {"code":"HTTPSRequired","message":"This API is only served over HTTPS"}
	// 200 success "over TLS"
}

func ExamplePostOnly() {
	h := middleware.NewChain(
		middleware.Envelope(middleware.EnvelopeOptions{}),
		middleware.PostOnly(middleware.PostOnlyOptions{CORS: middleware.CORSOptions{
			AllowedOrigins: []string{"https://app.example.com"},
			MaxAge:         time.Hour,
		}}),
	).ThenFunc(func(w http.ResponseWriter, r *http.Request) { envelope.Success(w, r, "sent") })

	preflight := httptest.NewRequest(http.MethodOptions, "/api/v1/send/message", nil)
	preflight.Header.Set("Origin", "https://app.example.com")
	preflight.Header.Set("Access-Control-Request-Method", "POST")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, preflight)
	printAnswer(rec)
	for _, k := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age"} {
		fmt.Printf("%s: %s\n", k, rec.Header().Get(k))
	}
	// Output:
	// 200 success null
	// Access-Control-Allow-Origin: https://app.example.com
	// Access-Control-Allow-Methods: POST
	// Access-Control-Allow-Headers: Content-Type
	// Access-Control-Max-Age: 3600
}

func ExampleNewServer() {
	router := middleware.NewRouter(middleware.RouterOptions{HTTPS: &middleware.HTTPSOptions{HTTPSPort: 8443}})
	router.ActionFunc("send", "message", func(w http.ResponseWriter, r *http.Request) {
		envelope.Success(w, r, map[string]string{"id": "m1"})
	})
	srv := middleware.NewServer(router, middleware.ServerOptions{
		MaxConns:          5000, // below ulimit -n
		MaxConnsPerClient: 100,
	})
	srv.Addr = ":8443"
	fmt.Println("read", srv.ReadTimeout, "write", srv.WriteTimeout, "idle", srv.IdleTimeout)
	fmt.Println("OPTIONS * answered by the router:", srv.DisableGeneralOptionsHandler)
	// Then, as with any http.Server:
	// log.Fatal(srv.ListenAndServeTLS("cert.pem", "key.pem"))

	// Output:
	// read 30s write 1m0s idle 1m0s
	// OPTIONS * answered by the router: true
}

// A handler written before the toolkit, which reads its own body and writes
// its own status, goes behind Params and inside Envelope unchanged: Params
// refuses a bad body before it runs, and puts the parameters back as a JSON
// body for it to read, even when the client sent a form.
func ExampleParams() {
	legacy := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct {
			To []string `json:"to"`
		}
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil || len(p.To) == 0 {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, "no recipients")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"sent_to":%d}`, len(p.To))
	})
	h := middleware.NewChain(
		middleware.Envelope(middleware.EnvelopeOptions{}),
		middleware.Params(middleware.ParamsOptions{}),
	).Then(legacy)

	for _, body := range []string{`{"to":["ann@example.com"]}`, `{"to":[]}`, `{"to":`} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/v1/send/message", strings.NewReader(body)))
		printAnswer(rec)
	}
	form := httptest.NewRequest(http.MethodPost, "/api/v1/send/message", strings.NewReader(`params=%7B%22to%22%3A%5B%22bo%40example.com%22%5D%7D`))
	form.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, form)
	printAnswer(rec)
	// Output:
	// 200 success {"sent_to":1}
	// 200 parameter-error {"code":"BadRequest","message":"no recipients"}
	// 200 parameter-error {"code":"MalformedJSON","message":"Malformed JSON: the parameters end before the object does","field":"to"}
	// 200 success {"sent_to":1}
}
