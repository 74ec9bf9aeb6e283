package demo

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime"
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
	// Dev shows panics and their stacks in 500 answers and adds the debug
	// actions, debug/panic and debug/memory.
	Dev bool
	// Debug adds the debug actions without Dev: debug/panic's 500 then
	// shows nothing of the panic, which probes check.
	Debug bool
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
	// send parameters this one lacks, keep working. Every action checks
	// the API key first, before its body is read, as Postal does: a caller
	// without the key learns nothing from its parameters. The typed actions
	// read their parameters themselves; messages/deliveries, an existing
	// handler, has them read and checked by the Params middleware.
	auth := serverAPIKey(cfg.APIKey)
	actions := []struct {
		controller, action string
		handler            http.Handler
	}{
		{"send", "message", envelope.ActionWith(envelope.ActionOptions{
			Title:       "Send a message",
			Description: "Sends a message made of the given parts to every recipient in to, cc and bcc. The checks run in Postal's order and the first failure is the answer.",
			Auth:        auth,
			Errors: []*envelope.Error{
				ErrNoRecipients, ErrTooManyToAddresses, ErrTooManyCCAddresses, ErrTooManyBCCAddresses,
				ErrNoContent, ErrFromAddressMissing, ErrAttachmentMissingName, ErrAttachmentMissingData,
			},
		}, d.sendMessage)},
		{"send", "raw", envelope.ActionWith(envelope.ActionOptions{
			Title:       "Send a raw message",
			Description: "Sends a complete RFC 5322 message, as it is, to every recipient in rcpt_to.",
			Auth:        auth,
		}, d.sendRaw)},
		{"messages", "message", envelope.ActionWith(envelope.ActionOptions{
			Title:       "Get a message",
			Description: "Returns a stored message: its id and token, and the parts _expansions asks for.",
			Auth:        auth,
			Errors:      []*envelope.Error{ErrMessageNotFound},
		}, d.message)},
		{"messages", "deliveries", envelope.HandlerWith[deliveriesParams, []deliveryJSON](envelope.ActionOptions{
			Title:       "List a message's deliveries",
			Description: "Returns the delivery attempts of a stored message. The demo never delivers, so the list is empty.",
			Auth:        auth,
			Errors:      []*envelope.Error{ErrDeliveriesBadRequest, ErrDeliveriesNotFound},
		}, middleware.Params(middleware.ParamsOptions{})(http.HandlerFunc(d.deliveries)))},
		{"messages", "list", envelope.ActionWith(envelope.ActionOptions{
			Title:       "List messages",
			Description: "Returns stored messages, oldest first, a page at a time, with the paginated flag. Postal has no such action.",
			Auth:        auth,
		}, d.list)},
	}
	if cfg.Dev || cfg.Debug {
		actions = append(actions, []struct {
			controller, action string
			handler            http.Handler
		}{
			{"debug", "panic", envelope.HandlerWith[struct{}, any](envelope.ActionOptions{
				Title:       "Panic",
				Description: "With -dev or -debug only: panics, to show the 500 envelope; with -dev it carries the panic's value and stack, without it shows nothing of them.",
				Auth:        auth,
			}, http.HandlerFunc(debugPanic))},
			{"debug", "memory", envelope.ActionWith(envelope.ActionOptions{
				Title:       "Memory",
				Description: "With -dev or -debug only: the heap in use after a garbage collection, for the attack run.",
				Auth:        auth,
			}, debugMemory)},
		}...)
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
		Docs: middleware.DocsOptions{
			Title:       "Demo mail API",
			Description: "A mail-sending API that speaks the send API of the Postal mail server, from memory: it stores messages and never delivers them.",
		},
	})
	for _, a := range actions {
		r.Action(a.controller, a.action, a.handler)
	}
	return r, d
}

// Postal's answers to a missing or wrong X-Server-API-Key, word for word,
// both with status error.
var (
	ErrAccessDenied        = envelope.Declare(envelope.StatusError, "AccessDenied", "Must be authenticated as a server.")
	ErrInvalidServerAPIKey = envelope.Declare(envelope.StatusError, "InvalidServerAPIKey", "The API token provided in X-Server-API-Key was not valid.", "token")
)

// serverAPIKey checks X-Server-API-Key as Postal does: AccessDenied when
// there is no key, InvalidServerAPIKey (carrying the key it was given) when
// it is wrong.
func serverAPIKey(key string) *envelope.Authenticator {
	// Comparing digests keeps the comparison constant-time whatever the
	// length of what the client sends.
	want := sha256.Sum256([]byte(key))
	return &envelope.Authenticator{
		Name:        "ServerAPIKey",
		Header:      "X-Server-API-Key",
		Description: "The server's API key, which the demo prints when it starts (or the one given with -api-key).",
		Errors:      []*envelope.Error{ErrAccessDenied, ErrInvalidServerAPIKey},
		Check: func(r *http.Request) (context.Context, error) {
			got := r.Header.Get("X-Server-API-Key")
			if strings.TrimSpace(got) == "" {
				return nil, ErrAccessDenied
			}
			sum := sha256.Sum256([]byte(got))
			if key == "" || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
				return nil, ErrInvalidServerAPIKey.With("token", got)
			}
			return nil, nil
		},
	}
}

// memoryJSON is the answer of debug/memory.
type memoryJSON struct {
	// HeapAlloc is the bytes of live heap objects, just after a garbage
	// collection.
	HeapAlloc uint64 `json:"heap_alloc"`
	// HeapSys is the bytes of heap the runtime holds from the system.
	HeapSys uint64 `json:"heap_sys"`
	// Goroutines is the number of goroutines.
	Goroutines int `json:"goroutines"`
}

// debugMemory exists only with -dev or -debug: the heap in use, measured
// after a garbage collection, so that the attack run can tell what one
// slow connection costs the server.
func debugMemory(context.Context, struct{}) (memoryJSON, error) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memoryJSON{HeapAlloc: ms.HeapAlloc, HeapSys: ms.HeapSys, Goroutines: runtime.NumGoroutine()}, nil
}

// debugPanic exists only with -dev or -debug, to show the 500
// envelope: with -dev it carries the panic's value and stack; without,
// a generic message (CONTRACT S7), which envelopeprobe -production checks.
func debugPanic(http.ResponseWriter, *http.Request) {
	panic(debugPanicValue)
}

// debugPanicValue is what debug/panic panics with.
const debugPanicValue = "debug/panic was called"
