package handlerflow

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// sources is a set of the values a unit follows: bit i < unit.nslots is
// slot i of the unit's function; later bits are writer parameters of the
// function literals inside it.
type sources uint64

// A unit is a function declaration, or a function literal at package level,
// analysed with every function literal nested in it, so that closures see
// the variables they capture.
type unit struct {
	root    ast.Node // *ast.FuncDecl or *ast.FuncLit
	file    *ast.File
	fn      *types.Func // nil for a package-level literal
	nslots  int
	names   []string
	writers sources // writer-typed parameters: the handlers' writers

	initial map[types.Object]sources
	flows   []flow
	results []ast.Expr     // expressions returned by fn itself
	named   []types.Object // fn's named results
	calls   []site         // calls, for sinks
	owners  []ast.Node     // per source bit, the function whose parameter it is
	events  []event        // calls that may answer through a writer, for Result.Sole

	taint map[types.Object]sources
}

// A flow says that the value of src reaches the variable dst.
type flow struct {
	dst types.Object
	src ast.Expr
}

// A site is a call together with the functions enclosing it, outermost
// first.
type site struct {
	node  ast.Node // the *ast.CallExpr
	funcs []ast.Node
	fn    *types.Func // the function or method called
	args  []argument
}

// An argument is an expression passed in a callee's slot.
type argument struct {
	expr ast.Expr
	slot int
}

// A sink is a site that sets a status on, or writes a body to, the values
// of the given sources.
type sink struct {
	site
	callee       *types.Func
	status, body sources
	written      []argument // the arguments that get a status or body
}

const (
	statusBit Slots = 1 << iota
	bodyBit
)

// engine holds what the units of one package share.
type engine struct {
	pass     *analysis.Pass
	trusted  func(path string) bool
	local    map[*types.Func]*Fact
	imported map[*types.Func]*Fact
}

func (e *engine) lookup(fn *types.Func) *Fact {
	if fn.Pkg() == nil {
		return nil
	}
	if fn.Pkg() == e.pass.Pkg {
		return e.local[fn]
	}
	if e.trusted(fn.Pkg().Path()) {
		return nil
	}
	if f, ok := e.imported[fn]; ok {
		return f
	}
	var f *Fact
	if fact := new(Fact); e.pass.ImportObjectFact(fn, fact) {
		f = fact
	}
	e.imported[fn] = f
	return f
}

// newUnit prepares root for analysis, or returns nil when no parameter
// may hold a writer.
func (e *engine) newUnit(file *ast.File, root ast.Node) *unit {
	info := e.pass.TypesInfo
	u := &unit{root: root, file: file, initial: map[types.Object]sources{}}
	next := 0
	addSource := func(owner ast.Node, v *types.Var, name string, writer bool) {
		if next >= 64 {
			return
		}
		bit := sources(1) << uint(next)
		next++
		if v != nil && v.Name() != "_" && mayCarry(v.Type()) {
			u.initial[v] = bit
		}
		if writer {
			u.writers |= bit
		}
		u.names = append(u.names, slotName(name, len(u.names)))
		u.owners = append(u.owners, owner)
	}
	if decl, ok := root.(*ast.FuncDecl); ok {
		fn, _ := info.Defs[decl.Name].(*types.Func)
		if fn == nil {
			return nil
		}
		u.fn = fn
		sig := fn.Type().(*types.Signature)
		if recv := sig.Recv(); recv != nil {
			addSource(root, recv, recv.Name(), false)
		}
		for i := range sig.Params().Len() {
			p := sig.Params().At(i)
			addSource(root, p, p.Name(), IsWriter(p.Type()))
		}
		u.nslots = next
		if res := sig.Results(); res != nil {
			for i := range res.Len() {
				if r := res.At(i); r.Name() != "" && r.Name() != "_" {
					u.named = append(u.named, r)
				}
			}
		}
	}
	ast.Inspect(root, func(n ast.Node) bool {
		lit, ok := n.(*ast.FuncLit)
		if !ok {
			return true
		}
		sig, _ := info.TypeOf(lit).(*types.Signature)
		if sig == nil {
			return true
		}
		for i := range sig.Params().Len() {
			if p := sig.Params().At(i); IsWriter(p.Type()) {
				addSource(lit, p, p.Name(), true)
			}
		}
		return true
	})
	if len(u.initial) == 0 {
		return nil // nothing that may hold a writer comes in
	}
	u.collect(info)
	return u
}

