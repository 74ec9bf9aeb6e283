package errcodes

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"io"
	"os"
	"reflect"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
)

// Doc is the documentation of the Analyzer.
const Doc = `report error codes an action returns that it does not declare

An apienvelope action declares the errors it can return, in
ActionOptions.Errors and in its authenticator's Errors. errcodes follows
the codes of the errors each action returns, through the functions it
calls in any package, and reports a code the declaration does not list, a
code it cannot determine, and, as a warning (category "unused"), a declared
code the action never returns. For example

	envelope.ActionWith(envelope.ActionOptions{}, send)

where send can return envelope.NewError("NoRecipients", msg), should be

	envelope.ActionWith(envelope.ActionOptions{Errors: []*envelope.Error{ErrNoRecipients}}, send)

The toolkit's parameter errors and the 500 and 503 answers need no
declaration. "//envelopevet:allow <reason>" where a code is made silences
what it cannot determine there; on a registration, that registration's
findings. With -errcodes.json (not under go vet, which reads the tool's
output), each action's codes are printed as JSON lines on standard output.

It does not see errors from interface methods and function values it
cannot resolve, nor from fields, maps, slices and channels (as an error,
they count as unanticipated, a 500; as an *envelope.Error, undetermined),
package-level variables assigned after their declaration, variables set
through a pointer (errors.As excepted), error types of one's own that wrap
an *envelope.Error, and answers of middleware of one's own. It reads the
standard library by its API, and only in module mode.`

// Analyzer checks the declared error codes of actions.
var Analyzer = &analysis.Analyzer{
	Name:       "errcodes",
	Doc:        Doc,
	URL:        "https://pkg.go.dev/github.com/apienvelope/apienvelope/analyzers/errcodes",
	Run:        run,
	FactTypes:  []analysis.Fact{new(Fact)},
	ResultType: reflect.TypeFor[*Result](),
}

var (
	jsonFlag   bool
	unusedFlag = true
)

func init() {
	Analyzer.Flags.BoolVar(&jsonFlag, "json", false,
		"print each action's error codes as JSON lines on standard output (standalone, not under go vet)")
	Analyzer.Flags.BoolVar(&unusedFlag, "unused", true,
		`report declared codes an action never returns (warnings, category "unused")`)
}

// Result lists the actions and authenticators registered in the package,
// in source order, with the codes found.
type Result struct {
	Actions []Action
}

// An Action is a registration of an action, or an authenticator, with
// what it declares and what errcodes found it returns.
type Action struct {
	Package string `json:"package"`
	// Kind is "action" or "authenticator".
	Kind string `json:"kind"`
	// Name is controller/action when the registration says, or the
	// authenticator's Name.
	Name string `json:"name,omitempty"`
	// Func names the function that returns the errors, when it is one.
	Func string `json:"func,omitempty"`
	// Pos is where it is registered, file:line:column.
	Pos        string `json:"pos"`
	Declared   []Code `json:"declared"`
	Auth       string `json:"auth,omitempty"`
	AuthErrors []Code `json:"auth_errors,omitempty"`
	// Returns are the codes found, each with the way it comes.
	Returns []Returned `json:"returns"`
	// Undetermined lists the codes that cannot be determined.
	Undetermined []Undetermined `json:"undetermined,omitempty"`
}

// Returned is a code found, with the call path that returns it.
type Returned struct {
	Code
	Via string `json:"via"`
	// Exempt codes need no declaration: the toolkit's parameter errors,
	// the 500 and 503 answers.
	Exempt bool `json:"exempt,omitempty"`
}

// Undetermined is a code that cannot be determined.
type Undetermined struct {
	Via string `json:"via"`
	Why string `json:"why"`
	// Allowed is set when a suppression comment gives a reason for it.
	Allowed bool `json:"allowed,omitempty"`
}

