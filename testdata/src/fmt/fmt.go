// Package fmt is a stub of the standard library's fmt for the analyzers'
// tests (see net/http's stub). The Fprint functions write to their writer
// with Write, as the real ones do; the rest formats nothing.
package fmt

import "io"

type Stringer interface {
	String() string
}

func Sprint(a ...any) string                 { return "" }
func Sprintf(format string, a ...any) string { return format }
func Sprintln(a ...any) string               { return "" }

func Fprint(w io.Writer, a ...any) (n int, err error) {
	return w.Write([]byte(Sprint(a...)))
}

func Fprintf(w io.Writer, format string, a ...any) (n int, err error) {
	return w.Write([]byte(Sprintf(format, a...)))
}

func Fprintln(w io.Writer, a ...any) (n int, err error) {
	return w.Write([]byte(Sprintln(a...)))
}

func Errorf(format string, a ...any) error { return nil }
