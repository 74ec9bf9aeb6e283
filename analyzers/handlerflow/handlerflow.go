package handlerflow

import (
	"go/ast"
	"go/types"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Doc is the documentation of the Analyzer.
const Doc = `compute which functions set a status or write a body on a ResponseWriter

The handlerflow analyzer is the engine behind rawstatus and rawwrite. It
exports, for each function, a fact naming the parameters whose writer gets a
status or a body, and returns the raw writes found in request handlers. It
reports only misuse of its suppression comment: a "//envelopevet:allow" with
no reason, for example

	w.WriteHeader(http.StatusOK) //envelopevet:allow

instead of

	w.WriteHeader(http.StatusOK) //envelopevet:allow the envelope writer itself`

// Module is the path of the toolkit, whose packages are trusted: calling
// them is never a raw write.
const Module = "github.com/apienvelope/apienvelope"

// Analyzer computes Facts and the Result for its package.
var Analyzer = &analysis.Analyzer{
	Name:       "handlerflow",
	Doc:        Doc,
	URL:        "https://pkg.go.dev/github.com/apienvelope/apienvelope/analyzers/handlerflow",
	Run:        run,
	FactTypes:  []analysis.Fact{new(Fact)},
	ResultType: reflect.TypeFor[*Result](),
}

// The flags: comma-separated lists. trusted names packages whose writes
// are trusted like the envelope API; wrapped names packages and functions
// whose handlers are wrapped legacy code. A path ending in "/..." names
// every package under it.
var trustedFlag, wrappedFlag string

func init() {
	Analyzer.Flags.StringVar(&trustedFlag, "trusted", "",
		"comma-separated import paths whose writes are trusted like the envelope API (path/... for a tree)")
	Analyzer.Flags.StringVar(&wrappedFlag, "wrapped", "",
		"comma-separated packages (path, path/...) and functions (path.Func, path.Type.Method) whose handlers run inside the Envelope wrapper: their raw writes are not reported")
}

// Trusted reports whether calls into the package at path are trusted, as the
// toolkit's packages and those given to -trusted are.
func Trusted(path string) bool {
	return path == Module || strings.HasPrefix(path, Module+"/") || listed(trustedFlag, path, "")
}

// Wrapped reports whether the handlers of fn, a function or method of the
// package at path (nil for a function literal outside any function), were
// named by -wrapped: legacy handlers that run inside the Envelope wrapper,
// which turns what they write into envelopes (CONTRACT W1). Their raw
// writes are not reported; they still make the facts of fn, so new code
// that calls a legacy helper is still reported.
func Wrapped(path string, fn *types.Func) bool {
	name := ""
	if fn != nil {
		name = fn.Name()
		if recv := fn.Type().(*types.Signature).Recv(); recv != nil {
			t := recv.Type()
			if ptr, ok := t.(*types.Pointer); ok {
				t = ptr.Elem()
			}
			if named, ok := types.Unalias(t).(*types.Named); ok {
				name = named.Obj().Name() + "." + name
			}
		}
	}
	return listed(wrappedFlag, path, name)
}

// listed reports whether list names the package at path, or, when name is
// not empty, its function name as path.name.
func listed(list, path, name string) bool {
	for p := range strings.SplitSeq(list, ",") {
		p = strings.TrimSpace(p)
		if tree, ok := strings.CutSuffix(p, "/..."); ok {
			if path == tree || strings.HasPrefix(path, tree+"/") {
				return true
			}
		} else if p != "" && (p == path || name != "" && p == path+"."+name) {
			return true
		}
	}
	return false
}

// Result lists the raw writes made in the package's request handlers, in
// source order.
type Result struct {
	Findings []Finding

	info   *types.Info
	graphs map[ast.Node]*graph // control-flow graphs, for Sole
}

// A Finding is a call in a request handler that sets a
// status on or writes a body to the handler's ResponseWriter.
type Finding struct {
	// Node is the *ast.CallExpr.
	Node ast.Node
	// Callee is the function or method called.
	Callee *types.Func
	// Status and Body tell what the call does to the writer.
	Status, Body bool
	// Writer is the argument or receiver that carries the writer.
	Writer ast.Expr
	// Later is set when the call makes a function that writes when it is
	// called (a closure it returns or stores), rather than writing itself.
	Later bool
	// Request is the *http.Request parameter of the innermost enclosing
	// function that has one, or nil.
	Request *types.Var
	// File is the file of Node.
	File *ast.File

	unit        *unit
	writers     sources // the handler's writer params the call writes to
	writerName  string
	requestName string // the request's field in a struct holding the writer
	methodValue bool   // the call calls a method value taken from the writer
}

func run(pass *analysis.Pass) (any, error) {
	allows := scanAllows(pass)
	e := &engine{
		pass:     pass,
		trusted:  Trusted,
		local:    map[*types.Func]*Fact{},
		imported: map[*types.Func]*Fact{},
	}
	var units []*unit
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			switch decl := decl.(type) {
			case *ast.FuncDecl:
				if decl.Body != nil {
					if u := e.newUnit(file, decl); u != nil {
						units = append(units, u)
					}
				}
			case *ast.GenDecl:
				// Handlers assigned to package-level variables.
				ast.Inspect(decl, func(n ast.Node) bool {
					if lit, ok := n.(*ast.FuncLit); ok {
						if u := e.newUnit(file, lit); u != nil {
							units = append(units, u)
						}
						return false
					}
					return true
				})
			}
		}
	}

	// A function of this package reports the writes made on its own
	// writers where it makes them, so its callers do not report them again.
	e.reporting = map[*types.Func][]param{}
	for _, u := range units {
		if u.fn != nil && reports(pass, u) {
			e.reporting[u.fn] = u.params[:u.nslots]
		}
	}

	allowed := func(k sink) bool { return allows.allowed(pass.Fset, k.node.Pos(), k.funcs) }
	sinks := make([][]sink, len(units))
	// The functions of a package call one another in any order: grow
	// their summaries until none changes, solving again only the units
	// that use a function whose summary changed. Summaries only gain
	// parts, so this ends.
	users := map[*types.Func][]int{}
	for i, u := range units {
		for fn := range u.uses {
			users[fn] = append(users[fn], i)
		}
	}
	dirty := make([]bool, len(units))
	for i := range dirty {
		dirty[i] = true
	}
	for changed := true; changed; {
		changed = false
		for i, u := range units {
			if !dirty[i] {
				continue
			}
			dirty[i] = false
			u.solve(e)
			sinks[i] = u.sinks(e)
			if u.fn == nil {
				continue
			}
			f := u.summary(e, sinks[i], allowed)
			old := e.local[u.fn]
			if old != nil {
				f = merge(old, f)
			}
			if old == nil || !f.equal(old) {
				e.local[u.fn] = f
				for _, j := range users[u.fn] {
					dirty[j] = true
					changed = true
				}
			}
		}
	}
	for fn, f := range e.local {
		if !f.empty() {
			pass.ExportObjectFact(fn, f)
		}
	}

	res := &Result{info: pass.TypesInfo}
	seen := map[ast.Node]bool{}
	for i, u := range units {
		if !reports(pass, u) {
			continue
		}
		n := len(res.Findings)
		for _, k := range sinks[i] {
			status, body := u.answering(k.reportStatus), u.answering(k.reportBody)
			if status.empty() && body.empty() || seen[k.node] || allowed(k) {
				continue
			}
			seen[k.node] = true
			res.Findings = append(res.Findings, u.finding(e, k, status, body))
		}
		if len(res.Findings) > n {
			u.collectEvents(e)
		}
	}
	return res, nil
}