func run(pass *analysis.Pass) (any, error) {
	if jsonFlag && underGoVet() {
		return nil, errors.New("-errcodes.json prints on standard output, which go vet reads as its own JSON: run envelopevet -errcodes.json ./... instead")
	}
	res := &Result{}
	if toolkit(pass.Pkg.Path()) || standard(pass) {
		return res, nil // read by their API, not their code
	}
	// The inspector is made here rather than required: errcodes runs on
	// every dependency for its facts, and the standard library, most of
	// them, needs none.
	insp := inspector.New(pass.Files)
	e := &engine{
		pass:     pass,
		allowed:  handlerflow.Allowed(pass),
		units:    map[types.Object]*unit{},
		byNode:   map[ast.Node]*unit{},
		vars:     map[*types.Var]int{},
		local:    map[types.Object]*Fact{},
		users:    map[types.Object]map[types.Object]bool{},
		imported: map[types.Object]*Fact{},
	}
	e.collect(insp)
	e.solve()
	for _, obj := range e.items {
		if f := e.local[obj]; f != nil && !f.empty() {
			pass.ExportObjectFact(obj, f)
		}
	}
	res.Actions = e.registrations(insp)
	if jsonFlag && (pass.Module == nil || pass.Module.Version == "") {
		printJSON(os.Stdout, res)
	}
	return res, nil
}

// collect makes the units of the package's functions and package-level
// variables whose summaries can matter.
func (e *engine) collect(insp *inspector.Inspector) {
	info := e.pass.TypesInfo
	for c := range insp.Root().Preorder((*ast.FuncDecl)(nil), (*ast.ValueSpec)(nil)) {
		switch n := c.Node().(type) {
		case *ast.FuncDecl:
			if fn, ok := info.Defs[n.Name].(*types.Func); ok && n.Body != nil && summarized(fn) {
				u := newUnit(info, c)
				e.byNode[n] = u
				e.items = append(e.items, fn)
				e.units[fn] = u
			}
		case *ast.ValueSpec:
			if !packageLevel(c) {
				continue // a local declaration, part of its function's unit
			}
			var u *unit
			for i, id := range n.Names {
				if v, ok := info.Defs[id].(*types.Var); ok && (mayCarry(v.Type()) || isDeclType(v.Type())) {
					if u == nil {
						u = newUnit(info, c)
						e.byNode[n] = u
					}
					e.items = append(e.items, v)
					e.units[v] = u
					e.vars[v] = i
				}
			}
		}
	}
}

// solve summarizes the items. The package's functions call one another in
// any order: an item is summarized again whenever one it reads grows,
// until none does. A summary keeps what it had, and there are finitely
// many codes, positions and parameters to gain, so this ends.
func (e *engine) solve() {
	queue := append([]types.Object(nil), e.items...)
	queued := map[types.Object]bool{}
	for _, obj := range queue {
		queued[obj] = true
	}
	for len(queue) > 0 {
		obj := queue[0]
		queue = queue[1:]
		queued[obj] = false
		old := e.local[obj]
		f := e.summarize(obj).merge(old)
		e.local[obj] = f
		if sameFact(f, old) {
			continue
		}
		for user := range e.users[obj] {
			if !queued[user] {
				queued[user] = true
				queue = append(queue, user)
			}
		}
	}
}

// registrations checks the registrations of the files reported on (not
// generated, not tests): calls into the toolkit, and Authenticator
// literals.
func (e *engine) registrations(insp *inspector.Inspector) []Action {
	info := e.pass.TypesInfo
	var actions []Action
	names := map[ast.Node]string{}
	for fc := range insp.Root().Children() {
		file := fc.Node().(*ast.File)
		if ast.IsGenerated(file) || strings.HasSuffix(e.pass.Fset.File(file.Pos()).Name(), "_test.go") {
			continue
		}
		for c := range fc.Preorder((*ast.CallExpr)(nil), (*ast.CompositeLit)(nil)) {
			switch n := c.Node().(type) {
			case *ast.CallExpr:
				fn, _ := typeutil.Callee(info, n).(*types.Func)
				if fn == nil || fn.Pkg() == nil || !toolkit(fn.Pkg().Path()) {
					continue
				}
			case *ast.CompositeLit:
				if !isEnvelopeType(info.TypeOf(n), "Authenticator") {
					continue
				}
			}
			ev := &evaluator{e: e, u: e.unitOf(c)}
			if ev.u == nil {
				continue
			}
			var s *site
			switch n := c.Node().(type) {
			case *ast.CallExpr:
				s = ev.registration(c, n, names)
			case *ast.CompositeLit:
				s = ev.authenticator(n)
			}
			if s != nil {
				actions = append(actions, ev.check(s))
			}
		}
	}
	return actions
}

