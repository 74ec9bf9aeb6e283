package docsite

import (
	"cmp"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strings"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/envelope"
)

// The templates read these views, made from the description for each page
// rendered: what a page shows, already sorted, linked and written out.

type siteView struct {
	Title          string
	BaseURL        string // https://host/api/v1
	Host           string // https://host
	Prefix         string // /api/v1
	Contact        string
	Controllers    []*controllerView
	Authenticators []*authView
	Structures     []*structView
	Description    string
	PlainHTTP      int // what plain HTTP gets: 308 or 301, 200 (HTTPSRequired), 0 (served)
	Statuses       []statusRow
	ToolkitErrors  []errorRow
	schemas        map[string]*apidoc.Schema
}

type controllerView struct {
	Name    string
	Path    string // controllers/send.html
	Actions []*actionView
}

type actionView struct {
	Controller  *controllerView
	Name        string
	Title       string
	Description string
	URL         string // https://host/api/v1/send/message
	URLPath     string // /api/v1/send/message
	Path        string // controllers/send/message.html
	Described   bool   // false: the handler tells nothing of its parameters and result
	Strict      bool
	Auth        *authView
	Params      []fieldRow
	Result      resultView
	Errors      []errorRow
	Curl        string
	ParamsJSON  string
	Examples    []exampleView
	// HasAttributes is set when an example error has attributes, which
	// the examples show as null.
	HasAttributes bool
}

type authView struct {
	Name        string
	Header      string
	Description string
	Path        string // authenticators/ServerAPIKey.html
	Errors      []errorRow
	Actions     []*actionView
}

type structView struct {
	Name        string
	Description string
	Path        string // structures/Message.html
	Fields      []fieldRow
	Example     string
	UsedBy      []*actionView
}

// fieldRow is one parameter or member, nested members under their
// parent's name: attachments[].name.
type fieldRow struct {
	Name        string
	Type        typeText
	Required    bool
	Default     string
	Enum        []string
	Example     string
	Description string
}

// typeText is a type as the tables show it, with a link where it is a
// shared schema.
type typeText struct {
	Text string // "array of", "object of", "string (base64)"
	Ref  string // the shared schema's name, after Text
	Null bool   // "or null"
}

type resultView struct {
	// Type is the result's type; Fields its members when it is an object
	// described inline.
	Type   typeText
	Fields []fieldRow
}

type errorRow struct {
	Code        string
	Status      string
	HTTP        int
	Description template.HTML // {attribute} placeholders set in <var>
	Attributes  []string
	From        *authView // the authenticator that declares it, if any
}

type exampleView struct {
	Title  string
	ID     string
	Status string
	HTTP   int
	Header string // Retry-After, for the 503
	JSON   string
}

type statusRow struct {
	Status, HTTP, When string
}

// statuses is CONTRACT.md's table of statuses.
var statuses = []statusRow{
	{"success", "200", "the action completed; data is its result"},
	{"parameter-error", "200", "the parameters are not valid: malformed JSON, a missing required parameter, a value of the wrong type"},
	{"validation-error", "200", "the action validated something and it failed; data.errors lists, per field, what"},
	{"access-denied", "200", "the caller may not do this"},
	{"not-found", "200", "what was asked for does not exist"},
	{"error", "200", "any other anticipated error, with the action's own code (listed on its page) or the toolkit's: MethodNotAllowed, UnknownAction, HTTPSRequired"},
	{"internal-server-error", "500", "an unanticipated failure; the message is generic, report it to the API's team"},
	{"service-unavailable", "503", "maintenance or overload; try again after the Retry-After header's seconds"},
}

