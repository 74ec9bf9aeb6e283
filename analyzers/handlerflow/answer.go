package handlerflow

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/cfg"
)

// An event is a call in a handler that may set a status on, write a body
// to, or answer through one of the handler's writers: every sink, and any
// other call the writer is passed to unless it is known not to write
// (see quiet). Events decide whether a suggested fix may replace a raw
// write: only one that makes the whole answer.
type event struct {
	call     *ast.CallExpr
	writers  sources  // the writer params it may answer through
	home     ast.Node // the innermost function around the call
	deferred bool     // in a defer or go statement: it runs at another time
}

// collectEvents records the unit's events.
func (u *unit) collectEvents(e *engine) {
	var funcs []ast.Node
	var stack []ast.Node
	deferred := 0
	ast.Inspect(u.root, func(n ast.Node) bool {
		if n == nil {
			switch top := stack[len(stack)-1]; top.(type) {
			case *ast.FuncDecl, *ast.FuncLit:
				funcs = funcs[:len(funcs)-1]
			case *ast.DeferStmt, *ast.GoStmt:
				deferred--
			}
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			funcs = append(funcs, n)
		case *ast.DeferStmt, *ast.GoStmt:
			deferred++
		case *ast.CallExpr:
			if w := u.answers(e, n); !w.empty() {
				u.events = append(u.events, event{n, w, funcs[len(funcs)-1], deferred > 0})
			}
		}
		return true
	})
}

// answers returns the writers of the unit that call may answer through.
func (u *unit) answers(e *engine, call *ast.CallExpr) sources {
	info := e.pass.TypesInfo
	if tv, ok := info.Types[call.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
		return sources{}
	}
	// The callee and arguments that collect found; none for a function
	// value, as for a literal's call.
	sc := u.static[call]
	fn, args := sc.fn, sc.args
	if fn == nil {
		// A function value: its code is unknown.
		for i, a := range call.Args {
			args = append(args, argument{a, i})
		}
	}
	var w sources
	for _, a := range args {
		if s := u.writerParams(u.eval(e, a.expr).all()); !s.empty() && (fn == nil || !e.quiet(fn, a.slot)) {
			w = w.or(s)
		}
	}
	return w
}

// quiet reports whether calling fn with a writer in slot is known to
// neither set a status, nor write a body, nor answer: the Header method of
// the writer's interface, and functions of other packages, not trusted,
// whose facts say they write nothing to that slot. Anything else, a
// function of this package (whose allowed writes make no fact), a trusted
// one (envelope.Success answers), another interface method
// (next.ServeHTTP), may.
func (e *engine) quiet(fn *types.Func, slot int) bool {
	if abstract(fn) {
		return fn.Name() == "Header"
	}
	if fn.Pkg() == nil || fn.Pkg() == e.pass.Pkg || e.trusted(fn.Pkg().Path()) {
		return false
	}
	fact := e.lookup(fn)
	return fact == nil || len(paths(fact.Status, slot)) == 0 && len(paths(fact.Body, slot)) == 0
}

// Sole reports whether the calls of group, findings of one handler, make
// the whole answer of the writer they write to: each runs at most once per
// request (not in a loop, nor in a function literal or goroutine), and no
// other call that may set a status on, write a body to, or answer through
// the same writer runs before or after them on any path. A group is one
// finding, or a status and a body written by consecutive statements. Only
// then can a suggested fix replace it with one envelope call without
// changing what the handler answers.
func (r *Result) Sole(group ...Finding) bool {
	if len(group) == 0 {
		return false
	}
	u := group[0].unit
	var writers sources
	calls := map[ast.Node]bool{}
	for _, f := range group {
		if f.unit != u || u == nil {
			return false
		}
		writers = writers.or(f.writers)
		calls[f.Node] = true
	}
	var mine, others []event
	for _, ev := range u.events {
		switch {
		case calls[ev.call]:
			mine = append(mine, ev)
		case !intersect(ev.writers, writers).empty():
			others = append(others, ev)
		}
	}
	if len(mine) != len(group) {
		return false
	}
	home := mine[0].home
	foreign := false
	writers.each(func(p int) {
		// A closure writing to its enclosing handler's writer.
		foreign = foreign || u.params[p].owner != home
	})
	if foreign {
		return false
	}
	g := r.graph(home)
	for _, m := range mine {
		if m.home != home || (m.deferred && len(others) > 0) {
			return false
		}
		p, ok := g.at(m.call)
		if !ok || g.reaches(p, p) {
			return false // in a loop: it may run more than once
		}
		for _, o := range others {
			if o.home != home || o.deferred {
				return false
			}
			q, ok := g.at(o.call)
			if !ok || g.reaches(p, q) || g.reaches(q, p) {
				return false
			}
		}
	}
	return true
}

// A graph is the control-flow graph of a function's body, built when a
// fix first asks about it.
type graph struct {
	cfg *cfg.CFG
}

// A point is where a call runs: its node in a block of a graph.
type point struct {
	block *cfg.Block
	index int
	call  ast.Node
}

func (r *Result) graph(fn ast.Node) *graph {
	if g, ok := r.graphs[fn]; ok {
		return g
	}
	body := funcBody(fn)
	mayReturn := func(call *ast.CallExpr) bool {
		id, ok := ast.Unparen(call.Fun).(*ast.Ident)
		if !ok {
			return true
		}
		b, ok := r.info.Uses[id].(*types.Builtin)
		return !ok || b.Name() != "panic"
	}
	g := &graph{cfg.New(body, mayReturn)}
	if r.graphs == nil {
		r.graphs = map[ast.Node]*graph{}
	}
	r.graphs[fn] = g
	return g
}

// at returns the point of call: the smallest node of a block that holds
// it (a statement holds the calls of its expressions, a loop's node its
// header).
func (g *graph) at(call ast.Node) (point, bool) {
	var best point
	found := false
	for _, b := range g.cfg.Blocks {
		for i, n := range b.Nodes {
			if n.Pos() <= call.Pos() && call.End() <= n.End() &&
				(!found || int(n.End()-n.Pos()) < best.span()) {
				best, found = point{b, i, n}, true
			}
		}
	}
	best.call = call
	return best, found
}

func (p point) span() int {
	n := p.block.Nodes[p.index]
	return int(n.End() - n.Pos())
}

// reaches reports whether q may run after p. Two calls in one node may run
// in either order.
func (g *graph) reaches(p, q point) bool {
	if p.block == q.block && p.call != q.call && p.index <= q.index {
		return true
	}
	seen := map[*cfg.Block]bool{}
	work := append([]*cfg.Block(nil), p.block.Succs...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		if b == q.block {
			return true
		}
		work = append(work, b.Succs...)
	}
	return false
}
