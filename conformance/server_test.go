package conformance_test

// A reference server that keeps the contract, built only from the toolkit's
// envelope package and its Envelope and Params middleware, and the broken
// variants the suite must catch.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apienvelope/apienvelope/conformance"
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

const (
	actionPath = "/api/v1/send/message"
	panicPath  = "/api/v1/debug/panic"
)

type sendParams struct {
	To      []string `json:"to" envelope:"required"`
	Subject string   `json:"subject"`
	Page    int      `json:"page"`
}

// refOptions are the suite options that describe the reference server.
func refOptions(s *refServer) conformance.Options {
	return conformance.Options{
		Action:        actionPath,
		Params:        `{"to":["a@example.test"],"subject":"hi","page":1}`,
		IntField:      "page",
		RequiredField: "to",
		Strict:        true,
		ToolkitCodes:  true,
		PlainHTTP:     "308",
		Maintenance:   s.maintenance.Store,
		Wrap:          wrap,

		TrustedProxyAddr: "198.51.100.7:41000",
		PanicAction:      panicPath,
		PanicValue:       "boom",
		Production:       true,
	}
}

// refServer serves send/message the way CONTRACT.md says; its fields break it.
type refServer struct {
	maintenance atomic.Bool
	// trustAnyForwardedProto believes X-Forwarded-Proto from anyone (R2).
	trustAnyForwardedProto bool
	// notFound answers unknown actions with a plain 404 (S6).
	notFound bool
	// readsPlainBody reads the body of a plain-HTTP request before
	// redirecting it (R2).
	readsPlainBody bool
	// plainPortRedirect redirects to https at the plain-HTTP port the
	// request came in on (R2).
	plainPortRedirect bool
	// trusted lists the proxies believed about HTTPS.
	trusted []netip.Prefix
	// httpsPort is the port redirects go to; "" leaves it out (443).
	httpsPort string
}

// docProxy is the documentation network refOptions' TrustedProxyAddr is in.
var docProxy = netip.MustParsePrefix("198.51.100.0/24")

// wrap is the middleware around every handler: the envelope and recovery.
func wrap(h http.Handler) http.Handler {
	return middleware.Envelope(middleware.EnvelopeOptions{Logger: slog.New(slog.DiscardHandler)})(recoverPanics(h))
}

func (s *refServer) handler() http.Handler {
	action := envelope.ActionWith(envelope.ActionOptions{Strict: true},
		func(_ context.Context, p sendParams) (map[string]any, error) {
			return map[string]any{"message_id": 42, "to": p.To}, nil
		})
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.maintenance.Load() {
			envelope.Fail(w, r, envelope.Unavailable("Down for maintenance", 2*time.Minute))
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST, OPTIONS")
			envelope.Fail(w, r, envelope.NewError(envelope.CodeMethodNotAllowed, "Only POST is allowed"))
			return
		}
		if r.URL.Path == panicPath {
			panic("boom")
		}
		if r.URL.Path != actionPath {
			envelope.Fail(w, r, envelope.NewError(envelope.CodeUnknownAction, "No such action"))
			return
		}
		middleware.Params(middleware.ParamsOptions{})(action).ServeHTTP(w, r)
	})
	enveloped := wrap(inner)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		https := r.TLS != nil || s.trustAnyForwardedProto && r.Header.Get("X-Forwarded-Proto") == "https" ||
			s.fromTrustedProxy(r) && (r.Header.Get("X-Forwarded-Proto") == "https" || strings.Contains(r.Header.Get("Forwarded"), "proto=https"))
		if !https {
			if s.readsPlainBody {
				_, _ = io.Copy(io.Discard, r.Body)
			}
			host, port, err := net.SplitHostPort(r.Host)
			if err != nil {
				host, port = r.Host, "80"
			}
			switch {
			case s.plainPortRedirect:
				host = net.JoinHostPort(host, port)
			case s.httpsPort != "":
				host = net.JoinHostPort(host, s.httpsPort)
			}
			w.Header().Set("Location", "https://"+host+r.URL.RequestURI())
			w.WriteHeader(http.StatusPermanentRedirect) //envelopevet:allow R2's bodyless redirect is outside the envelope
			return
		}
		if s.notFound && r.URL.Path != actionPath {
			http.NotFound(w, r) //envelopevet:allow the broken server under test
			return
		}
		enveloped.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic into the 500 envelope, except
// http.ErrAbortHandler, which must still abort.
func recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				envelope.Fail(w, r, errors.New("panic"))
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// rewrite passes every answer of h through edit, fixing Content-Length:
// how the broken servers that mangle envelopes are made.
func rewrite(h http.Handler, edit func([]byte) []byte) http.Handler {
	return rewriteAll(h, func(_ http.Header, code int, body []byte) (int, []byte) { return code, edit(body) })
}

// rewriteAll lets edit change the headers, the status and the body.
func rewriteAll(h http.Handler, edit func(h http.Header, code int, body []byte) (int, []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		code, body := edit(w.Header(), rec.Code, rec.Body.Bytes())
		if w.Header().Get("Content-Length") != "" {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		}
		w.WriteHeader(code)  //envelopevet:allow the broken server under test
		_, _ = w.Write(body) //envelopevet:allow the broken server under test
	})
}

// dropFlags removes "flags" from every envelope.
func dropFlags(body []byte) []byte {
	return bytes.Replace(body, []byte(`,"flags":{}`), nil, 1)
}

// sortKeys re-encodes every envelope with its keys in alphabetical order.
func sortKeys(body []byte) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return body
	}
	out, _ := json.Marshal(m)
	return out
}

// problems lists every problem of every failed case.
func problems(rep *conformance.Report) string {
	var b strings.Builder
	for _, r := range rep.Results {
		if r.Outcome == conformance.Fail {
			b.WriteString(r.String() + "\n")
		}
	}
	return b.String()
}

func (s *refServer) fromTrustedProxy(r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	for _, p := range s.trusted {
		if p.Contains(ap.Addr()) {
			return true
		}
	}
	return false
}
