package mux_test

import "net/http"

// Test servers of an external test package are not reported either.
func fakeServer() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/users", func(http.ResponseWriter, *http.Request) {})
	return mux
}
