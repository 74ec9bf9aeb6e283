// Package bufio is a stub of the standard library's bufio for the analyzers'
// tests (see net/http's stub). A Writer keeps the writer it wraps; Flush
// writes to it, and so do the writes that fill the buffer.
package bufio

import "io"

type Writer struct {
	buf []byte
	wr  io.Writer
}

func NewWriter(w io.Writer) *Writer { return &Writer{wr: w} }

func (b *Writer) Flush() error {
	_, err := b.wr.Write(b.buf)
	b.buf = b.buf[:0]
	return err
}

func (b *Writer) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	if len(b.buf) > 4096 {
		return len(p), b.Flush()
	}
	return len(p), nil
}

func (b *Writer) WriteString(s string) (int, error) {
	return b.Write([]byte(s))
}
