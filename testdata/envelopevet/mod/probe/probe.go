// Package probe has a readiness probe and a metrics endpoint, whose raw
// 404s -fix leaves alone: an envelope is sent with 200, which the probe's
// client reads as ready, and a metrics scraper as metrics to parse.
package probe

import "net/http"

func Routes(mux *http.ServeMux, ready func() bool) {
	mux.HandleFunc("/readyz", newReadinessProbe(ready))
	mux.HandleFunc("/api/users.info", info)
}

func newReadinessProbe(ready func() bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !ready() {
			http.NotFound(w, r)
		}
	}
}

func metricsHandler(allowed func(*http.Request) bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowed(r) {
			http.NotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func info(w http.ResponseWriter, r *http.Request) {
	http.NotFound(w, r)
}

// A message is not a route: the fix stands.
func users(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "the users are not ready", http.StatusNotFound)
}
