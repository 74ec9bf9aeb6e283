package errcodes

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// engine holds what the units of one package share.
type engine struct {
	pass    *analysis.Pass
	allowed func(pos token.Pos, funcs []ast.Node) bool
	// items are the package's functions and package-level variables, with
	// their unit; vars locates a variable in its declaration.
	items  []types.Object
	units  map[types.Object]*unit
	byNode map[ast.Node]*unit // by *ast.FuncDecl or *ast.ValueSpec
	vars   map[*types.Var]int // index of the variable in its ValueSpec
	// local holds the summaries of the package's items as they grow;
	// users records which items read each one, to summarize them again
	// when it grows.
	local    map[types.Object]*Fact
	users    map[types.Object]map[types.Object]bool
	imported map[types.Object]*Fact
}

// summary returns what is known of obj, a function or a package-level
// variable, and records that the item being summarized read it.
func (e *engine) summary(obj types.Object, reader types.Object) *Fact {
	if obj.Pkg() == nil {
		return nil
	}
	if obj.Pkg() == e.pass.Pkg {
		if reader != nil {
			if e.users[obj] == nil {
				e.users[obj] = map[types.Object]bool{}
			}
			e.users[obj][reader] = true
		}
		return e.local[obj]
	}
	if toolkit(obj.Pkg().Path()) {
		return nil
	}
	if f, ok := e.imported[obj]; ok {
		return f
	}
	var f *Fact
	if fact := new(Fact); e.pass.ImportObjectFact(obj, fact) {
		f = fact
	}
	e.imported[obj] = f
	return f
}

// summarize computes the Fact of the item obj from the current summaries.
func (e *engine) summarize(obj types.Object) *Fact {
	u := e.units[obj]
	ev := &evaluator{e: e, u: u, item: obj}
	f := &Fact{}
	returns, sends := entries{}, entries{}
	switch obj := obj.(type) {
	case *types.Func:
		decl := u.cur.Node().(*ast.FuncDecl)
		sig := obj.Type().(*types.Signature)
		for _, v := range ev.results(decl, sig, mayCarry) {
			returns.addAll(ev.value(v))
		}
		for _, v := range ev.results(decl, sig, isDeclType) {
			f.Decl = f.Decl.union(ev.declValue(v))
		}
		sends.addAll(ev.sends(u.cur.Node()))
	case *types.Var:
		spec := u.cur.Node().(*ast.ValueSpec)
		var x ast.Expr
		switch i := e.vars[obj]; {
		case len(spec.Values) == len(spec.Names):
			x = spec.Values[i]
		case len(spec.Values) == 1:
			x = spec.Values[0]
		}
		if x != nil && mayCarry(obj.Type()) {
			returns.addAll(ev.eval(x))
		}
		if x != nil && isDeclType(obj.Type()) {
			f.Decl = ev.decl(x)
		}
	}
	f.Returns, f.Sends = returns.sorted(), sends.sorted()
	return f
}

// sameFact reports whether two summaries hold the same codes and
// declarations, whatever the paths to them.
func sameFact(a, b *Fact) bool {
	if a == nil {
		a = &Fact{}
	}
	if b == nil {
		b = &Fact{}
	}
	keys := func(es []Entry) []key {
		ks := make([]key, len(es))
		for i, e := range es {
			ks[i] = e.key()
		}
		return ks
	}
	return slices.Equal(keys(a.Returns), keys(b.Returns)) && slices.Equal(keys(a.Sends), keys(b.Sends)) && a.Decl.equal(b.Decl)
}

// An evaluator follows values inside one unit.
type evaluator struct {
	e    *engine
	u    *unit
	item types.Object // the item being summarized; nil at a registration

	memo map[types.Object][]Entry
	busy map[types.Object]bool
	cuts int // cycles cut short: results computed meanwhile are not memoized
}

func (ev *evaluator) info() *types.Info { return ev.e.pass.TypesInfo }

// at is where pos is, as file:line.
func (ev *evaluator) at(pos token.Pos) string {
	p := ev.e.pass.Fset.Position(pos)
	return filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)
}

// unknown is an entry for a code that cannot be determined at pos.
func (ev *evaluator) unknown(pos token.Pos, why string) Entry {
	return Entry{Why: why, At: ev.at(pos), Allowed: ev.e.allowed(pos, ev.u.funcs(pos))}
}

