package handlerflow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// A param is a parameter whose value a unit follows: one of its function's
// slots, or a writer parameter of a function literal inside it.
type param struct {
	name   string
	owner  ast.Node        // the function whose parameter it is
	writer bool            // a ResponseWriter: writing to it answers
	holder map[string]bool // for a struct holding writers, its writer fields
}

// A source is a part of a param's value: the value itself (path "") or a
// field of it. Every value a unit follows is a set of sources.
type source struct {
	param int
	path  string
}

// A unit is a function declaration, or a function literal at package level,
// analysed with every function literal nested in it, so that closures see
// the variables they capture.
type unit struct {
	root   ast.Node // *ast.FuncDecl or *ast.FuncLit
	file   *ast.File
	fn     *types.Func // nil for a package-level literal
	nslots int         // params[:nslots] are fn's slots
	params []param

	srcs   []source
	index  map[source]int
	fixed  sources // the sources that are their own parts
	answer []bool  // per source: writing to it answers a request

	extended map[extension]sources // cache of extend, by set
	moved    map[extension]int     // cache of extend, by source

	methods []*types.Func // method values taken in the unit, by path element "()k"
	methodK map[*types.Func]int

	initial map[types.Object]value
	flows   []flow
	defs    *definitions // which assignments a use of a local variable may see
	results []ast.Expr   // expressions returned by fn itself
	named   []types.Object
	lits    map[*ast.FuncLit][]ast.Expr // expressions returned by each literal
	bound   map[types.Object]*ast.FuncLit
	called  map[*ast.FuncLit]bool // literals called in the unit, directly or through their variable
	// The literals whose results are being evaluated, for recursion.
	returning map[*ast.FuncLit]bool
	calls     []site
	static    map[*ast.CallExpr]staticCall // the calls with a static callee, and their arguments
	uses      map[*types.Func]bool         // the functions of this package it uses
	events    []event                      // calls that may answer through a writer, for Result.Sole

	taint map[types.Object]value
}

// A flow says that the value of src reaches part path of the variable dst.
type flow struct {
	dst  types.Object
	path string
	src  ast.Expr
	at   ast.Node // the assignment, for the variables followed in order
}

// A site is a call together with the functions enclosing it, outermost
// first.
type site struct {
	node    *ast.CallExpr
	funcs   []ast.Node
	escapes bool // inside a function literal that is not called where it is made
}

// A staticCall is the callee of a call known statically, and its
// arguments.
type staticCall struct {
	fn   *types.Func
	args []argument
}

// A call is what a site calls: a function or method, and the values in its
// slots. A site that calls a method value calls the method on the value it
// was taken from.
type call struct {
	fn      *types.Func
	actuals []actual
}

// An actual is the value given in one of a callee's slots.
type actual struct {
	slot int
	expr ast.Expr // the argument, or the method value for its receiver
	val  value
}

// A sink is a site that sets a status on, or writes a body to, followed
// values.
type sink struct {
	site
	callee *types.Func
	// What the call writes, for the function's Fact: when it runs, and
	// later, in a function literal the callee makes.
	status, body, laterStatus, laterBody sources
	// What the call writes that the callee does not report itself: a
	// function of this package reports the writes made on its own writers.
	reportStatus, reportBody sources
	now                      bool     // some reported write is made when the call runs
	written                  []actual // the values that get a status or body
}

