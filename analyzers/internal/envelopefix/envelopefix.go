// Package envelopefix builds the edits of suggested fixes that replace a raw
// answer with a call to the toolkit's envelope package.
//
// A fix must never change what a handler answers. The Envelope wrapper
// turns what a handler writes itself into an envelope (CONTRACT W1); a fix
// writes the envelope that the wrapper would have made of the same answer,
// and is offered only where that envelope is known statically.
package envelopefix

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/apienvelope/apienvelope/internal/statuscode"
)

// Path is the import path of the envelope package.
const Path = "github.com/apienvelope/apienvelope/envelope"

// Import returns the name under which file can refer to the envelope
// package, and the edits that import it when file does not yet. The import
// goes with the other imports from outside the standard library, or in a
// group of its own after the standard library's, as goimports places it.
func Import(pass *analysis.Pass, file *ast.File) (string, []analysis.TextEdit) {
	var last *ast.GenDecl
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.IMPORT {
			continue
		}
		last = gen
		for _, spec := range gen.Specs {
			spec := spec.(*ast.ImportSpec)
			if path, _ := strconv.Unquote(spec.Path.Value); path == Path {
				if spec.Name != nil {
					return spec.Name.Name, nil
				}
				return "envelope", nil
			}
		}
	}
	line := strconv.Quote(Path)
	if last == nil {
		return "envelope", []analysis.TextEdit{insert(file.Name.End(), "\n\nimport "+line)}
	}
	if !last.Lparen.IsValid() {
		// import "net/http" becomes a group.
		spec, ok := Source(pass, last.Specs[0])
		if !ok {
			return "envelope", nil
		}
		sep := "\n\t"
		if standard(last.Specs[0].(*ast.ImportSpec)) {
			sep = "\n\n\t"
		}
		return "envelope", []analysis.TextEdit{{
			Pos:     last.Pos(),
			End:     last.End(),
			NewText: []byte("import (\n\t" + spec + sep + line + "\n)"),
		}}
	}
	after, sep := last.Specs[len(last.Specs)-1], "\n\n\t"
	for _, spec := range last.Specs {
		if !standard(spec.(*ast.ImportSpec)) {
			after, sep = spec, "\n\t"
		}
	}
	return "envelope", []analysis.TextEdit{insert(lineEnd(pass, after), sep+line)}
}

