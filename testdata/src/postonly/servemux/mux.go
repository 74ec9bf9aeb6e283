package mux

import (
	"net/http"
	stdhttp "net/http"

	"github.com/apienvelope/apienvelope/middleware"
)

type myMux struct{ *http.ServeMux }

type aliasMux = http.ServeMux

func h(w http.ResponseWriter, r *http.Request) {}

func routes(mux *http.ServeMux, m myMux, am *aliasMux) {
	mux.HandleFunc("GET /users/info", h)                        // want `route "GET /users/info" registered for GET: actions are called with POST; register "/users/info" behind middleware.PostOnly, or use middleware.Router`
	mux.Handle("DELETE example.com/users", http.HandlerFunc(h)) // want `registered for DELETE: .* "example.com/users" behind middleware.PostOnly`
	http.HandleFunc("PUT /a", h)                                // want `registered for PUT`
	stdhttp.Handle("GET /b", http.HandlerFunc(h))               // want `registered for GET`
	m.HandleFunc("PATCH /c", h)                                 // want `registered for PATCH`
	am.HandleFunc("HEAD /d", h)                                 // want `registered for HEAD`
	const pattern = "OPTIONS /e"
	http.NewServeMux().HandleFunc(pattern, h) // want `registered for OPTIONS`

	// With POST in the pattern, the mux answers a GET itself, with a
	// plain-text 405.
	mux.HandleFunc("POST /users/create", h)             // want `route "POST /users/create" names its method: http.ServeMux answers other methods with a plain-text 405, before any middleware; register "/users/create" behind middleware.PostOnly, or use middleware.Router`
	mux.Handle("POST\t/users/tab", http.HandlerFunc(h)) // want `names its method`

	// Negatives: no method in the pattern, behind PostOnly.
	postOnly := middleware.PostOnly(middleware.PostOnlyOptions{})
	mux.Handle("/api/v1/users/create", postOnly(http.HandlerFunc(h)))
	mux.HandleFunc("/users/any", h)
	mux.HandleFunc("example.com/", h)
	var dynamic string
	mux.HandleFunc(dynamic, h)
}

// The advice never names a pattern the package registers: ServeMux panics
// on a pattern registered twice, and "/v1/users/{id}" is "/v1/users/{uid}".
func clashes(mux, other *http.ServeMux) {
	mux.HandleFunc("POST /v1/users", h) // want `route "POST /v1/users" names its method: .*; "GET /v1/users" \(mux.go:\d+\) has the same path, and both would become "/v1/users", which http.ServeMux refuses: register each action at a path of its own behind middleware.PostOnly, or use middleware.Router`
	mux.HandleFunc("GET /v1/users", h)  // want `route "GET /v1/users" registered for GET: .*; "POST /v1/users" \(mux.go:\d+\) has the same path`

	mux.HandleFunc("GET /v1/users/{id}", h) // want `route "GET /v1/users/{id}" registered for GET: actions are called with POST; "/v1/users/{uid}" is registered too \(mux.go:\d+\): register this action at a path of its own behind middleware.PostOnly, or use middleware.Router`
	other.HandleFunc("/v1/users/{uid}", h)

	// The default mux and another variable may be the same mux.
	http.HandleFunc("GET /v1/orders", h) // want `"/v1/orders" is registered too`
	mux.HandleFunc("/v1/orders", h)

	// Different hosts are different paths.
	mux.HandleFunc("GET example.com/v1/users", h) // want `register "example.com/v1/users" behind middleware.PostOnly`
}

// The toolkit's router: every route is an action called with POST.
func router() http.Handler {
	rt := middleware.NewRouter(middleware.RouterOptions{})
	rt.ActionFunc("users", "info", h)
	return rt
}