// unitOf returns the unit of the node at c: its outermost function, or its
// package-level variable declaration. One that has no summary gets its
// unit now.
func (e *engine) unitOf(c inspector.Cursor) *unit {
	var outer inspector.Cursor
	for p := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.ValueSpec)(nil)) {
		if _, ok := p.Node().(*ast.FuncDecl); ok || packageLevel(p) {
			outer = p
		}
	}
	if !outer.Valid() {
		return nil
	}
	u := e.byNode[outer.Node()]
	if u == nil {
		u = newUnit(e.pass.TypesInfo, outer)
		e.byNode[outer.Node()] = u
	}
	return u
}

// underGoVet reports whether the tool runs under go vet, which gives it,
// after the flags, a *.cfg file to analyse, and sends its standard output
// to a file that it parses as JSON diagnostics.
func underGoVet() bool {
	return len(os.Args) > 1 && strings.HasSuffix(os.Args[len(os.Args)-1], ".cfg")
}

// printed serializes the JSON lines of packages analysed in parallel, and
// keeps a package and its test variant, analysed in one process, from
// printing an action twice.
var printed struct {
	sync.Mutex
	at map[string]bool
}

func printJSON(w io.Writer, res *Result) {
	printed.Lock()
	defer printed.Unlock()
	if printed.at == nil {
		printed.at = map[string]bool{}
	}
	enc := json.NewEncoder(w)
	for _, a := range res.Actions {
		if printed.at[a.Pos] {
			continue
		}
		printed.at[a.Pos] = true
		enc.Encode(a) // a failed write to standard output has nowhere to be reported
	}
}

// packageLevel reports whether the ValueSpec at c declares package-level
// variables.
func packageLevel(c inspector.Cursor) bool {
	_, ok := c.Parent().Parent().Node().(*ast.File)
	return ok
}

// A site is a registration to check: an action, or an authenticator.
type site struct {
	kind, name string
	fn         string
	call       ast.Node // the registration: undetermined codes are reported here
	returns    ast.Node // what returns the errors: undeclared codes are reported here
	declAt     ast.Node // the declaration: unused codes are reported here
	decl       *Decl
	found      []Entry
}

// registration returns the site of call when it registers an action.
func (ev *evaluator) registration(c inspector.Cursor, call *ast.CallExpr, names map[ast.Node]string) *site {
	info := ev.info()
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil || fn.Pkg() == nil || !toolkit(fn.Pkg().Path()) {
		return nil
	}
	fn = fn.Origin()
	args := call.Args
	switch {
	case (isFunc(fn, middlewarePath, "Router", "Action") || isFunc(fn, middlewarePath, "Router", "ActionFunc")) && len(args) == 3:
		name := constString(info, args[0]) + "/" + constString(info, args[1])
		if inner := registrationIn(info, args[2]); inner != nil {
			names[inner] = name
			return nil
		}
		// A handler registered as it is declares nothing. One held in a
		// variable was made, and is checked, elsewhere.
		found, why := ev.handlerSends(args[2], nil)
		if why != "" {
			return nil
		}
		return &site{kind: "action", name: name, fn: ev.handlerName(args[2]), call: call.Fun, returns: args[2], declAt: call.Fun, decl: &Decl{}, found: found}
	case isFunc(fn, envelopePath, "", "Action") && len(args) == 1:
		s := &site{kind: "action", call: call.Fun, returns: args[0], declAt: call.Fun, decl: &Decl{}}
		s.fn, s.found = ev.actionReturns(args[0])
		s.name = actionName(c, call, names)
		return s
	case isFunc(fn, envelopePath, "", "ActionWith") && len(args) == 2:
		s := &site{kind: "action", call: call.Fun, returns: args[1], declAt: errorsField(args[0]), decl: ev.decl(args[0])}
		s.fn, s.found = ev.actionReturns(args[1])
		s.name = actionName(c, call, names)
		return s
	case isFunc(fn, envelopePath, "", "HandlerWith") && len(args) == 2:
		s := &site{kind: "action", call: call.Fun, returns: args[1], declAt: errorsField(args[0]), decl: ev.decl(args[0])}
		found, why := ev.handlerSends(args[1], nil)
		if why != "" {
			found = append(found, ev.unknown(args[1].Pos(), "the handler is "+why))
		}
		s.fn, s.found = ev.handlerName(args[1]), found
		s.name = actionName(c, call, names)
		return s
	}
	return nil
}

