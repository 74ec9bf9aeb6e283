package envelope

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Declare returns the declaration of an error that actions can return, to
// be kept in a package-level variable and listed in ActionOptions.Errors:
//
//	var ErrMessageNotFound = envelope.Declare(envelope.StatusNotFound,
//		"MessageNotFound", "No message found matching ID {id}", "id")
//
// message describes the error for the documentation and is the message
// sent; a {name} in it is filled by [Error.With] from the attribute of that
// name. attributes name the error's own fields, sent beside code and
// message: null until With sets them.
//
// The result is an *Error like any other: an action returns it, or a copy
// made by With, and errors.Is(err, ErrMessageNotFound) matches every copy
// by status and code.
//
// Declare panics, so that a mistake shows when the program starts, if
// status is not one an action can answer with (parameter-error,
// validation-error, access-denied, not-found or error), code is not
// CamelCase (an upper-case ASCII letter, then letters and digits), message
// is empty or has a placeholder that names no attribute, or an attribute
// name is not an identifier, is given twice, or is one of the keys the
// envelope writes itself (code, message, field, errors).
func Declare(status Status, code, message string, attributes ...string) *Error {
	where := "envelope: Declare(" + strconv.Quote(code) + "): "
	if !declarable(status) {
		panic(where + "status " + strconv.Quote(string(status)) + " is not one an action answers with: use parameter-error, validation-error, access-denied, not-found or error")
	}
	if !camelCase(code) {
		panic(where + "the code must be CamelCase: an upper-case ASCII letter, then ASCII letters and digits")
	}
	if strings.TrimSpace(message) == "" {
		panic(where + "the message is empty: it is what the documentation says of the error")
	}
	var attrs map[string]any
	for _, name := range attributes {
		switch {
		case !identifier(name):
			panic(where + "attribute " + strconv.Quote(name) + " is not an identifier (ASCII letters, digits and _, not starting with a digit)")
		case reservedDataKeys[name]:
			panic(where + "attribute " + strconv.Quote(name) + " would shadow the envelope's own key")
		}
		if _, dup := attrs[name]; dup {
			panic(where + "attribute " + strconv.Quote(name) + " is given twice")
		}
		if attrs == nil {
			attrs = make(map[string]any, len(attributes))
		}
		attrs[name] = nil
	}
	for _, name := range placeholders(message) {
		if _, ok := attrs[name]; !ok {
			panic(where + "the message's {" + name + "} names no attribute")
		}
	}
	return &Error{Status: status, Code: code, Message: message, Attributes: attrs}
}

// With returns a copy of e with the attribute name set to value, and every
// {name} in its message replaced by the value's text. It panics if e
// declares no attribute of that name: the declaration lists what clients
// may rely on. e itself, usually a package-level declaration, is left as
// it was.
func (e *Error) With(name string, value any) *Error {
	if _, ok := e.Attributes[name]; !ok {
		panic("envelope: Error.With: " + e.Code + " declares no attribute " + strconv.Quote(name))
	}
	c := *e
	c.Attributes = maps.Clone(e.Attributes)
	c.Attributes[name] = value
	c.Message = strings.ReplaceAll(e.Message, "{"+name+"}", placeholderText(value))
	return &c
}

// placeholderText is a value as a message shows it: raw JSON and byte
// slices as their text, anything else as fmt prints it.
func placeholderText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.RawMessage:
		return string(v)
	case []byte:
		return string(v)
	}
	return fmt.Sprint(v)
}

// placeholders returns the names of the {name} placeholders in message;
// braces around anything but an identifier are text.
func placeholders(message string) []string {
	var names []string
	for {
		open := strings.IndexByte(message, '{')
		if open < 0 {
			return names
		}
		message = message[open+1:]
		end := strings.IndexByte(message, '}')
		if end < 0 {
			return names
		}
		if identifier(message[:end]) {
			names = append(names, message[:end])
			message = message[end+1:]
		}
	}
}

// declarable reports whether actions may declare errors of status s: the
// statuses sent with HTTP 200. The 500 and 503 answers belong to the
// toolkit, which documents them for every action.
func declarable(s Status) bool {
	switch s {
	case StatusParameterError, StatusValidationError, StatusAccessDenied, StatusNotFound, StatusError:
		return true
	}
	return false
}