// opaque is what a value the analysis does not follow carries: nothing,
// unless its type says it is an envelope error, whose code is then
// unknown.
func (ev *evaluator) opaque(x ast.Expr, why string) []Entry {
	if !isError(ev.info().TypeOf(x)) {
		return nil
	}
	return []Entry{ev.unknown(x.Pos(), why)}
}

// eval returns the entries of the error value x.
func (ev *evaluator) eval(x ast.Expr) []Entry {
	info := ev.info()
	x = ast.Unparen(x)
	switch x := x.(type) {
	case *ast.Ident:
		return ev.object(info.ObjectOf(x), x)
	case *ast.SelectorExpr:
		if _, ok := info.Selections[x]; !ok { // pkg.Name
			return ev.object(info.ObjectOf(x.Sel), x)
		}
		return ev.opaque(x, "it is read from "+short(x))
	case *ast.CallExpr:
		return ev.call(x)
	case *ast.TypeAssertExpr:
		return ev.eval(x.X)
	case *ast.UnaryExpr:
		if lit, ok := ast.Unparen(x.X).(*ast.CompositeLit); ok && x.Op == token.AND {
			return ev.eval(lit)
		}
	case *ast.StarExpr:
		if lit, ok := ast.Unparen(x.X).(*ast.CompositeLit); ok {
			return ev.eval(lit)
		}
	case *ast.CompositeLit:
		if isError(info.TypeOf(x)) {
			return ev.literal(x)
		}
		return nil
	}
	return ev.opaque(x, "it comes from "+short(x))
}

// object returns the entries of the variable obj, named at x.
func (ev *evaluator) object(obj types.Object, x ast.Expr) []Entry {
	v, ok := obj.(*types.Var)
	if !ok {
		return nil // nil, or a function
	}
	if i, ok := ev.u.params[v]; ok {
		if mayCarry(v.Type()) {
			return []Entry{{ErrArg: i + 1}}
		}
		return nil
	}
	if v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
		if f := ev.e.summary(v, ev.item); f != nil {
			return f.Returns
		}
		return nil
	}
	if r, ok := ev.memo[v]; ok {
		return r
	}
	if ev.busy[v] {
		ev.cuts++
		return nil
	}
	if ev.busy == nil {
		ev.busy, ev.memo = map[types.Object]bool{}, map[types.Object][]Entry{}
	}
	ev.busy[v] = true
	cuts := ev.cuts
	set := entries{}
	sources := ev.u.flows[v]
	if len(sources) == 0 && ev.u.litParams[v] {
		set.addAll(ev.opaque(x, v.Name()+" is a parameter of a function literal"))
	}
	for _, s := range sources {
		switch {
		case s.field != "":
		case s.expr == nil:
			if isError(v.Type()) {
				set.add(ev.unknown(s.pos, v.Name()+": "+s.why))
			}
		default:
			set.addAll(ev.eval(s.expr))
		}
	}
	ev.busy[v] = false
	r := set.sorted()
	if ev.cuts == cuts {
		ev.memo[v] = r
	}
	return r
}

// literal returns the entry of an envelope.Error composite literal.
func (ev *evaluator) literal(lit *ast.CompositeLit) []Entry {
	var status, code ast.Expr
	for i, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				switch id.Name {
				case "Status":
					status = kv.Value
				case "Code":
					code = kv.Value
				}
			}
			continue
		}
		switch i {
		case 0:
			status = elt
		case 1:
			code = elt
		}
	}
	statuses := []value{{c: "error"}} // the zero status means error
	if status != nil {
		statuses = ev.strings(status)
	}
	codes := []value{{}}
	if code != nil {
		codes = ev.strings(code)
	}
	return ev.combine(statuses, codes, lit.Pos())
}

// A value is what a string or integer expression may be: a constant c (or
// n), the argument of parameter arg-1, or unknown for the reason why, at
// pos.
type value struct {
	c   string
	n   int64
	arg int
	why string
	pos token.Pos
}

// strings returns the values the string expression x may have.
func (ev *evaluator) strings(x ast.Expr) []value { return ev.values(x, constant.String, nil) }

