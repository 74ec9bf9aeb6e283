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
// Standalone, it runs go vet with itself as the tool (one package per
// process, dependencies' facts from the build cache, so memory stays that
// of go vet mode) and prints each finding once. It exits 3 when it reports
// a finding, 0 when there is none and 1 on errors; with -json it exits 0
// with findings too; go vet exits non-zero on findings. -fix lists the
// findings it did not fix, exits 3 when there are any, and prints the go
// get line the fixed code needs. -errcodes.json runs in process, since it
// prints from the analysis. The flag -handlerflow.trusted=path/a,path/b/...
// names packages whose writes are trusted like the toolkit's own, and
// -handlerflow.wrapped=path/legacy/...,path.Func the legacy handlers that
// run inside the Envelope wrapper. "//envelopevet:allow <reason>" on a
// line, the line above, or a function marks its raw writes as legitimate.
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
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
	args := os.Args[1:]
	if len(args) == 0 {
		usage()
		os.Exit(1)
	}
	if inProcess(args) {
		multichecker.Main(analyzers...)
	}
	os.Exit(standalone(args))
}

// inProcess reports whether args are for multichecker itself: go vet's
// calls (a unit's .cfg file, -flags, -V=full), help, or -errcodes.json,
// which prints from inside the analysis.
func inProcess(args []string) bool {
	if strings.HasSuffix(args[len(args)-1], ".cfg") || args[0] == "help" {
		return true
	}
	for _, arg := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if strings.HasPrefix(arg, "-") && slices.Contains([]string{"flags", "V", "h", "help", "errcodes.json"}, name) {
			return true
		}
	}
	return false
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
  envelopevet -fix [-diff] packages   applies the suggested fixes (-diff shows them),
                                      lists those not fixed and exits 3 if any
  envelopevet -json packages          findings as JSON; exits 0, findings or not
  go vet -vettool=$(which envelopevet) [flags] packages
  envelopevet help NAME               an analyzer's documentation and flags

Flags:
`)
	flag.PrintDefaults()
}
