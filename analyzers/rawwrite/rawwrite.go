package rawwrite

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
	"github.com/apienvelope/apienvelope/analyzers/internal/envelopefix"
)

// Doc is the documentation of the Analyzer.
const Doc = `report handlers that write the response body around the envelope

An apienvelope action's body is the envelope the toolkit writes. A handler
must not write to its ResponseWriter with Write, fmt.Fprint*,
io.WriteString, io.Copy, io.CopyN, ReadFrom, json.NewEncoder(w).Encode,
template Execute, or any function that writes to the writer it is given.
For example

	json.NewEncoder(w).Encode(users)

should be

	envelope.Success(w, r, users)`

// Analyzer reports raw body writes in request handlers.
var Analyzer = &analysis.Analyzer{
	Name:     "rawwrite",
	Doc:      Doc,
	URL:      "https://pkg.go.dev/github.com/apienvelope/apienvelope/analyzers/rawwrite",
	Requires: []*analysis.Analyzer{handlerflow.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[handlerflow.Analyzer].(*handlerflow.Result)
	for _, f := range flow.Findings {
		if !f.Body || f.Status {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos: f.Node.Pos(),
			End: f.Node.End(),
			Message: fmt.Sprintf("%s writes the body of %s around the envelope; answer with envelope.Success(w, r, data) or envelope.Fail(w, r, err)",
				f.CalleeName(), f.WriterName()),
			SuggestedFixes: fix(pass, f),
		})
	}
	return nil, nil
}

// fix rewrites the statement json.NewEncoder(w).Encode(v) into
// envelope.Success(w, r, v).
func fix(pass *analysis.Pass, f handlerflow.Finding) []analysis.SuggestedFix {
	call, ok := f.Node.(*ast.CallExpr)
	if !ok || f.Request == nil || len(call.Args) != 1 || !isFunc(f.Callee.Pkg(), "encoding/json") || f.Callee.Name() != "Encode" {
		return nil
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	encoder, ok := ast.Unparen(sel.X).(*ast.CallExpr)
	if !ok || len(encoder.Args) != 1 || !envelopefix.IsStatement(f.File, call) {
		return nil
	}
	if fn := typeutil.StaticCallee(pass.TypesInfo, encoder); fn == nil || fn.Name() != "NewEncoder" || !isFunc(fn.Pkg(), "encoding/json") {
		return nil
	}
	w, okW := envelopefix.Source(pass, encoder.Args[0])
	v, okV := envelopefix.Source(pass, call.Args[0])
	if !okW || !okV {
		return nil
	}
	name, imports := envelopefix.Import(f.File)
	edits := append([]analysis.TextEdit{{
		Pos:     call.Pos(),
		End:     call.End(),
		NewText: fmt.Appendf(nil, "%s.Success(%s, %s, %s)", name, w, f.Request.Name(), v),
	}}, imports...)
	return []analysis.SuggestedFix{{Message: "Answer with " + name + ".Success", TextEdits: edits}}
}

func isFunc(pkg *types.Package, path string) bool {
	return pkg != nil && pkg.Path() == path
}