func (ev *evaluator) values(x ast.Expr, kind constant.Kind, seen map[types.Object]bool) []value {
	info := ev.info()
	x = ast.Unparen(x)
	if tv, ok := info.Types[x]; ok && tv.Value != nil && tv.Value.Kind() == kind {
		if kind == constant.String {
			return []value{{c: constant.StringVal(tv.Value)}}
		}
		n, ok := constant.Int64Val(tv.Value)
		if ok {
			return []value{{n: n}}
		}
	}
	if id, ok := x.(*ast.Ident); ok {
		if v, ok := info.ObjectOf(id).(*types.Var); ok {
			if i, ok := ev.u.params[v]; ok {
				return []value{{arg: i + 1}}
			}
			if sources := ev.u.flows[v]; len(sources) > 0 && !seen[v] {
				if seen == nil {
					seen = map[types.Object]bool{}
				}
				seen[v] = true
				var vals []value
				for _, s := range sources {
					if s.expr == nil {
						vals = append(vals, value{why: id.Name + ": " + s.why, pos: s.pos})
						continue
					}
					vals = append(vals, ev.values(s.expr, kind, seen)...)
				}
				return vals
			}
		}
	}
	return []value{{why: short(x) + " is not a constant", pos: x.Pos()}}
}

// combine makes entries of every status and code, made at pos.
func (ev *evaluator) combine(statuses, codes []value, pos token.Pos) []Entry {
	var out []Entry
	for _, s := range statuses {
		for _, c := range codes {
			switch {
			case s.why != "":
				out = append(out, ev.unknown(s.pos, "the status "+s.why))
			case c.why != "":
				out = append(out, ev.unknown(c.pos, "the code "+c.why))
			default:
				e := Entry{Status: s.c, Code: c.c, StatusArg: s.arg, CodeArg: c.arg, At: ev.at(pos)}
				if s.arg > 0 || c.arg > 0 {
					// A comment here covers the codes callers give.
					e.Allowed = ev.e.allowed(pos, ev.u.funcs(pos))
				}
				out = append(out, e)
			}
		}
	}
	return out
}

// call returns the entries of the error results of call.
func (ev *evaluator) call(call *ast.CallExpr) []Entry {
	info := ev.info()
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		if len(call.Args) == 1 {
			return ev.eval(call.Args[0]) // a conversion
		}
		return nil
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil || abstract(fn) {
		targets, why := ev.targets(call.Fun, nil)
		if why != "" {
			return ev.opaque(call, "it is returned by "+why)
		}
		set := entries{}
		for _, t := range targets {
			set.addAll(ev.returned(t, call, call))
		}
		return set.sorted()
	}
	fn = fn.Origin()
	if fn.Pkg() == nil {
		return nil
	}
	switch path := fn.Pkg().Path(); {
	case path == envelopePath:
		return ev.envelopeCall(fn, call)
	case toolkit(path):
		return nil // the toolkit's own parameter errors need no declaration
	case path == "fmt" && fn.Name() == "Errorf":
		if len(call.Args) > 0 {
			if tv := info.Types[call.Args[0]]; tv.Value != nil && !strings.Contains(constant.StringVal(tv.Value), "%w") {
				return nil
			}
		}
		return ev.wrapped(call.Args[min(1, len(call.Args)):])
	case path == "errors" && fn.Name() == "Join":
		return ev.wrapped(call.Args)
	}
	if f := ev.e.summary(fn, ev.item); f != nil {
		return ev.instantiate(f.Returns, fn, call, call)
	}
	return nil
}

// wrapped returns the entries of the errors among args, which the call
// wraps: errors.As finds them in its result.
func (ev *evaluator) wrapped(args []ast.Expr) []Entry {
	set := entries{}
	for _, arg := range args {
		if mayCarry(ev.info().TypeOf(arg)) {
			set.addAll(ev.eval(arg))
		}
	}
	return set.sorted()
}

// envelopeCall returns the entries of a call of the envelope package.
func (ev *evaluator) envelopeCall(fn *types.Func, call *ast.CallExpr) []Entry {
	sig := fn.Type().(*types.Signature)
	if sig.Recv() != nil {
		// (*Error).With and WithField copy the error with its code.
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && isError(sig.Recv().Type()) &&
			(fn.Name() == "With" || fn.Name() == "WithField") {
			return ev.eval(sel.X)
		}
		return nil
	}
	if fn.Name() == "Declare" && len(call.Args) >= 2 {
		return ev.combine(ev.strings(call.Args[0]), ev.strings(call.Args[1]), call.Pos())
	}
	c, ok := constructors[fn.Name()]
	if !ok {
		return nil
	}
	codes := []value{{c: c.code}}
	if c.arg >= 0 {
		if c.arg >= len(call.Args) {
			return nil
		}
		codes = ev.strings(call.Args[c.arg])
	}
	return ev.combine([]value{{c: c.status}}, codes, call.Pos())
}

