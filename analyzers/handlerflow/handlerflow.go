package handlerflow

import (
	"go/ast"
	"go/types"
	"reflect"
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
	// Request is the *http.Request parameter of the innermost enclosing
	// function that has one, or nil.
	Request *types.Var
	// File is the file of Node.
	File *ast.File

	unit    *unit
	writers sources // the handler's writers the call writes to
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

	allowed := func(k sink) bool { return allows.allowed(pass.Fset, k.node.Pos(), k.funcs) }
	sinks := make([][]sink, len(units))
	// The functions of a package call one another in any order: grow
	// their summaries until none changes. Summaries only gain slots, so
	// this ends.
	for changed := true; changed; {
		changed = false
		for i, u := range units {
			u.solve(e)
			sinks[i] = u.sinks(e)
			if u.fn == nil {
				continue
			}
			f := u.summary(e, sinks[i], allowed)
			old := e.local[u.fn]
			if old == nil {
				old = &Fact{}
			}
			if !f.equal(old) {
				f.Status |= old.Status
				f.Body |= old.Body
				f.Result |= old.Result
				e.local[u.fn] = f
				changed = true
			}
		}
	}
	for fn, f := range e.local {
		if !f.empty() {
			pass.ExportObjectFact(fn, f)
		}
	}

	res := &Result{info: pass.TypesInfo}
	for i, u := range units {
		if u.writers == 0 || ast.IsGenerated(u.file) ||
			strings.HasSuffix(pass.Fset.File(u.file.Pos()).Name(), "_test.go") ||
			Wrapped(pass.Pkg.Path(), u.fn) {
			continue
		}
		n := len(res.Findings)
		for _, k := range sinks[i] {
			if (k.status|k.body)&u.writers == 0 || allowed(k) {
				continue
			}
			res.Findings = append(res.Findings, u.finding(e, k))
		}
		if len(res.Findings) > n {
			u.collectEvents(e)
		}
	}
	return res, nil
}

// finding describes sink k of a handler.
func (u *unit) finding(e *engine, k sink) Finding {
	info := e.pass.TypesInfo
	f := Finding{
		Node:   k.node,
		Callee: k.callee,
		Status: k.status&u.writers != 0,
		Body:   k.body&u.writers != 0,
		File:   u.file,

		unit:    u,
		writers: (k.status | k.body) & u.writers,
	}
	for _, arg := range k.written {
		if u.eval(e, arg.expr)&u.writers != 0 {
			f.Writer = arg.expr
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
	return f
}

// CalleeName names what the finding calls the way its code reads:
// "w.WriteHeader" for a method of the writer's interface, "http.Error" for a
// function, "(*json.Encoder).Encode" for a concrete method.
func (f Finding) CalleeName() string {
	sig := f.Callee.Type().(*types.Signature)
	if sig.Recv() == nil {
		if f.Callee.Pkg() == nil {
			return f.Callee.Name()
		}
		return f.Callee.Pkg().Name() + "." + f.Callee.Name()
	}
	if abstract(f.Callee) && f.Writer != nil {
		return types.ExprString(f.Writer) + "." + f.Callee.Name()
	}
	recv := types.TypeString(sig.Recv().Type(), (*types.Package).Name)
	return "(" + recv + ")." + f.Callee.Name()
}

// WriterName is the writer's expression as written, or "the ResponseWriter".
func (f Finding) WriterName() string {
	if f.Writer == nil {
		return "the ResponseWriter"
	}
	return types.ExprString(f.Writer)
}
