// Package monitoring has a readiness probe and a metrics endpoint, whose raw
// 404s get no fix: an envelope is sent with 200, which the probe's client
// reads as ready, and a metrics scraper as metrics to parse. An API handler
// next to them gets its fix.
package monitoring

import "net/http"

func Routes(mux *http.ServeMux, ready func() bool) {
	mux.HandleFunc("/readyz", newReadinessProbe(ready))
	mux.HandleFunc("/api/users.info", info)
}

func newReadinessProbe(ready func() bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !ready() {
			http.NotFound(w, r) // want `http.NotFound sets the HTTP status of w`
		}
	}
}

func metricsHandler(allowed func(*http.Request) bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowed(r) {
			http.NotFound(w, r) // want `http.NotFound sets the HTTP status of w`
			return
		}
		next.ServeHTTP(w, r)
	})
}

func info(w http.ResponseWriter, r *http.Request) {
	http.NotFound(w, r) // want `http.NotFound sets the HTTP status of w`
}
