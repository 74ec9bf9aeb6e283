package rawstatus

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"net/http"
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

	envelope.Fail(w, r, envelope.NotFound("NotFound", "no such user"))`

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
			Message:        fmt.Sprintf("%s sets the HTTP status of %s; %s", f.CalleeName(), f.WriterName(), advice(f.Callee)),
			SuggestedFixes: fix(pass, f),
		})
	}
	return nil, nil
}

// advice says which envelope call replaces callee.
func advice(callee *types.Func) string {
	if callee.Pkg() != nil && callee.Pkg().Path() == "net/http" {
		switch callee.Name() {
		case "Error":
			return "answer with envelope.Fail(w, r, envelope.NewError(code, message))"
		case "NotFound":
			return "answer with envelope.Fail(w, r, envelope.NotFound(code, message))"
		case "Redirect":
			return "answer with envelope.Success(w, r, data) carrying the new location"
		case "ServeContent", "ServeFile", "ServeFileFS":
			return "answer with envelope.Success(w, r, data) carrying the content or its URL"
		}
	}
	return "answer with envelope.Success(w, r, data) or envelope.Fail(w, r, err), which always send 200"
}

// fix rewrites http.Error(w, msg, code) with a constant code, and
// http.NotFound(w, r), into envelope.Fail when the call is a statement of
// a handler that has its request.
func fix(pass *analysis.Pass, f handlerflow.Finding) []analysis.SuggestedFix {
	call, ok := f.Node.(*ast.CallExpr)
	if !ok || f.Callee.Pkg() == nil || f.Callee.Pkg().Path() != "net/http" || !envelopefix.IsStatement(f.File, call) {
		return nil
	}
	var w, r, errExpr string
	name, imports := envelopefix.Import(f.File)
	switch f.Callee.Name() {
	case "Error":
		if f.Request == nil || len(call.Args) != 3 {
			return nil
		}
		value := pass.TypesInfo.Types[call.Args[2]].Value
		if value == nil || value.Kind() != constant.Int {
			return nil
		}
		code, ok := constant.Int64Val(value)
		msg, okMsg := envelopefix.Source(pass, call.Args[1])
		if !ok || !okMsg || http.StatusText(int(code)) == "" {
			return nil
		}
		errExpr = constructor(name, int(code), msg)
		r = f.Request.Name()
	case "NotFound":
		if len(call.Args) != 2 {
			return nil
		}
		r, ok = envelopefix.Source(pass, call.Args[1])
		if !ok {
			return nil
		}
		errExpr = fmt.Sprintf("%s.NotFound(%q, %q)", name, "NotFound", "Not found")
	default:
		return nil
	}
	w, ok = envelopefix.Source(pass, call.Args[0])
	if !ok {
		return nil
	}
	edits := append([]analysis.TextEdit{{
		Pos:     call.Pos(),
		End:     call.End(),
		NewText: fmt.Appendf(nil, "%s.Fail(%s, %s, %s)", name, w, r, errExpr),
	}}, imports...)
	return []analysis.SuggestedFix{{Message: "Answer with " + name + ".Fail", TextEdits: edits}}
}

// constructor returns the envelope error for an HTTP error code, with the
// status text in CamelCase as its code: 404 becomes
// envelope.NotFound("NotFound", msg).
func constructor(pkg string, code int, msg string) string {
	errCode := strings.ReplaceAll(strings.ReplaceAll(http.StatusText(code), " ", ""), "-", "")
	switch code {
	case http.StatusNotFound:
		return fmt.Sprintf("%s.NotFound(%q, %s)", pkg, errCode, msg)
	case http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Sprintf("%s.AccessDenied(%q, %s)", pkg, errCode, msg)
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return fmt.Sprintf("%s.ParameterError(%q, \"\", %s)", pkg, errCode, msg)
	}
	return fmt.Sprintf("%s.NewError(%q, %s)", pkg, errCode, msg)
}