// standard reports whether spec imports a package of the standard library,
// whose paths have no dot in their first element.
func standard(spec *ast.ImportSpec) bool {
	path, _ := strconv.Unquote(spec.Path.Value)
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func insert(pos token.Pos, text string) analysis.TextEdit {
	return analysis.TextEdit{Pos: pos, End: pos, NewText: []byte(text)}
}

// lineEnd returns the end of the line node ends on, after any comment.
func lineEnd(pass *analysis.Pass, node ast.Node) token.Pos {
	tf := pass.Fset.File(node.End())
	content, err := pass.ReadFile(tf.Name())
	if err != nil {
		return node.End()
	}
	end := tf.Offset(node.End())
	if i := bytes.IndexByte(content[end:], '\n'); i >= 0 {
		return tf.Pos(end + i)
	}
	return tf.Pos(len(content))
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

// Statement returns the statement of file that call is the whole of (an
// expression, defer or go statement), with the statement list holding it
// and its index there; stmt is nil when call is part of a larger
// expression, so that replacing it would change a value used elsewhere.
func Statement(file *ast.File, call *ast.CallExpr) (stmt ast.Stmt, list []ast.Stmt, index int) {
	ast.Inspect(file, func(n ast.Node) bool {
		if stmt != nil || n == nil || n.End() < call.Pos() || call.End() < n.Pos() {
			return false
		}
		var body []ast.Stmt
		switch n := n.(type) {
		case *ast.BlockStmt:
			body = n.List
		case *ast.CaseClause:
			body = n.Body
		case *ast.CommClause:
			body = n.Body
		}
		for i, s := range body {
			if whole(s, call) {
				stmt, list, index = s, body, i
			}
		}
		return stmt == nil
	})
	return stmt, list, index
}

func whole(s ast.Stmt, call *ast.CallExpr) bool {
	switch s := s.(type) {
	case *ast.ExprStmt:
		return s.X == call
	case *ast.DeferStmt:
		return s.Call == call
	case *ast.GoStmt:
		return s.Call == call
	}
	return false
}

// DeleteLine returns the edit that deletes stmt with its line: stmt must
// be the only thing on that line but for a comment after it, which is kept.
func DeleteLine(pass *analysis.Pass, stmt ast.Stmt) (analysis.TextEdit, bool) {
	tf := pass.Fset.File(stmt.Pos())
	content, err := pass.ReadFile(tf.Name())
	if err != nil {
		return analysis.TextEdit{}, false
	}
	start, end := tf.Offset(stmt.Pos()), tf.Offset(stmt.End())
	lineStart := bytes.LastIndexByte(content[:start], '\n') + 1
	if len(bytes.TrimSpace(content[lineStart:start])) > 0 {
		return analysis.TextEdit{}, false
	}
	rest := content[end:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 && len(bytes.TrimSpace(rest[:i])) == 0 {
		end += i + 1 // the whole line goes
	} else {
		lineStart = start // a comment stays on its line
	}
	return analysis.TextEdit{Pos: tf.Pos(lineStart), End: tf.Pos(end)}, true
}

// Failure returns the expression of the envelope error that the Envelope
// wrapper makes of a wrapped handler's answer with HTTP status code and
// the message msg (CONTRACT W1), using pkg as the envelope package's name,
// or "" where code is not an error the wrapper describes with the message
// alone. Only 4xx statuses qualify: the wrapper sends 5xx as the generic
// 500 envelope, turns 3xx into errors carrying the Location header, and
// 2xx into successes.
func Failure(pkg string, code int, msg string) string {
	errCode := statuscode.Code(code)
	switch {
	case code < 400 || code >= 500 || http.StatusText(code) == "":
		return ""
	case code == http.StatusBadRequest:
		return fmt.Sprintf("%s.ParameterError(%q, %s)", pkg, errCode, msg)
	case code == http.StatusUnprocessableEntity:
		// envelope.ValidationError has its own code; the wrapper uses
		// the status text's.
		return fmt.Sprintf("&%[1]s.Error{Status: %[1]s.StatusValidationError, Code: %[2]q, Message: %[3]s}", pkg, errCode, msg)
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return fmt.Sprintf("%s.AccessDenied(%q, %s)", pkg, errCode, msg)
	case code == http.StatusNotFound:
		return fmt.Sprintf("%s.NotFound(%q, %s)", pkg, errCode, msg)
	}
	return fmt.Sprintf("%s.NewError(%q, %s)", pkg, errCode, msg)
}

// Encoded returns w and v when call is json.NewEncoder(w).Encode(v).
func Encoded(pass *analysis.Pass, call *ast.CallExpr) (w, v ast.Expr, ok bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || len(call.Args) != 1 || !isFunc(typeutil.Callee(pass.TypesInfo, call), "encoding/json", "Encode") {
		return nil, nil, false
	}
	encoder, ok := ast.Unparen(sel.X).(*ast.CallExpr)
	if !ok || len(encoder.Args) != 1 || !isFunc(typeutil.StaticCallee(pass.TypesInfo, encoder), "encoding/json", "NewEncoder") {
		return nil, nil, false
	}
	return encoder.Args[0], call.Args[0], true
}

// Text returns the expression of the text that call, which writes the body
// of a handler's writer, writes: s for w.Write([]byte(s)),
// io.WriteString(w, s), and fmt.Fprint(w, s) or fmt.Fprintln(w, s) with a
// string s; string(b) for w.Write(b); fmt.Sprintf(format, args...) for
// fmt.Fprintf(w, format, args...). The wrapper trims the space around a
// body's text, so Fprintln's newline makes no difference.
func Text(pass *analysis.Pass, call *ast.CallExpr) (string, bool) {
	fn, _ := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	switch {
	case fn == nil:
		return "", false
	case fn.Name() == "Write" && fn.Pkg() != nil && isInterfaceMethod(fn) && len(call.Args) == 1:
		arg := ast.Unparen(call.Args[0])
		if conv, ok := arg.(*ast.CallExpr); ok && len(conv.Args) == 1 && isString(pass, conv.Args[0]) {
			if tv := pass.TypesInfo.Types[conv.Fun]; tv.IsType() {
				return Source(pass, conv.Args[0])
			}
		}
		src, ok := Source(pass, arg)
		return "string(" + src + ")", ok
	case isFunc(fn, "io", "WriteString") && len(call.Args) == 2,
		(isFunc(fn, "fmt", "Fprint") || isFunc(fn, "fmt", "Fprintln")) && len(call.Args) == 2 && call.Ellipsis == token.NoPos:
		if !isString(pass, call.Args[1]) {
			return "", false
		}
		return Source(pass, call.Args[1])
	case isFunc(fn, "fmt", "Fprintf") && len(call.Args) >= 2:
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return "", false
		}
		pkg, okPkg := Source(pass, sel.X)
		args, okArgs := sourceRange(pass, call.Args[1].Pos(), call.Rparen)
		return pkg + ".Sprintf(" + strings.TrimSpace(args) + ")", okPkg && okArgs
	}
	return "", false
}

func isFunc(obj types.Object, path, name string) bool {
	fn, ok := obj.(*types.Func)
	return ok && fn.Pkg() != nil && fn.Pkg().Path() == path && fn.Name() == name
}

func isInterfaceMethod(fn *types.Func) bool {
	recv := fn.Type().(*types.Signature).Recv()
	return recv != nil && types.IsInterface(recv.Type())
}

func isString(pass *analysis.Pass, x ast.Expr) bool {
	b, ok := pass.TypesInfo.TypeOf(x).Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

// sourceRange returns the text of the file between from and to.
func sourceRange(pass *analysis.Pass, from, to token.Pos) (string, bool) {
	tf := pass.Fset.File(from)
	content, err := pass.ReadFile(tf.Name())
	if err != nil {
		return "", false
	}
	start, end := tf.Offset(from), tf.Offset(to)
	if start > end || end > len(content) {
		return "", false
	}
	return string(content[start:end]), true
}
