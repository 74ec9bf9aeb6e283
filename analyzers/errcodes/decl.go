package errcodes

import (
	"cmp"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// decl returns what x, an ActionOptions, an *Authenticator or a []*Error,
// declares.
func (ev *evaluator) decl(x ast.Expr) *Decl {
	return ev.declSeen(x, nil)
}

func (ev *evaluator) declSeen(x ast.Expr, seen map[types.Object]bool) *Decl {
	info := ev.info()
	x = ast.Unparen(x)
	switch x := x.(type) {
	case *ast.CompositeLit:
		return ev.declLiteral(x, seen)
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return ev.declSeen(x.X, seen)
		}
	case *ast.Ident, *ast.SelectorExpr:
		var obj types.Object
		if sel, ok := x.(*ast.SelectorExpr); ok {
			if _, ok := info.Selections[sel]; ok {
				if d := ev.declField(sel, seen); d != nil {
					return d
				}
				break
			}
			obj = info.ObjectOf(sel.Sel)
		} else {
			obj = info.ObjectOf(x.(*ast.Ident))
		}
		v, ok := obj.(*types.Var)
		if !ok {
			return &Decl{} // nil
		}
		if _, param := ev.u.params[v]; param || ev.u.litParams[v] {
			return &Decl{Why: ev.at(x.Pos()) + ": " + v.Name() + " is a parameter"}
		}
		if v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
			if f := ev.e.summary(v, ev.item); f != nil && f.Decl != nil {
				return f.Decl
			}
			return &Decl{}
		}
		if seen[v] {
			return nil
		}
		if seen == nil {
			seen = map[types.Object]bool{}
		}
		seen[v] = true
		var d *Decl
		for _, s := range ev.u.flows[v] {
			switch {
			case s.expr == nil:
				d = d.union(&Decl{Why: ev.at(s.pos) + ": " + v.Name() + ": " + s.why})
			case s.field == "Errors":
				d = d.union(&Decl{Errors: ev.declSeen(s.expr, seen).orEmpty().Errors, Why: ev.declSeen(s.expr, seen).orEmpty().Why})
			case s.field == "Auth":
				a := ev.declSeen(s.expr, seen).orEmpty()
				d = d.union(&Decl{Auth: a.Errors, AuthName: a.AuthName, Why: a.Why})
			default:
				d = d.union(ev.declSeen(s.expr, seen))
			}
		}
		return d.orEmpty()
	case *ast.CallExpr:
		if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && len(x.Args) > 0 {
			if b, ok := info.ObjectOf(id).(*types.Builtin); ok && b.Name() == "append" {
				d := ev.declSeen(x.Args[0], seen)
				if x.Ellipsis.IsValid() && len(x.Args) == 2 {
					return d.union(ev.declSeen(x.Args[1], seen))
				}
				return d.union(ev.declList(x.Args[1:]))
			}
		}
		if fn, ok := typeutil.Callee(info, x).(*types.Func); ok && fn.Pkg() != nil && !abstract(fn) && !toolkit(fn.Pkg().Path()) {
			if f := ev.e.summary(fn.Origin(), ev.item); f != nil && f.Decl != nil {
				return f.Decl
			}
			return &Decl{}
		}
	}
	return &Decl{Why: ev.at(x.Pos()) + ": " + short(x) + " is not followed"}
}

// declField returns what opts.Errors, opts.Auth or auth.Errors declares,
// for a local variable opts or auth; nil for any other field.
func (ev *evaluator) declField(sel *ast.SelectorExpr, seen map[types.Object]bool) *Decl {
	base, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return nil
	}
	t := ev.info().TypeOf(base)
	opts, auth := isEnvelopeType(t, "ActionOptions"), isEnvelopeType(t, "Authenticator")
	switch {
	case (opts || auth) && sel.Sel.Name == "Errors":
		d := ev.declSeen(base, seen).orEmpty()
		return &Decl{Errors: d.Errors, Why: d.Why}
	case opts && sel.Sel.Name == "Auth":
		d := ev.declSeen(base, seen).orEmpty()
		return &Decl{Errors: d.Auth, AuthName: d.AuthName, Why: d.Why}
	}
	return nil
}

func (d *Decl) orEmpty() *Decl {
	if d == nil {
		return &Decl{}
	}
	return d
}

// declLiteral returns what an ActionOptions, Authenticator or []*Error
// literal declares.
func (ev *evaluator) declLiteral(lit *ast.CompositeLit, seen map[types.Object]bool) *Decl {
	t := ev.info().TypeOf(lit)
	if _, ok := t.Underlying().(*types.Slice); ok {
		return ev.declList(lit.Elts)
	}
	d := &Decl{}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		id, _ := kv.Key.(*ast.Ident)
		if id == nil {
			continue
		}
		switch {
		case id.Name == "Errors":
			errs := ev.declSeen(kv.Value, seen).orEmpty()
			d.Errors, d.Why = errs.Errors, cmp.Or(d.Why, errs.Why)
		case id.Name == "Auth" && isEnvelopeType(t, "ActionOptions"):
			a := ev.declSeen(kv.Value, seen).orEmpty()
			d.Auth, d.AuthName, d.Why = a.Errors, a.AuthName, cmp.Or(d.Why, a.Why)
		case id.Name == "Name" && isEnvelopeType(t, "Authenticator"):
			if tv := ev.info().Types[kv.Value]; tv.Value != nil && tv.Value.Kind() == constant.String {
				d.AuthName = constant.StringVal(tv.Value)
			}
		}
	}
	return d
}

// declList returns what a list of declared errors declares.
func (ev *evaluator) declList(elts []ast.Expr) *Decl {
	d := &Decl{}
	for _, elt := range elts {
		for _, e := range ev.eval(elt) {
			if e.known() {
				d.Errors = mergeCodes(d.Errors, []Code{e.code()})
			} else if d.Why == "" {
				d.Why = ev.at(elt.Pos()) + ": the code of " + short(elt) + " cannot be determined"
			}
		}
	}
	return d
}

// declValue is decl for a result.
func (ev *evaluator) declValue(r result) *Decl {
	if r.expr != nil {
		return ev.decl(r.expr)
	}
	var d *Decl
	for _, s := range ev.u.flows[r.obj] {
		if s.expr != nil {
			d = d.union(ev.decl(s.expr))
		}
	}
	return d
}
