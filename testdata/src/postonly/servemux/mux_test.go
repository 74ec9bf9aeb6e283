package mux

import "net/http"

// Test servers may imitate any API: not reported.
func fakeAPI() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/status", h)
	return mux
}