// registrationIn returns the call of envelope.Action, ActionWith or
// HandlerWith that makes the handler h, directly or inside the middleware
// that wraps it, or nil.
func registrationIn(info *types.Info, h ast.Expr) *ast.CallExpr {
	call, ok := ast.Unparen(h).(*ast.CallExpr)
	if !ok {
		return nil
	}
	if fn, ok := typeutil.Callee(info, call).(*types.Func); ok {
		fn = fn.Origin()
		if isFunc(fn, envelopePath, "", "Action") || isFunc(fn, envelopePath, "", "ActionWith") || isFunc(fn, envelopePath, "", "HandlerWith") {
			return call
		}
	}
	for _, arg := range call.Args {
		if isHandlerType(info.TypeOf(arg)) {
			if inner := registrationIn(info, arg); inner != nil {
				return inner
			}
		}
	}
	return nil
}

// actionName names an action from its registration: the router's
// controller and action, or the constant strings beside it in a composite
// literal ({"send", "message", envelope.ActionWith(...)}), or the key it
// has in a map literal.
func actionName(c inspector.Cursor, call *ast.CallExpr, names map[ast.Node]string) string {
	if name, ok := names[call]; ok {
		return name
	}
	parent := c.Parent()
	if kv, ok := parent.Node().(*ast.KeyValueExpr); ok && kv.Value == call {
		if lit, ok := kv.Key.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			return strings.Trim(lit.Value, "`\"")
		}
		parent = parent.Parent()
	}
	lit, ok := parent.Node().(*ast.CompositeLit)
	if !ok {
		return ""
	}
	var parts []string
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			elt = kv.Value
		}
		if b, ok := elt.(*ast.BasicLit); ok && b.Kind == token.STRING {
			parts = append(parts, strings.Trim(b.Value, "`\""))
		}
	}
	return strings.Join(parts, "/")
}

func constString(info *types.Info, x ast.Expr) string {
	if tv := info.Types[x]; tv.Value != nil && tv.Value.Kind() == constant.String {
		return constant.StringVal(tv.Value)
	}
	return "?"
}

// errorsField is where the declaration of opts is written: its Errors
// field when opts is a literal that has one, opts otherwise.
func errorsField(opts ast.Expr) ast.Node {
	if lit, ok := ast.Unparen(opts).(*ast.CompositeLit); ok {
		for _, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Errors" {
					return kv.Value
				}
			}
		}
	}
	return opts
}

// actionReturns returns the name of the action function x and the
// entries of its error results.
func (ev *evaluator) actionReturns(x ast.Expr) (string, []Entry) {
	targets, why := ev.targets(x, nil)
	if why != "" {
		return "", []Entry{ev.unknown(x.Pos(), "the action function is "+why)}
	}
	set := entries{}
	var names []string
	for _, t := range targets {
		set.addAll(ev.returned(t, nil, x))
		if t.fn != nil {
			names = append(names, funcName(t.fn))
		}
	}
	return strings.Join(names, ", "), set.sorted()
}

// handlerName names the handler function of x, when it is one.
func (ev *evaluator) handlerName(x ast.Expr) string {
	if call, ok := ast.Unparen(x).(*ast.CallExpr); ok && len(call.Args) == 1 {
		if tv, ok := ev.info().Types[call.Fun]; ok && tv.IsType() {
			x = call.Args[0]
		}
	}
	if ts, why := ev.targets(x, nil); why == "" && len(ts) == 1 && ts[0].fn != nil {
		return funcName(ts[0].fn)
	}
	return ""
}

// authenticator returns the site of an Authenticator literal with a Check.
func (ev *evaluator) authenticator(lit *ast.CompositeLit) *site {
	t := ev.info().TypeOf(lit)
	if !isEnvelopeType(t, "Authenticator") {
		return nil
	}
	var check ast.Expr
	var errs ast.Node = lit
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			switch id, _ := kv.Key.(*ast.Ident); {
			case id == nil:
			case id.Name == "Check":
				check = kv.Value
			case id.Name == "Errors":
				errs = kv.Value
			}
		}
	}
	if check == nil {
		return nil
	}
	d := ev.declLiteral(lit, nil)
	s := &site{kind: "authenticator", name: d.AuthName, call: check, returns: check, declAt: errs, decl: d}
	s.fn, s.found = ev.actionReturns(check)
	return s
}

