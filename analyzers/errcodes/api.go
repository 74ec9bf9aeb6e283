package errcodes

import (
	"go/types"
	"net/http"
	"slices"
	"strings"

	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/internal/statuscode"
)

// The toolkit's packages whose API errcodes reads.
const (
	envelopePath   = handlerflow.Module + "/envelope"
	middlewarePath = handlerflow.Module + "/middleware"
)

// toolkit reports whether path is the toolkit's envelope or middleware
// package, or one under them: their functions are read by what their API
// says, not from their code.
func toolkit(path string) bool {
	return path == envelopePath || path == middlewarePath ||
		strings.HasPrefix(path, envelopePath+"/") || strings.HasPrefix(path, middlewarePath+"/")
}

// constructors are the envelope functions that make an error with the code
// they are given: the status they set, and the index of the code argument
// (-1 when the code is fixed).
var constructors = map[string]struct {
	status string
	code   string
	arg    int
}{
	"NewError":        {string(envelope.StatusError), "", 0},
	"NotFound":        {string(envelope.StatusNotFound), "", 0},
	"AccessDenied":    {string(envelope.StatusAccessDenied), "", 0},
	"ParameterError":  {string(envelope.StatusParameterError), "", 0},
	"ValidationError": {string(envelope.StatusValidationError), envelope.CodeValidationFailed, -1},
	"Unavailable":     {string(envelope.StatusServiceUnavailable), envelope.CodeServiceUnavailable, -1},
}

// toolkitParameterCodes are the parameter-error codes the toolkit sends
// when it reads parameters; every action may answer with them.
var toolkitParameterCodes = envelope.ToolkitParameterCodes()

// exempt reports whether an action may answer with c without declaring
// it: the 500 and 503 answers, and the toolkit's parameter errors.
func exempt(c Code) bool {
	switch envelope.Status(c.Status) {
	case envelope.StatusInternalServerError, envelope.StatusServiceUnavailable:
		return true
	case envelope.StatusParameterError:
		return slices.Contains(toolkitParameterCodes, c.Code)
	}
	return false
}

// isFunc reports whether fn is the function or method name of the package
// at path; recv names the method's receiver type, "" for a function.
func isFunc(fn *types.Func, path, recv, name string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != path || fn.Name() != name {
		return false
	}
	sig := fn.Type().(*types.Signature)
	if sig.Recv() == nil {
		return recv == ""
	}
	return typeName(sig.Recv().Type()) == recv
}

// typeName is the name of a named type or of the type a pointer points to.
func typeName(t types.Type) string {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	if named, ok := types.Unalias(t).(*types.Named); ok {
		return named.Obj().Name()
	}
	return ""
}

// isEnvelopeType reports whether t is the envelope type name, or a pointer
// to it.
func isEnvelopeType(t types.Type, name string) bool {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Name() == name && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == envelopePath
}

// isError reports whether t is envelope.Error or *envelope.Error: a value
// that always carries a code.
func isError(t types.Type) bool { return t != nil && isEnvelopeType(t, "Error") }

// isDeclType reports whether a value of type t declares errors: an
// ActionOptions, an Authenticator (or pointers to them), or a []*Error.
func isDeclType(t types.Type) bool {
	if t == nil {
		return false
	}
	if s, ok := t.Underlying().(*types.Slice); ok {
		return isError(s.Elem())
	}
	return isEnvelopeType(t, "ActionOptions") || isEnvelopeType(t, "Authenticator")
}

// errorType is the predeclared error interface.
var errorType = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// mayCarry reports whether a value of type t may hold an *envelope.Error:
// the error interface, another interface that implements it, or
// *envelope.Error itself.
func mayCarry(t types.Type) bool {
	if t == nil {
		return false
	}
	if isError(t) {
		return true
	}
	return types.IsInterface(t) && types.Implements(t, errorType)
}

// isHandlerType reports whether t is http.Handler, or a function type
// with a ResponseWriter parameter: what a router serves.
func isHandlerType(t types.Type) bool {
	if t == nil {
		return false
	}
	if named, ok := types.Unalias(t).(*types.Named); ok && named.Obj().Name() == "Handler" &&
		named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "net/http" {
		return true
	}
	sig, ok := t.Underlying().(*types.Signature)
	if !ok {
		return false
	}
	for i := range sig.Params().Len() {
		if handlerflow.IsWriter(sig.Params().At(i).Type()) {
			return true
		}
	}
	return false
}

// translate is what the Envelope middleware makes of an HTTP status a
// wrapped handler writes (CONTRACT W1): 2xx is a success (ok false), 400 a
// parameter-error, 401 and 403 access-denied, 404 not-found, 422 a
// validation-error, 503 service-unavailable, anything else below 500
// status error, all with the status text in CamelCase as the code; other
// 5xx are the 500 answer, InternalServerError. TestTranslate checks it
// against the middleware.
func translate(httpStatus int) (c Code, ok bool) {
	if httpStatus >= 200 && httpStatus < 300 {
		return Code{}, false
	}
	var s envelope.Status
	switch {
	case httpStatus == http.StatusBadRequest:
		s = envelope.StatusParameterError
	case httpStatus == http.StatusUnprocessableEntity:
		s = envelope.StatusValidationError
	case httpStatus == http.StatusUnauthorized || httpStatus == http.StatusForbidden:
		s = envelope.StatusAccessDenied
	case httpStatus == http.StatusNotFound:
		s = envelope.StatusNotFound
	case httpStatus == http.StatusServiceUnavailable:
		s = envelope.StatusServiceUnavailable
	case httpStatus >= 500 || httpStatus < 100:
		// The 500 answer is the toolkit's own, whatever the handler wrote.
		return Code{string(envelope.StatusInternalServerError), envelope.CodeInternalServerError}, true
	default:
		s = envelope.StatusError
	}
	return Code{string(s), statuscode.Code(httpStatus)}, true
}