// instantiate turns the entries of fn's summary into the entries of a call
// of it: the codes given as arguments, the errors passed in. call is nil
// when fn is not called here but registered as an action, whose arguments
// come from the toolkit; pos is then where it is named.
func (ev *evaluator) instantiate(es []Entry, fn *types.Func, call *ast.CallExpr, at ast.Node) []Entry {
	name := funcName(fn)
	sig := fn.Type().(*types.Signature)
	args := callArgs(ev.info(), call)
	arg := func(i int) []ast.Expr {
		switch {
		case call == nil || i >= len(args):
			return nil
		case sig.Variadic() && i == sig.Params().Len()-1 && !call.Ellipsis.IsValid():
			return args[i:]
		}
		return args[i : i+1]
	}
	param := func(i int) string {
		if i < sig.Params().Len() && sig.Params().At(i).Name() != "" {
			return sig.Params().At(i).Name()
		}
		return "#" + strconv.Itoa(i)
	}
	fromArg := func(i int, kind constant.Kind) []value {
		xs := arg(i)
		if len(xs) != 1 {
			return []value{{why: "is " + name + "'s parameter " + param(i), pos: at.Pos()}}
		}
		return ev.values(xs[0], kind, nil)
	}
	// An unknown argument for a code parameter is allowed by a comment at
	// the call, or where the callee makes the code.
	unknown := func(e Entry, pos token.Pos, why string) Entry {
		u := ev.unknown(pos, why)
		u.Allowed = u.Allowed || e.Allowed
		return u
	}
	set := entries{}
	for _, e := range es {
		e.Path = append([]string{name}, e.Path...)
		switch {
		case e.Why != "":
			set.add(e)
		case e.ErrArg > 0:
			xs := arg(e.ErrArg - 1)
			if call == nil && mayCarry(sig.Params().At(e.ErrArg-1).Type()) {
				set.add(ev.unknown(at.Pos(), "the error comes from "+name+"'s parameter "+param(e.ErrArg-1)))
			}
			for _, x := range xs {
				set.addAll(ev.eval(x))
			}
		case e.HTTPArg > 0:
			for _, v := range fromArg(e.HTTPArg-1, constant.Int) {
				switch {
				case v.why != "":
					set.add(unknown(e, v.pos, "the HTTP status "+v.why))
				case v.arg > 0:
					set.add(Entry{HTTPArg: v.arg, Path: e.Path, At: e.At, Allowed: e.Allowed})
				default:
					if c, ok := translate(int(v.n)); ok {
						set.add(Entry{Status: c.Status, Code: c.Code, Path: e.Path, At: e.At})
					}
				}
			}
		default:
			statuses, codes := []value{{c: e.Status}}, []value{{c: e.Code}}
			if e.StatusArg > 0 {
				statuses = fromArg(e.StatusArg-1, constant.String)
			}
			if e.CodeArg > 0 {
				codes = fromArg(e.CodeArg-1, constant.String)
			}
			for _, s := range statuses {
				for _, c := range codes {
					switch {
					case s.why != "":
						set.add(unknown(e, s.pos, "the status "+s.why))
					case c.why != "":
						set.add(unknown(e, c.pos, "the code "+c.why))
					default:
						set.add(Entry{Status: s.c, Code: c.c, StatusArg: s.arg, CodeArg: c.arg, Path: e.Path, At: e.At,
							Allowed: e.Allowed && (s.arg > 0 || c.arg > 0)})
					}
				}
			}
		}
	}
	return set.sorted()
}

// callArgs returns the arguments of call in the callee's parameters: for
// a method expression T.M(x, ...), the receiver x is not one.
func callArgs(info *types.Info, call *ast.CallExpr) []ast.Expr {
	if call == nil {
		return nil
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodExpr && len(call.Args) > 0 {
			return call.Args[1:]
		}
	}
	return call.Args
}

// A target is a function a function value may be: a declared one, or a
// literal of the unit.
type target struct {
	fn  *types.Func
	lit *ast.FuncLit
}

