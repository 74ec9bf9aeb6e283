// Package calls covers every call form that sets a status, with negatives.
package calls

import (
	"bytes"
	"embed"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/apienvelope/apienvelope/envelope"
)

var files embed.FS

func writeHeader(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusCreated) // want `w.WriteHeader sets the HTTP status of w; answer with envelope.Success`
}

func httpError(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "bad", http.StatusBadRequest) // want `http.Error sets the HTTP status of w; answer with envelope.Fail\(w, r, envelope.NewError`
}

func notFound(w http.ResponseWriter, r *http.Request) {
	http.NotFound(w, r) // want `http.NotFound .* envelope.NotFound`
}

func redirect(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/elsewhere", http.StatusFound) // want `http.Redirect`
}

func serveContent(w http.ResponseWriter, r *http.Request) {
	http.ServeContent(w, r, "a.txt", time.Time{}, strings.NewReader("a")) // want `http.ServeContent`
}

func serveFile(w http.ResponseWriter, r *http.Request) {
	http.ServeFile(w, r, "a.txt") // want `http.ServeFile`
}

func serveFileFS(w http.ResponseWriter, r *http.Request) {
	http.ServeFileFS(w, r, files, "a.txt") // want `http.ServeFileFS`
}

type server struct{}

func (server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusTeapot) // want `sets the HTTP status`
}

// Negatives.

func envelopeAPI(w http.ResponseWriter, r *http.Request) {
	envelope.Fail(w, r, envelope.NotFound("NoSuchUser", "no such user"))
	envelope.Success(w, r, map[string]string{"a": "b"})
}

func headers(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	http.SetCookie(w, &http.Cookie{Name: "a", Value: "b"})
}

func notWriters(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	rec.WriteHeader(http.StatusTeapot)
	http.Error(rec, "into a recorder", http.StatusBadRequest)
	http.NotFound(rec, r)
	http.Redirect(rec, r, "/elsewhere", http.StatusFound)
	http.ServeContent(rec, r, "a.txt", time.Time{}, strings.NewReader("a"))
	http.ServeFile(rec, r, "a.txt")
	http.ServeFileFS(rec, r, files, "a.txt")
	var buf bytes.Buffer
	buf.WriteString("buffered")
	os.Stdout.WriteString("logged")
	envelope.Success(w, r, buf.String())
}

// A function without a ResponseWriter parameter is not a handler.
func notHandler(rec *httptest.ResponseRecorder) {
	rec.WriteHeader(http.StatusTeapot)
}
