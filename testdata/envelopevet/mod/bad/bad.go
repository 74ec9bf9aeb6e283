// Package bad has one finding of each analyzer.
package bad

import (
	"fmt"
	"net/http"
)

func Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /users/info", info)
}

func info(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "no such user", http.StatusNotFound)
}

func list(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, "users")
}
