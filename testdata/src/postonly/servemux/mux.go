package mux

import (
	"net/http"
	stdhttp "net/http"
)

type myMux struct{ *http.ServeMux }

type aliasMux = http.ServeMux

func h(w http.ResponseWriter, r *http.Request) {}

func routes(mux *http.ServeMux, m myMux, am *aliasMux) {
	mux.HandleFunc("GET /users/info", h)                        // want `route "GET /users/info" registered for GET: apienvelope actions are POST only; use "POST /users/info"`
	mux.Handle("DELETE example.com/users", http.HandlerFunc(h)) // want `registered for DELETE`
	http.HandleFunc("PUT /a", h)                                // want `registered for PUT`
	stdhttp.Handle("GET /b", http.HandlerFunc(h))               // want `registered for GET`
	m.HandleFunc("PATCH /c", h)                                 // want `registered for PATCH`
	am.HandleFunc("HEAD /d", h)                                 // want `registered for HEAD`
	const pattern = "OPTIONS /e"
	http.NewServeMux().HandleFunc(pattern, h) // want `registered for OPTIONS`

	// Negatives.
	mux.HandleFunc("POST /users/create", h)
	mux.HandleFunc("/users/any", h)
	mux.HandleFunc("example.com/", h)
	var dynamic string
	mux.HandleFunc(dynamic, h)
}