// engine holds what the units of one package share.
type engine struct {
	pass     *analysis.Pass
	trusted  func(path string) bool
	local    map[*types.Func]*Fact
	imported map[*types.Func]*Fact
	// reporting maps the functions of this package whose writes on their
	// own writers are reported where they are made to their slots.
	reporting map[*types.Func][]param
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

// reportsItself reports whether fn, a function of this package, reports
// the writes it makes on part path of the value in slot where it makes
// them: on a writer, or on a writer field of a struct holding one.
func (e *engine) reportsItself(fn *types.Func, slot int, path string) bool {
	params := e.reporting[fn]
	if slot >= len(params) {
		return false
	}
	first, _ := elements(path)
	return params[slot].writer || params[slot].holder[strings.TrimPrefix(first, ".")]
}

// newUnit prepares root for analysis, or returns nil when no parameter
// may hold a writer.
func (e *engine) newUnit(file *ast.File, root ast.Node) *unit {
	info := e.pass.TypesInfo
	u := &unit{
		root: root, file: file,
		index:    map[source]int{},
		extended: map[extension]sources{},
		moved:    map[extension]int{},
		methodK:  map[*types.Func]int{},
		initial:  map[types.Object]value{},
		lits:     map[*ast.FuncLit][]ast.Expr{},
		bound:    map[types.Object]*ast.FuncLit{},
		called:   map[*ast.FuncLit]bool{},

		returning: map[*ast.FuncLit]bool{},
	}
	addParam := func(owner ast.Node, v *types.Var, p param) {
		i := len(u.params)
		p.owner = owner
		p.name = slotName(p.name, i)
		u.params = append(u.params, p)
		u.source(i, "")
		if v != nil && v.Name() != "_" && mayCarry(v.Type()) {
			u.initial[v] = whole(single(i))
		}
	}
	if decl, ok := root.(*ast.FuncDecl); ok {
		fn, _ := info.Defs[decl.Name].(*types.Func)
		if fn == nil {
			return nil
		}
		u.fn = fn
		sig := fn.Type().(*types.Signature)
		if recv := sig.Recv(); recv != nil {
			addParam(root, recv, param{name: recv.Name(), holder: writerFields(recv.Type())})
		}
		for i := range sig.Params().Len() {
			p := sig.Params().At(i)
			addParam(root, p, param{name: p.Name(), writer: IsWriter(p.Type()), holder: writerFields(p.Type())})
		}
		u.nslots = len(u.params)
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
				addParam(lit, p, param{name: p.Name(), writer: true})
			}
		}
		return true
	})
	if len(u.initial) == 0 {
		return nil // nothing that may hold a writer comes in
	}
	u.collect(info, e.pass.Pkg)
	u.defs = newDefinitions(info, u)
	return u
}

// source returns the index of part path of param p, adding it if new.
func (u *unit) source(p int, path string) int {
	par := u.params[p]
	if par.writer || par.owner != u.root {
		// The parts of a writer, or of a value only handlers see, are
		// that value: only facts need them told apart.
		path = ""
	}
	// A source is a parameter or one of its fields: a fact says which
	// field of a parameter a function writes, returns or stores, and
	// deeper parts are that field's.
	path, _ = elements(path)
	s := source{p, path}
	if i, ok := u.index[s]; ok {
		return i
	}
	i := len(u.srcs)
	u.srcs = append(u.srcs, s)
	u.index[s] = i
	u.answer = append(u.answer, par.writer || par.holder[strings.TrimPrefix(path, ".")])
	if path != "" || par.writer || par.owner != u.root {
		u.fixed.add(i)
	}
	return i
}

// answering returns the sources of s that answer a request: writers, and
// the writer fields of structs that hold them.
func (u *unit) answering(s sources) sources {
	var out sources
	s.each(func(i int) {
		if u.answer[i] {
			out = out.or(single(i))
		}
	})
	return out
}

// writerParams returns the set of the params whose writers the answering
// sources of s are part of.
func (u *unit) writerParams(s sources) sources {
	var out sources
	s.each(func(i int) {
		if u.answer[i] {
			out = out.or(single(u.srcs[i].param))
		}
	})
	return out
}

// method returns the path element of the method value fn.
func (u *unit) method(fn *types.Func) string {
	k, ok := u.methodK[fn]
	if !ok {
		k = len(u.methods)
		u.methods = append(u.methods, fn)
		u.methodK[fn] = k
	}
	return methodElement(k)
}

