// Package flow follows the writer through assignments, struct fields,
// closures, method values, defer, go statements and generics.
package flow

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
)

type out struct{ w io.Writer }

func (o out) print(s string) { fmt.Fprint(o.w, s) }

func assigned(w http.ResponseWriter, r *http.Request) {
	var sink io.Writer = w
	sink.Write(nil) // want `sink.Write`
	o := out{w: w}
	o.print("x") // want `\(flow.out\).print writes the body of w`
}

func closures(w http.ResponseWriter, r *http.Request) {
	say := func(s string) {
		fmt.Fprint(w, s) // want `fmt.Fprint`
	}
	say("x")
	func(dst io.Writer) {
		io.WriteString(dst, "x") // want `io.WriteString writes the body of w`
	}(w)
}

func methodValues(w http.ResponseWriter, r *http.Request) {
	write := w.Write
	write(nil) // want `w.Write`
	enc := newEncoder(w)
	send := enc.send
	send(nil) // want `\(\*flow.encoder\).send`
	hooks := struct{ write func([]byte) }{write: enc.send}
	_ = hooks
}

func deferredAndGo(w http.ResponseWriter, r *http.Request) {
	defer fmt.Fprintln(w, "bye") // want `fmt.Fprintln`
	done := make(chan bool)
	go func() {
		w.Write(nil) // want `writes the body`
		done <- true
	}()
	<-done
}

func buffered(w http.ResponseWriter, r *http.Request) {
	bw := bufio.NewWriter(w)
	bw.WriteString("x") // want `\(\*bufio.Writer\).WriteString`
	gz := gzip.NewWriter(w)
	defer gz.Close() // want `\(\*gzip.Writer\).Close`
}

func generic[W io.Writer](w W, p []byte) {
	w.Write(p)
}

func callsGeneric(w http.ResponseWriter, r *http.Request) {
	generic(w, nil) // want `flow.generic`
}

type encoder struct{ w io.Writer }

func newEncoder(w io.Writer) *encoder { return &encoder{w} }

func (e *encoder) send(p []byte) { e.w.Write(p) }

// Negatives.
func negatives(w http.ResponseWriter, r *http.Request) {
	o := out{w: io.Discard}
	o.print("x")
	w.(http.Flusher).Flush()
	http.NewResponseController(w).Flush()
	if _, ok := w.(io.ReaderFrom); ok {
		w.Header().Set("X", "y")
	}
}
