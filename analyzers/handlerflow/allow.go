package handlerflow

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Directive is the comment that marks a raw write as legitimate. It must be
// followed by a reason.
const Directive = "//envelopevet:allow"

// allowances records, per file, the lines that carry a Directive with a
// reason.
type allowances map[*token.File]map[int]bool

// scanAllows collects the directives of the package and reports those that
// give no reason; such a directive suppresses nothing.
func scanAllows(pass *analysis.Pass) allowances {
	allows := allowances{}
	for _, file := range pass.Files {
		tf := pass.Fset.File(file.Pos())
		for _, group := range file.Comments {
			for _, c := range group.List {
				rest, ok := strings.CutPrefix(c.Text, Directive)
				if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
					continue
				}
				if strings.TrimSpace(rest) == "" {
					pass.Report(analysis.Diagnostic{
						Pos:     c.Pos(),
						End:     c.End(),
						Message: Directive + " needs a reason: write " + Directive + " <why this raw write is legitimate>",
					})
					continue
				}
				if allows[tf] == nil {
					allows[tf] = map[int]bool{}
				}
				allows[tf][tf.Line(c.Pos())] = true
			}
		}
	}
	return allows
}

// allowed reports whether the node at pos, inside the functions funcs
// (outermost first), is marked: on its line, on the line above, or on an
// enclosing function (in its doc comment, on its first line or on the line
// above).
func (a allowances) allowed(fset *token.FileSet, pos token.Pos, funcs []ast.Node) bool {
	tf := fset.File(pos)
	lines := a[tf]
	if lines == nil {
		return false
	}
	line := tf.Line(pos)
	if lines[line] || lines[line-1] {
		return true
	}
	for _, fn := range funcs {
		from := tf.Line(fn.Pos()) - 1
		if decl, ok := fn.(*ast.FuncDecl); ok && decl.Doc != nil {
			from = tf.Line(decl.Doc.Pos())
		}
		for l := from; l <= tf.Line(fn.Pos()); l++ {
			if lines[l] {
				return true
			}
		}
	}
	return false
}
