package middleware

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/apienvelope/apienvelope/envelope"
)

// allowedMethods is the Allow header of every MethodNotAllowed answer
// (CONTRACT R3).
const allowedMethods = "POST, OPTIONS"

// PostOnlyOptions configures PostOnly. The zero value allows no
// cross-origin calls.
type PostOnlyOptions struct {
	// CORS lets web pages on other origins call the API.
	CORS CORSOptions
}

// CORSOptions configures the answers to cross-origin requests. CORS is on
// when AllowedOrigins is not empty.
type CORSOptions struct {
	// AllowedOrigins lists the origins whose pages may call the API, each
	// as scheme://host[:port], such as https://app.example.com; "*" allows
	// every origin.
	AllowedOrigins []string
	// AllowedHeaders lists the request headers pages may send besides
	// Content-Type, which is always allowed because every action takes JSON.
	AllowedHeaders []string
	// MaxAge, when positive, lets browsers cache a preflight answer this
	// long.
	MaxAge time.Duration
	// AllowCredentials lets pages send cookies and HTTP authentication. It
	// cannot be combined with "*": that would let every site on the web act
	// with the user's credentials.
	AllowCredentials bool
}

// PostOnly lets only POST requests through to the handler (CONTRACT R3). Any
// other method gets status error, code MethodNotAllowed, and the header
// Allow: POST, OPTIONS; the handler does not run.
//
// When CORS is on, OPTIONS gets the preflight answer instead: success with
// null data, HTTP 200. It grants the request (Access-Control-Allow-Origin
// and the rest) only to an allowed origin that asks for POST; browsers
// refuse the call otherwise. Answers to allowed origins, whatever their
// method, carry Access-Control-Allow-Origin too, so that pages can read
// them, and every answer varies by Origin. Without CORS, OPTIONS is just
// another method.
//
// The Access-Control-Allow-Origin header only ever holds "*" or one of
// AllowedOrigins (lowercased), never other bytes from the request.
// PostOnly panics if opts.CORS names an origin or header that is not
// valid, or combines "*" with AllowCredentials.
func PostOnly(opts PostOnlyOptions) Middleware {
	c := newCORS(opts.CORS)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if c != nil {
				allowed := c.grant(w.Header(), r.Header.Get("Origin"))
				if r.Method == http.MethodOptions {
					c.preflight(w.Header(), r, allowed)
					envelope.Success(w, r, nil)
					return
				}
			}
			if r.Method != http.MethodPost {
				methodNotAllowed(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", allowedMethods)
	envelope.Fail(w, r, envelope.NewError(envelope.CodeMethodNotAllowed,
		"Actions are called with POST, not "+r.Method))
}

// cors is CORSOptions checked and prepared once, for every request.
type cors struct {
	anyOrigin    bool
	origins      map[string]bool // lowercased
	allowHeaders string
	maxAge       string
	credentials  bool
}

// newCORS returns nil when CORS is off.
func newCORS(o CORSOptions) *cors {
	if len(o.AllowedOrigins) == 0 {
		return nil
	}
	c := &cors{origins: map[string]bool{}, credentials: o.AllowCredentials}
	for _, origin := range o.AllowedOrigins {
		if origin == "*" {
			c.anyOrigin = true
			continue
		}
		if !validOrigin(origin) {
			panic("middleware: CORS: origin " + strconv.Quote(origin) + " is not scheme://host[:port]")
		}
		c.origins[strings.ToLower(origin)] = true
	}
	if c.anyOrigin && c.credentials {
		panic(`middleware: CORS: AllowCredentials cannot be combined with the origin "*"`)
	}
	headers := []string{"Content-Type"}
	for _, h := range o.AllowedHeaders {
		if !isToken(h) {
			panic("middleware: CORS: " + strconv.Quote(h) + " is not a header name")
		}
		if !containsFold(headers, h) {
			headers = append(headers, h)
		}
	}
	c.allowHeaders = strings.Join(headers, ", ")
	if o.MaxAge > 0 {
		c.maxAge = strconv.FormatInt(int64((o.MaxAge+time.Second-1)/time.Second), 10)
	}
	return c
}

// grant sets the headers that let a page on origin read the answer, and
// reports whether origin is allowed.
func (c *cors) grant(h http.Header, origin string) bool {
	h.Add("Vary", "Origin")
	if origin == "" {
		return false
	}
	value := "*"
	if !c.anyOrigin {
		// Only a configured origin, which newCORS checked, is ever sent back.
		value = strings.ToLower(origin)
		if !c.origins[value] {
			return false
		}
	}
	h.Set("Access-Control-Allow-Origin", value)
	if c.credentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	return true
}

// preflight sets the headers that let an allowed origin go on with a POST.
func (c *cors) preflight(h http.Header, r *http.Request, allowed bool) {
	h.Add("Vary", "Access-Control-Request-Method")
	h.Add("Vary", "Access-Control-Request-Headers")
	h.Set("Allow", allowedMethods)
	if !allowed || r.Header.Get("Access-Control-Request-Method") != http.MethodPost {
		h.Del("Access-Control-Allow-Origin")
		h.Del("Access-Control-Allow-Credentials")
		return
	}
	h.Set("Access-Control-Allow-Methods", http.MethodPost)
	h.Set("Access-Control-Allow-Headers", c.allowHeaders)
	if c.maxAge != "" {
		h.Set("Access-Control-Max-Age", c.maxAge)
	}
}

// validOrigin reports whether s is a serialized origin: scheme://host with
// an optional port, and nothing else.
func validOrigin(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != "" && u.Opaque == "" && u.User == nil &&
		u.Path == "" && !u.ForceQuery && u.RawQuery == "" && u.Fragment == "" &&
		strings.EqualFold(s, u.Scheme+"://"+u.Host)
}

// isToken reports whether s is an HTTP token (RFC 9110, section 5.6.2),
// which header names are.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenChar(s[i]) {
			return false
		}
	}
	return true
}

func isTokenChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