// newSiteView makes the views of api, with opts.Host, such as
// https://api.example.com, in front of every URL.
func newSiteView(api *apidoc.API, opts Options) *siteView {
	prefix := strings.TrimSuffix(api.Prefix, "/")
	if prefix == "" {
		prefix = "/api/" + cmp.Or(api.Version, "v1")
	}
	s := &siteView{
		Title:       cmp.Or(opts.Title, api.Title, "API documentation"),
		Description: api.Description,
		Host:        opts.Host,
		Prefix:      prefix,
		BaseURL:     opts.Host + prefix,
		Contact:     opts.Contact,
		PlainHTTP:   api.PlainHTTP,
		Statuses:    statuses,
		schemas:     api.Schemas,
	}
	for _, e := range append(api.ToolkitErrors(), apidoc.RoutingErrors()...) {
		s.ToolkitErrors = append(s.ToolkitErrors, newErrorRow(e, nil))
	}

	auths := map[string]*authView{}
	for _, a := range api.Authenticators {
		v := &authView{Name: a.Name, Header: a.Header, Description: a.Description, Path: "authenticators/" + a.Name + ".html"}
		for _, e := range a.Errors {
			v.Errors = append(v.Errors, newErrorRow(apidoc.DescribeError(e), nil))
		}
		auths[a.Name] = v
	}

	controllers := map[string]*controllerView{}
	structs := map[string]*structView{}
	for _, a := range api.Actions {
		c := controllers[a.Controller]
		if c == nil {
			c = &controllerView{Name: a.Controller, Path: "controllers/" + a.Controller + ".html"}
			controllers[a.Controller] = c
		}
		v := &actionView{
			Controller:  c,
			Name:        a.Name,
			Title:       cmp.Or(a.Title, a.Controller+"/"+a.Name),
			Description: a.Description,
			URL:         s.Host + a.Path,
			URLPath:     a.Path,
			Path:        "controllers/" + a.Controller + "/" + a.Name + ".html",
			Described:   a.Described,
			Strict:      a.Strict,
		}
		if a.Auth != nil {
			v.Auth = auths[a.Auth.Name]
			v.Auth.Actions = append(v.Auth.Actions, v)
		}
		for _, e := range a.Errors {
			v.Errors = append(v.Errors, newErrorRow(e, auths[e.Authenticator]))
		}
		v.Params = s.fields(a.Params)
		v.Result = s.result(a.Result)
		for _, name := range refsIn(a.Result, api.Schemas) {
			if structs[name] == nil {
				structs[name] = s.structure(name)
			}
			structs[name].UsedBy = append(structs[name].UsedBy, v)
		}
		v.ParamsJSON = s.paramsExample(a.Params)
		v.Curl = curl(v.URL, v.Auth, v.ParamsJSON)
		v.Examples = s.examples(a, v)
		c.Actions = append(c.Actions, v)
	}
	// Shared schemas that only parameters use have pages too.
	for name := range api.Schemas {
		if structs[name] == nil {
			structs[name] = s.structure(name)
		}
	}

	s.Controllers = slices.SortedFunc(maps.Values(controllers), func(a, b *controllerView) int { return strings.Compare(a.Name, b.Name) })
	for _, c := range s.Controllers {
		slices.SortFunc(c.Actions, func(a, b *actionView) int { return strings.Compare(a.Name, b.Name) })
	}
	s.Authenticators = slices.SortedFunc(maps.Values(auths), func(a, b *authView) int { return strings.Compare(a.Name, b.Name) })
	s.Structures = slices.SortedFunc(maps.Values(structs), func(a, b *structView) int { return strings.Compare(a.Name, b.Name) })
	return s
}

func newErrorRow(e apidoc.Error, from *authView) errorRow {
	return errorRow{
		Code:        e.Code,
		Status:      string(e.Status),
		HTTP:        e.Status.HTTPStatus(),
		Description: withPlaceholders(e.Description),
		Attributes:  e.Attributes,
		From:        from,
	}
}

// withPlaceholders escapes a declared message and sets its {attribute}
// placeholders in <var>, so readers see which part varies.
func withPlaceholders(msg string) template.HTML {
	var b strings.Builder
	for {
		open := strings.IndexByte(msg, '{')
		end := strings.IndexByte(msg[max(open, 0):], '}')
		if open < 0 || end < 0 {
			b.WriteString(template.HTMLEscapeString(msg))
			return template.HTML(b.String())
		}
		end += open
		b.WriteString(template.HTMLEscapeString(msg[:open]))
		b.WriteString("<var>{" + template.HTMLEscapeString(msg[open+1:end]) + "}</var>")
		msg = msg[end+1:]
	}
}

// resolve follows a shared schema's reference.
func (s *siteView) resolve(sc *apidoc.Schema) *apidoc.Schema {
	for range 8 { // a reference to a reference is rare; a loop is a bug
		if sc == nil || sc.Ref == "" {
			return sc
		}
		sc = s.schemas[sc.Ref]
	}
	return sc
}

// typeOf writes a schema's type for the tables.
func typeOf(sc *apidoc.Schema) typeText {
	if sc == nil {
		return typeText{Text: "any JSON value"}
	}
	if sc.Ref != "" {
		return typeText{Ref: sc.Ref, Null: sc.Nullable}
	}
	t := typeText{Null: sc.Nullable}
	switch {
	case len(sc.OneOf) > 0:
		t.Text = "one of several types"
	case sc.Type == "array":
		inner := typeOf(sc.Items)
		t.Text, t.Ref = "array of "+inner.Text, inner.Ref
	case sc.Type == "object" && sc.AdditionalProperties != nil && len(sc.Properties) == 0:
		inner := typeOf(sc.AdditionalProperties)
		t.Text, t.Ref = "object of "+inner.Text, inner.Ref
	case sc.Type == "":
		t.Text = "any JSON value"
	case sc.ContentEncoding != "":
		t.Text = sc.Type + " (" + sc.ContentEncoding + ")"
	case sc.Format != "" && sc.Type != "integer" && sc.Type != "number":
		t.Text = sc.Type + " (" + sc.Format + ")"
	default:
		t.Text = sc.Type
	}
	return t
}