// reports reports whether the raw writes of u are reported: not those of
// generated files, tests, or handlers named by -wrapped.
func reports(pass *analysis.Pass, u *unit) bool {
	return !ast.IsGenerated(u.file) &&
		!strings.HasSuffix(pass.Fset.File(u.file.Pos()).Name(), "_test.go") &&
		!Wrapped(pass.Pkg.Path(), u.fn)
}

// merge returns the union of two facts of one function.
func merge(f, g *Fact) *Fact {
	return &Fact{
		Status: minimal(append(slices.Clone(f.Status), g.Status...)),
		Body:   minimal(append(slices.Clone(f.Body), g.Body...)),
		Result: minimalStores(append(slices.Clone(f.Result), g.Result...)),

		LaterStatus: minimal(append(slices.Clone(f.LaterStatus), g.LaterStatus...)),
		LaterBody:   minimal(append(slices.Clone(f.LaterBody), g.LaterBody...)),
		Stores:      minimalStores(append(slices.Clone(f.Stores), g.Stores...)),
		Names:       g.Names,
	}
}

// finding describes sink k of a handler, which sets a status on the
// writers status and writes a body to the writers body.
func (u *unit) finding(e *engine, k sink, status, body sources) Finding {
	info := e.pass.TypesInfo
	writers := status.or(body)
	f := Finding{
		Node:   k.node,
		Callee: k.callee,
		Status: !status.empty(),
		Body:   !body.empty(),
		Later:  !k.now,
		File:   u.file,

		unit:    u,
		writers: u.writerParams(writers),
	}
	first := -1
	writers.each(func(i int) {
		if first < 0 {
			first = i
		}
	})
	src := u.srcs[first]
	f.writerName = u.params[src.param].name
	if field, _ := elements(src.path); !u.params[src.param].writer {
		f.writerName += field
	}
	for _, a := range k.written {
		if !intersect(u.answering(a.val.all()), writers).empty() {
			f.Writer = a.expr
			f.methodValue = a.expr == k.node.Fun
			break
		}
	}
	for i := len(k.funcs) - 1; i >= 0 && f.Request == nil; i-- {
		var sig *types.Signature
		switch fn := k.funcs[i].(type) {
		case *ast.FuncDecl:
			sig = u.fn.Type().(*types.Signature)
		case *ast.FuncLit:
			sig, _ = info.TypeOf(fn).(*types.Signature)
		}
		if sig == nil {
			continue
		}
		for j := range sig.Params().Len() {
			if p := sig.Params().At(j); IsRequest(p.Type()) && p.Name() != "_" && p.Name() != "" {
				f.Request = p
				break
			}
		}
	}
	if f.Request == nil && !u.params[src.param].writer {
		// A struct holding the writer may hold the request too
		// (gin.Context's Request).
		f.requestName = requestField(u.params[src.param], u.fn, src.param)
	}
	return f
}

