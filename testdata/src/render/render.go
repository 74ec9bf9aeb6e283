// Package render is a third-party style helper package, recognised from its
// code: no name of it is known to the analyzers.
package render

import (
	"encoding/json"
	"io"
	"net/http"
)

func JSON(w io.Writer, v any) error { // want JSON:"body:w"
	return json.NewEncoder(w).Encode(v)
}

func Status(w http.ResponseWriter, code int) { // want Status:"status:w"
	w.WriteHeader(code)
}

func Problem(w http.ResponseWriter, code int, msg string) { // want Problem:"status:w body:w"
	Status(w, code)
	JSON(w, map[string]string{"error": msg})
}

// Writer wraps a writer and returns it: no write happens.
func Wrap(w io.Writer) *Writer { // want Wrap:"returns.out:w"
	return &Writer{out: w}
}

type Writer struct{ out io.Writer }

func (x *Writer) Flush(p []byte) { // want Flush:"body:x"
	x.out.Write(p)
}

// Header only touches headers.
func Header(w http.ResponseWriter) {
	w.Header().Set("X-Render", "1")
}

// Discard writes to a buffer of its own.
func Discard(w io.Writer, v any) {
	json.NewEncoder(io.Discard).Encode(v)
}