// targets returns the functions x may be, or why they cannot be told.
func (ev *evaluator) targets(x ast.Expr, seen map[types.Object]bool) ([]target, string) {
	info := ev.info()
	x = ast.Unparen(x)
	switch x := x.(type) {
	case *ast.FuncLit:
		return []target{{lit: x}}, ""
	case *ast.IndexExpr: // an instantiation
		return ev.targets(x.X, seen)
	case *ast.IndexListExpr:
		return ev.targets(x.X, seen)
	case *ast.CallExpr:
		if tv, ok := info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			return ev.targets(x.Args[0], seen)
		}
		return nil, "a function value made by " + short(x)
	case *ast.Ident, *ast.SelectorExpr:
		var obj types.Object
		if sel, ok := x.(*ast.SelectorExpr); ok {
			if s, ok := info.Selections[sel]; ok && s.Kind() == types.FieldVal {
				return nil, "the function in " + short(x)
			}
			obj = info.ObjectOf(sel.Sel)
		} else {
			obj = info.ObjectOf(x.(*ast.Ident))
		}
		switch obj := obj.(type) {
		case *types.Func:
			if abstract(obj) {
				return nil, "the interface method " + short(x)
			}
			return []target{{fn: obj.Origin()}}, ""
		case *types.Var:
			_, param := ev.u.params[obj]
			sources := ev.u.flows[obj]
			if param || len(sources) == 0 || obj.Pkg() == nil || obj.Parent() == obj.Pkg().Scope() {
				return nil, "the function in " + short(x)
			}
			if seen[obj] {
				return nil, ""
			}
			if seen == nil {
				seen = map[types.Object]bool{}
			}
			seen[obj] = true
			var all []target
			for _, s := range sources {
				if s.expr == nil {
					return nil, "the function in " + short(x)
				}
				ts, why := ev.targets(s.expr, seen)
				if why != "" {
					return nil, why
				}
				all = append(all, ts...)
			}
			return all, ""
		}
	}
	return nil, "the function " + short(x)
}

// returned returns the entries of the error results of target t, called
// by call (nil when it is registered, named at at).
func (ev *evaluator) returned(t target, call *ast.CallExpr, at ast.Node) []Entry {
	if t.fn != nil {
		if f := ev.e.summary(t.fn, ev.item); f != nil {
			return ev.instantiate(f.Returns, t.fn, call, at)
		}
		return nil
	}
	sig, _ := ev.info().TypeOf(t.lit).(*types.Signature)
	if sig == nil {
		return nil
	}
	set := entries{}
	for _, v := range ev.results(t.lit, sig, mayCarry) {
		set.addAll(ev.value(v))
	}
	return set.sorted()
}

// A result is a value a function returns: an expression, or a named
// result variable for a bare return.
type result struct {
	expr ast.Expr
	obj  types.Object
}

// results returns the values fn (a *ast.FuncDecl or *ast.FuncLit of the
// unit, of signature sig) returns in the results whose type is wanted.
func (ev *evaluator) results(fn ast.Node, sig *types.Signature, want func(types.Type) bool) []result {
	res := sig.Results()
	var idx []int
	for i := range res.Len() {
		if want(res.At(i).Type()) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	var out []result
	for _, ret := range ev.u.returns[fn] {
		switch {
		case len(ret.Results) == res.Len():
			for _, i := range idx {
				out = append(out, result{expr: ret.Results[i]})
			}
		case len(ret.Results) == 1: // return f(), f returning as many values
			out = append(out, result{expr: ret.Results[0]})
		case len(ret.Results) == 0:
			for _, i := range idx {
				out = append(out, result{obj: res.At(i)})
			}
		}
	}
	// Named results also hold what deferred functions assign to them.
	for _, i := range idx {
		if r := res.At(i); r.Name() != "" && r.Name() != "_" && len(ev.u.flows[r]) > 0 {
			out = append(out, result{obj: r})
		}
	}
	return out
}

func (ev *evaluator) value(r result) []Entry {
	if r.expr != nil {
		return ev.eval(r.expr)
	}
	return ev.object(r.obj, nil)
}

// abstract reports whether fn is an interface method.
func abstract(fn *types.Func) bool {
	recv := fn.Type().(*types.Signature).Recv()
	return recv != nil && types.IsInterface(recv.Type())
}

// funcName names fn as messages show it: pkg.F, (*pkg.T).M.
func funcName(fn *types.Func) string {
	sig := fn.Type().(*types.Signature)
	if recv := sig.Recv(); recv != nil {
		t := types.TypeString(recv.Type(), (*types.Package).Name)
		if strings.HasPrefix(t, "*") {
			t = "(" + t + ")"
		}
		return t + "." + fn.Name()
	}
	if fn.Pkg() == nil {
		return fn.Name()
	}
	return fn.Pkg().Name() + "." + fn.Name()
}

// short is x as written, cut to a length a message can quote.
func short(x ast.Expr) string {
	s := types.ExprString(x)
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}

// describe is a known entry as messages show it:
// "error/NoRecipients (demo.send → demo.check, send.go:12)".
func (e Entry) describe() string {
	return fmt.Sprintf("%s (%s)", e.code(), e.via())
}
