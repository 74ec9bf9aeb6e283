// Package clean writes nothing raw.
package clean

import (
	"bytes"
	"fmt"
	"net/http"
)

func Routes(mux *http.ServeMux) {
	mux.HandleFunc("/api/v1/users/info", info)
}

func info(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	fmt.Fprintln(&buf, "users")
	w.Header().Set("X-Users", buf.String())
}

// allowed is marked with a reason.
func allowed(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusNoContent) //envelopevet:allow the health check answers plain HTTP
}
