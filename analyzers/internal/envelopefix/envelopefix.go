// Package envelopefix builds the edits of suggested fixes that replace a raw
// write with a call to the toolkit's envelope package.
package envelopefix

import (
	"go/ast"
	"go/token"
	"strconv"

	"golang.org/x/tools/go/analysis"
)

// Path is the import path of the envelope package.
const Path = "github.com/apienvelope/apienvelope/envelope"

// Import returns the name under which file can refer to the envelope
// package, and the edit that imports it when file does not yet.
func Import(file *ast.File) (string, []analysis.TextEdit) {
	for _, spec := range file.Imports {
		if path, _ := strconv.Unquote(spec.Path.Value); path == Path {
			if spec.Name != nil {
				return spec.Name.Name, nil
			}
			return "envelope", nil
		}
	}
	line := strconv.Quote(Path)
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.IMPORT {
			continue
		}
		if gen.Lparen.IsValid() {
			return "envelope", []analysis.TextEdit{{Pos: gen.Rparen, End: gen.Rparen, NewText: []byte("\t" + line + "\n")}}
		}
		return "envelope", []analysis.TextEdit{{Pos: gen.End(), End: gen.End(), NewText: []byte("\n\nimport " + line)}}
	}
	return "envelope", []analysis.TextEdit{{Pos: file.Name.End(), End: file.Name.End(), NewText: []byte("\n\nimport " + line)}}
}

// Source returns the text of node as it is written in its file.
func Source(pass *analysis.Pass, node ast.Node) (string, bool) {
	tf := pass.Fset.File(node.Pos())
	if tf == nil {
		return "", false
	}
	content, err := pass.ReadFile(tf.Name())
	if err != nil {
		return "", false
	}
	start, end := tf.Offset(node.Pos()), tf.Offset(node.End())
	if start < 0 || end > len(content) || start > end {
		return "", false
	}
	return string(content[start:end]), true
}

// IsStatement reports whether call is a whole expression, go or defer
// statement of file, so that replacing it changes no value used elsewhere.
func IsStatement(file *ast.File, call *ast.CallExpr) bool {
	found := false
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ExprStmt:
			found = found || n.X == call
		case *ast.DeferStmt:
			found = found || n.Call == call
		case *ast.GoStmt:
			found = found || n.Call == call
		}
		return !found && n != nil && n.Pos() <= call.Pos() && call.End() <= n.End()
	})
	return found
}
