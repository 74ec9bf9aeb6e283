package errcodes

import (
	"go/ast"
	"go/constant"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
)

// sends returns the entries of the answers sent inside root: errors given
// to envelope.Fail, and HTTP statuses written, as the Envelope middleware
// translates them.
func (ev *evaluator) sends(root ast.Node) []Entry {
	info := ev.info()
	set := entries{}
	c, ok := ev.u.cur.FindNode(root)
	if !ok {
		return nil
	}
	for cc := range c.Preorder((*ast.CallExpr)(nil)) {
		call := cc.Node().(*ast.CallExpr)
		fn, _ := typeutil.Callee(info, call).(*types.Func)
		if fn == nil || fn.Pkg() == nil {
			continue
		}
		fn = fn.Origin()
		path := fn.Pkg().Path()
		switch {
		case isFunc(fn, envelopePath, "", "Fail") && len(call.Args) == 3:
			set.addAll(ev.eval(call.Args[2]))
		case fn.Name() == "WriteHeader" && len(call.Args) == 1 && writerMethod(info, call):
			set.addAll(ev.status(call.Args[0], call))
		case path == "net/http" && fn.Name() == "Error" && len(call.Args) == 3:
			set.addAll(ev.status(call.Args[2], call))
		case path == "net/http" && fn.Name() == "Redirect" && len(call.Args) == 4:
			set.addAll(ev.status(call.Args[3], call))
		case path == "net/http" && fn.Name() == "NotFound":
			c, _ := translate(404)
			set.add(Entry{Status: c.Status, Code: c.Code, At: ev.at(call.Pos())})
		case toolkit(path):
		case passesWriter(info, call):
			// A helper answering on the writer it is given.
			if f := ev.e.summary(fn, ev.item); f != nil {
				set.addAll(ev.instantiate(f.Sends, fn, call, call))
			}
		}
	}
	return set.sorted()
}

// status returns the entry of an HTTP status written by call.
func (ev *evaluator) status(x ast.Expr, call *ast.CallExpr) []Entry {
	var out []Entry
	for _, v := range ev.values(x, constant.Int, nil) {
		switch {
		case v.why != "":
			out = append(out, ev.unknown(v.pos, "the HTTP status "+v.why))
		case v.arg > 0:
			out = append(out, Entry{HTTPArg: v.arg, At: ev.at(call.Pos())})
		default:
			if c, ok := translate(int(v.n)); ok {
				out = append(out, Entry{Status: c.Status, Code: c.Code, At: ev.at(call.Pos())})
			}
		}
	}
	return out
}

// writerMethod reports whether call calls a method of a ResponseWriter
// interface value.
func writerMethod(info *types.Info, call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && handlerflow.IsWriter(info.TypeOf(sel.X))
}

// passesWriter reports whether call passes a ResponseWriter.
func passesWriter(info *types.Info, call *ast.CallExpr) bool {
	for _, arg := range call.Args {
		if handlerflow.IsWriter(info.TypeOf(arg)) {
			return true
		}
	}
	return false
}

// handlerSends returns the entries of what the handler x answers with, or
// why they cannot be told.
func (ev *evaluator) handlerSends(x ast.Expr, seen map[types.Object]bool) ([]Entry, string) {
	info := ev.info()
	x = ast.Unparen(x)
	t := info.TypeOf(x)
	if t == nil {
		return nil, short(x)
	}
	set := entries{}
	if call, ok := x.(*ast.CallExpr); ok {
		if tv, ok := info.Types[call.Fun]; ok && tv.IsType() && len(call.Args) == 1 {
			return ev.handlerSends(call.Args[0], seen) // http.HandlerFunc(f)
		}
		// A handler made by a call: what the function that makes it
		// answers itself (middleware), and the handlers it is given.
		for _, c := range []*ast.CallExpr{call, asCall(call.Fun)} {
			if c == nil {
				continue
			}
			if fn, ok := typeutil.Callee(info, c).(*types.Func); ok && !abstract(fn) && fn.Pkg() != nil && !toolkit(fn.Pkg().Path()) {
				if f := ev.e.summary(fn.Origin(), ev.item); f != nil {
					set.addAll(ev.instantiate(f.Sends, fn.Origin(), c, c))
				}
			}
			for _, arg := range c.Args {
				if isHandlerType(info.TypeOf(arg)) {
					found, why := ev.handlerSends(arg, seen)
					if why != "" {
						return nil, why
					}
					set.addAll(found)
				}
			}
		}
		set.addAll(ev.serveHTTP(t, x))
		return set.sorted(), ""
	}
	if id, ok := x.(*ast.Ident); ok {
		if v, ok := info.ObjectOf(id).(*types.Var); ok && len(ev.u.flows[v]) > 0 && !seen[v] {
			if seen == nil {
				seen = map[types.Object]bool{}
			}
			seen[v] = true
			for _, s := range ev.u.flows[v] {
				if s.expr == nil {
					return nil, short(x)
				}
				found, why := ev.handlerSends(s.expr, seen)
				if why != "" {
					return nil, why
				}
				set.addAll(found)
			}
			return set.sorted(), ""
		}
	}
	if _, ok := t.Underlying().(*types.Signature); ok {
		targets, why := ev.targets(x, nil)
		if why != "" {
			return nil, why
		}
		for _, tg := range targets {
			if tg.fn != nil {
				if f := ev.e.summary(tg.fn, ev.item); f != nil {
					set.addAll(ev.instantiate(f.Sends, tg.fn, nil, x))
				}
			} else {
				set.addAll(ev.sends(tg.lit))
			}
		}
		return set.sorted(), ""
	}
	if !types.IsInterface(t) {
		if found := ev.serveHTTP(t, x); found != nil {
			return found, ""
		}
		return nil, ""
	}
	return nil, short(x)
}

// serveHTTP returns the entries of what the ServeHTTP method of the
// concrete type t answers with.
func (ev *evaluator) serveHTTP(t types.Type, at ast.Expr) []Entry {
	if t == nil || types.IsInterface(t) {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "ServeHTTP")
	fn, ok := obj.(*types.Func)
	if !ok || fn.Pkg() == nil || toolkit(fn.Pkg().Path()) {
		return nil
	}
	if f := ev.e.summary(fn.Origin(), ev.item); f != nil {
		return ev.instantiate(f.Sends, fn.Origin(), nil, at)
	}
	return nil
}

func asCall(x ast.Expr) *ast.CallExpr {
	c, _ := ast.Unparen(x).(*ast.CallExpr)
	return c
}
