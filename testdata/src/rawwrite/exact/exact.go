// Package exact: the writer is followed value by value, field by field and
// in the order of the code, so writes to other values are not reported.
package exact

import (
	"io"
	"net/http"
	"os"
)

type pair struct {
	w   io.Writer
	log io.Writer
}

// A field that does not hold the writer is not the writer.
func fieldSensitive(w http.ResponseWriter, r *http.Request, b []byte) {
	p := pair{w: w, log: os.Stderr}
	p.log.Write(b)
	p.w.Write(b) // want `p.w.Write writes the body of w around`
}

// A variable holds what was assigned to it last.
func flowSensitive(w http.ResponseWriter, r *http.Request, s string) {
	out := io.Writer(w)
	out = os.Stderr
	io.WriteString(out, s)
}

func flowSensitiveWrites(w http.ResponseWriter, r *http.Request, s string) {
	var out io.Writer = os.Stderr
	io.WriteString(out, s)
	out = w
	io.WriteString(out, s) // want `io.WriteString writes the body of w around`
}

// On a branch or around a loop, every assignment that may reach a use
// counts.
func flowBranch(w http.ResponseWriter, r *http.Request, s string) {
	var out io.Writer = os.Stderr
	if s == "" {
		out = w
	}
	io.WriteString(out, s) // want `io.WriteString writes the body of w around`
}

func flowLoop(w http.ResponseWriter, r *http.Request, s string) {
	out := io.Writer(os.Stderr)
	for range 2 {
		io.WriteString(out, s) // want `io.WriteString writes the body of w around`
		out = w
	}
}

// rawstatus and rawwrite are independent: a call that sets the status and
// writes a body is reported by each, rawwrite for the body.
func both(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "no", http.StatusBadRequest) // want `http.Error writes the body of w around`
}

// A function that returns a closure writing to w makes the write happen
// when the closure is called: the call that hands w over is reported, and
// says so.
func encoderFor(w io.Writer) func(string) {
	return func(s string) { io.WriteString(w, s) }
}

func later(w http.ResponseWriter, r *http.Request) {
	enc := encoderFor(w) // want `exact.encoderFor makes a function that writes the body of w around`
	enc("x")
}

// A struct that holds a writer reports the writes on its writer fields
// itself; one on another field, which a caller filled with its own writer,
// is reported at the call.
type logged struct {
	w   http.ResponseWriter
	log io.Writer
}

func (l logged) note(s string) { io.WriteString(l.log, s) }

func logToClient(w http.ResponseWriter, r *http.Request) {
	l := logged{w: w, log: w}
	l.note("x") // want `\(exact.logged\).note writes the body of w around`
}
