package rawstatus

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
	"github.com/apienvelope/apienvelope/analyzers/internal/envelopefix"
)

// Doc is the documentation of the Analyzer.
const Doc = `report handlers that set the HTTP status themselves

An apienvelope action answers with an envelope sent with HTTP 200. A handler
must not call WriteHeader, http.Error, http.NotFound, http.Redirect,
http.ServeContent, http.ServeFile, http.ServeFileFS, or any function that
does one of these to the ResponseWriter it is given. For example

	http.Error(w, "no such user", http.StatusNotFound)

should be

	envelope.Fail(w, r, envelope.NotFound("NotFound", "no such user"))

A status is reported once, where it is written (in a helper of the same
package, not again at its calls). Statuses set through function values,
interface methods other than the writer's own, package-level variables and
pointers are not seen.`

// Analyzer reports raw HTTP statuses in request handlers.
var Analyzer = &analysis.Analyzer{
	Name:     "rawstatus",
	Doc:      Doc,
	URL:      "https://pkg.go.dev/github.com/apienvelope/apienvelope/analyzers/rawstatus",
	Requires: []*analysis.Analyzer{handlerflow.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[handlerflow.Analyzer].(*handlerflow.Result)
	for _, f := range flow.Findings {
		if !f.Status {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos:            f.Node.Pos(),
			End:            f.Node.End(),
			Message:        fmt.Sprintf("%s %s the HTTP status of %s; %s", f.CalleeName(), verb(f, "sets"), f.WriterName(), advice(f)),
			SuggestedFixes: fix(pass, flow, f),
		})
	}
	return nil, nil
}

// verb says what the finding's call does: "sets", or, for a call that
// makes a function which writes when it is called, "makes a function that
// sets".
func verb(f handlerflow.Finding, v string) string {
	if f.Later {
		return "makes a function that " + v
	}
	return v
}

// advice says which envelope call replaces the finding's, in the
// handler's own names.
func advice(f handlerflow.Finding) string {
	w, r := f.WriterName(), f.RequestName()
	if callee := f.Callee; callee.Pkg() != nil && callee.Pkg().Path() == "net/http" {
		switch callee.Name() {
		case "Error":
			return fmt.Sprintf("answer with envelope.Fail(%s, %s, envelope.NewError(code, message))", w, r)
		case "NotFound":
			return fmt.Sprintf("answer with envelope.Fail(%s, %s, envelope.NotFound(code, message))", w, r)
		case "Redirect":
			return fmt.Sprintf("answer with envelope.Success(%s, %s, data) carrying the new location", w, r)
		case "ServeContent", "ServeFile", "ServeFileFS":
			return fmt.Sprintf("answer with envelope.Success(%s, %s, data) carrying the content or its URL", w, r)
		}
	}
	return fmt.Sprintf("answer with envelope.Success(%s, %s, data) or envelope.Fail(%s, %s, err), which always send 200", w, r, w, r)
}

