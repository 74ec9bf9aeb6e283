// Package io is a stub of the standard library's io for the analyzers'
// tests (see net/http's stub). Copy and WriteString write to their
// destination the way the real ones do: through ReaderFrom, StringWriter or
// Write.
package io

type Reader interface {
	Read(p []byte) (n int, err error)
}

type Writer interface {
	Write(p []byte) (n int, err error)
}

type Closer interface {
	Close() error
}

type Seeker interface {
	Seek(offset int64, whence int) (int64, error)
}

type ReadCloser interface {
	Reader
	Closer
}

type ReadSeeker interface {
	Reader
	Seeker
}

type ReaderFrom interface {
	ReadFrom(r Reader) (n int64, err error)
}

type StringWriter interface {
	WriteString(s string) (n int, err error)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

var Discard Writer = discard{}

func WriteString(w Writer, s string) (n int, err error) {
	if sw, ok := w.(StringWriter); ok {
		return sw.WriteString(s)
	}
	return w.Write([]byte(s))
}

func Copy(dst Writer, src Reader) (written int64, err error) {
	return copyBuffer(dst, src, nil)
}

func CopyBuffer(dst Writer, src Reader, buf []byte) (written int64, err error) {
	return copyBuffer(dst, src, buf)
}

func CopyN(dst Writer, src Reader, n int64) (written int64, err error) {
	return copyBuffer(dst, src, make([]byte, n))
}

func copyBuffer(dst Writer, src Reader, buf []byte) (written int64, err error) {
	if rf, ok := dst.(ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	n, err := src.Read(buf)
	if n > 0 {
		m, _ := dst.Write(buf[:n])
		written = int64(m)
	}
	return written, err
}
