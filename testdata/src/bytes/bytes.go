// Package bytes is a stub of the standard library's bytes for the analyzers'
// tests (see net/http's stub).
package bytes

import "io"

type Buffer struct{ buf []byte }

func (b *Buffer) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *Buffer) WriteString(s string) (int, error) { return b.Write([]byte(s)) }

func (b *Buffer) ReadFrom(r io.Reader) (int64, error) {
	n, err := r.Read(b.buf)
	return int64(n), err
}

func (b *Buffer) Bytes() []byte  { return b.buf }
func (b *Buffer) String() string { return string(b.buf) }

func TrimSpace(s []byte) []byte { return s }