// collect gathers the unit's flows, returns, call sites and the functions
// of pkg it uses.
func (u *unit) collect(info *types.Info, pkg *types.Package) {
	u.uses = map[*types.Func]bool{}
	u.static = map[*ast.CallExpr]staticCall{}
	// Variables bound to a function literal: calling them binds the
	// literal's parameters and returns its results.
	ast.Inspect(u.root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i, rhs := range n.Rhs {
					if lit, ok := ast.Unparen(rhs).(*ast.FuncLit); ok {
						if id, ok := n.Lhs[i].(*ast.Ident); ok && info.ObjectOf(id) != nil {
							u.bound[info.ObjectOf(id)] = lit
						}
					}
				}
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i, v := range n.Values {
					if lit, ok := ast.Unparen(v).(*ast.FuncLit); ok && info.Defs[n.Names[i]] != nil {
						u.bound[info.Defs[n.Names[i]]] = lit
					}
				}
			}
		}
		return true
	})

	defer func() {
		for i, st := range u.calls {
			for _, fn := range st.funcs[1:] {
				if lit, ok := fn.(*ast.FuncLit); ok && !u.called[lit] {
					u.calls[i].escapes = true
				}
			}
		}
	}()
	// The sites share one copy of the enclosing functions while those
	// stay the same.
	var stack, funcs, enclosing []ast.Node
	ast.Inspect(u.root, func(n ast.Node) bool {
		if n == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch top.(type) {
			case *ast.FuncDecl, *ast.FuncLit:
				funcs = funcs[:len(funcs)-1]
				enclosing = nil
			}
			return true
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.SelectorExpr:
			// Methods, called or taken as values.
			if sel, ok := info.Selections[n]; ok && sel.Obj().Pkg() == pkg {
				if fn, ok := sel.Obj().(*types.Func); ok {
					u.uses[fn.Origin()] = true
				}
			}
		case *ast.FuncDecl, *ast.FuncLit:
			funcs = append(funcs, n)
			enclosing = nil
		case *ast.AssignStmt:
			u.assign(info, n, n.Lhs, n.Rhs)
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			u.assign(info, n, lhs, n.Values)
		case *ast.RangeStmt:
			for _, x := range []ast.Expr{n.Key, n.Value} {
				if x != nil {
					u.assign(info, n, []ast.Expr{x}, []ast.Expr{n.X})
				}
			}
		case *ast.SendStmt:
			// A channel holds what is sent on it; receiving takes it out.
			u.assign(info, n, []ast.Expr{n.Chan}, []ast.Expr{n.Value})
		case *ast.TypeSwitchStmt:
			if as, ok := n.Assign.(*ast.AssignStmt); ok && len(as.Rhs) == 1 {
				if ta, ok := as.Rhs[0].(*ast.TypeAssertExpr); ok {
					for _, clause := range n.Body.List {
						if obj := info.Implicits[clause]; obj != nil {
							u.flows = append(u.flows, flow{obj, "", ta.X, nil})
						}
					}
				}
			}
		case *ast.ReturnStmt:
			switch fn := funcs[len(funcs)-1].(type) {
			case *ast.FuncDecl:
				if u.fn != nil {
					u.results = append(u.results, n.Results...)
				}
			case *ast.FuncLit:
				u.lits[fn] = append(u.lits[fn], n.Results...)
			}
		case *ast.CallExpr:
			if tv, ok := info.Types[n.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
				return true
			}
			if lit := u.literal(info, n); lit != nil {
				// Calling a function literal, directly or through the
				// variable bound to it, passes the arguments to its
				// parameters.
				u.bind(info, lit, n)
				u.called[lit] = true
				return true
			}
			if fn := callee(info, n); fn != nil {
				u.static[n] = staticCall{fn, arguments(info, n, fn)}
				if fn.Pkg() == pkg {
					u.uses[fn] = true
				}
			}
			if enclosing == nil {
				enclosing = slices.Clone(funcs)
			}
			u.calls = append(u.calls, site{n, enclosing, false})
		}
		return true
	})
}

// literal returns the function literal that call calls, directly or
// through the variable bound to it, or nil.
func (u *unit) literal(info *types.Info, call *ast.CallExpr) *ast.FuncLit {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.FuncLit:
		return fun
	case *ast.Ident:
		return u.bound[info.ObjectOf(fun)]
	}
	return nil
}

// assign records the flows of an assignment or declaration.
func (u *unit) assign(info *types.Info, at ast.Node, lhs, rhs []ast.Expr) {
	for i, l := range lhs {
		obj, path := root(info, l)
		if obj == nil {
			continue
		}
		switch {
		case len(lhs) == len(rhs):
			u.flows = append(u.flows, flow{obj, path, rhs[i], at})
		case len(rhs) == 1:
			u.flows = append(u.flows, flow{obj, path, rhs[0], at})
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
			u.flows = append(u.flows, flow{p, "", arg, nil})
		}
	}
}

