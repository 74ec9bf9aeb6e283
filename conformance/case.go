package conformance

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A Case is one request and what must come back, as a case file spells it.
type Case struct {
	// Area is the file the case comes from, such as "transport".
	Area string `yaml:"-"`
	// Name is unique within its area.
	Name string `yaml:"name"`
	// Rule is the rule of CONTRACT.md the case checks, such as "R2";
	// failures of the case's own expectations are reported under it.
	Rule string `yaml:"rule"`
	// Doc says, for people, what the case checks.
	Doc string `yaml:"doc"`
	// Maintenance marks a case that expects the server in maintenance mode.
	Maintenance bool `yaml:"maintenance"`
	// Production marks a case that expects a server outside development
	// mode (Options.Production).
	Production bool `yaml:"production"`
	// Strict, when set, runs the case only against an action whose strict
	// mode (Options.Strict) is the same.
	Strict *bool `yaml:"strict"`
	// Request is what is sent.
	Request Request `yaml:"request"`
	// Handler, when set, makes the case run Options.Wrap around a handler
	// that behaves as described, instead of sending to the target
	// (CONTRACT S7 and W1). Such cases run only in-process.
	Handler *HandlerSpec `yaml:"handler"`
	// Expect is what must come back.
	Expect Expect `yaml:"expect"`
}

// ID is "area/name".
func (c *Case) ID() string { return c.Area + "/" + c.Name }

// Request is a raw HTTP request, relative to the action under test.
type Request struct {
	// Method defaults to POST.
	Method string `yaml:"method"`
	// PlainHTTP sends the request over plain HTTP: to Options.HTTPURL for
	// a live server, without TLS in-process.
	PlainHTTP bool `yaml:"plain_http"`
	// Path is a URL reference resolved against the action's URL: "" is the
	// action itself, "zz-other" a sibling action of the same controller,
	// "$panic_action" Options.PanicAction.
	Path string `yaml:"path"`
	// Peer is who sends the request: "trusted" a proxy the target trusts
	// (Options.TrustedProxyAddr, or TrustedProxy), "untrusted" anyone else
	// for sure, "" either.
	Peer string `yaml:"peer"`
	// Query is the raw query string.
	Query string `yaml:"query"`
	// Headers are set on the request after Options.Headers; an empty value
	// removes the header, "$cors_origin" is Options.CORSOrigin. A POST with a body and no Content-Type given here
	// is sent as application/json.
	Headers map[string]string `yaml:"headers"`
	// Body is sent as it is.
	Body string `yaml:"body"`
	// Generate, when set, makes the body instead of Body.
	Generate *BodyGen `yaml:"generate"`
}

// BodyGen describes a body too large, too deep or too odd to spell out.
//
// Kinds:
//   - params: the target's valid parameters (Options.Params), with Set
//     fields replaced and Delete fields removed.
//   - form: an application/x-www-form-urlencoded body whose field "params"
//     holds Raw, or the valid parameters when Raw is empty.
//   - multipart: the same as a multipart/form-data body.
//   - large: a JSON object of exactly Bytes bytes.
//   - nested: an object holding arrays nested Depth deep.
//   - invalid_utf8: a JSON object whose string holds bytes that are not UTF-8.
//
// Field names may be "$int_field", "$int_field_upper", "$required_field"
// or "$unknown_field", which stand for Options.IntField, the same name in
// upper case (another name: names are case-sensitive), Options.RequiredField
// and a name no action has.
type BodyGen struct {
	// Kind is one of the kinds above.
	Kind string `yaml:"kind"`
	// Bytes is the size of a large body.
	Bytes int `yaml:"bytes"`
	// Depth is the nesting of a nested body.
	Depth int `yaml:"depth"`
	// Raw is what a form's "params" field holds instead of the valid
	// parameters.
	Raw string `yaml:"raw"`
	// Set replaces or adds fields of the valid parameters.
	Set map[string]any `yaml:"set"`
	// Delete removes fields of the valid parameters.
	Delete []string `yaml:"delete"`
	// Repeat writes fields of the valid parameters a second time, with
	// the same value, after the object's last field: a name given twice.
	Repeat []string `yaml:"repeat"`
}

// HandlerSpec describes a plain net/http handler to wrap (CONTRACT W1, S7).
type HandlerSpec struct {
	// Status is passed to WriteHeader when non-zero.
	Status int `yaml:"status"`
	// Headers are set before writing.
	Headers map[string]string `yaml:"headers"`
	// Body is written when non-empty.
	Body string `yaml:"body"`
	// Panic makes the handler panic with this string.
	Panic string `yaml:"panic"`
	// Abort makes the handler panic with http.ErrAbortHandler.
	Abort bool `yaml:"abort"`
}

