package middleware

import (
	"net/http"

	"github.com/apienvelope/apienvelope/envelope"
)

// ParamsOptions configures Params. The zero value allows 1 MiB of body and 32
// levels of nesting.
type ParamsOptions = envelope.ParamsOptions

// Params reads the request's parameters (CONTRACT R4) before the handler runs,
// so that a bad body never reaches it: malformed JSON, a value that is not
// an object, data after it, a body over the limit, an unsupported content
// type, invalid UTF-8 or nesting too deep each get a parameter-error that
// says what is wrong (CONTRACT R5). Handlers find the parameters with
// envelope.Decode or envelope.Params; typed actions do that themselves.
// An action right after Params, inside the Envelope middleware, makes that
// check itself as it decodes the parameters, in one pass over them
// (envelope.LoadParamsFor): the answers are the same.
func Params(opts ParamsOptions) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r, err := envelope.LoadParamsFor(next, r, opts)
			if err != nil {
				envelope.Fail(w, r, err)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
