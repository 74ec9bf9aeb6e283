package handlerflow

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
)

// Allowed returns a function that reports whether the node at pos, inside
// the functions funcs (outermost first), is marked with a Directive that
// gives a reason: on its line, on the line above, or on an enclosing
// function, as for the Analyzer's own findings. It is for the other
// analyzers of envelopevet, so that one comment works the same for all.
// It reports nothing: the Analyzer reports directives without a reason.
func Allowed(pass *analysis.Pass) func(pos token.Pos, funcs []ast.Node) bool {
	quiet := *pass
	quiet.Report = func(analysis.Diagnostic) {}
	allows := scanAllows(&quiet)
	return func(pos token.Pos, funcs []ast.Node) bool {
		return allows.allowed(pass.Fset, pos, funcs)
	}
}