// Expect is what must come back. Zero fields are not checked.
type Expect struct {
	// HTTPSRequired expects the R2 answer to plain HTTP: a bodyless redirect
	// to https, or 200 error HTTPSRequired, as Options.PlainHTTP allows.
	HTTPSRequired bool `yaml:"https_required"`
	// HTTP is the HTTP status.
	HTTP int `yaml:"http"`
	// Status lists the envelope statuses allowed.
	Status oneOrMore `yaml:"status"`
	// Code is the data.code CONTRACT.md fixes, such as UnknownAction.
	Code string `yaml:"code"`
	// ToolkitCode is the data.code this toolkit sends, checked only with
	// Options.ToolkitCodes: other servers may use other codes.
	ToolkitCode string `yaml:"toolkit_code"`
	// Headers must be there with these values; list headers (Allow) are
	// compared as sets of comma-separated tokens.
	Headers map[string]string `yaml:"headers"`
	// HeadersPresent must be there with any value.
	HeadersPresent []string `yaml:"headers_present"`
	// HeadersAbsent must not be there.
	HeadersAbsent []string `yaml:"headers_absent"`
	// MessageNames is a field the data.message must name ("$int_field"...).
	MessageNames string `yaml:"message_names"`
	// MessageContains must be in data.message.
	MessageContains string `yaml:"message_contains"`
	// MessageLacks must not be in data.message (no leaked panic values).
	MessageLacks string `yaml:"message_lacks"`
	// NoPanicDetails expects data to show neither a stack trace nor the
	// panic's value (Options.PanicValue, when given).
	NoPanicDetails bool `yaml:"no_panic_details"`
	// Data is JSON that data must equal, byte for byte once compacted: an
	// embedded body keeps its key order.
	Data string `yaml:"data"`
	// SameAs is a second request (overriding the case's fields) whose
	// answer must have the same status and code.
	SameAs *Request `yaml:"same_as"`
	// BodyOptional allows an answer without a body (a CORS preflight).
	BodyOptional bool `yaml:"body_optional"`
	// Aborted expects the handler's http.ErrAbortHandler panic to go through.
	Aborted bool `yaml:"aborted"`
	// Fail says what a failure of this case means, such as "forged
	// X-Forwarded-Proto from an untrusted peer was believed".
	Fail string `yaml:"fail"`
}

// oneOrMore is a YAML string or list of strings.
type oneOrMore []string

func (o *oneOrMore) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*o = []string{n.Value}
		return nil
	}
	var s []string
	if err := n.Decode(&s); err != nil {
		return err
	}
	*o = s
	return nil
}

// caseFile is the layout of one area's file.
type caseFile struct {
	Area  string  `yaml:"area"`
	Cases []*Case `yaml:"cases"`
}

// builtin is the suite, testdata/*.yaml: the files people read and edit
// are the ones built in, so that an installed envelopeprobe carries them.
//
//go:embed testdata/*.yaml
var builtin embed.FS

// Areas lists the areas of the built-in suite in the order they run.
var Areas = []string{"transport", "method", "parameters", "errors", "responses", "wrapping"}

// Suite returns the built-in cases, a fresh copy on each call.
func Suite() []*Case {
	sub, err := fs.Sub(builtin, "testdata")
	if err != nil {
		panic(err)
	}
	cases, err := Load(sub)
	if err != nil {
		panic("conformance: the built-in suite does not load: " + err.Error())
	}
	return cases
}

// Load reads every *.yaml file at the top of fsys as one area, the areas
// named in Areas first and in that order, then the others by name. Unknown
// keys are errors, so that a misspelt expectation is never silently ignored.
func Load(fsys fs.FS) ([]*Case, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	rank := func(name string) int {
		if i := slices.Index(Areas, strings.TrimSuffix(name, ".yaml")); i >= 0 {
			return i
		}
		return len(Areas)
	}
	slices.SortStableFunc(names, func(a, b string) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	var all []*Case
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		cases, err := parseFile(name, data)
		if err != nil {
			return nil, err
		}
		all = append(all, cases...)
	}
	if len(all) == 0 {
		return nil, errors.New("conformance: no cases found")
	}
	return all, nil
}

func parseFile(name string, data []byte) ([]*Case, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f caseFile
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("conformance: %s: %w", name, err)
	}
	area := f.Area
	if area == "" {
		area = strings.TrimSuffix(path.Base(name), ".yaml")
	}
	seen := map[string]bool{}
	for _, c := range f.Cases {
		c.Area = area
		switch {
		case c.Name == "":
			return nil, fmt.Errorf("conformance: %s: a case has no name", name)
		case seen[c.Name]:
			return nil, fmt.Errorf("conformance: %s: case %q appears twice", name, c.Name)
		case c.Rule == "":
			return nil, fmt.Errorf("conformance: %s: case %q names no rule", name, c.Name)
		}
		seen[c.Name] = true
		if p := c.Request.Peer; p != "" && p != "trusted" && p != "untrusted" {
			return nil, fmt.Errorf("conformance: %s: case %q: peer must be trusted or untrusted, not %q", name, c.Name, p)
		}
		if g := c.Request.Generate; g != nil && !slices.Contains(genKinds, g.Kind) {
			return nil, fmt.Errorf("conformance: %s: case %q: unknown generate kind %q", name, c.Name, g.Kind)
		}
	}
	return f.Cases, nil
}
