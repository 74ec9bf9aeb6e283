package middleware

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/docsite"
	"github.com/apienvelope/apienvelope/envelope"
)

// docFiles are the documents a Router serves under its docs path, with
// the OpenAPI version of each.
var docFiles = map[string]string{
	"openapi.json":     "3.1",
	"openapi-3.0.json": "3.0",
}

// docs serves the documentation under the docs path: the OpenAPI
// documents and the site's pages. Both are made once, on the first
// request: actions are all registered by then.
type docs struct {
	describe func() *apidoc.API
	prefix   string
	contact  string

	once   sync.Once
	bodies map[string][]byte
	site   *docsite.Site
	err    error
}

func (d *docs) build() {
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
		d.site, d.err = docsite.New(api, docsite.Options{Contact: d.contact})
	})
}

// serves reports whether name, a path below the docs path ("" for the
// path itself), is one of the documents or a page of the site. Any other
// path is left to the actions' router, which answers it with an envelope.
func (d *docs) serves(name string) bool {
	if _, ok := docFiles[name]; ok {
		return true
	}
	d.build()
	return d.site != nil && d.site.Has(name)
}

// ServeHTTP serves a document or a page, with GET and HEAD.
//
//envelopevet:allow the OpenAPI document is a file read by tools, served as it is outside the action prefix (CONTRACT D2)
func (d *docs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.build()
	if d.err != nil {
		envelope.Fail(w, r, d.err)
		return
	}
	name := r.URL.Path[len(d.prefix):]
	body, ok := d.bodies[name]
	if !ok {
		http.StripPrefix(d.prefix[:len(d.prefix)-1], d.site).ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// Written whole, not with http.ServeContent: its answers to Range and
	// conditional requests (206, 304, 416) are statuses the API never
	// sends. net/http leaves the body out for HEAD.
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}
