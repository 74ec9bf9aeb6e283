// Package legacy is wrapped legacy code, named whole by -wrapped: its
// handlers are not reported.
package legacy

import (
	"fmt"
	"net/http"
)

func Send(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "no recipients", http.StatusBadRequest)
}

func Reject(w http.ResponseWriter, msg string) {
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintln(w, msg)
}
