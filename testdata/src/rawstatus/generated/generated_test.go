package generated

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Test files are not reported: fake servers answer like the API they stand
// for.
func TestFake(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	}))
	defer srv.Close()
}
