// Package reply is a response builder in the style of miniflux's: the
// writer goes in first, the status and body are written last.
package reply

import "net/http"

type Builder struct {
	w    http.ResponseWriter
	code int
	body string
}

func New(w http.ResponseWriter, r *http.Request) *Builder { return &Builder{w: w} } // want New:"returns.w:w"

func (b *Builder) WithStatus(code int) *Builder { b.code = code; return b } // want WithStatus:"returns:b"

func (b *Builder) WithBody(body string) *Builder { b.body = body; return b } // want WithBody:"returns:b"

func (b *Builder) Write() { // want Write:"status:b.w body:b.w"
	b.w.WriteHeader(b.code)
	b.w.Write([]byte(b.body))
}
