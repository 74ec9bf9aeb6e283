// Command envelopevet checks that request handlers answer through the
// apienvelope envelope: it reports raw HTTP statuses (rawstatus), raw body
// writes (rawwrite) and routes for methods other than POST (postonly).
//
// Run it standalone:
//
//	envelopevet ./...
//	envelopevet -fix ./...   # apply the suggested fixes
//	envelopevet -json ./...
//
// or under go vet, which runs it package by package with its build cache:
//
//	go vet -vettool=$(which envelopevet) ./...
//
// Standalone, it exits 3 when it reports a finding, 0 when there is none
// and 1 on errors; go vet exits non-zero on findings. The flag
// -handlerflow.trusted=path/a,path/b/... names packages whose writes are
// trusted like the toolkit's own. "//envelopevet:allow <reason>" on a line,
// the line above, or a function marks its raw writes as legitimate.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/apienvelope/apienvelope/analyzers/errcodes"
	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
	"github.com/apienvelope/apienvelope/analyzers/postonly"
	"github.com/apienvelope/apienvelope/analyzers/rawstatus"
	"github.com/apienvelope/apienvelope/analyzers/rawwrite"
)

func main() {
	multichecker.Main(
		handlerflow.Analyzer,
		rawstatus.Analyzer,
		rawwrite.Analyzer,
		postonly.Analyzer,
		errcodes.Analyzer,
	)
}
