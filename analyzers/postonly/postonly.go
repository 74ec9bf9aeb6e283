package postonly

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Doc is the documentation of the Analyzer.
const Doc = `report routes registered for an HTTP method

Every apienvelope action is called with POST at its own URL, and a request
with another method gets an envelope (error, MethodNotAllowed) with HTTP
200. Routes registered with httprouter's GET, PUT, PATCH, DELETE, HEAD,
OPTIONS or Handle("GET", ...) are reported, and so are http.ServeMux
patterns that name a method, POST included: for those, the mux itself
answers other methods with a plain-text 405, before any middleware. For
example

	mux.Handle("POST /api/v1/users/info", chain.Then(info))

should be

	mux.Handle("/api/v1/users/info", chain.Then(info)) // chain holds middleware.PostOnly

or the action registered on middleware.Router.`

// Analyzer reports routes for methods other than POST.
var Analyzer = &analysis.Analyzer{
	Name:     "postonly",
	Doc:      Doc,
	URL:      "https://pkg.go.dev/github.com/apienvelope/apienvelope/analyzers/postonly",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// httprouterMethods are the *httprouter.Router methods named after the HTTP
// method they register.
var httprouterMethods = map[string]bool{
	"GET": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true, "POST": true,
}

func run(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if strings.HasSuffix(pass.Fset.File(call.Pos()).Name(), "_test.go") {
			continue // test servers may imitate any API
		}
		fn, _ := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
		if fn == nil || fn.Pkg() == nil || len(call.Args) == 0 {
			continue
		}
		switch {
		case isHTTPRouter(fn):
			checkHTTPRouter(pass, call, fn)
		case isServeMux(fn):
			checkPattern(pass, call.Args[0])
		}
	}
	return nil, nil
}

// isHTTPRouter reports whether fn is a method of httprouter's Router.
func isHTTPRouter(fn *types.Func) bool {
	path := fn.Pkg().Path()
	if path != "github.com/julienschmidt/httprouter" && !strings.HasSuffix(path, "/vendor/github.com/julienschmidt/httprouter") {
		return false
	}
	recv := fn.Type().(*types.Signature).Recv()
	return recv != nil && typeName(recv.Type()) == "Router"
}

// isServeMux reports whether fn registers a pattern on an http.ServeMux:
// its Handle or HandleFunc method, or the package functions that register
// on the default mux.
func isServeMux(fn *types.Func) bool {
	if fn.Pkg().Path() != "net/http" || (fn.Name() != "Handle" && fn.Name() != "HandleFunc") {
		return false
	}
	recv := fn.Type().(*types.Signature).Recv()
	return recv == nil || typeName(recv.Type()) == "ServeMux"
}

func typeName(t types.Type) string {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	if named, ok := types.Unalias(t).(*types.Named); ok {
		return named.Obj().Name()
	}
	return ""
}

func checkHTTPRouter(pass *analysis.Pass, call *ast.CallExpr, fn *types.Func) {
	method := fn.Name()
	at := call.Fun
	switch {
	case httprouterMethods[method]:
	case method == "Handle" || method == "Handler" || method == "HandlerFunc":
		value, ok := stringConstant(pass, call.Args[0])
		if !ok {
			return
		}
		method, at = strings.ToUpper(value), call.Args[0]
	default:
		return
	}
	if method != "POST" {
		pass.ReportRangef(at, "route registered for %s: actions are called with POST; register it with POST on a router whose NotFound and MethodNotAllowed answer with envelopes, or use middleware.Router", method)
	}
}

func checkPattern(pass *analysis.Pass, arg ast.Expr) {
	pattern, ok := stringConstant(pass, arg)
	if !ok {
		return
	}
	// A ServeMux pattern is [METHOD ][HOST]/[PATH]; a method is followed
	// by spaces or tabs.
	method, rest, found := strings.Cut(strings.TrimLeft(pattern, " \t"), " ")
	if !found {
		method, rest, found = strings.Cut(strings.TrimLeft(pattern, " \t"), "\t")
	}
	if !found || strings.Contains(method, "/") {
		return
	}
	rest = strings.TrimLeft(rest, " \t")
	advice := fmt.Sprintf("register %q behind middleware.PostOnly, or use middleware.Router", rest)
	if method == "POST" {
		pass.ReportRangef(arg, "route %q names its method: http.ServeMux answers other methods with a plain-text 405, before any middleware; %s", pattern, advice)
		return
	}
	pass.ReportRangef(arg, "route %q registered for %s: actions are called with POST; %s", pattern, method, advice)
}

func stringConstant(pass *analysis.Pass, e ast.Expr) (string, bool) {
	tv, ok := pass.TypesInfo.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}
