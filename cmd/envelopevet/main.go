// Command envelopevet checks that request handlers answer through the
// apienvelope envelope: it reports raw HTTP statuses (rawstatus), raw body
// writes (rawwrite), routes registered for a method (postonly), and error
// codes an action returns without declaring them (errcodes).
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
// and 1 on errors; with -json it exits 0 with findings too; go vet exits
// non-zero on findings. The flag -handlerflow.trusted=path/a,path/b/...
// names packages whose writes are trusted like the toolkit's own, and
// -handlerflow.wrapped=path/legacy/...,path.Func the legacy handlers that
// run inside the Envelope wrapper. "//envelopevet:allow <reason>" on a
// line, the line above, or a function marks its raw writes as legitimate.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/apienvelope/apienvelope/analyzers/errcodes"
	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
	"github.com/apienvelope/apienvelope/analyzers/postonly"
	"github.com/apienvelope/apienvelope/analyzers/rawstatus"
	"github.com/apienvelope/apienvelope/analyzers/rawwrite"
)

var analyzers = []*analysis.Analyzer{
	rawstatus.Analyzer,
	rawwrite.Analyzer,
	postonly.Analyzer,
	errcodes.Analyzer,
	handlerflow.Analyzer,
}

func main() {
	// multichecker's own usage starts with the generic analysis flags;
	// say first what this tool checks.
	flag.Usage = usage
	if len(os.Args) == 1 {
		usage()
		os.Exit(1)
	}
	multichecker.Main(analyzers...)
}

func usage() {
	out := flag.CommandLine.Output()
	fmt.Fprint(out, `envelopevet checks that HTTP handlers answer through the apienvelope envelope
and that actions return only the error codes they declare (CONTRACT.md
V1-V4). Its analyzers:

`)
	for _, a := range analyzers {
		summary, _, _ := strings.Cut(a.Doc, "\n")
		fmt.Fprintf(out, "  %-12s %s\n", a.Name, summary)
	}
	fmt.Fprint(out, `
Usage:
  envelopevet [flags] packages        exits 3 on findings, 0 when clean, 1 on errors
  envelopevet -fix [-diff] packages   applies the suggested fixes (-diff shows them)
  envelopevet -json packages          findings as JSON; exits 0, findings or not
  go vet -vettool=$(which envelopevet) [flags] packages
  envelopevet help NAME               an analyzer's documentation and flags

Flags:
`)
	flag.PrintDefaults()
}