// collect gathers the unit's flows, returns and call sites.
func (u *unit) collect(info *types.Info) {
	// Variables bound to a function literal, so that calling them binds
	// the literal's parameters, or to a method value, so that calling them
	// calls the method. Taking a method value writes nothing: handing
	// wrapper.Write to hooks is composing, like next.ServeHTTP.
	bound := map[types.Object]ast.Expr{}
	bindable := func(x ast.Expr) ast.Expr {
		switch x := ast.Unparen(x).(type) {
		case *ast.FuncLit:
			return x
		case *ast.SelectorExpr:
			if sel, ok := info.Selections[x]; ok && sel.Kind() == types.MethodVal {
				return x
			}
		}
		return nil
	}
	ast.Inspect(u.root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i, rhs := range n.Rhs {
					if x := bindable(rhs); x != nil {
						if id, ok := n.Lhs[i].(*ast.Ident); ok && info.ObjectOf(id) != nil {
							bound[info.ObjectOf(id)] = x
						}
					}
				}
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i, v := range n.Values {
					if x := bindable(v); x != nil && info.Defs[n.Names[i]] != nil {
						bound[info.Defs[n.Names[i]]] = x
					}
				}
			}
		}
		return true
	})

	var stack []ast.Node
	var funcs []ast.Node
	ast.Inspect(u.root, func(n ast.Node) bool {
		if n == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch top.(type) {
			case *ast.FuncDecl, *ast.FuncLit:
				funcs = funcs[:len(funcs)-1]
			}
			return true
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			funcs = append(funcs, n)
		case *ast.AssignStmt:
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
					u.assign(info, []ast.Expr{x}, []ast.Expr{n.X})
				}
			}
		case *ast.TypeSwitchStmt:
			if as, ok := n.Assign.(*ast.AssignStmt); ok && len(as.Rhs) == 1 {
				if ta, ok := as.Rhs[0].(*ast.TypeAssertExpr); ok {
					for _, clause := range n.Body.List {
						if obj := info.Implicits[clause]; obj != nil {
							u.flows = append(u.flows, flow{obj, ta.X})
						}
					}
				}
			}
		case *ast.ReturnStmt:
			if len(funcs) == 1 && u.fn != nil {
				u.results = append(u.results, n.Results...)
			}
		case *ast.CallExpr:
			enclosing := append([]ast.Node(nil), funcs...)
			if fn := callee(info, n); fn != nil {
				u.calls = append(u.calls, site{n, enclosing, fn, arguments(info, n, fn)})
			}
			var target ast.Expr = ast.Unparen(n.Fun)
			if id, ok := target.(*ast.Ident); ok {
				target = bound[info.ObjectOf(id)]
			}
			switch target := target.(type) {
			case *ast.FuncLit:
				// Calling a function literal, directly or through the
				// variable it was bound to, passes the arguments to its
				// parameters.
				u.bind(info, target, n)
			case *ast.SelectorExpr:
				// Calling a variable bound to a method value calls the
				// method on the value it was taken from.
				if _, direct := ast.Unparen(n.Fun).(*ast.SelectorExpr); !direct {
					if fn, ok := info.Selections[target].Obj().(*types.Func); ok {
						u.calls = append(u.calls, site{n, enclosing, fn.Origin(), methodValueArguments(target, n, fn)})
					}
				}
			}
		}
		return true
	})
}

// assign records the flows of an assignment or declaration.
func (u *unit) assign(info *types.Info, lhs, rhs []ast.Expr) {
	for i, l := range lhs {
		obj := root(info, l)
		if obj == nil {
			continue
		}
		switch {
		case len(lhs) == len(rhs):
			u.flows = append(u.flows, flow{obj, rhs[i]})
		case len(rhs) == 1:
			u.flows = append(u.flows, flow{obj, rhs[0]})
		}
	}
}

// bind records that the arguments of call reach the parameters of lit.
func (u *unit) bind(info *types.Info, lit *ast.FuncLit, call *ast.CallExpr) {
	sig, _ := info.TypeOf(lit).(*types.Signature)
	if sig == nil || sig.Params().Len() == 0 {
		return
	}
	last := sig.Params().Len() - 1
	for i, arg := range call.Args {
		p := sig.Params().At(min(i, last))
		if p.Name() != "_" && p.Name() != "" {
			u.flows = append(u.flows, flow{p, arg})
		}
	}
}

