package demo

import (
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apienvelope/apienvelope/apidoc"
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// Config is what New needs; the demo command fills it from its flags.
type Config struct {
	// APIKey is the one key X-Server-API-Key must carry.
	APIKey string
	// HTTPSPort is the port plain-HTTP requests are redirected to; 0
	// means 443.
	HTTPSPort int
	// TrustedProxies may tell, with X-Forwarded-Proto or Forwarded, that a
	// plain-HTTP request reached them over HTTPS.
	TrustedProxies []netip.Prefix
	// Maintenance starts the demo in maintenance mode.
	Maintenance bool
	// Dev shows panics and their stacks in 500 answers and adds the
	// debug/panic action.
	Dev bool
	// Domain ends the Message-IDs of sent messages.
	Domain string
	// Logger receives the access log and unanticipated errors; nil
	// discards them.
	Logger *slog.Logger
}

// maintenanceRetryAfter is the Retry-After sent in maintenance mode: the
// demo has no idea when maintenance ends, so it asks for a short wait.
const maintenanceRetryAfter = 30 * time.Second

// demo is the state behind the actions.
type demo struct {
	store       *store
	domain      string
	maintenance atomic.Bool
}

// Server is the demo API: the handler of both the HTTPS and the plain
// listener (on plain HTTP it only redirects), and its description.
type Server struct {
	router *middleware.Router
	demo   *demo
}

// New returns the demo API, with no messages yet.
func New(cfg Config) *Server {
	router, d := newServer(cfg)
	return &Server{router: router, demo: d}
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// Describe returns the description of the API, from which its OpenAPI
// document is made.
func (s *Server) Describe() *apidoc.API { return s.router.Describe() }

// Maintenance reports whether the demo is in maintenance mode.
func (s *Server) Maintenance() bool { return s.demo.maintenance.Load() }

// SetMaintenance turns maintenance mode on or off: in maintenance mode
// every action gets the 503 answer.
func (s *Server) SetMaintenance(on bool) { s.demo.maintenance.Store(on) }

// newServer builds the demo's router. Tests serve it in-process; the
// demo's state comes back so that they can reach it.
func newServer(cfg Config) (*middleware.Router, *demo) {
	d := &demo{store: newStore(), domain: cfg.Domain}
	if d.domain == "" {
		d.domain = "demoapi.localhost"
	}
	d.maintenance.Store(cfg.Maintenance)
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	// Postal ignores parameters it does not know, and so do these actions
	// (none is strict): clients written for another Postal version, which
	// send parameters this one lacks, keep working.
	actions := []struct {
		controller, action string
		handler            http.Handler
	}{
		{"send", "message", envelope.Action(d.sendMessage)},
		{"send", "raw", envelope.Action(d.sendRaw)},
		{"messages", "message", envelope.Action(d.message)},
		{"messages", "deliveries", http.HandlerFunc(d.deliveries)},
		{"messages", "list", envelope.Action(d.list)},
	}
	if cfg.Dev {
		actions = append(actions, struct {
			controller, action string
			handler            http.Handler
		}{"debug", "panic", http.HandlerFunc(debugPanic)})
	}

	r := middleware.NewRouter(middleware.RouterOptions{
		HTTPS: &middleware.HTTPSOptions{
			HTTPSPort:      cfg.HTTPSPort,
			TrustedProxies: cfg.TrustedProxies,
		},
		Envelope: middleware.EnvelopeOptions{
			TimeDecimals: 3, // Postal's rounding
			Development:  cfg.Dev,
			Logger:       logger,
			AccessLog:    logger,
		},
		Recover: middleware.RecoverOptions{Logger: logger},
		Middleware: []middleware.Middleware{
			middleware.Maintenance(middleware.MaintenanceOptions{
				On:         &d.maintenance,
				RetryAfter: maintenanceRetryAfter,
				Message:    "The demo is in maintenance mode",
			}),
		},
	})
	// Authentication comes before the body is read, as in Postal: a caller
	// without the key learns nothing from its parameters.
	perAction := middleware.NewChain(requireAPIKey(cfg.APIKey), middleware.Params(middleware.ParamsOptions{}))
	for _, a := range actions {
		r.Action(a.controller, a.action, perAction.Then(a.handler))
	}
	return r, d
}

// requireAPIKey checks X-Server-API-Key as Postal does, with Postal's codes
// and messages, both with status error: AccessDenied when there is no key,
// InvalidServerAPIKey (carrying the key it was given) when it is wrong.
func requireAPIKey(key string) func(http.Handler) http.Handler {
	// Comparing digests keeps the comparison constant-time whatever the
	// length of what the client sends.
	want := sha256.Sum256([]byte(key))
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got := r.Header.Get("X-Server-API-Key")
			if strings.TrimSpace(got) == "" {
				envelope.Fail(w, r, envelope.NewError("AccessDenied", "Must be authenticated as a server."))
				return
			}
			sum := sha256.Sum256([]byte(got))
			if key == "" || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
				e := envelope.NewError("InvalidServerAPIKey", "The API token provided in X-Server-API-Key was not valid.")
				e.Attributes = map[string]any{"token": got}
				envelope.Fail(w, r, e)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// debugPanic exists only with -dev, to show the 500 envelope and what
// development mode adds to it.
func debugPanic(http.ResponseWriter, *http.Request) {
	panic("debug/panic was called")
}
