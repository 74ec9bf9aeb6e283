package errcodes

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// A unit is a function declaration with the function literals in it, or a
// package-level variable declaration: the scope in which values are
// followed from where they are made to where they are returned.
type unit struct {
	cur    inspector.Cursor   // the *ast.FuncDecl or *ast.ValueSpec
	fn     *types.Func        // nil for variables
	params map[*types.Var]int // fn's parameters, by index

	// flows lists, per local variable, the values assigned to it,
	// flow-insensitively: a variable may hold any of them.
	flows map[types.Object][]source
	// litParams are the parameters of the function literals: like
	// variables, they hold the arguments of the calls of their literal
	// that the unit makes; with none, they hold what the caller gives.
	litParams map[types.Object]bool
	// returns lists the return statements of each function of the unit,
	// by *ast.FuncDecl or *ast.FuncLit.
	returns map[ast.Node][]*ast.ReturnStmt
}

// A source is a value assigned to a variable: an expression, or, with expr
// nil, one the analysis does not follow (a range value, a field written),
// for the reason why.
type source struct {
	expr  ast.Expr
	field string // "Errors" or "Auth": the field of an ActionOptions assigned
	pos   token.Pos
	why   string
}

// newUnit collects the flows and returns of the declaration at cur.
func newUnit(info *types.Info, cur inspector.Cursor) *unit {
	u := &unit{
		cur:       cur,
		params:    map[*types.Var]int{},
		flows:     map[types.Object][]source{},
		litParams: map[types.Object]bool{},
		returns:   map[ast.Node][]*ast.ReturnStmt{},
	}
	if decl, ok := cur.Node().(*ast.FuncDecl); ok {
		u.fn, _ = info.Defs[decl.Name].(*types.Func)
		if u.fn != nil {
			params := u.fn.Type().(*types.Signature).Params()
			for i := range params.Len() {
				u.params[params.At(i)] = i
			}
		}
	}
	var calls []*ast.CallExpr
	for c := range cur.Preorder(
		(*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.RangeStmt)(nil), (*ast.TypeSwitchStmt)(nil),
		(*ast.ReturnStmt)(nil), (*ast.FuncLit)(nil), (*ast.CallExpr)(nil)) {
		switch n := c.Node().(type) {
		case *ast.AssignStmt:
			if n.Tok != token.ASSIGN && n.Tok != token.DEFINE {
				for _, lhs := range n.Lhs {
					u.opaque(info, lhs, n.Pos(), "it is computed")
				}
				continue
			}
			u.assign(info, n.Lhs, n.Rhs)
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			u.assign(info, lhs, n.Values)
		case *ast.RangeStmt:
			for _, x := range []ast.Expr{n.Key, n.Value} {
				if x != nil {
					u.opaque(info, x, x.Pos(), "it is a range value")
				}
			}
		case *ast.TypeSwitchStmt:
			if as, ok := n.Assign.(*ast.AssignStmt); ok && len(as.Rhs) == 1 {
				if ta, ok := as.Rhs[0].(*ast.TypeAssertExpr); ok {
					for _, clause := range n.Body.List {
						if obj := info.Implicits[clause]; obj != nil {
							u.flow(obj, source{expr: ta.X})
						}
					}
				}
			}
		case *ast.ReturnStmt:
			for fn := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
				u.returns[fn.Node()] = append(u.returns[fn.Node()], n)
				break
			}
		case *ast.FuncLit:
			sig, _ := info.TypeOf(n).(*types.Signature)
			if sig != nil {
				for i := range sig.Params().Len() {
					u.litParams[sig.Params().At(i)] = true
				}
			}
		case *ast.CallExpr:
			calls = append(calls, n)
		}
	}
	// Calls of function literals, made in place or through a variable,
	// pass their arguments to the literal's parameters. errors.As(err,
	// &target) puts err in target.
	for _, call := range calls {
		if fn, ok := typeutil.Callee(info, call).(*types.Func); ok && fn.Pkg() != nil &&
			fn.Pkg().Path() == "errors" && fn.Name() == "As" && len(call.Args) == 2 {
			if addr, ok := ast.Unparen(call.Args[1]).(*ast.UnaryExpr); ok && addr.Op == token.AND {
				if id, ok := ast.Unparen(addr.X).(*ast.Ident); ok && info.ObjectOf(id) != nil {
					obj := info.ObjectOf(id)
					u.flow(obj, source{expr: call.Args[0]})
				}
			}
			continue
		}
		for _, lit := range u.literals(info, call.Fun, nil) {
			u.bindArgs(info, lit, call)
		}
	}
	return u
}