func camelCase(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func identifier(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Authenticator is a rule that decides who may call an action, declared
// once and named by the actions it guards (ActionOptions.Auth). Its errors
// join the declared errors of every action that uses it.
type Authenticator struct {
	// Name identifies it in the documentation, such as ServerAPIKey:
	// ASCII letters, digits and _, starting with a letter.
	Name string
	// Header is the request header the caller's credential goes in, such
	// as X-Server-API-Key; the documentation names it. Empty when the
	// credential is not in one header.
	Header string
	// Description tells callers how to authenticate.
	Description string
	// Errors are the errors Check can return.
	Errors []*Error
	// Check runs before the action reads its parameters. An error is the
	// answer and the action does not run. Otherwise the context it returns
	// is the one the action runs with, carrying whatever Check learnt about
	// the caller; nil keeps the request's own.
	Check func(r *http.Request) (context.Context, error)
}

// check runs a.Check and returns the request the action goes on with.
func (a *Authenticator) check(r *http.Request) (*http.Request, error) {
	ctx, err := a.Check(r)
	if err != nil {
		return r, err
	}
	if ctx != nil && ctx != r.Context() {
		r = r.WithContext(ctx)
	}
	return r, nil
}

// ActionInfo is what an action tells about itself: its options, and the
// Go types of its parameters and its result (nil where unknown). The
// apidoc package makes the API's description from it.
type ActionInfo struct {
	Options ActionOptions
	Params  reflect.Type
	Result  reflect.Type
}

// Describer is implemented by the handlers that Action, ActionWith and
// HandlerWith return, and by middleware that passes the description of
// what it wraps on.
type Describer interface {
	DescribeAction() ActionInfo
}

// HandlerWith describes an existing handler h as an action whose
// parameters are a P and whose result is an R, so that it is documented
// like the actions of ActionWith. h serves the request as it is: its
// parameters are not decoded for it, and what it writes is translated as
// the Envelope middleware translates it. With opts.Auth set, the
// authenticator's Check runs first.
//
// HandlerWith panics if h is nil, or if opts asks for what only ActionWith
// does (Strict), or as ActionWith panics on opts.
func HandlerWith[P, R any](opts ActionOptions, h http.Handler) http.Handler {
	if h == nil {
		panic("envelope: HandlerWith: nil handler")
	}
	if opts.Strict {
		panic("envelope: HandlerWith: Strict needs ActionWith, which decodes the parameters")
	}
	mustBeValidOptions("HandlerWith", opts)
	return &described{h: h, info: ActionInfo{Options: opts, Params: reflect.TypeFor[P](), Result: reflect.TypeFor[R]()}}
}

type described struct {
	h    http.Handler
	info ActionInfo
}

func (d *described) DescribeAction() ActionInfo { return d.info }

func (d *described) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if auth := d.info.Options.Auth; auth != nil {
		var err error
		if r, err = auth.check(r); err != nil {
			failDeclared(w, r, d.info.Options, err)
			return
		}
	}
	d.h.ServeHTTP(w, r)
}

// mustBeValidOptions panics on declarations that cannot be documented.
func mustBeValidOptions(fn string, opts ActionOptions) {
	for i, e := range opts.Errors {
		mustBeDeclarable(fn+": ActionOptions.Errors["+strconv.Itoa(i)+"]", e)
	}
	a := opts.Auth
	if a == nil {
		return
	}
	if !identifier(a.Name) || a.Name[0] == '_' {
		panic("envelope: " + fn + ": Authenticator.Name " + strconv.Quote(a.Name) + " must be ASCII letters, digits and _, starting with a letter")
	}
	if a.Check == nil {
		panic("envelope: " + fn + ": Authenticator " + a.Name + " has no Check")
	}
	for i, e := range a.Errors {
		mustBeDeclarable(fn+": Authenticator "+a.Name+": Errors["+strconv.Itoa(i)+"]", e)
	}
}

func mustBeDeclarable(where string, e *Error) {
	switch {
	case e == nil:
		panic("envelope: " + where + " is nil")
	case !declarable(e.status()):
		panic("envelope: " + where + ": status " + strconv.Quote(string(e.status())) + " cannot be declared")
	case !camelCase(e.Code):
		panic("envelope: " + where + ": code " + strconv.Quote(e.Code) + " is not CamelCase")
	}
}

// failDeclared sends err as Fail does. In development mode it first logs
// an error whose code the action does not declare (CONTRACT V4), so that the
// declaration is fixed before clients meet the code.
func failDeclared(w http.ResponseWriter, r *http.Request, opts ActionOptions, err error) {
	if e := asError(err); e != nil && !declares(opts, e) {
		if ex := fromContext(r.Context()); ex != nil && ex.opts.Development {
			ex.opts.logger().LogAttrs(r.Context(), slog.LevelWarn, "envelope: the action returned an error it does not declare",
				slog.String("action", r.URL.Path),
				slog.String("status", string(e.status())),
				slog.String("code", e.Code))
		}
	}
	Fail(w, r, err)
}

// declares reports whether e is among the errors an action with opts can
// answer with: its own, its authenticator's, the toolkit's parameter
// errors, which any action can meet, and the 500 and 503 answers.
func declares(opts ActionOptions, e *Error) bool {
	switch e.status() {
	case StatusInternalServerError, StatusServiceUnavailable:
		return true
	case StatusParameterError:
		if slices.Contains(toolkitParameterCodes, e.Code) {
			return true
		}
	}
	match := func(d *Error) bool { return d.status() == e.status() && d.Code == e.Code }
	if slices.ContainsFunc(opts.Errors, match) {
		return true
	}
	return opts.Auth != nil && slices.ContainsFunc(opts.Auth.Errors, match)
}

// ToolkitParameterCodes returns the codes of the parameter errors the
// toolkit itself sends when it reads an action's parameters (CONTRACT R5).
// Every action can answer with them, so none needs to declare them.
func ToolkitParameterCodes() []string { return slices.Clone(toolkitParameterCodes) }

var toolkitParameterCodes = []string{
	CodeMalformedJSON,
	CodeParametersNotObject,
	CodeTrailingData,
	CodeBodyTooLarge,
	CodeUnsupportedContentType,
	CodeInvalidUTF8,
	CodeNestingTooDeep,
	CodeDuplicateParameter,
	CodeMissingParameter,
	CodeInvalidParameterType,
	CodeUnknownParameter,
	CodeInvalidParameter,
	CodeIncompleteBody,
	CodeMalformedForm,
}