// root returns the variable that an assignment to x changes: x itself, or
// the variable holding the struct, slice, map or pointer that x is part of.
func root(info *types.Info, x ast.Expr) types.Object {
	for {
		switch e := ast.Unparen(x).(type) {
		case *ast.Ident:
			if obj, ok := info.ObjectOf(e).(*types.Var); ok {
				return obj
			}
			return nil
		case *ast.SelectorExpr:
			if sel, ok := info.Selections[e]; ok && sel.Kind() == types.FieldVal {
				x = e.X
				continue
			}
			if obj, ok := info.ObjectOf(e.Sel).(*types.Var); ok {
				return obj
			}
			return nil
		case *ast.IndexExpr:
			x = e.X
		case *ast.StarExpr:
			x = e.X
		default:
			return nil
		}
	}
}

func stripIndex(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.IndexExpr:
		return ast.Unparen(x.X)
	case *ast.IndexListExpr:
		return ast.Unparen(x.X)
	}
	return e
}

// solve computes, from the engine's current summaries, which sources each
// variable of the unit may hold.
func (u *unit) solve(e *engine) {
	u.taint = make(map[types.Object]sources, len(u.initial))
	for obj, s := range u.initial {
		u.taint[obj] = s
	}
	for changed := true; changed; {
		changed = false
		for _, f := range u.flows {
			s := u.eval(e, f.src)
			if old := u.taint[f.dst]; old|s != old {
				u.taint[f.dst] = old | s
				changed = true
			}
		}
		// A method that stores arguments in its receiver makes the
		// receiver variable carry them.
		for _, st := range u.calls {
			if len(st.args) == 0 || st.args[0].slot != 0 || abstract(st.fn) {
				continue
			}
			fact := e.lookup(st.fn)
			if fact == nil || fact.Stores == 0 {
				continue
			}
			dst := root(e.pass.TypesInfo, st.args[0].expr)
			if dst == nil {
				continue
			}
			var s sources
			for _, arg := range st.args[1:] {
				if fact.Stores.Has(arg.slot) {
					s |= u.eval(e, arg.expr)
				}
			}
			if old := u.taint[dst]; old|s != old {
				u.taint[dst] = old | s
				changed = true
			}
		}
	}
}

// eval returns the sources that the value of x may hold or carry.
func (u *unit) eval(e *engine, x ast.Expr) sources {
	info := e.pass.TypesInfo
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		return u.taint[info.ObjectOf(x)]
	case *ast.SelectorExpr:
		if sel, ok := info.Selections[x]; ok {
			if sel.Kind() == types.FieldVal {
				return u.eval(e, x.X)
			}
			return 0
		}
		return u.taint[info.ObjectOf(x.Sel)]
	case *ast.StarExpr:
		return u.eval(e, x.X)
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return u.eval(e, x.X)
		}
	case *ast.IndexExpr:
		return u.eval(e, x.X)
	case *ast.SliceExpr:
		return u.eval(e, x.X)
	case *ast.TypeAssertExpr:
		return u.eval(e, x.X)
	case *ast.CompositeLit:
		var s sources
		for _, elt := range x.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			s |= u.eval(e, elt)
		}
		return s
	case *ast.CallExpr:
		return u.callResult(e, x)
	}
	return 0
}

func (u *unit) callResult(e *engine, call *ast.CallExpr) sources {
	info := e.pass.TypesInfo
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		if len(call.Args) == 1 {
			return u.eval(e, call.Args[0])
		}
		return 0
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := info.ObjectOf(id).(*types.Builtin); ok {
			var s sources
			if b.Name() == "append" {
				for _, arg := range call.Args {
					s |= u.eval(e, arg)
				}
			}
			return s
		}
	}
	fn := callee(info, call)
	if fn == nil || abstract(fn) {
		return 0
	}
	fact := e.lookup(fn)
	if fact == nil || fact.Result == 0 {
		return 0
	}
	var s sources
	for _, arg := range arguments(info, call, fn) {
		if fact.Result.Has(arg.slot) {
			s |= u.eval(e, arg.expr)
		}
	}
	return s
}