// root returns the variable that an assignment to x changes, and the part
// of it: x itself (""), or the field path of the struct that x is part of.
// Elements of slices, maps, arrays and channels are their container.
func root(info *types.Info, x ast.Expr) (types.Object, string) {
	var fields []string
	for {
		switch e := ast.Unparen(x).(type) {
		case *ast.Ident:
			if obj, ok := info.ObjectOf(e).(*types.Var); ok {
				return obj, fieldPath(fields)
			}
			return nil, ""
		case *ast.SelectorExpr:
			if sel, ok := info.Selections[e]; ok && sel.Kind() == types.FieldVal {
				fields = append(selectionPath(sel), fields...)
				x = e.X
				continue
			}
			if obj, ok := info.ObjectOf(e.Sel).(*types.Var); ok {
				return obj, fieldPath(fields)
			}
			return nil, ""
		case *ast.IndexExpr:
			x = e.X
		case *ast.StarExpr:
			x = e.X
		default:
			return nil, ""
		}
	}
}

func fieldPath(fields []string) string {
	p := ""
	for _, f := range fields {
		p = join(p, f)
	}
	return p
}

// selectionPath returns the field elements a field selection goes
// through, embedded fields included.
func selectionPath(sel *types.Selection) []string {
	return fieldElements(sel.Recv(), sel.Index())
}

// fieldElements returns the field elements that the field indices lead
// through from type t.
func fieldElements(t types.Type, index []int) []string {
	var out []string
	for _, i := range index {
		if ptr, ok := t.Underlying().(*types.Pointer); ok {
			t = ptr.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			break
		}
		f := st.Field(i)
		out = append(out, "."+f.Name())
		t = f.Type()
	}
	return out
}

// solve computes, from the engine's current summaries, which sources each
// variable of the unit may hold.
func (u *unit) solve(e *engine) {
	u.taint = make(map[types.Object]value, len(u.initial))
	for obj, v := range u.initial {
		u.taint[obj] = v
	}
	u.defs.reset()
	grow := func(obj types.Object, v value) bool {
		if old := u.taint[obj]; !old.covers(v) {
			u.taint[obj] = union(old, v)
			return true
		}
		return false
	}
	for changed := true; changed; {
		changed = false
		for i, f := range u.flows {
			v := u.eval(e, f.src).under(f.path)
			if u.defs.ordered(i) {
				changed = u.defs.grow(i, v) || changed
			} else {
				changed = grow(f.dst, v) || changed
			}
		}
		// A method that stores parts of its arguments in its receiver
		// makes those fields of the receiver variable carry them.
		for _, st := range u.calls {
			fn := u.static[st.node].fn
			if fn == nil || abstract(fn) {
				continue
			}
			if fact := e.lookup(fn); fact == nil || len(fact.Stores) == 0 {
				continue
			}
			for _, c := range u.resolve(e, st.node) {
				fact := c.fact(e)
				if len(c.actuals) == 0 || c.actuals[0].slot != 0 {
					continue
				}
				dst, path := root(e.pass.TypesInfo, c.actuals[0].expr)
				if dst == nil {
					continue
				}
				for _, s := range fact.Stores {
					for _, a := range c.actuals[1:] {
						if a.slot == s.Slot {
							changed = grow(dst, u.at(a.val, s.Path).under(join(path, s.Field))) || changed
						}
					}
				}
			}
		}
	}
}

// fact returns the Fact of a call's concrete callee, or nil.
func (c call) fact(e *engine) *Fact {
	if abstract(c.fn) {
		return nil
	}
	return e.lookup(c.fn)
}

