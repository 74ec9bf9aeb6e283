package middleware

import (
	"net/http"

	"github.com/apienvelope/apienvelope/envelope"
)

// ParamsOptions configures Params. The zero value allows 1 MiB of body and 32
// levels of nesting.
type ParamsOptions = envelope.ParamsOptions

// Params reads and checks the request's parameters (CONTRACT R4) before the
// handler runs, so that a bad body never reaches it: malformed JSON, a value
// that is not an object, data after it, a body over the limit, an
// unsupported content type, invalid UTF-8, a name given twice or nesting
// too deep each get a parameter-error that says what is wrong (CONTRACT R5).
//
// The parameters are put back as a JSON body: a handler that reads r.Body
// reads them, whether the client sent JSON or a form, and envelope.Decode
// takes them without reading them again. Typed actions read their parameters themselves, in
// one pass that makes the same checks: they need no Params in front.
func Params(opts ParamsOptions) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, err := envelope.ReadParams(r, opts); err != nil {
				envelope.Fail(w, r, err)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
