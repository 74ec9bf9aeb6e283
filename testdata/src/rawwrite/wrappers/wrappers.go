// Package wrappers: forwarding wrappers and middleware are not reported.
package wrappers

import (
	"io"
	"net/http"
)

type counting struct {
	http.ResponseWriter
	n int
}

func (c *counting) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n += n
	return n, err
}

func (c *counting) ReadFrom(src io.Reader) (int64, error) {
	return io.Copy(c.ResponseWriter, src)
}

func (c *counting) WriteString(s string) (int, error) {
	return io.WriteString(c.ResponseWriter, s)
}

func middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &counting{ResponseWriter: w}
		next.ServeHTTP(c, r)
	})
}

func throughWrapper(w http.ResponseWriter, r *http.Request) {
	c := &counting{ResponseWriter: w}
	c.Write(nil)                // want `\(\*wrappers.counting\).Write writes the body of w`
	c.ResponseWriter.Write(nil) // want `c.ResponseWriter.Write`
}