// callee returns the function or method that call statically calls.
func callee(info *types.Info, call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil {
		return nil
	}
	return fn.Origin()
}

// abstract reports whether fn is an interface method, which a call
// dispatches dynamically.
func abstract(fn *types.Func) bool {
	recv := fn.Type().(*types.Signature).Recv()
	return recv != nil && types.IsInterface(recv.Type())
}

// arguments pairs the expressions of call with the slots of fn.
func arguments(info *types.Info, call *ast.CallExpr, fn *types.Func) []argument {
	sig := fn.Type().(*types.Signature)
	var args []argument
	shift := 0
	if sig.Recv() != nil {
		sel, ok := stripIndex(ast.Unparen(call.Fun)).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
			args = append(args, argument{sel.X, 0})
			shift = 1
		}
	}
	nparams := sig.Params().Len() + shift
	for i, a := range call.Args {
		slotIndex := i + shift
		if sig.Variadic() && slotIndex >= nparams {
			slotIndex = nparams - 1
		}
		args = append(args, argument{a, slotIndex})
	}
	return args
}

// methodValueArguments pairs the receiver of the method value sel, and the
// arguments of call, which calls it, with the slots of method fn.
func methodValueArguments(sel *ast.SelectorExpr, call *ast.CallExpr, fn *types.Func) []argument {
	args := []argument{{sel.X, 0}}
	nparams := fn.Type().(*types.Signature).Params().Len() + 1
	for i, a := range call.Args {
		args = append(args, argument{a, min(i+1, nparams-1)})
	}
	return args
}

// sinks returns the sites that set a status or write a body on a followed
// value.
func (u *unit) sinks(e *engine) []sink {
	var out []sink
	for _, st := range u.calls {
		fn := st.fn
		k := sink{site: st, callee: fn}
		for _, arg := range st.args {
			kinds := u.kinds(e, fn, arg.slot)
			if kinds == 0 {
				continue
			}
			s := u.eval(e, arg.expr)
			if s == 0 {
				continue
			}
			if kinds&statusBit != 0 {
				k.status |= s
			}
			if kinds&bodyBit != 0 {
				k.body |= s
			}
			k.written = append(k.written, arg)
		}
		if k.status != 0 || k.body != 0 {
			out = append(out, k)
		}
	}
	return out
}

// kinds tells whether calling fn sets a status (statusBit) or writes a body
// (bodyBit) on the writer passed in slot.
func (u *unit) kinds(e *engine, fn *types.Func, slotIndex int) Slots {
	if abstract(fn) {
		if slotIndex != 0 {
			return 0
		}
		switch {
		case statusMethods[fn.Name()]:
			return statusBit
		case bodyMethods[fn.Name()]:
			return bodyBit
		}
		return 0
	}
	fact := e.lookup(fn)
	if fact == nil {
		return 0
	}
	var k Slots
	if fact.Status.Has(slotIndex) {
		k |= statusBit
	}
	if fact.Body.Has(slotIndex) {
		k |= bodyBit
	}
	return k
}

// summary returns the Fact of the unit's function, leaving out the sinks
// that allowed marks as legitimate.
func (u *unit) summary(e *engine, sinks []sink, allowed func(sink) bool) *Fact {
	mask := sources(1)<<uint(u.nslots) - 1
	f := &Fact{Names: u.names[:u.nslots]}
	for _, k := range sinks {
		if (k.status|k.body)&mask == 0 || allowed(k) {
			continue
		}
		f.Status |= Slots(k.status & mask)
		f.Body |= Slots(k.body & mask)
	}
	var res sources
	for _, r := range u.results {
		res |= u.eval(e, r)
	}
	for _, obj := range u.named {
		res |= u.taint[obj]
	}
	f.Result = Slots(res & mask)
	if recv := u.fn.Type().(*types.Signature).Recv(); recv != nil {
		f.Stores = Slots(u.taint[recv] & mask &^ 1)
	}
	return f
}

// mayCarry reports whether a value of type t may hold a writer: basic
// values, and slices, arrays and pointers of them, cannot.
func mayCarry(t types.Type) bool {
	for {
		switch u := t.Underlying().(type) {
		case *types.Basic:
			return false
		case *types.Slice:
			t = u.Elem()
		case *types.Array:
			t = u.Elem()
		case *types.Pointer:
			t = u.Elem()
		default:
			return true
		}
	}
}