// eval returns the value of x.
func (u *unit) eval(e *engine, x ast.Expr) value {
	info := e.pass.TypesInfo
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		return u.variable(x, info.ObjectOf(x))
	case *ast.SelectorExpr:
		sel, ok := info.Selections[x]
		if !ok {
			return u.variable(x.Sel, info.ObjectOf(x.Sel))
		}
		switch sel.Kind() {
		case types.FieldVal:
			if !mayCarry(sel.Type()) {
				return nil // a field that cannot hold a writer
			}
			return u.at(u.eval(e, x.X), fieldPath(selectionPath(sel)))
		case types.MethodVal:
			// A method value carries its receiver; calling it calls
			// the method.
			fn := sel.Obj().(*types.Func)
			index := sel.Index()
			recv := u.at(u.eval(e, x.X), fieldPath(fieldElements(sel.Recv(), index[:len(index)-1])))
			return recv.under(u.method(fn.Origin()))
		}
		return nil
	case *ast.StarExpr:
		return u.eval(e, x.X)
	case *ast.UnaryExpr:
		if x.Op == token.AND || x.Op == token.ARROW {
			return u.eval(e, x.X)
		}
	case *ast.IndexExpr:
		return u.eval(e, x.X)
	case *ast.SliceExpr:
		return u.eval(e, x.X)
	case *ast.TypeAssertExpr:
		return u.eval(e, x.X)
	case *ast.CompositeLit:
		return u.composite(e, x)
	case *ast.CallExpr:
		return u.callResult(e, x)
	}
	return nil
}

// variable returns the value of obj where id uses it.
func (u *unit) variable(id *ast.Ident, obj types.Object) value {
	if v, ok := u.defs.at(id, obj, u.taint[obj]); ok {
		return v
	}
	return u.taint[obj]
}

// composite returns the value of a composite literal: a struct's fields
// at their paths, the elements of anything else as a whole.
func (u *unit) composite(e *engine, lit *ast.CompositeLit) value {
	var st *types.Struct
	if t := e.pass.TypesInfo.TypeOf(lit); t != nil {
		st, _ = t.Underlying().(*types.Struct)
	}
	var v value
	for i, elt := range lit.Elts {
		kv, keyed := elt.(*ast.KeyValueExpr)
		if keyed {
			elt = kv.Value
		}
		ev := u.eval(e, elt)
		if st != nil {
			name := ""
			if keyed {
				if id, ok := kv.Key.(*ast.Ident); ok {
					name = id.Name
				}
			} else if i < st.NumFields() {
				name = st.Field(i).Name()
			}
			ev = ev.under("." + name)
		}
		v = union(v, ev)
	}
	return v
}

// at returns part path of v, a sequence of field elements. A part held as
// a whole yields its sources' parts at the path: the field of a parameter
// is a source of its own.
func (u *unit) at(v value, path string) value {
	for path != "" && v != nil {
		first, rest := elements(path)
		var out value
		for _, pt := range v {
			if pt.path == "" {
				out.put("", u.extend(pt.srcs, first))
			} else if f, r := elements(pt.path); f == first {
				out.put(r, pt.srcs)
			}
		}
		v, path = out, rest
	}
	return v
}

// extend returns the sources for part path of each source of s.
func (u *unit) extend(s sources, path string) sources {
	if u.fixed.covers(s) {
		return s
	}
	if len(s.hi) == 0 {
		if out, ok := u.extended[extension{s.lo, path}]; ok {
			return out
		}
	}
	var out sources
	s.each(func(i int) {
		k := extension{uint64(i), path}
		j, ok := u.moved[k]
		if !ok {
			src := u.srcs[i]
			j = u.source(src.param, join(src.path, path))
			u.moved[k] = j
		}
		out.add(j)
	})
	if len(s.hi) == 0 {
		u.extended[extension{s.lo, path}] = out
	}
	return out
}

// An extension is a set of sources below 64, or one source, and a path:
// the key of the caches of extend.
type extension struct {
	sources uint64
	path    string
}

// written returns the sources that get written when a callee writes to
// part path of v. Method values in v are not written: taking w.Write
// writes nothing.
func (u *unit) written(v value, path string) sources {
	var out sources
	for _, pt := range v {
		if strings.HasPrefix(pt.path, "()") {
			continue
		}
		switch {
		case within(path, pt.path):
			out = out.or(u.extend(pt.srcs, path[len(pt.path):]))
		case within(pt.path, path):
			out = out.or(pt.srcs)
		}
	}
	return out
}

