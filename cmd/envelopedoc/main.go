package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/cmd/demoapi/demo"
	"github.com/apienvelope/apienvelope/docsite"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "envelopedoc:", err)
		os.Exit(2)
	}
}

// commands are envelopedoc's subcommands, each given the API's description
// and its own arguments.
var commands = map[string]func(api *apidoc.API, args []string, stdout, stderr io.Writer) error{
	"openapi": openapi,
	"site":    site,
}

const usage = "Usage: envelopedoc openapi [-version 3.1|3.0] [-server URL] [-o FILE]\n" +
	"       envelopedoc site -o DIR [-host URL] [-contact URL]\n"

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return flag.ErrHelp
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return cmd(demo.New(demo.Config{}).Describe(), args[1:], stdout, stderr)
}

// openapi writes the OpenAPI document.
func openapi(api *apidoc.API, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("envelopedoc openapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	version := fs.String("version", "3.1", "OpenAPI `version`: 3.1, or 3.0 for tools that do not read 3.1")
	serverURL := fs.String("server", "", "the `URL` the paths follow, such as https://api.example.com (default \"/\", the host the document is read from)")
	out := fs.String("o", "", "write to `file` instead of standard output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("openapi: unexpected arguments %s", strings.Join(fs.Args(), " "))
	}
	doc, err := api.OpenAPI(apidoc.OpenAPIOptions{Version: *version, ServerURL: *serverURL})
	if err != nil {
		return err
	}
	doc = append(doc, '\n')
	if *out == "" {
		_, err = stdout.Write(doc)
		return err
	}
	return os.WriteFile(*out, doc, 0o644)
}

// site writes the documentation site as files.
func site(api *apidoc.API, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("envelopedoc site", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "the `directory` to write the pages to (required); files of the same names are replaced")
	host := fs.String("host", "https://localhost:8443", "the scheme and `host` the actions' URLs start with")
	contact := fs.String("contact", "", "the `URL` (https: or mailto:) the welcome page's \"contact our team\" links to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("site: unexpected arguments %s", strings.Join(fs.Args(), " "))
	}
	if *out == "" {
		return errors.New("site: -o DIR is required")
	}
	s, err := docsite.New(api, docsite.Options{Host: *host, Contact: *contact})
	if err != nil {
		return err
	}
	if err := s.WriteDir(*out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d files to %s; the welcome page is %s\n", len(s.Paths()), *out, filepath.Join(*out, "index.html"))
	return nil
}
