package middleware

import (
	"net/http"
	"strconv"

	"github.com/julienschmidt/httprouter"

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
// Register every action before serving: Action is not safe for use
// concurrently with ServeHTTP.
type Router struct {
	prefix  string
	mux     *httprouter.Router
	handler http.Handler
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
	return &Router{
		prefix:  "/" + prefix + "/" + version + "/",
		mux:     mux,
		handler: chain.Then(mux),
	}
}

// Action registers h as the action at /<prefix>/<version>/controller/action.
// Names are made of ASCII letters, digits, "_" and "-" and start with a
// letter. Action panics on an invalid name, a nil handler, or an action
// registered twice.
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
	rt.mux.Handler(http.MethodPost, path, h)
}

// ActionFunc is Action for a handler function.
func (rt *Router) ActionFunc(controller, action string, fn http.HandlerFunc) {
	if fn == nil {
		panic("middleware: Router.ActionFunc: nil handler for " + controller + "/" + action)
	}
	rt.Action(controller, action, fn)
}

// ServeHTTP serves the request with the action its path names.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
