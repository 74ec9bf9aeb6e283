package apidoc

import (
	"cmp"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/apienvelope/apienvelope/envelope"
)

// OpenAPIOptions configures API.OpenAPI. The zero value writes OpenAPI 3.1
// for a server at the document's own host.
type OpenAPIOptions struct {
	// Version is "3.1" (the default) or "3.0", for tools that do not read
	// 3.1 yet.
	Version string
	// ServerURL is the URL the actions' paths follow, such as
	// https://api.example.com; empty means "/", the host the document is
	// read from.
	ServerURL string
}

// OpenAPI returns the OpenAPI document of api, as indented JSON.
//
// Every action is one post operation, tagged with its controller, that
// takes its parameters as a JSON request body. Its 200 answer is one of
// its envelopes, told apart by "status": success with the action's result
// as data, and one envelope per error status, whose data.code is one of
// the codes declared for that status (the action's, its authenticator's
// and the toolkit's), each with its description and attributes. The 500
// and 503 answers (with Retry-After) and the redirect of plain HTTP (308
// or 301) are documented too. The shared schemas Flags, Paginated and
// Sorted describe the envelope's flags. One-value enums stand where const
// would, which some generators do not read.
func (api *API) OpenAPI(opts OpenAPIOptions) ([]byte, error) {
	v3 := opts.Version == "3.0"
	if opts.Version != "" && opts.Version != "3.0" && opts.Version != "3.1" {
		return nil, errors.New("apidoc: OpenAPI version " + strconv.Quote(opts.Version) + ": use 3.1 or 3.0")
	}
	r := &renderer{api: api, v30: v3, schemas: map[string]*Schema{}, errorNames: map[errorKey]string{}}
	maps.Copy(r.schemas, api.Schemas)
	doc := r.document(opts)
	return json.MarshalIndent(doc, "", "  ")
}

type renderer struct {
	api        *API
	v30        bool
	schemas    map[string]*Schema // api.Schemas and those the document adds
	errorNames map[errorKey]string
}

type errorKey struct {
	status envelope.Status
	code   string
}

type document struct {
	OpenAPI    string              `json:"openapi"`
	Info       info                `json:"info"`
	Servers    []server            `json:"servers"`
	Tags       []tag               `json:"tags,omitempty"`
	Paths      map[string]pathItem `json:"paths"`
	Components components          `json:"components"`
}

type info struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Version     string `json:"version"`
}

type server struct {
	URL string `json:"url"`
}

type tag struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

type pathItem struct {
	Post *operation `json:"post"`
}

type operation struct {
	Tags        []string             `json:"tags"`
	Summary     string               `json:"summary"`
	Description string               `json:"description,omitempty"`
	OperationID string               `json:"operationId"`
	RequestBody *requestBody         `json:"requestBody,omitempty"`
	Responses   map[string]*response `json:"responses"`
	// Security is [] for an action anyone may call, so that it says so.
	Security []map[string][]string `json:"security"`
}

type requestBody struct {
	Description string               `json:"description,omitempty"`
	Required    bool                 `json:"required"`
	Content     map[string]mediaType `json:"content"`
}

type mediaType struct {
	Schema *jsonSchema `json:"schema"`
}

type response struct {
	Description string               `json:"description"`
	Headers     map[string]header    `json:"headers,omitempty"`
	Content     map[string]mediaType `json:"content,omitempty"`
}

type header struct {
	Description string      `json:"description,omitempty"`
	Schema      *jsonSchema `json:"schema"`
}

type components struct {
	Schemas         map[string]*jsonSchema    `json:"schemas"`
	SecuritySchemes map[string]securityScheme `json:"securitySchemes,omitempty"`
}

