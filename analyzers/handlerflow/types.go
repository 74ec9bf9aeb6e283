package handlerflow

import (
	"go/types"
	"strings"
)

// IsWriter reports whether t is an interface or a type parameter whose method
// set holds http.ResponseWriter's methods: http.ResponseWriter itself, an
// alias of it, a named type over it, an interface embedding it, or a type
// parameter constrained by one of these. Concrete types that implement
// ResponseWriter (a wrapper struct, *httptest.ResponseRecorder) are not
// writers: writing to them is not answering the client.
func IsWriter(t types.Type) bool {
	if !types.IsInterface(t) {
		return false
	}
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	var header, write, writeHeader bool
	for i := range iface.NumMethods() {
		m := iface.Method(i)
		sig := m.Type().(*types.Signature)
		switch m.Name() {
		case "Header":
			header = sig.Params().Len() == 0 && sig.Results().Len() == 1
		case "Write":
			write = sig.Params().Len() == 1
		case "WriteHeader":
			writeHeader = sig.Params().Len() == 1 && isBasic(sig.Params().At(0).Type(), types.Int)
		}
	}
	return header && write && writeHeader
}

// IsRequest reports whether t is *http.Request.
func IsRequest(t types.Type) bool {
	ptr, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := types.Unalias(ptr.Elem()).(*types.Named)
	if !ok || named.Obj().Name() != "Request" || named.Obj().Pkg() == nil {
		return false
	}
	return isNetHTTP(named.Obj().Pkg().Path())
}

func isNetHTTP(path string) bool {
	return path == "net/http" || strings.HasSuffix(path, "/vendor/net/http")
}

func isBasic(t types.Type, kind types.BasicKind) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == kind
}

// Method names that set a status or write a body when called on an
// interface value; these are the leaves from which every Fact grows.
var (
	statusMethods = map[string]bool{"WriteHeader": true}
	bodyMethods   = map[string]bool{"Write": true, "WriteString": true, "WriteByte": true, "WriteRune": true, "ReadFrom": true}
)
