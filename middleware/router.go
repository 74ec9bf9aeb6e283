package middleware

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/julienschmidt/httprouter"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/docsite"
	"github.com/apienvelope/apienvelope/envelope"
)

// RouterOptions configures a Router. The zero value serves actions at
// /api/v1/<controller>/<action>, with no CORS and no HTTPS requirement.
type RouterOptions struct {
	// Prefix is the first segment of every action's path; empty means "api".
	Prefix string
	// Version is the second segment; empty means "v1".
	Version string
	// Envelope configures the envelope every answer is written in.
	Envelope EnvelopeOptions
	// Recover configures what happens to panics.
	Recover RecoverOptions
	// CORS lets web pages on other origins call the actions.
	CORS CORSOptions
	// HTTPS, when set, keeps plain HTTP out, in front of everything else.
	// Nil serves plain HTTP too: for development, or behind a proxy that
	// enforces HTTPS itself.
	HTTPS *HTTPSOptions
	// Middleware is applied around every request, outermost first, inside
	// Envelope and Recover, before the method is checked and the request
	// routed: Maintenance belongs here. Middleware that reads the body,
	// such as Params, belongs around an action's handler (see Chain), so
	// that it never runs for an unknown action or another method.
	Middleware []Middleware
	// Docs configures the documentation the router serves.
	Docs DocsOptions
}

// DocsOptions configures the documentation a Router serves, with GET, at
// /<prefix>/docs/<version>/: the documentation site (see docsite), whose
// welcome page is that path itself, openapi.json, the API's OpenAPI 3.1
// document, and openapi-3.0.json, its 3.0 rendering. The zero value
// serves them.
type DocsOptions struct {
	// Off serves no documentation: its paths get the envelopes any other
	// path gets.
	Off bool
	// Title and Description introduce the API; the title defaults to
	// "API".
	Title       string
	Description string
	// Contact is where the welcome page's "contact our team" links to: an
	// https, http or mailto URL. NewRouter panics on another.
	Contact string
}

// Router serves actions at /<prefix>/<version>/<controller>/<action>
// (CONTRACT R1), on httprouter, with every answer in an envelope: an
// unknown action gets status error, code UnknownAction; a method other than
// POST gets MethodNotAllowed, or the CORS preflight answer (see PostOnly); a
// panic gets the 500 envelope. Paths are taken as they come: a trailing slash or
// different case is an unknown action, never a redirect.
//
// Every request goes through, outermost first: RequireHTTPS (when
// RouterOptions.HTTPS is set), Envelope, Recover, RouterOptions.Middleware,
// PostOnly, then the action. An Envelope the router is mounted inside takes
// the place of its own.
//
// The router also serves the API's description, made from what each action
// declares (see Describe and apidoc), with GET, outside the envelope, at
// /<prefix>/docs/<version>/: the documentation site (package docsite), whose
// welcome page is that path itself, and the OpenAPI documents openapi.json
// (3.1) and openapi-3.0.json (see DocsOptions).
//
// Register every action before serving: Action is not safe for use
// concurrently with ServeHTTP.
type Router struct {
	prefix  string
	mux     *httprouter.Router
	handler http.Handler
	actions []registered
	api     apidoc.API // what Describe starts from: the API's own words
	checked apidoc.API // every action described as it is registered

	docsPrefix string       // empty when DocsOptions.Off
	docsServer *docs        // what is served under docsPrefix
	docs       http.Handler // docsServer behind RequireHTTPS
}

// registered is an action as it was registered, for Describe.
type registered struct {
	controller, action, path string
	h                        http.Handler
}

