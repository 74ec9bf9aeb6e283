package handlerflow

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"

	"golang.org/x/tools/go/cfg"
)

// definitions follows the local variables that only their own function
// assigns, and never through a pointer, in the order of the code: a use
// sees the assignments that may reach it on the control-flow graph, so
// "out = w; out = os.Stderr" leaves out holding os.Stderr alone.
// Assignments to a field or an element, sends, and stores by methods are
// seen by every use, as are all the assignments of other variables.
type definitions struct {
	def   map[ast.Node]map[types.Object]int // assignment, variable → definition
	flows []int                             // per flow: its definition, or -1
	uses  map[*ast.Ident]sources            // the definitions reaching each use
	all   map[types.Object]sources          // every definition of each variable
	vals  []value                           // per definition: its value, grown by solve
}

// newDefinitions finds the definitions of the unit's variables that can be
// followed in order, and which of them reach each use.
func newDefinitions(info *types.Info, u *unit) *definitions {
	// Order matters only for a variable assigned more than once, as a
	// whole, with values that may hold a writer.
	count := map[types.Object]int{}
	whole := make([]bool, len(u.flows)) // per flow: it assigns its variable as a whole
	for i, f := range u.flows {
		whole[i] = f.path == "" && plain(f.at, f.dst, info)
		if whole[i] && mayCarry(f.dst.Type()) {
			count[f.dst]++
		}
	}
	if !slices.ContainsFunc(slices.Collect(maps.Values(count)), func(n int) bool { return n > 1 }) {
		return nil
	}
	tracked, home := trackable(info, u.root)
	for obj, n := range count {
		tracked[obj] = tracked[obj] && n > 1
	}
	d := &definitions{def: map[ast.Node]map[types.Object]int{}, flows: make([]int, len(u.flows)), uses: map[*ast.Ident]sources{}}
	n := 0
	for i, f := range u.flows {
		d.flows[i] = -1
		if !tracked[f.dst] || !whole[i] {
			continue
		}
		if d.def[f.at] == nil {
			d.def[f.at] = map[types.Object]int{}
		}
		id, ok := d.def[f.at][f.dst]
		if !ok {
			id = n
			n++
			d.def[f.at][f.dst] = id
		}
		d.flows[i] = id
	}
	if n == 0 {
		return nil
	}
	d.vals = make([]value, n)
	d.all = map[types.Object]sources{}
	for _, defs := range d.def {
		for obj, id := range defs {
			d.all[obj] = d.all[obj].or(single(id))
		}
	}
	// Only the functions that declare a variable followed in order need
	// their graph.
	graphs := map[ast.Node]bool{}
	for obj := range d.all {
		if fn := home[obj]; fn != nil && !graphs[fn] {
			graphs[fn] = true
			d.reach(info, tracked, cfg.New(funcBody(fn), func(*ast.CallExpr) bool { return true }))
		}
	}
	return d
}

// trackable returns the local variables of root that are declared,
// assigned and used in one function, and whose address is never taken.
func trackable(info *types.Info, root ast.Node) (tracked map[types.Object]bool, home map[types.Object]ast.Node) {
	home = map[types.Object]ast.Node{}
	out := map[types.Object]bool{}
	var funcs []ast.Node
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			funcs = append(funcs, n)
			ast.Inspect(funcBody(n), visit)
			funcs = funcs[:len(funcs)-1]
			return false
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok {
					out[info.ObjectOf(id)] = false
				}
			}
		case *ast.Ident:
			obj, ok := info.ObjectOf(n).(*types.Var)
			if !ok || obj.IsField() || len(funcs) == 0 {
				return true
			}
			fn := funcs[len(funcs)-1]
			if info.Defs[n] == obj {
				if _, seen := out[obj]; !seen {
					home[obj], out[obj] = fn, true
				}
			} else if home[obj] != fn {
				out[obj] = false // a parameter, a global or a captured variable
			}
		}
		return true
	}
	ast.Inspect(root, visit)
	return out, home
}

// plain reports whether at assigns obj itself, as a whole: x = ..., x :=
// ..., or var x = ....
func plain(at ast.Node, obj types.Object, info *types.Info) bool {
	var lhs []ast.Expr
	switch at := at.(type) {
	case *ast.AssignStmt:
		if at.Tok != token.ASSIGN && at.Tok != token.DEFINE {
			return false
		}
		lhs = at.Lhs
	case *ast.ValueSpec:
		for _, id := range at.Names {
			lhs = append(lhs, id)
		}
	default:
		return false
	}
	for _, l := range lhs {
		if id, ok := l.(*ast.Ident); ok && info.ObjectOf(id) == obj {
			return true
		}
	}
	return false
}

// reach computes which definitions reach the uses of g's function.
func (d *definitions) reach(info *types.Info, tracked map[types.Object]bool, g *cfg.CFG) {
	byVar := d.all
	apply := func(in sources, n ast.Node) sources {
		for obj, id := range d.def[n] {
			in = minus(in, byVar[obj]).or(single(id))
		}
		return in
	}
	in := make(map[*cfg.Block]sources, len(g.Blocks))
	for changed := true; changed; {
		changed = false
		for _, b := range g.Blocks {
			out := in[b]
			for _, n := range b.Nodes {
				out = apply(out, n)
			}
			for _, s := range b.Succs {
				if !in[s].covers(out) {
					in[s] = in[s].or(out)
					changed = true
				}
			}
		}
	}
	for _, b := range g.Blocks {
		cur := in[b]
		for _, n := range b.Nodes {
			ast.Inspect(n, func(x ast.Node) bool {
				if _, ok := x.(*ast.FuncLit); ok {
					return false
				}
				if id, ok := x.(*ast.Ident); ok && tracked[info.ObjectOf(id)] && info.Uses[id] != nil {
					d.uses[id] = d.uses[id].or(intersect(cur, byVar[info.ObjectOf(id)]))
				}
				return true
			})
			cur = apply(cur, n)
		}
	}
}

// reset forgets the values of the definitions, for a new solve.
func (d *definitions) reset() {
	if d != nil {
		clear(d.vals)
	}
}

// ordered reports whether f is a definition followed in order.
func (d *definitions) ordered(i int) bool { return d != nil && d.flows[i] >= 0 }

// grow adds v to the value of the definition of flow i and reports whether
// it changed.
func (d *definitions) grow(i int, v value) bool {
	id := d.flows[i]
	if d.vals[id].covers(v) {
		return false
	}
	d.vals[id] = union(d.vals[id], v)
	return true
}

// at returns the value that the use id of obj may see, with ok false when
// obj is not followed in order. Weak updates in taint are seen everywhere.
func (d *definitions) at(id *ast.Ident, obj types.Object, taint value) (value, bool) {
	if d == nil {
		return nil, false
	}
	all, ok := d.all[obj]
	if !ok {
		return nil, false
	}
	reaching, ok := d.uses[id]
	if !ok {
		reaching = all // a use outside the graph: any definition
	}
	v := taint
	reaching.each(func(i int) { v = union(v, d.vals[i]) })
	return v, true
}

// funcBody returns the body of a function declaration or literal, or nil
// for any other node.
func funcBody(n ast.Node) *ast.BlockStmt {
	switch fn := n.(type) {
	case *ast.FuncDecl:
		return fn.Body
	case *ast.FuncLit:
		return fn.Body
	}
	return nil
}