// fix offers to replace an answer whose status and body are known
// statically with the envelope the Envelope wrapper would make of it
// (CONTRACT W1), when it is the whole answer of the handler (see
// handlerflow's Result.Sole): http.Error(w, msg, code) with a constant 4xx
// code, http.NotFound(w, r), and w.WriteHeader(code) followed directly by
// a write of the body (text with a 4xx code, json.NewEncoder(w).Encode(v)
// with a 2xx one). The handler must have its request.
func fix(pass *analysis.Pass, flow *handlerflow.Result, f handlerflow.Finding) []analysis.SuggestedFix {
	call, ok := f.Node.(*ast.CallExpr)
	if !ok || f.Request == nil || envelopefix.Monitoring(f.File, call.Pos()) {
		return nil
	}
	stmt, list, i := envelopefix.Statement(f.File, call)
	if stmt == nil {
		return nil
	}
	name, imports := envelopefix.Import(pass, f.File)
	r := f.Request.Name()
	var answer string
	edits := imports
	switch {
	case isHTTP(f.Callee, "Error") && len(call.Args) == 3:
		code, ok := constInt(pass, call.Args[2])
		msg, okMsg := envelopefix.Source(pass, call.Args[1])
		if !ok || !okMsg || !flow.Sole(f) {
			return nil
		}
		answer = fail(pass, name, call.Args[0], r, code, msg)
	case isHTTP(f.Callee, "NotFound") && len(call.Args) == 2:
		if !flow.Sole(f) {
			return nil
		}
		answer = fail(pass, name, call.Args[0], r, http.StatusNotFound, strconv.Quote("404 page not found"))
	case f.Callee.Name() == "WriteHeader" && f.Writer != nil && len(call.Args) == 1 && i+1 < len(list):
		code, ok := constInt(pass, call.Args[0])
		body, okBody := bodyOf(flow, list[i+1])
		if !ok || !okBody || !flow.Sole(f, body) {
			return nil
		}
		answer = withBody(pass, name, f.Writer, r, code, body)
		del, ok := envelopefix.DeleteLine(pass, list[i+1])
		if answer == "" || !ok {
			return nil
		}
		edits = append(edits, del)
	}
	if answer == "" {
		return nil
	}
	edits = append([]analysis.TextEdit{{Pos: call.Pos(), End: call.End(), NewText: []byte(answer)}}, edits...)
	verb := "Fail"
	if strings.HasPrefix(answer, name+".Success(") {
		verb = "Success"
	}
	return []analysis.SuggestedFix{{Message: "Answer with " + name + "." + verb, TextEdits: edits}}
}

// bodyOf returns the finding of stmt when it is a call that writes a body
// and sets no status.
func bodyOf(flow *handlerflow.Result, stmt ast.Stmt) (handlerflow.Finding, bool) {
	expr, ok := stmt.(*ast.ExprStmt)
	if !ok {
		return handlerflow.Finding{}, false
	}
	for _, g := range flow.Findings {
		if g.Node == expr.X && g.Body && !g.Status {
			return g, true
		}
	}
	return handlerflow.Finding{}, false
}

// withBody returns the envelope call for w.WriteHeader(code) followed by
// the body written by body, or "".
func withBody(pass *analysis.Pass, pkg string, w ast.Expr, r string, code int, body handlerflow.Finding) string {
	call := body.Node.(*ast.CallExpr)
	if _, v, ok := envelopefix.Encoded(pass, call); ok {
		if code < 200 || code >= 300 {
			// The wrapper takes the message of a JSON error body from
			// its "message" or "error" member, known only at run time.
			return ""
		}
		wSrc, okW := envelopefix.Source(pass, w)
		vSrc, okV := envelopefix.Source(pass, v)
		if !okW || !okV {
			return ""
		}
		return fmt.Sprintf("%s.Success(%s, %s, %s)", pkg, wSrc, r, vSrc)
	}
	msg, ok := envelopefix.Text(pass, call)
	if !ok {
		return ""
	}
	return fail(pass, pkg, w, r, code, msg)
}

// fail returns envelope.Fail(w, r, err) for an error answer with status
// code and message msg, or "".
func fail(pass *analysis.Pass, pkg string, w ast.Expr, r string, code int, msg string) string {
	wSrc, ok := envelopefix.Source(pass, w)
	failure := envelopefix.Failure(pkg, code, msg)
	if !ok || failure == "" || msg == `""` {
		return ""
	}
	return fmt.Sprintf("%s.Fail(%s, %s, %s)", pkg, wSrc, r, failure)
}

func isHTTP(fn *types.Func, name string) bool {
	return fn.Pkg() != nil && fn.Pkg().Path() == "net/http" && fn.Name() == name
}

func constInt(pass *analysis.Pass, x ast.Expr) (int, bool) {
	value := pass.TypesInfo.Types[x].Value
	if value == nil || value.Kind() != constant.Int {
		return 0, false
	}
	code, ok := constant.Int64Val(value)
	return int(code), ok
}