// NewRouter returns a router with no actions. It panics if opts holds an
// invalid prefix, version, CORS or HTTPS setting.
func NewRouter(opts RouterOptions) *Router {
	prefix, version := opts.Prefix, opts.Version
	if prefix == "" {
		prefix = "api"
	}
	if version == "" {
		version = "v1"
	}
	mustBeName("prefix", prefix)
	mustBeName("version", version)
	mux := &httprouter.Router{NotFound: http.HandlerFunc(unknownAction)}
	var chain Chain
	if opts.HTTPS != nil {
		chain = chain.Append(RequireHTTPS(*opts.HTTPS))
	}
	chain = chain.Append(Envelope(opts.Envelope), Recover(opts.Recover)).
		Append(opts.Middleware...).
		Append(PostOnly(PostOnlyOptions{CORS: opts.CORS}))
	rt := &Router{
		prefix:  "/" + prefix + "/" + version + "/",
		mux:     mux,
		handler: chain.Then(mux),
		api: apidoc.API{
			Title:       opts.Docs.Title,
			Description: opts.Docs.Description,
			Version:     version,
			PlainHTTP:   plainHTTPAnswer(opts.HTTPS),
		},
	}
	rt.api.Prefix = rt.prefix
	if !opts.Docs.Off {
		rt.docsPrefix = "/" + prefix + "/docs/" + version + "/"
		rt.api.DocsPath = rt.docsPrefix
		var docsChain Chain
		if opts.HTTPS != nil {
			docsChain = docsChain.Append(RequireHTTPS(*opts.HTTPS))
		}
		if opts.Docs.Contact != "" {
			// The site refuses it too, at the first request: here the
			// mistake shows at start.
			if err := (docsite.Options{Contact: opts.Docs.Contact}).Check(); err != nil {
				panic("middleware: NewRouter: DocsOptions.Contact: " + err.Error())
			}
		}
		rt.docsServer = &docs{describe: rt.Describe, prefix: rt.docsPrefix, contact: opts.Docs.Contact}
		rt.docs = docsChain.Then(rt.docsServer)
	}
	return rt
}

// plainHTTPAnswer is the HTTP status plain HTTP gets, for apidoc.API.
func plainHTTPAnswer(o *HTTPSOptions) int {
	switch {
	case o == nil:
		return 0
	case o.Reject:
		return http.StatusOK
	case o.RedirectStatus != 0:
		return o.RedirectStatus
	}
	return http.StatusPermanentRedirect
}

// Action registers h as the action at /<prefix>/<version>/controller/action.
// Names are made of ASCII letters, digits, "_" and "-" and start with a
// letter. Action panics on an invalid name, a nil handler, an action
// registered twice, or one whose description is wrong (see apidoc.API.Add).
//
// h describes itself when envelope.ActionWith made it, also inside the
// middleware of a Chain; any other handler is documented as an action of
// unknown parameters and result.
func (rt *Router) Action(controller, action string, h http.Handler) {
	mustBeName("controller", controller)
	mustBeName("action", action)
	if h == nil {
		panic("middleware: Router.Action: nil handler for " + controller + "/" + action)
	}
	path := rt.prefix + controller + "/" + action
	if found, _, _ := rt.mux.Lookup(http.MethodPost, path); found != nil {
		panic("middleware: Router.Action: " + controller + "/" + action + " is registered twice")
	}
	// Describing it now makes a wrong description fail at start.
	rt.checked.Add(controller, action, path, h)
	rt.mux.Handler(http.MethodPost, path, h)
	rt.actions = append(rt.actions, registered{controller, action, path, h})
}

// Describe returns the description of the API: every action registered, in
// the order of registration, with what it describes of itself. Each call
// makes a new one.
func (rt *Router) Describe() *apidoc.API {
	api := rt.api
	for _, a := range rt.actions {
		api.Add(a.controller, a.action, a.path, a.h)
	}
	return &api
}

// ActionFunc is Action for a handler function.
func (rt *Router) ActionFunc(controller, action string, fn http.HandlerFunc) {
	if fn == nil {
		panic("middleware: Router.ActionFunc: nil handler for " + controller + "/" + action)
	}
	rt.Action(controller, action, fn)
}

// ServeHTTP serves the request with the action its path names, or, for a
// GET or HEAD under the documentation's path, with the documentation.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rt.docs != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
		strings.HasPrefix(r.URL.Path, rt.docsPrefix) && rt.docsServer.serves(r.URL.Path[len(rt.docsPrefix):]) {
		rt.docs.ServeHTTP(w, r)
		return
	}
	rt.handler.ServeHTTP(w, r)
}

func unknownAction(w http.ResponseWriter, r *http.Request) {
	envelope.Fail(w, r, envelope.NewError(envelope.CodeUnknownAction,
		"There is no action at "+strconv.Quote(r.URL.Path)))
}

// mustBeName panics unless s is a letter followed by letters, digits, "_"
// and "-": names that need no escaping in a path and that httprouter does
// not read as parameters.
func mustBeName(what, s string) {
	valid := s != ""
	for i := 0; i < len(s) && valid; i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		valid = letter || i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '-')
	}
	if !valid {
		panic("middleware: Router: invalid " + what + " " + strconv.Quote(s) + ": use ASCII letters, digits, _ and -, starting with a letter")
	}
}