type securityScheme struct {
	Type        string `json:"type"`
	In          string `json:"in"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// jsonSchema is a Schema as OpenAPI 3.1 or 3.0 writes it.
type jsonSchema struct {
	Ref                  string                 `json:"$ref,omitempty"`
	Type                 any                    `json:"type,omitempty"`
	Format               string                 `json:"format,omitempty"`
	ContentEncoding      string                 `json:"contentEncoding,omitempty"`
	Nullable             bool                   `json:"nullable,omitempty"`
	Description          string                 `json:"description,omitempty"`
	Enum                 []any                  `json:"enum,omitempty"`
	Default              any                    `json:"default,omitempty"`
	Example              any                    `json:"example,omitempty"`
	Examples             []any                  `json:"examples,omitempty"`
	Minimum              *float64               `json:"minimum,omitempty"`
	Items                *jsonSchema            `json:"items,omitempty"`
	Required             []string               `json:"required,omitempty"`
	Properties           map[string]*jsonSchema `json:"properties,omitempty"`
	AdditionalProperties any                    `json:"additionalProperties,omitempty"`
	OneOf                []*jsonSchema          `json:"oneOf,omitempty"`
	AnyOf                []*jsonSchema          `json:"anyOf,omitempty"`
	AllOf                []*jsonSchema          `json:"allOf,omitempty"`
	Discriminator        *discriminator         `json:"discriminator,omitempty"`
}

type discriminator struct {
	PropertyName string            `json:"propertyName"`
	Mapping      map[string]string `json:"mapping"`
}

const jsonMedia = "application/json"

func (r *renderer) document(opts OpenAPIOptions) *document {
	api := r.api
	doc := &document{
		OpenAPI: "3.1.0",
		Info: info{
			Title:       cmp.Or(api.Title, "API"),
			Description: r.infoDescription(),
			Version:     cmp.Or(api.Version, "v1"),
		},
		Servers: []server{{URL: cmp.Or(opts.ServerURL, "/")}},
		Paths:   map[string]pathItem{},
	}
	if r.v30 {
		doc.OpenAPI = "3.0.3"
	}
	for _, a := range api.Actions {
		if !slices.ContainsFunc(doc.Tags, func(t tag) bool { return t.Name == a.Controller }) {
			doc.Tags = append(doc.Tags, tag{Name: a.Controller, Description: "The actions of the " + a.Controller + " controller."})
		}
		doc.Paths[a.Path] = pathItem{Post: r.operation(a)}
	}
	for _, auth := range api.Authenticators {
		if auth.Header == "" {
			continue
		}
		if doc.Components.SecuritySchemes == nil {
			doc.Components.SecuritySchemes = map[string]securityScheme{}
		}
		doc.Components.SecuritySchemes[auth.Name] = securityScheme{Type: "apiKey", In: "header", Name: auth.Header, Description: auth.Description}
	}
	r.flagSchemas()
	doc.Components.Schemas = map[string]*jsonSchema{}
	for name, s := range r.schemas {
		doc.Components.Schemas[name] = r.render(s)
	}
	return doc
}

func (r *renderer) infoDescription() string {
	text := r.api.Description
	if text != "" {
		text += "\n\n"
	}
	text += "Every action is a POST to its own path, with its parameters as one JSON object in the body. " +
		"Every answer is one JSON envelope, {\"status\",\"time\",\"flags\",\"data\"}, sent with HTTP 200, " +
		"except internal-server-error (500), service-unavailable (503) and the redirect of plain HTTP. " +
		"On success, data is the action's result; on any other status, data has a code, stable and CamelCase, and a message. " +
		"A request that reaches no action gets status error with code " + envelope.CodeMethodNotAllowed +
		" (a method other than POST) or " + envelope.CodeUnknownAction + " (a path no action has)."
	return text
}

func (r *renderer) operation(a *Action) *operation {
	op := &operation{
		Tags:        []string{a.Controller},
		Summary:     cmp.Or(a.Title, a.Controller+"/"+a.Name),
		Description: a.Description,
		OperationID: a.OperationID(),
		Responses:   map[string]*response{},
		Security:    []map[string][]string{},
	}
	if a.Auth != nil && a.Auth.Header != "" {
		op.Security = append(op.Security, map[string][]string{a.Auth.Name: {}})
	}
	op.RequestBody = &requestBody{
		Description: "The parameters. An empty body stands for {}.",
		Required:    slices.ContainsFunc(a.Params.Properties, func(p Property) bool { return p.Required }),
		Content:     map[string]mediaType{jsonMedia: {Schema: r.render(a.Params)}},
	}
	op.Responses["200"] = &response{
		Description: "The envelope of the answer, told apart by status.",
		Content:     map[string]mediaType{jsonMedia: {Schema: r.render(r.envelopes(a))}},
	}
	op.Responses["500"] = &response{
		Description: "An unanticipated failure.",
		Content:     map[string]mediaType{jsonMedia: {Schema: r.render(&Schema{Ref: r.internalErrorEnvelope()})}},
	}
	op.Responses["503"] = &response{
		Description: "The API is in maintenance or overloaded.",
		Headers: map[string]header{"Retry-After": {
			Description: "How many seconds to wait before trying again, where known.",
			Schema:      r.render(&Schema{Type: "integer", Minimum: new(float64)}),
		}},
		Content: map[string]mediaType{jsonMedia: {Schema: r.render(&Schema{Ref: r.unavailableEnvelope()})}},
	}
	if code := r.api.PlainHTTP; code == 301 || code == 308 {
		op.Responses[strconv.Itoa(code)] = &response{
			Description: "The request came over plain HTTP: make it again, over HTTPS, at Location. There is no body.",
			Headers: map[string]header{"Location": {
				Description: "The same URL on https.",
				Schema:      r.render(&Schema{Type: "string", Format: "uri"}),
			}},
		}
	}
	return op
}

// envelopes returns the schema of an action's 200 answers: one of its
// success envelope and its error envelopes, by status.
func (r *renderer) envelopes(a *Action) *Schema {
	base := strings.ToUpper(a.OperationID()[:1]) + a.OperationID()[1:]
	success := r.name(base + "Success")
	r.schemas[success] = envelopeSchema(envelope.StatusSuccess, a.Result)
	all := &Schema{OneOf: []*Schema{{Ref: success}}, Discriminator: "status"}

	byStatus := map[envelope.Status][]Error{}
	var statuses []envelope.Status
	for _, e := range r.api.AllErrors(a) {
		if byStatus[e.Status] == nil {
			statuses = append(statuses, e.Status)
		}
		byStatus[e.Status] = append(byStatus[e.Status], e)
	}
	slices.SortFunc(statuses, func(x, y envelope.Status) int { return statusOrder(x) - statusOrder(y) })
	for _, status := range statuses {
		data := &Schema{Discriminator: "code"}
		for _, e := range byStatus[status] {
			data.OneOf = append(data.OneOf, &Schema{Ref: r.errorSchema(e)})
		}
		if len(data.OneOf) == 1 {
			data = data.OneOf[0]
		}
		name := r.name(base + camel(string(status)))
		r.schemas[name] = envelopeSchema(status, data)
		all.OneOf = append(all.OneOf, &Schema{Ref: name})
	}
	return all
}

// statusOrder is the order of CONTRACT.md's table.
func statusOrder(s envelope.Status) int {
	return slices.Index([]envelope.Status{
		envelope.StatusSuccess, envelope.StatusParameterError, envelope.StatusValidationError,
		envelope.StatusAccessDenied, envelope.StatusNotFound, envelope.StatusError,
	}, s)
}

// envelopeSchema is the envelope of one status with data.
func envelopeSchema(status envelope.Status, data *Schema) *Schema {
	return &Schema{
		Type: "object",
		Properties: []Property{
			{Name: "status", Required: true, Schema: &Schema{Type: "string", Enum: []any{string(status)}}},
			{Name: "time", Required: true, Schema: &Schema{Type: "number", Minimum: new(float64), Description: "The seconds the server spent on the request."}},
			{Name: "flags", Required: true, Schema: &Schema{Ref: "Flags"}},
			{Name: "data", Required: true, Schema: data},
		},
		Closed: true,
	}
}

// errorSchema returns the name of the shared schema of e's data.
func (r *renderer) errorSchema(e Error) string {
	key := errorKey{e.Status, e.Code}
	if name, ok := r.errorNames[key]; ok {
		return name
	}
	name := r.name(e.Code + "Error")
	r.errorNames[key] = name
	s := &Schema{Type: "object", Description: e.Description, Properties: []Property{
		{Name: "code", Required: true, Schema: &Schema{Type: "string", Enum: []any{e.Code}}},
		{Name: "message", Required: true, Schema: &Schema{Type: "string", Description: "For people; it may change."}},
	}}
	for _, attr := range e.Attributes {
		if attr == "field" {
			s.Properties = append(s.Properties, Property{Name: "field", Schema: &Schema{Type: "string", Description: "The parameter at fault."}})
			continue
		}
		// A declared attribute is always sent: null until the error is
		// returned With a value.
		s.Properties = append(s.Properties, Property{Name: attr, Required: true, Schema: &Schema{Description: "The " + attr + " attribute of the error."}})
	}
	if e.Status == envelope.StatusValidationError {
		s.Properties = append(s.Properties, Property{Name: "errors", Required: true, Schema: &Schema{
			Type:                 "object",
			Description:          "Per field, the messages of what failed.",
			AdditionalProperties: &Schema{Type: "array", Items: &Schema{Type: "string"}},
		}})
	}
	r.schemas[name] = s
	return name
}

func (r *renderer) internalErrorEnvelope() string {
	const name = "InternalServerErrorEnvelope"
	if _, ok := r.schemas[name]; !ok {
		data := &Schema{Type: "object", Description: toolkitDescriptions[envelope.CodeInternalServerError], Properties: []Property{
			{Name: "code", Required: true, Schema: &Schema{Type: "string", Enum: []any{envelope.CodeInternalServerError}}},
			{Name: "message", Required: true, Schema: &Schema{Type: "string"}},
			{Name: "cause", Schema: &Schema{Type: "string", Description: "Development mode only: the cause."}},
			{Name: "stack", Schema: &Schema{Type: "string", Description: "Development mode only: the stack of a panic."}},
		}}
		r.schemas[name] = envelopeSchema(envelope.StatusInternalServerError, data)
	}
	return name
}

func (r *renderer) unavailableEnvelope() string {
	const name = "ServiceUnavailableEnvelope"
	if _, ok := r.schemas[name]; !ok {
		data := &Schema{Type: "object", Description: toolkitDescriptions[envelope.CodeServiceUnavailable], Properties: []Property{
			{Name: "code", Required: true, Schema: &Schema{Type: "string", Enum: []any{envelope.CodeServiceUnavailable}}},
			{Name: "message", Required: true, Schema: &Schema{Type: "string"}},
		}}
		r.schemas[name] = envelopeSchema(envelope.StatusServiceUnavailable, data)
	}
	return name
}

// flagSchemas adds Flags, Paginated and Sorted (CONTRACT S4).
func (r *renderer) flagSchemas() {
	integer := func(doc string) *Schema { return &Schema{Type: "integer", Minimum: new(float64), Description: doc} }
	r.schemas["Paginated"] = &Schema{Type: "object", Description: "The page a list is cut to.", Properties: []Property{
		{Name: "page", Required: true, Schema: integer("The page sent, from 1.")},
		{Name: "per_page", Required: true, Schema: integer("The records a page holds.")},
		{Name: "total_pages", Required: true, Schema: integer("How many pages there are.")},
		{Name: "total_records", Required: true, Schema: integer("How many records there are.")},
	}}
	r.schemas["Sorted"] = &Schema{Type: "object", Description: "The order of a list.", Properties: []Property{
		{Name: "by", Required: true, Schema: &Schema{Type: "string", Description: "What the list is sorted by."}},
		{Name: "order", Required: true, Schema: &Schema{Type: "string", Description: "asc or desc."}},
	}}
	r.schemas["Flags"] = &Schema{
		Type:        "object",
		Description: "What else the answer tells, by name; {} when nothing. Actions may add their own flags.",
		Properties: []Property{
			{Name: "paginated", Schema: &Schema{Ref: "Paginated"}},
			{Name: "sorted", Schema: &Schema{Ref: "Sorted"}},
		},
		AdditionalProperties: &Schema{},
	}
}

// name returns a schema name not taken yet.
func (r *renderer) name(name string) string {
	if _, taken := r.schemas[name]; !taken {
		return name
	}
	for i := 2; ; i++ {
		if _, taken := r.schemas[name+strconv.Itoa(i)]; !taken {
			return name + strconv.Itoa(i)
		}
	}
}

// render writes s for the document's OpenAPI version.
func (r *renderer) render(s *Schema) *jsonSchema {
	if s == nil {
		return &jsonSchema{}
	}
	if s.Ref != "" {
		ref := &jsonSchema{Ref: "#/components/schemas/" + s.Ref}
		switch {
		case s.Nullable && r.v30:
			// 3.0 has no null type: nullable applies to a type written
			// beside it. Shared schemas are objects.
			return &jsonSchema{Type: "object", Nullable: true, AllOf: []*jsonSchema{ref}, Description: s.Description}
		case s.Nullable:
			return &jsonSchema{AnyOf: []*jsonSchema{ref, {Type: "null"}}, Description: s.Description}
		case s.Description != "" && r.v30:
			// 3.0 ignores what stands beside $ref.
			return &jsonSchema{AllOf: []*jsonSchema{ref}, Description: s.Description}
		}
		ref.Description = s.Description
		return ref
	}
	out := &jsonSchema{
		Format:      s.Format,
		Description: s.Description,
		Enum:        s.Enum,
		Default:     s.Default,
		Minimum:     s.Minimum,
	}
	if s.Type != "" {
		out.Type = s.Type
		if s.Nullable {
			if r.v30 {
				out.Nullable = true
			} else {
				out.Type = []string{s.Type, "null"}
			}
			if s.Enum != nil {
				out.Enum = append(slices.Clone(s.Enum), nil)
			}
		}
	}
	switch {
	case s.ContentEncoding != "" && r.v30:
		out.Format = "byte"
	case s.ContentEncoding != "":
		out.ContentEncoding = s.ContentEncoding
	}
	if len(s.Examples) > 0 {
		if r.v30 {
			out.Example = s.Examples[0]
		} else {
			out.Examples = s.Examples
		}
	}
	if s.Items != nil {
		out.Items = r.render(s.Items)
	}
	for _, p := range s.Properties {
		if out.Properties == nil {
			out.Properties = map[string]*jsonSchema{}
		}
		out.Properties[p.Name] = r.render(p.Schema)
		if p.Required {
			out.Required = append(out.Required, p.Name)
		}
	}
	switch {
	case s.Closed:
		out.AdditionalProperties = false
	case s.AdditionalProperties != nil:
		out.AdditionalProperties = r.render(s.AdditionalProperties)
	}
	for _, alt := range s.OneOf {
		out.OneOf = append(out.OneOf, r.render(alt))
	}
	if s.Nullable && s.Type == "" && len(out.OneOf) > 0 {
		// null is one more alternative. 3.0 has no null type: the first
		// alternative with a type of its own admits it.
		if !r.v30 {
			out.OneOf = append(out.OneOf, &jsonSchema{Type: "null"})
		} else if i := slices.IndexFunc(out.OneOf, func(alt *jsonSchema) bool { return alt.Type != nil }); i >= 0 {
			alt := *out.OneOf[i]
			alt.Nullable = true
			out.OneOf[i] = &alt
		}
	}
	if s.Discriminator != "" {
		out.Discriminator = &discriminator{PropertyName: s.Discriminator, Mapping: map[string]string{}}
		for _, alt := range s.OneOf {
			if value, ok := r.discriminatorValue(alt, s.Discriminator); ok {
				out.Discriminator.Mapping[value] = "#/components/schemas/" + alt.Ref
			}
		}
	}
	return out
}

// discriminatorValue returns the one value of the property prop of the
// shared schema alt refers to.
func (r *renderer) discriminatorValue(alt *Schema, prop string) (string, bool) {
	target := r.schemas[alt.Ref]
	if alt.Ref == "" || target == nil {
		return "", false
	}
	for _, p := range target.Properties {
		if p.Name == prop && len(p.Schema.Enum) == 1 {
			v, ok := p.Schema.Enum[0].(string)
			return v, ok
		}
	}
	return "", false
}

// camel turns a status such as parameter-error into ParameterError.
func camel(s string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(s, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
