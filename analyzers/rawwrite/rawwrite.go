package rawwrite

import (
	"fmt"
	"go/ast"

	"golang.org/x/tools/go/analysis"

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

	envelope.Success(w, r, users)

Calls that also set a status, like http.Error, are reported here for their
body and by rawstatus for their status. Writes through function values,
interface methods other than the writer's own, package-level variables and
pointers are not seen.`

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
		if !f.Body {
			continue
		}
		w, r := f.WriterName(), f.RequestName()
		verb := "writes"
		if f.Later {
			verb = "makes a function that writes"
		}
		pass.Report(analysis.Diagnostic{
			Pos: f.Node.Pos(),
			End: f.Node.End(),
			Message: fmt.Sprintf("%s %s the body of %s around the envelope; answer with envelope.Success(%s, %s, data) or envelope.Fail(%s, %s, err)",
				f.CalleeName(), verb, w, w, r, w, r),
			SuggestedFixes: fix(pass, flow, f),
		})
	}
	return nil, nil
}

// fix rewrites the statement json.NewEncoder(w).Encode(v) into
// envelope.Success(w, r, v) when it is the whole answer of the handler (see
// handlerflow's Result.Sole): the Envelope wrapper sends such a body, with
// no status set, as a success with v as its data (CONTRACT W1).
func fix(pass *analysis.Pass, flow *handlerflow.Result, f handlerflow.Finding) []analysis.SuggestedFix {
	call, ok := f.Node.(*ast.CallExpr)
	if !ok || f.Request == nil || envelopefix.Monitoring(f.File, call.Pos()) {
		return nil
	}
	w, v, ok := envelopefix.Encoded(pass, call)
	if !ok {
		return nil
	}
	if stmt, _, _ := envelopefix.Statement(f.File, call); stmt == nil || !flow.Sole(f) {
		return nil
	}
	wSrc, okW := envelopefix.Source(pass, w)
	vSrc, okV := envelopefix.Source(pass, v)
	if !okW || !okV {
		return nil
	}
	name, imports := envelopefix.Import(pass, f.File)
	edits := append([]analysis.TextEdit{{
		Pos:     call.Pos(),
		End:     call.End(),
		NewText: fmt.Appendf(nil, "%s.Success(%s, %s, %s)", name, wSrc, f.Request.Name(), vSrc),
	}}, imports...)
	return []analysis.SuggestedFix{{Message: "Answer with " + name + ".Success", TextEdits: edits}}
}