// assign records the flows of lhs = rhs.
func (u *unit) assign(info *types.Info, lhs, rhs []ast.Expr) {
	for i, l := range lhs {
		var r ast.Expr
		switch {
		case len(rhs) == len(lhs):
			r = rhs[i]
		case len(rhs) == 1:
			r = rhs[0] // a call or comma-ok form: the value is its result
		default:
			continue // var x T: the zero value
		}
		switch l := ast.Unparen(l).(type) {
		case *ast.Ident:
			if obj := info.ObjectOf(l); obj != nil && l.Name != "_" {
				u.flow(obj, source{expr: r})
			}
		case *ast.SelectorExpr:
			// opts.Errors = ..., opts.Auth = ...: the options' declaration
			// grows. err.Code = ...: the error's code is no longer the one
			// it was made with.
			base, ok := ast.Unparen(l.X).(*ast.Ident)
			if !ok || info.ObjectOf(base) == nil {
				continue
			}
			obj := info.ObjectOf(base)
			switch t := info.TypeOf(l.X); {
			case isEnvelopeType(t, "ActionOptions") && (l.Sel.Name == "Errors" || l.Sel.Name == "Auth"):
				u.flow(obj, source{expr: r, field: l.Sel.Name})
			case isEnvelopeType(t, "Authenticator") && l.Sel.Name == "Errors":
				u.flow(obj, source{expr: r, field: "Errors"})
			case isError(t) && (l.Sel.Name == "Code" || l.Sel.Name == "Status"):
				u.flow(obj, source{pos: l.Pos(), why: "its " + l.Sel.Name + " is assigned"})
			}
		}
	}
}

// flow records that obj gets the value s, when obj is of a type errcodes
// follows: most variables of a function hold nothing it asks about.
func (u *unit) flow(obj types.Object, s source) {
	if tracked(obj.Type()) {
		u.flows[obj] = append(u.flows[obj], s)
	}
}

// tracked reports whether errcodes follows variables of type t: errors and
// other interfaces, strings and integers (codes, statuses), functions,
// declarations, and types with a ServeHTTP method.
func tracked(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&(types.IsString|types.IsInteger) != 0
	case *types.Interface, *types.Signature:
		return true
	}
	if isError(t) || isDeclType(t) {
		return true
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "ServeHTTP")
	return obj != nil
}

// opaque records that the variable x gets a value the analysis does not
// follow.
func (u *unit) opaque(info *types.Info, x ast.Expr, pos token.Pos, why string) {
	if id, ok := ast.Unparen(x).(*ast.Ident); ok && id.Name != "_" {
		if obj := info.ObjectOf(id); obj != nil {
			u.flow(obj, source{pos: pos, why: why})
		}
	}
}

// literals returns the function literals x may be: a literal, or a local
// variable assigned one.
func (u *unit) literals(info *types.Info, x ast.Expr, seen map[types.Object]bool) []*ast.FuncLit {
	switch x := ast.Unparen(x).(type) {
	case *ast.FuncLit:
		return []*ast.FuncLit{x}
	case *ast.Ident:
		obj := info.ObjectOf(x)
		if obj == nil || seen[obj] { // variables assigned to one another
			return nil
		}
		if seen == nil {
			seen = map[types.Object]bool{}
		}
		seen[obj] = true
		var lits []*ast.FuncLit
		for _, s := range u.flows[obj] {
			if s.expr != nil {
				lits = append(lits, u.literals(info, s.expr, seen)...)
			}
		}
		return lits
	}
	return nil
}

// bindArgs records that call passes its arguments to lit's parameters.
func (u *unit) bindArgs(info *types.Info, lit *ast.FuncLit, call *ast.CallExpr) {
	sig, _ := info.TypeOf(lit).(*types.Signature)
	if sig == nil || call.Ellipsis.IsValid() {
		return
	}
	for i, arg := range call.Args {
		if i >= sig.Params().Len() || sig.Variadic() && i >= sig.Params().Len()-1 {
			break
		}
		p := sig.Params().At(i)
		u.flow(p, source{expr: arg})
	}
}

// funcs returns the functions of the unit that enclose pos, outermost
// first, for the suppression comments.
func (u *unit) funcs(pos token.Pos) []ast.Node {
	var funcs []ast.Node
	if c, ok := u.cur.FindByPos(pos, pos); ok {
		for f := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
			funcs = append(funcs, f.Node())
		}
	}
	for i, j := 0, len(funcs)-1; i < j; i, j = i+1, j-1 {
		funcs[i], funcs[j] = funcs[j], funcs[i]
	}
	return funcs
}
