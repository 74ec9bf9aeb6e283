package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/apienvelope/apienvelope/conformance"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// headerFlag collects repeated -header "Name: value" flags.
type headerFlag http.Header

func (h headerFlag) String() string { return "" }

func (h headerFlag) Set(v string) error {
	name, value, ok := strings.Cut(v, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return fmt.Errorf("want \"Name: value\", got %q", v)
	}
	http.Header(h).Add(name, strings.TrimSpace(value))
	return nil
}

// run is the whole command; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("envelopeprobe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: envelopeprobe [flags] https://host/api/v1/controller/action")
		fs.PrintDefaults()
	}
	var opts conformance.Options
	headers := headerFlag{}
	var casesDir, caCert string
	var asJSON bool
	fs.StringVar(&opts.Params, "params", "", "a valid parameters `JSON` object for the action")
	fs.Var(headers, "header", "a `\"Name: value\"` header sent with every request, such as an API key (repeatable)")
	fs.StringVar(&opts.HTTPURL, "http-url", "", "the server's plain-HTTP `address`, such as http://localhost:8080")
	fs.StringVar(&opts.PlainHTTP, "plain-http", "", "what plain HTTP gets: 308, 301, redirect or reject (default: anything CONTRACT.md allows)")
	fs.StringVar(&opts.IntField, "int-field", "", "an integer parameter of the action")
	fs.StringVar(&opts.RequiredField, "required-field", "", "a required parameter of the action")
	fs.BoolVar(&opts.Strict, "strict", false, "the action rejects unknown parameters")
	fs.BoolVar(&opts.InMaintenance, "maintenance", false, "the server is in maintenance mode now: run only the maintenance cases")
	fs.BoolVar(&opts.TrustedProxy, "trusted-proxy", false, "the target trusts this machine's address as a TLS-terminating proxy: run the trusted-proxy cases instead of the forged-header ones")
	fs.StringVar(&opts.PanicAction, "panic-action", "", "the `path` of an action that panics, such as /api/v1/debug/panic, for the live 500 case")
	fs.BoolVar(&opts.Production, "production", false, "the server runs outside development mode: its 500s must show no stack trace and not the -panic-value")
	fs.StringVar(&opts.PanicValue, "panic-value", "", "what the -panic-action panics with, or a part of it, that a production 500 must not show")
	fs.StringVar(&opts.CORSOrigin, "cors-origin", "", "an `origin` the server allows cross-origin calls from, for the CORS preflight case")
	fs.BoolVar(&opts.ToolkitCodes, "toolkit-codes", false, "also check this toolkit's own parameter-error codes")
	fs.StringVar(&caCert, "cacert", "", "verify the server's certificate with the CA certificates in this PEM `file`, such as the demo's self-signed one")
	fs.BoolVar(&opts.Insecure, "insecure", false, "skip TLS certificate verification")
	fs.BoolVar(&opts.HTTP2, "http2", false, "speak HTTP/2 over TLS where the server offers it")
	fs.DurationVar(&opts.Timeout, "timeout", 30*time.Second, "the longest one request may take")
	fs.StringVar(&casesDir, "cases", "", "a `directory` of YAML case files to run instead of the built-in suite")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	switch opts.PlainHTTP {
	case "", "308", "301", "redirect", "reject":
	default:
		fmt.Fprintf(stderr, "envelopeprobe: -plain-http must be 308, 301, redirect or reject, not %q\n", opts.PlainHTTP)
		return 2
	}
	if opts.Params != "" && !json.Valid([]byte(opts.Params)) {
		fmt.Fprintln(stderr, "envelopeprobe: -params is not valid JSON")
		return 2
	}
	opts.Headers = http.Header(headers)
	if caCert != "" {
		pem, err := os.ReadFile(caCert)
		if err != nil {
			fmt.Fprintln(stderr, "envelopeprobe:", err)
			return 2
		}
		opts.RootCAs = x509.NewCertPool()
		if !opts.RootCAs.AppendCertsFromPEM(pem) {
			fmt.Fprintf(stderr, "envelopeprobe: %s holds no PEM certificate\n", caCert)
			return 2
		}
	}
	if casesDir != "" {
		cases, err := conformance.Load(os.DirFS(casesDir))
		if err != nil {
			fmt.Fprintln(stderr, "envelopeprobe:", err)
			return 2
		}
		opts.Cases = cases
	}

	if !asJSON {
		// One line per case as it finishes: a slow server shows where.
		opts.Progress = func(r conformance.Result) { fmt.Fprintln(stdout, r) }
	}
	rep, err := conformance.RunURL(ctx, fs.Arg(0), opts)
	if err != nil {
		fmt.Fprintln(stderr, "envelopeprobe:", err)
		return 2
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(stderr, "envelopeprobe:", err)
			return 2
		}
	} else {
		if rules := checkedRules(rep); len(rules) > 0 {
			fmt.Fprintln(stdout, "rules checked:", strings.Join(rules, " "))
		}
		if rep.Skipped > 0 {
			fmt.Fprintf(stdout, "%d skipped: see the SKIP lines for what they need\n", rep.Skipped)
		}
		// Alone on the last line: CI reads it.
		fmt.Fprintln(stdout, rep.Summary())
	}
	if !rep.OK() {
		return 1
	}
	return 0
}

// checkedRules lists the rules of the cases that ran, in CONTRACT.md's order.
func checkedRules(rep *conformance.Report) []string {
	var rules []string
	for _, r := range rep.Results {
		if r.Outcome != conformance.Skip && !slices.Contains(rules, r.Rule) {
			rules = append(rules, r.Rule)
		}
	}
	slices.Sort(rules) // R before S before W: CONTRACT.md's order
	return rules
}
