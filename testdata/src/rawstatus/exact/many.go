package exact

import "net/http"

// Every one of many handlers made in one function is checked.
func many() []http.HandlerFunc {
	return []http.HandlerFunc{
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }, // want `w.WriteHeader sets the HTTP status of w;`
	}
}
