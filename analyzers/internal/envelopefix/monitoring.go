package envelopefix

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/tools/go/ast/astutil"
)

// monitoringWords name monitoring endpoints (health, readiness and
// liveness probes, metrics): the words of a handler's name or route that
// say it serves one.
var monitoringWords = map[string]bool{
	"health": true, "healthz": true, "healthcheck": true,
	"ready": true, "readyz": true, "readiness": true,
	"live": true, "livez": true, "liveness": true,
	"probe": true, "metrics": true,
}

// Monitoring reports whether pos, in file, is inside a monitoring
// endpoint's handler (a health, readiness or liveness probe, metrics): a
// function whose name, or that of a function around it, has a monitoring
// word (readinessProbe, newHealthHandler, healthServer.ServeHTTP,
// metricsHandler), a function literal assigned to such a name, or one
// registered with a route whose last segment is one ("/healthz",
// "GET /ready", "/metrics"). Such a handler gets no fix: a fix writes the
// envelope, always sent with HTTP 200, and a monitoring client (a load
// balancer, Kubernetes, Prometheus) reads the status and its own format, so
// a probe's 404 or 503 made an envelope reads as healthy, and a metrics
// endpoint's 404 as a scrape to parse. The finding stays: the handler is
// marked with //envelopevet:allow, or served outside the API.
func Monitoring(file *ast.File, pos token.Pos) bool {
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	for _, n := range path {
		var names []string
		switch n := n.(type) {
		case *ast.FuncDecl:
			names = append(names, n.Name.Name)
			if n.Recv != nil && len(n.Recv.List) == 1 {
				names = append(names, typeNames(n.Recv.List[0].Type)...)
			}
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if id, ok := lhs.(*ast.Ident); ok {
					names = append(names, id.Name)
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				names = append(names, id.Name)
			}
		case *ast.CallExpr:
			for _, arg := range n.Args {
				if lit, ok := arg.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					// A route has a slash; a message such as
					// "not ready yet" is not one.
					route, _ := strconv.Unquote(lit.Value)
					if i := strings.LastIndex(route, "/"); i >= 0 {
						names = append(names, route[i+1:])
					}
				}
			}
		}
		for _, name := range names {
			for _, word := range words(name) {
				if monitoringWords[word] {
					return true
				}
			}
		}
	}
	return false
}

// typeNames returns the names in a receiver's type: healthServer in
// *healthServer, server and T in server[T].
func typeNames(recv ast.Expr) []string {
	var names []string
	ast.Inspect(recv, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			names = append(names, id.Name)
		}
		return true
	})
	return names
}

// words splits an identifier or a path segment into lower-case words:
// "newReadinessProbe" is new, readiness, probe; "HTTPHealth" is http,
// health; "ready_check" is ready, check.
func words(name string) []string {
	var out []string
	runes := []rune(name)
	start := 0
	for i, r := range runes {
		switch {
		case !unicode.IsLetter(r):
			if i > start {
				out = append(out, strings.ToLower(string(runes[start:i])))
			}
			start = i + 1
		case i > start && unicode.IsUpper(r) &&
			(unicode.IsLower(runes[i-1]) || i+1 < len(runes) && unicode.IsLower(runes[i+1])):
			out = append(out, strings.ToLower(string(runes[start:i])))
			start = i
		}
	}
	if start < len(runes) {
		out = append(out, strings.ToLower(string(runes[start:])))
	}
	return out
}