// CalleeName names what the finding calls the way its code reads:
// "w.WriteHeader" for a method of the writer's interface called on the
// writer's variable or field, or through a method value taken from it,
// "http.Error" for a function, "(*json.Encoder).Encode" for a concrete
// method, "(http.ResponseWriter).Write" for a writer reached otherwise.
func (f Finding) CalleeName() string {
	sig := f.Callee.Type().(*types.Signature)
	if sig.Recv() == nil {
		if f.Callee.Pkg() == nil {
			return f.Callee.Name()
		}
		return f.Callee.Pkg().Name() + "." + f.Callee.Name()
	}
	if abstract(f.Callee) {
		switch {
		case f.methodValue:
			return f.writerName + "." + f.Callee.Name()
		case f.Writer != nil && isChain(f.Writer):
			return types.ExprString(f.Writer) + "." + f.Callee.Name()
		}
	}
	recv := types.TypeString(sig.Recv().Type(), (*types.Package).Name)
	return "(" + recv + ")." + f.Callee.Name()
}

// isChain reports whether x is a variable or a chain of fields, like
// p.w.
func isChain(x ast.Expr) bool {
	for {
		switch e := ast.Unparen(x).(type) {
		case *ast.Ident:
			return true
		case *ast.SelectorExpr:
			x = e.X
		default:
			return false
		}
	}
}

// WriterName names the handler's writer that the finding writes to: its
// parameter, such as "w", or for a struct that holds the writer, the
// field, such as "rs.w".
func (f Finding) WriterName() string { return f.writerName }

// RequestName names the handler's *http.Request parameter, or "r" when it
// has none.
func (f Finding) RequestName() string {
	switch {
	case f.Request != nil:
		return f.Request.Name()
	case f.requestName != "":
		return f.requestName
	}
	return "r"
}

// requestField returns p.Field for the first *http.Request field of the
// struct that the parameter p of fn (slot i) holds, or "".
func requestField(p param, fn *types.Func, i int) string {
	if fn == nil {
		return ""
	}
	sig := fn.Type().(*types.Signature)
	var v *types.Var
	switch {
	case sig.Recv() != nil && i == 0:
		v = sig.Recv()
	case sig.Recv() != nil:
		v = sig.Params().At(i - 1)
	default:
		v = sig.Params().At(i)
	}
	t := v.Type()
	if ptr, ok := t.Underlying().(*types.Pointer); ok {
		t = ptr.Elem()
	}
	if st, ok := t.Underlying().(*types.Struct); ok {
		for f := range st.Fields() {
			if IsRequest(f.Type()) {
				return p.name + "." + f.Name()
			}
		}
	}
	return ""
}