// fields lists an object's members, and those of objects described inline
// inside it, under their parent's name.
func (s *siteView) fields(sc *apidoc.Schema) []fieldRow {
	var rows []fieldRow
	var walk func(sc *apidoc.Schema, prefix string, depth int)
	walk = func(sc *apidoc.Schema, prefix string, depth int) {
		if sc == nil || sc.Ref != "" || depth > 4 {
			return
		}
		for _, p := range sc.Properties {
			ps := p.Schema
			row := fieldRow{
				Name:        prefix + p.Name,
				Type:        typeOf(ps),
				Required:    p.Required,
				Description: ps.Description,
			}
			if ps.Default != nil {
				row.Default = compactJSON(ps.Default)
			}
			if len(ps.Examples) > 0 {
				row.Example = compactJSON(ps.Examples[0])
			}
			enum := ps.Enum
			if ps.Type == "array" && ps.Items != nil {
				enum = ps.Items.Enum
			}
			for _, e := range enum {
				row.Enum = append(row.Enum, compactJSON(e))
			}
			rows = append(rows, row)
			// Members of inline objects, and of the objects in arrays and
			// maps, follow their parent.
			inner, suffix := ps, "."
			for inner != nil && inner.Ref == "" {
				switch {
				case inner.Type == "array" && inner.Items != nil:
					inner, suffix = inner.Items, "[]"+suffix
					continue
				case inner.Type == "object" && len(inner.Properties) == 0 && inner.AdditionalProperties != nil:
					inner, suffix = inner.AdditionalProperties, "{}"+suffix
					continue
				}
				break
			}
			if inner != nil && len(inner.Properties) > 0 {
				walk(inner, prefix+p.Name+suffix, depth+1)
			}
		}
	}
	walk(sc, "", 0)
	return rows
}

// result describes what an action returns: its type, and the members of
// the object it is, or of the objects in the list it is, also when they
// are a shared structure's, which its own page describes too.
func (s *siteView) result(sc *apidoc.Schema) resultView {
	r := resultView{Type: typeOf(sc)}
	inner := s.resolve(sc)
	if inner != nil && inner.Type == "array" && inner.Items != nil {
		inner = s.resolve(inner.Items)
	}
	r.Fields = s.fields(inner)
	return r
}

func (s *siteView) structure(name string) *structView {
	sc := s.schemas[name]
	v := &structView{Name: name, Path: "structures/" + name + ".html"}
	if sc != nil {
		v.Description = sc.Description
		v.Fields = s.fields(sc)
		v.Example = indentJSON(s.example(&apidoc.Schema{Ref: name}, 0, nil))
	}
	return v
}

// refsIn lists the shared schemas a schema refers to, itself included,
// directly or through others, sorted.
func refsIn(sc *apidoc.Schema, schemas map[string]*apidoc.Schema) []string {
	seen := map[string]bool{}
	var walk func(*apidoc.Schema)
	walk = func(sc *apidoc.Schema) {
		if sc == nil {
			return
		}
		if sc.Ref != "" {
			if !seen[sc.Ref] {
				seen[sc.Ref] = true
				walk(schemas[sc.Ref])
			}
			return
		}
		for _, p := range sc.Properties {
			walk(p.Schema)
		}
		walk(sc.Items)
		walk(sc.AdditionalProperties)
		for _, o := range sc.OneOf {
			walk(o)
		}
	}
	walk(sc)
	return slices.Sorted(maps.Keys(seen))
}

func (s *siteView) examples(a *apidoc.Action, v *actionView) []exampleView {
	ex := []exampleView{{
		Title:  "Success",
		ID:     "example-success",
		Status: "success",
		HTTP:   200,
		JSON:   envelopeJSON("success", s.example(a.Result, 0, nil)),
	}}
	for _, e := range v.Errors {
		data := orderedObject{{"code", e.Code}, {"message", plainPlaceholders(e.Description)}}
		for _, name := range e.Attributes {
			data = append(data, member{name, nil})
			v.HasAttributes = true
		}
		ex = append(ex, exampleView{
			Title:  e.Code,
			ID:     "example-" + e.Code,
			Status: e.Status,
			HTTP:   e.HTTP,
			JSON:   envelopeJSON(e.Status, data),
		})
	}
	ex = append(ex, exampleView{
		Title:  "Service unavailable",
		ID:     "example-ServiceUnavailable",
		Status: string(envelope.StatusServiceUnavailable),
		HTTP:   503,
		Header: "with Retry-After when the wait is known",
		JSON: envelopeJSON(string(envelope.StatusServiceUnavailable), orderedObject{
			{"code", envelope.CodeServiceUnavailable}, {"message", "The service is down for maintenance"},
		}),
	})
	return ex
}

// plainPlaceholders is the declared message back as text.
func plainPlaceholders(h template.HTML) string {
	r := strings.NewReplacer("<var>", "", "</var>", "", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'")
	return r.Replace(string(h))
}

// curl is a command that calls the action with example parameters.
func curl(url string, auth *authView, params string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "curl %s \\\n  -H 'Content-Type: application/json'", shellQuote(url))
	if auth != nil && auth.Header != "" {
		fmt.Fprintf(&b, " \\\n  -H %s", shellQuote(auth.Header+": YOUR-KEY"))
	}
	fmt.Fprintf(&b, " \\\n  -d %s", shellQuote(params))
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
