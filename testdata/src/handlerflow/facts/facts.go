// Package facts checks the facts of functions that call one another in any
// order inside one package.
package facts

import (
	"bufio"
	"io"
	"net/http"
)

// first calls second, declared after it.
func first(w http.ResponseWriter) { // want first:"status:w"
	second(w, 1)
}

func second(w http.ResponseWriter, code int) { // want second:"status:w"
	rw := w
	rw.WriteHeader(code)
}

// Generic writers are followed through their type parameter.
func emit[W io.Writer](out W, p []byte) { // want emit:"body:out"
	out.Write(p)
}

// bufio.NewWriter carries w; Flush writes to it.
func buffered(w io.Writer) { // want buffered:"body:w"
	b := bufio.NewWriter(w)
	b.WriteString("x")
	b.Flush()
}

// A method value writes where the variable bound to it is called.
func methodValue(w io.Writer) { // want methodValue:"body:w"
	write := w.Write
	write(nil)
}

// Taking a method value writes nothing: handing it to hooks is composing.
type hooks struct{ write func([]byte) (int, error) }

func hookValue(w io.Writer) hooks {
	return hooks{write: w.Write}
}

// A closure called later writes through its captured parameter.
func closure(w http.ResponseWriter) { // want closure:"body:w"
	send := func(p []byte) { w.Write(p) }
	send(nil)
}

// A literal parameter bound by a call.
func boundLiteral(w io.Writer) { // want boundLiteral:"body:w"
	func(out io.Writer) { io.WriteString(out, "x") }(w)
}

// Wrapping only: the result carries the writer, nothing is written.
type wrapper struct{ http.ResponseWriter }

func wrap(w http.ResponseWriter) http.ResponseWriter { // want wrap:"returns.ResponseWriter:w"
	return &wrapper{ResponseWriter: w}
}

// A transparent wrapper's methods forward to the writer they wrap.
func (x *wrapper) WriteHeader(code int) { // want WriteHeader:"status:x"
	x.ResponseWriter.WriteHeader(code)
}

func (x *wrapper) Write(p []byte) (int, error) { // want Write:"body:x"
	return x.ResponseWriter.Write(p)
}

// Headers, flushing and the next handler are not writes.
func notWrites(w http.ResponseWriter, r *http.Request, next http.Handler) {
	w.Header().Set("X-A", "b")
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	next.ServeHTTP(w, r)
}

// A type switch carries the writer into its clauses.
func typeSwitch(w any) { // want typeSwitch:"body:w"
	switch x := w.(type) {
	case io.StringWriter:
		x.WriteString("x")
	}
}

// A closure returned writes later, when it is called.
func encoderFor(w io.Writer) func(string) { // want encoderFor:"later-body:w"
	return func(s string) { w.Write([]byte(s)) }
}