func (u *unit) callResult(e *engine, x *ast.CallExpr) value {
	info := e.pass.TypesInfo
	if tv, ok := info.Types[x.Fun]; ok && tv.IsType() {
		if len(x.Args) == 1 {
			return u.eval(e, x.Args[0])
		}
		return nil
	}
	if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok {
		if b, ok := info.ObjectOf(id).(*types.Builtin); ok {
			var v value
			if b.Name() == "append" {
				for _, arg := range x.Args {
					v = union(v, u.eval(e, arg))
				}
			}
			return v
		}
	}
	if lit := u.literal(info, x); lit != nil {
		if u.returning[lit] {
			// A literal that calls itself returns what its other
			// returns do.
			return nil
		}
		u.returning[lit] = true
		var v value
		for _, r := range u.lits[lit] {
			v = union(v, u.eval(e, r))
		}
		delete(u.returning, lit)
		return v
	}
	var v value
	for _, c := range u.resolve(e, x) {
		fact := c.fact(e)
		if fact == nil {
			continue
		}
		for _, r := range fact.Result {
			for _, a := range c.actuals {
				if a.slot == r.Slot {
					v = union(v, u.at(a.val, r.Path).under(r.Field))
				}
			}
		}
	}
	return v
}

// resolve returns what call calls: its static callee, or the methods of
// the method values its function value may be.
func (u *unit) resolve(e *engine, x *ast.CallExpr) []call {
	if sc, ok := u.static[x]; ok {
		c := call{sc.fn, make([]actual, len(sc.args))}
		for i, a := range sc.args {
			c.actuals[i] = actual{a.slot, a.expr, u.eval(e, a.expr)}
		}
		return []call{c}
	}
	var out []call
	for _, pt := range u.eval(e, x.Fun) {
		first, rest := elements(pt.path)
		k, ok := methodIndex(first)
		if !ok {
			continue
		}
		fn := u.methods[k]
		c := call{fn, []actual{{0, x.Fun, value{{rest, pt.srcs}}}}}
		for _, a := range methodArguments(fn, x) {
			c.actuals = append(c.actuals, actual{a.slot, a.expr, u.eval(e, a.expr)})
		}
		out = append(out, c)
	}
	return out
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

// An argument is an expression passed in a callee's slot.
type argument struct {
	expr ast.Expr
	slot int
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

// methodArguments pairs the arguments of call, which calls a method value
// of fn, with fn's slots after the receiver.
func methodArguments(fn *types.Func, call *ast.CallExpr) []argument {
	var args []argument
	nparams := fn.Type().(*types.Signature).Params().Len() + 1
	for i, a := range call.Args {
		args = append(args, argument{a, min(i+1, nparams-1)})
	}
	return args
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

// sinks returns the sites that set a status or write a body on a followed
// value.
func (u *unit) sinks(e *engine) []sink {
	var out []sink
	for _, st := range u.calls {
		for _, c := range u.resolve(e, st.node) {
			k := sink{site: st, callee: c.fn}
			for _, a := range c.actuals {
				ef := u.effect(e, c.fn, a.slot)
				// written returns what the parts paths of the actual get,
				// and the share of it the callee does not report itself.
				written := func(paths []string) (all, reported sources) {
					for _, p := range paths {
						w := u.written(a.val, p)
						all = all.or(w)
						if !e.reportsItself(c.fn, a.slot, p) {
							reported = reported.or(w)
						}
					}
					return all, reported
				}
				s, rs := written(ef.status)
				b, rb := written(ef.body)
				ls, rls := written(ef.laterStatus)
				lb, rlb := written(ef.laterBody)
				if s.empty() && b.empty() && ls.empty() && lb.empty() {
					continue
				}
				k.status, k.body = k.status.or(s), k.body.or(b)
				k.laterStatus, k.laterBody = k.laterStatus.or(ls), k.laterBody.or(lb)
				k.reportStatus = k.reportStatus.or(rs).or(rls)
				k.reportBody = k.reportBody.or(rb).or(rlb)
				k.now = k.now || !u.answering(rs.or(rb)).empty()
				k.written = append(k.written, a)
			}
			if !k.status.empty() || !k.body.empty() || !k.laterStatus.empty() || !k.laterBody.empty() {
				out = append(out, k)
			}
		}
	}
	return out
}

// An effect is what calling a function does to the value in one of its
// slots: the parts that get a status or a body, when it runs or later, in
// a function literal it returns or stores.
type effect struct {
	status, body, laterStatus, laterBody []string
}

// effect returns what calling fn does to the value in slot.
func (u *unit) effect(e *engine, fn *types.Func, slotIndex int) effect {
	if abstract(fn) {
		switch {
		case slotIndex != 0:
		case statusMethods[fn.Name()]:
			return effect{status: []string{""}}
		case bodyMethods[fn.Name()]:
			return effect{body: []string{""}}
		}
		return effect{}
	}
	fact := e.lookup(fn)
	if fact == nil {
		return effect{}
	}
	return effect{
		paths(fact.Status, slotIndex), paths(fact.Body, slotIndex),
		paths(fact.LaterStatus, slotIndex), paths(fact.LaterBody, slotIndex),
	}
}

// summary returns the Fact of the unit's function, leaving out the sinks
// that allowed marks as legitimate.
func (u *unit) summary(e *engine, sinks []sink, allowed func(sink) bool) *Fact {
	f := &Fact{}
	for _, p := range u.params[:u.nslots] {
		f.Names = append(f.Names, p.name)
	}
	slots := func(s sources) []Access {
		var out []Access
		s.each(func(i int) {
			if src := u.srcs[i]; src.param < u.nslots {
				out = append(out, Access{src.param, src.path})
			}
		})
		return out
	}
	for _, k := range sinks {
		if allowed(k) {
			continue
		}
		if k.escapes {
			// Made in a function literal that is returned or stored: it
			// writes when that is called.
			f.LaterStatus = append(f.LaterStatus, slots(k.status.or(k.laterStatus))...)
			f.LaterBody = append(f.LaterBody, slots(k.body.or(k.laterBody))...)
			continue
		}
		f.Status = append(f.Status, slots(k.status)...)
		f.Body = append(f.Body, slots(k.body)...)
		f.LaterStatus = append(f.LaterStatus, slots(k.laterStatus)...)
		f.LaterBody = append(f.LaterBody, slots(k.laterBody)...)
	}
	var res value
	for _, r := range u.results {
		res = union(res, u.eval(e, r))
	}
	for _, obj := range u.named {
		res = union(res, u.taint[obj])
	}
	// Method values do not cross functions: a result or a field that
	// holds w.Write does not carry w.
	for _, pt := range res {
		if !strings.Contains(pt.path, "()") {
			for _, a := range slots(pt.srcs) {
				f.Result = append(f.Result, Store{a, pt.path})
			}
		}
	}
	if recv := u.fn.Type().(*types.Signature).Recv(); recv != nil {
		for _, pt := range u.taint[recv] {
			if strings.Contains(pt.path, "()") {
				continue
			}
			for _, a := range slots(pt.srcs) {
				if a.Slot != 0 {
					f.Stores = append(f.Stores, Store{a, pt.path})
				}
			}
		}
	}
	f.Status, f.Body, f.Result = minimal(f.Status), minimal(f.Body), minimalStores(f.Result)
	f.LaterStatus, f.LaterBody = minimal(f.LaterStatus), minimal(f.LaterBody)
	f.Stores = minimalStores(f.Stores)
	return f
}

// mayCarry reports whether a value of type t may hold a writer: basic
// values, and slices, arrays, maps, channels and pointers of them, cannot.
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
		case *types.Chan:
			t = u.Elem()
		case *types.Map:
			if mayCarry(u.Key()) {
				return true
			}
			t = u.Elem()
		default:
			return true
		}
	}
}

// writerFields returns the fields of writer type of the struct t (or *t)
// when t holds writers without being one: a response builder, not a
// wrapper that implements ResponseWriter itself (its forwarding methods
// are how wrappers compose).
func writerFields(t types.Type) map[string]bool {
	if ptr, ok := t.Underlying().(*types.Pointer); ok {
		t = ptr.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	if obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(t), true, nil, "WriteHeader"); obj != nil {
		return nil
	}
	var fields map[string]bool
	for f := range st.Fields() {
		if IsWriter(f.Type()) {
			if fields == nil {
				fields = map[string]bool{}
			}
			fields[f.Name()] = true
		}
	}
	return fields
}