// check reports what s returns against what it declares, and returns
// its description.
func (ev *evaluator) check(s *site) Action {
	pass := ev.e.pass
	a := Action{
		Package:    pass.Pkg.Path(),
		Kind:       s.kind,
		Name:       s.name,
		Func:       s.fn,
		Pos:        pass.Fset.Position(s.call.Pos()).String(),
		Declared:   s.decl.Errors,
		Auth:       s.decl.AuthName,
		AuthErrors: s.decl.Auth,
		Returns:    []Returned{},
	}
	if a.Declared == nil {
		a.Declared = []Code{}
	}
	declared := map[Code]bool{}
	for _, c := range append(append([]Code(nil), s.decl.Errors...), s.decl.Auth...) {
		declared[c] = true
	}
	returned := map[Code]bool{}
	var undeclared, unknown []string
	incomplete := s.decl.Why != ""
	for _, e := range s.found {
		switch {
		case e.known():
			c := e.code()
			returned[c] = true
			a.Returns = append(a.Returns, Returned{Code: c, Via: e.via(), Exempt: exempt(c)})
			if !exempt(c) && !declared[c] {
				undeclared = append(undeclared, e.describe())
			}
			continue
		case e.Why == "":
			// A code or error from a parameter of the function around a
			// literal action: nothing gives it a constant.
			e = ev.unknown(s.returns.Pos(), "its code comes from a parameter of the enclosing function")
		}
		incomplete = true
		a.Undetermined = append(a.Undetermined, Undetermined{Via: e.via(), Why: e.Why, Allowed: e.Allowed})
		if !e.Allowed {
			unknown = append(unknown, e.via()+": "+e.Why)
		}
	}

	label := s.kind
	if s.name != "" {
		label += " " + s.name
	} else if s.fn != "" {
		label += " " + s.fn
	}
	field := "ActionOptions.Errors"
	if s.kind == "authenticator" {
		field = "Authenticator.Errors"
	}
	report := func(at ast.Node, category, format string, args ...any) {
		if ev.e.allowed(at.Pos(), ev.u.funcs(at.Pos())) {
			return
		}
		pass.Report(analysis.Diagnostic{Pos: at.Pos(), Category: category, Message: fmt.Sprintf(format, args...)})
	}
	if len(undeclared) > 0 {
		report(s.returns, "undeclared", "%s returns %s it does not declare: %s; declare %s in %s",
			label, plural(len(undeclared), "a code", "codes"), strings.Join(undeclared, ", "), plural(len(undeclared), "it", "them"), field)
	}
	if s.decl.Why != "" {
		unknown = append(unknown, "its declaration: "+s.decl.Why)
	}
	if len(unknown) > 0 {
		report(s.call, "undetermined", "%s returns %s that cannot be determined: %s; use constant codes, or give the reason there with %s <reason>",
			label, plural(len(unknown), "a code", "codes"), strings.Join(unknown, ", "), handlerflow.Directive)
	}
	if unusedFlag && !incomplete {
		var unused []string
		for _, c := range s.decl.Errors {
			if !returned[c] {
				unused = append(unused, c.String())
			}
		}
		if len(unused) > 0 {
			report(s.declAt, "unused", "warning: %s declares %s it never returns: %s",
				label, plural(len(unused), "a code", "codes"), strings.Join(unused, ", "))
		}
	}
	return a
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// standard reports whether pass analyses a package of the standard
// library: one of no module whose path has no dot in its first element.
// errcodes reads the standard library by its API (fmt.Errorf and
// errors.Join wrap errors; http.Error, NotFound and Redirect write a
// status), not from its code: none of it makes an envelope error.
func standard(pass *analysis.Pass) bool {
	if pass.Module != nil && pass.Module.Path != "" {
		return false
	}
	first, _, _ := strings.Cut(pass.Pkg.Path(), "/")
	return !strings.Contains(first, ".")
}

// summarized reports whether the summary of fn can matter: it returns an
// error, a declaration, a function or a handler, or it takes a
// ResponseWriter. Most functions do none of these.
func summarized(fn *types.Func) bool {
	sig := fn.Type().(*types.Signature)
	for i := range sig.Results().Len() {
		t := sig.Results().At(i).Type()
		if _, ok := t.Underlying().(*types.Signature); ok || mayCarry(t) || isDeclType(t) || isHandlerType(t) {
			return true
		}
	}
	for i := range sig.Params().Len() {
		if handlerflow.IsWriter(sig.Params().At(i).Type()) {
			return true
		}
	}
	return false
}
