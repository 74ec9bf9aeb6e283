package postonly

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"path/filepath"
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

or the action registered on middleware.Router.

The advice never names a route that the package already registers on a
router of the same kind (two variables may hold the same router):
following it would make the router panic at start. When "GET /users" and "POST /users" are both
registered, both would become "/users", so the advice is a path of its own
for each action.

Not reported, or not seen: _test.go files (test servers may imitate any
API) and generated files; patterns and methods that are not constants
(routes built at run time, or passed through a helper's parameter); other
routers (gorilla/mux's Methods, chi's Get, echo, gin, ...). The check for
routes already registered sees the constant routes of the package being
analysed only, and the duplicates that panic (the same path with its
wildcards renamed), not httprouter's other wildcard conflicts.`

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

// A route is a registration with a constant method and path.
type route struct {
	at       ast.Node     // what a finding covers
	mux      types.Object // the router's variable or field; nil when unknown
	servemux bool         // an http.ServeMux pattern, else an httprouter route
	method   string       // "" for a ServeMux pattern without one
	pattern  string       // the ServeMux pattern, or the httprouter path
	bare     string       // the ServeMux pattern without its method, or the httprouter path
	path     string       // bare, wildcard names dropped
}

// reported reports whether r breaks the contract: a ServeMux pattern that
// names any method, or an httprouter route for a method other than POST.
func (r *route) reported() bool {
	return r.method != "" && (r.servemux || r.method != "POST")
}

// clash returns a route of routes that following the advice for r would
// register twice: one the advice names, else one that would become the
// same by following its own advice; nil if none does. Two variables may
// hold the same router: any two routers of a kind may be the same.
func (r *route) clash(routes []*route) *route {
	advised := "POST"
	if r.servemux {
		advised = ""
	}
	var same *route
	for _, o := range routes {
		switch {
		case o == r || o.servemux != r.servemux || o.path != r.path:
		case o.method == advised:
			return o
		case o.reported() && same == nil:
			same = o
		}
	}
	return same
}

func run(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	var routes []*route
	for _, file := range pass.Files {
		// Test servers may imitate any API, and generated code is
		// changed where it is generated.
		if ast.IsGenerated(file) || strings.HasSuffix(pass.Fset.File(file.Pos()).Name(), "_test.go") {
			continue
		}
		root, _ := insp.Root().FindNode(file)
		for cur := range root.Preorder((*ast.CallExpr)(nil)) {
			if r := registration(pass, cur.Node().(*ast.CallExpr)); r != nil {
				routes = append(routes, r)
			}
		}
	}
	for _, r := range routes {
		if !r.reported() {
			continue
		}
		report(pass, r, r.clash(routes))
	}
	return nil, nil
}

// registration returns the route that call registers, or nil if it
// registers none with a constant method and path.
func registration(pass *analysis.Pass, call *ast.CallExpr) *route {
	fn, _ := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if fn == nil || fn.Pkg() == nil || len(call.Args) == 0 {
		return nil
	}
	switch {
	case isHTTPRouter(fn):
		return httprouterRoute(pass, call, fn)
	case isServeMux(fn):
		return serveMuxRoute(pass, call)
	}
	return nil
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

func httprouterRoute(pass *analysis.Pass, call *ast.CallExpr, fn *types.Func) *route {
	r := &route{at: call.Fun, method: fn.Name()}
	pathArg := 0
	switch {
	case httprouterMethods[r.method]:
	case r.method == "Handle" || r.method == "Handler" || r.method == "HandlerFunc":
		method, ok := stringConstant(pass, call.Args[0])
		if !ok || len(call.Args) < 2 {
			return nil
		}
		r.method, r.at, pathArg = strings.ToUpper(method), call.Args[0], 1
	default:
		return nil
	}
	path, ok := stringConstant(pass, call.Args[pathArg])
	if !ok {
		return nil
	}
	r.pattern, r.bare, r.path = path, path, httprouterPath(path)
	return r
}

func serveMuxRoute(pass *analysis.Pass, call *ast.CallExpr) *route {
	pattern, ok := stringConstant(pass, call.Args[0])
	if !ok {
		return nil
	}
	// A ServeMux pattern is [METHOD ][HOST]/[PATH]; a method is followed
	// by spaces or tabs.
	method, rest := "", strings.TrimLeft(pattern, " \t")
	if i := strings.IndexAny(rest, " \t"); i >= 0 && !strings.Contains(rest[:i], "/") {
		method, rest = rest[:i], strings.TrimLeft(rest[i:], " \t")
	}
	return &route{
		at:       call.Args[0],
		servemux: true,
		method:   method,
		pattern:  pattern,
		bare:     rest,
		path:     serveMuxPath(rest),
	}
}

// serveMuxPath drops the names of a ServeMux path's wildcards: "/a/{id}"
// and "/a/{name}" are the same route to the mux.
func serveMuxPath(path string) string {
	segments := strings.Split(path, "/")
	for i, s := range segments {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") && s != "{$}" {
			segments[i] = "{}"
			if strings.HasSuffix(s, "...}") {
				segments[i] = "{...}"
			}
		}
	}
	return strings.Join(segments, "/")
}

// httprouterPath drops the names of an httprouter path's parameters.
func httprouterPath(path string) string {
	segments := strings.Split(path, "/")
	for i, s := range segments {
		if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
			segments[i] = s[:1]
		}
	}
	return strings.Join(segments, "/")
}

// report reports r, with advice that does not register what clash, if
// not nil, already registers or would register too.
func report(pass *analysis.Pass, r, clash *route) {
	if !r.servemux {
		const router = "on a router whose NotFound and MethodNotAllowed answer with envelopes, or use middleware.Router"
		switch {
		case clash == nil:
			pass.ReportRangef(r.at, "route registered for %s: actions are called with POST; register it with POST %s", r.method, router)
		case clash.method == "POST":
			pass.ReportRangef(r.at, "route registered for %s: actions are called with POST; POST %q is registered too (%s): register this action with POST at a path of its own %s", r.method, clash.pattern, where(pass, clash), router)
		default:
			pass.ReportRangef(r.at, "route registered for %s: actions are called with POST; %s %q (%s) has the same path, and both would become POST %q, which httprouter refuses: register each action with POST at a path of its own %s", r.method, clash.method, clash.pattern, where(pass, clash), r.bare, router)
		}
		return
	}
	problem := fmt.Sprintf("route %q registered for %s: actions are called with POST", r.pattern, r.method)
	if r.method == "POST" {
		problem = fmt.Sprintf("route %q names its method: http.ServeMux answers other methods with a plain-text 405, before any middleware", r.pattern)
	}
	const router = "behind middleware.PostOnly, or use middleware.Router"
	switch {
	case clash == nil:
		pass.ReportRangef(r.at, "%s; register %q %s", problem, r.bare, router)
	case clash.method == "":
		pass.ReportRangef(r.at, "%s; %q is registered too (%s): register this action at a path of its own %s", problem, clash.pattern, where(pass, clash), router)
	default:
		pass.ReportRangef(r.at, "%s; %q (%s) has the same path, and both would become %q, which http.ServeMux refuses: register each action at a path of its own %s", problem, clash.pattern, where(pass, clash), r.bare, router)
	}
}

// where names the file and line of r.
func where(pass *analysis.Pass, r *route) string {
	posn := pass.Fset.Position(r.at.Pos())
	return fmt.Sprintf("%s:%d", filepath.Base(posn.Filename), posn.Line)
}

func stringConstant(pass *analysis.Pass, e ast.Expr) (string, bool) {
	tv, ok := pass.TypesInfo.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}
