package middleware

import (
	"bytes"
	"net/http"
	"sync"
	"time"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/envelope"
)

// docFiles are the documents a Router serves under its docs path, with
// the OpenAPI version of each.
var docFiles = map[string]string{
	"openapi.json":     "3.1",
	"openapi-3.0.json": "3.0",
}

// servesDoc reports whether name, a path below the docs path, is one of
// the documents. Any other path is left to the actions' router, which
// answers it with an envelope.
func servesDoc(name string) bool {
	_, ok := docFiles[name]
	return ok
}

// docs serves the OpenAPI documents, made once, on the first request:
// actions are all registered by then.
type docs struct {
	describe func() *apidoc.API
	prefix   string

	once   sync.Once
	bodies map[string][]byte
	err    error
}

// ServeHTTP serves a document as a file, with GET and HEAD.
//
//envelopevet:allow the OpenAPI document is a file read by tools, served as it is outside the action prefix (SPEC D2)
func (d *docs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.once.Do(func() {
		api := d.describe()
		d.bodies = map[string][]byte{}
		for name, version := range docFiles {
			var body []byte
			body, d.err = api.OpenAPI(apidoc.OpenAPIOptions{Version: version})
			if d.err != nil {
				return
			}
			d.bodies[name] = body
		}
	})
	if d.err != nil {
		envelope.Fail(w, r, d.err)
		return
	}
	body := d.bodies[r.URL.Path[len(d.prefix):]]
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}
