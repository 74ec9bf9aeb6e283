package apidoc

import (
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/apienvelope/apienvelope/envelope"
)

// API describes an API built with the toolkit: every action, what it reads
// and answers, who may call it and the errors it declares. A
// middleware.Router makes one from what is registered (Router.Describe);
// OpenAPI renders it.
type API struct {
	// Title and Description introduce the API in its documentation.
	Title       string
	Description string
	// Version is the version segment of the actions' paths, such as v1.
	Version string
	// Prefix is the path every action's path starts with, such as /api/v1/.
	Prefix string
	// DocsPath is where the documentation is served, such as /api/docs/v1/;
	// empty when it is not.
	DocsPath string
	// PlainHTTP is the HTTP status a request over plain HTTP gets: 308 or
	// 301 when it is redirected to HTTPS, 200 when it is answered with the
	// HTTPSRequired error, 0 when it is served like one over HTTPS.
	PlainHTTP int
	// Actions are in the order they were added.
	Actions []*Action
	// Authenticators are those the actions use, in the order first used.
	Authenticators []*envelope.Authenticator
	// Schemas are the shared schemas that other schemas refer to by name
	// (Schema.Ref): the named structs of results, and types that contain
	// themselves.
	Schemas map[string]*Schema

	names map[typeKey]string // name in Schemas of each described type
}

// Action describes one action.
type Action struct {
	// Controller and Name make the action's path: Prefix, then
	// Controller/Name.
	Controller string
	Name       string
	// Path is the action's full path, such as /api/v1/send/message.
	Path        string
	Title       string
	Description string
	// Described is false for a handler that describes nothing (not made by
	// envelope.Action, ActionWith or HandlerWith): its parameters and
	// result are unknown, and it declares no errors.
	Described bool
	// Params is the schema of the parameters, an object; Result that of
	// the data of a success.
	Params *Schema
	Result *Schema
	// ParamsType and ResultType are the Go types they come from; nil when
	// the action does not describe itself.
	ParamsType reflect.Type
	ResultType reflect.Type
	// Strict is set when unknown parameters are refused.
	Strict bool
	// Auth decides who may call the action; nil when anyone may.
	Auth *envelope.Authenticator
	// Errors are the errors the action declares, then those of its
	// authenticator that it does not declare itself.
	Errors []Error
}

// Error describes an error an action can answer with.
type Error struct {
	Status envelope.Status
	Code   string
	// Description is the declared message, with its {attribute}
	// placeholders.
	Description string
	// Attributes name the error's own members of "data", sorted.
	Attributes []string
	// Authenticator names the authenticator that declares the error;
	// empty for the action's own errors and the toolkit's.
	Authenticator string
	// Toolkit is set for errors the toolkit itself sends.
	Toolkit bool
}

// DescribeError describes a declared error (see envelope.Declare).
func DescribeError(e *envelope.Error) Error {
	status := e.Status
	if status == "" {
		status = envelope.StatusError
	}
	attrs := make([]string, 0, len(e.Attributes))
	for name := range e.Attributes {
		attrs = append(attrs, name)
	}
	slices.Sort(attrs)
	return Error{Status: status, Code: e.Code, Description: e.Message, Attributes: attrs}
}

// Add describes the action that h serves at path, as controller/name, and
// adds it to the API. h describes itself when envelope.Action, ActionWith
// or HandlerWith made it, or when it wraps such a handler and has an
// Unwrap() http.Handler method, as the handlers of middleware.Chain do.
//
// Add panics where the description would be wrong: a parameters or result
// type with no JSON form, a struct tag (doc, example, default, enum) whose
// value does not fit its field, or two authenticators of one name.
func (api *API) Add(controller, name, path string, h http.Handler) *Action {
	if api.Schemas == nil {
		api.Schemas = map[string]*Schema{}
	}
	if api.names == nil {
		api.names = map[typeKey]string{}
	}
	a := &Action{Controller: controller, Name: name, Path: path, Params: &Schema{Type: "object"}, Result: &Schema{}}
	info, ok := Info(h)
	if ok {
		o := info.Options
		a.Described, a.Title, a.Description, a.Strict, a.Auth = true, o.Title, o.Description, o.Strict, o.Auth
		a.ParamsType, a.ResultType = info.Params, info.Result
		if info.Params != nil {
			a.Params = api.schemaOf(info.Params, input)
			a.Params.Nullable = false // an empty body means {}; null is refused
			a.Params.Closed = a.Strict && a.Params.Type == "object" && a.Params.AdditionalProperties == nil
		}
		if info.Result != nil {
			a.Result = api.schemaOf(info.Result, output)
		}
		for _, e := range o.Errors {
			a.Errors = appendError(a.Errors, DescribeError(e))
		}
		if o.Auth != nil {
			api.addAuthenticator(o.Auth)
			for _, e := range o.Auth.Errors {
				d := DescribeError(e)
				d.Authenticator = o.Auth.Name
				a.Errors = appendError(a.Errors, d)
			}
		}
	}
	api.Actions = append(api.Actions, a)
	return a
}

// appendError appends e to errs unless errs has an error of its status
// and code.
func appendError(errs []Error, e Error) []Error {
	if slices.ContainsFunc(errs, func(d Error) bool { return d.Status == e.Status && d.Code == e.Code }) {
		return errs
	}
	return append(errs, e)
}

func (api *API) addAuthenticator(auth *envelope.Authenticator) {
	for _, known := range api.Authenticators {
		if known == auth {
			return
		}
		if known.Name == auth.Name {
			panic("apidoc: two authenticators are named " + auth.Name)
		}
	}
	api.Authenticators = append(api.Authenticators, auth)
}

// Info returns the description of the action h serves: h's own, or that of
// the handler it wraps, found through Unwrap() http.Handler methods. ok is
// false when there is none.
func Info(h http.Handler) (info envelope.ActionInfo, ok bool) {
	// A bound on the walk, in case of a handler that unwraps to itself.
	for range 1000 {
		if d, ok := h.(envelope.Describer); ok {
			return d.DescribeAction(), true
		}
		u, ok := h.(interface{ Unwrap() http.Handler })
		if !ok {
			break
		}
		if h = u.Unwrap(); h == nil {
			break
		}
	}
	return envelope.ActionInfo{}, false
}

// OperationID is the action's name in generated clients: the controller
// and the action in camel case, such as sendMessage for send/message.
func (a *Action) OperationID() string {
	var b strings.Builder
	upper := false
	for _, c := range a.Controller + "/" + a.Name {
		switch {
		case c == '/' || c == '-' || c == '_':
			upper = b.Len() > 0
		case upper:
			b.WriteString(strings.ToUpper(string(c)))
			upper = false
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// AllErrors returns the errors the action can answer with, in the 200
// answer: its declared errors, then the toolkit's (ToolkitErrors).
func (api *API) AllErrors(a *Action) []Error {
	all := slices.Clone(a.Errors)
	for _, e := range api.ToolkitErrors() {
		all = appendError(all, e)
	}
	return all
}
