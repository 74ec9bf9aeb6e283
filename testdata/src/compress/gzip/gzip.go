// Package gzip is a stub of the standard library's compress/gzip for the
// analyzers' tests (see net/http's stub). A Writer keeps the writer it
// wraps; Write and Close write to it.
package gzip

import "io"

type Writer struct{ w io.Writer }

func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

func (z *Writer) Write(p []byte) (int, error) { return z.w.Write(p) }

func (z *Writer) Close() error {
	_, err := z.w.Write(nil)
	return err
}
