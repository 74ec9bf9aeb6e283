package middleware

import (
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/apienvelope/apienvelope/envelope"
)

// HTTPSOptions configures RequireHTTPS. The zero value redirects plain HTTP
// with 308 to the same host on port 443, believes no proxy, and sends no
// Strict-Transport-Security.
type HTTPSOptions struct {
	// RedirectStatus is the status of the redirect: 0 means 308 Permanent
	// Redirect, which keeps the method and body. 301 Moved Permanently is
	// for old clients; they repeat a POST as a GET. Other values panic.
	RedirectStatus int
	// Reject answers plain HTTP with status error, code HTTPSRequired,
	// instead of redirecting. A client that sent secrets in clear learns
	// about it instead of silently sending them twice.
	Reject bool
	// Host is the host name redirects go to, such as api.example.com.
	// Empty means the request's Host, with its port replaced by HTTPSPort;
	// a Host header that is not a plain host name gets the Reject answer,
	// so that the redirect never leaves the server's own name.
	Host string
	// HTTPSPort is the port of the HTTPS listener; 0 means 443, which
	// redirects leave out.
	HTTPSPort int
	// TrustedProxies lists the networks of the proxies that terminate TLS
	// in front of the server. A request whose RemoteAddr is in one of them
	// counts as HTTPS when the proxy says so with X-Forwarded-Proto: https
	// or Forwarded: proto=https; from anyone else these headers are
	// ignored. A proxy is believed about its own hop only: the last element
	// of each header. When it sends both headers, both must say https.
	TrustedProxies []netip.Prefix
	// HSTSMaxAge, when at least a second, adds Strict-Transport-Security
	// to every answer over HTTPS, telling browsers to use nothing else for
	// that long.
	HSTSMaxAge time.Duration
	// HSTSIncludeSubdomains extends Strict-Transport-Security to every
	// subdomain.
	HSTSIncludeSubdomains bool
	// HSTSPreload asks for the host's inclusion in the browsers' preload
	// lists, which requires HSTSIncludeSubdomains and at least a year.
	HSTSPreload bool
}

// RequireHTTPS keeps plain HTTP away from the handler (CONTRACT R2): such a
// request runs no handler and its body is not read. It is redirected to
// https:// with the same path and query, or, in Reject mode, answered with
// status error, code HTTPSRequired. The redirect is the one answer of the
// API that is not an envelope, and the one place with a 3xx status.
//
// A request is HTTPS when its connection is TLS, or when a trusted proxy
// says so (see HTTPSOptions.TrustedProxies). Put RequireHTTPS outermost,
// outside Envelope. It panics if opts holds an invalid redirect status,
// host or port.
func RequireHTTPS(opts HTTPSOptions) Middleware {
	status := opts.RedirectStatus
	switch status {
	case 0:
		status = http.StatusPermanentRedirect
	case http.StatusPermanentRedirect, http.StatusMovedPermanently:
	default:
		panic("middleware: RequireHTTPS: RedirectStatus must be 301 or 308, not " + strconv.Itoa(status))
	}
	if opts.Host != "" {
		if host, ok := splitHost(opts.Host); !ok || host != opts.Host {
			panic("middleware: RequireHTTPS: Host " + strconv.Quote(opts.Host) + " is not a host name without a port")
		}
	}
	if opts.HTTPSPort < 0 || opts.HTTPSPort > 65535 {
		panic("middleware: RequireHTTPS: HTTPSPort " + strconv.Itoa(opts.HTTPSPort) + " is out of range")
	}
	port := ""
	if opts.HTTPSPort != 0 && opts.HTTPSPort != 443 {
		port = strconv.Itoa(opts.HTTPSPort)
	}
	hsts := hstsValue(opts)
	trusted := append([]netip.Prefix(nil), opts.TrustedProxies...)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if isHTTPS(r, trusted) {
				if hsts != "" {
					w.Header().Set("Strict-Transport-Security", hsts)
				}
				next.ServeHTTP(w, r)
				drainFromProxy(r, trusted)
				return
			}
			if !opts.Reject {
				if location, ok := redirectLocation(r, opts.Host, port); ok {
					w.Header().Set("Location", location)
					w.WriteHeader(status) //envelopevet:allow CONTRACT R2: plain HTTP gets a bodyless redirect to HTTPS, not an envelope
					return
				}
			}
			envelope.Fail(w, r, envelope.NewError(envelope.CodeHTTPSRequired, "This API is only served over HTTPS"))
		})
	}
}

func hstsValue(opts HTTPSOptions) string {
	if opts.HSTSMaxAge < time.Second {
		return ""
	}
	v := "max-age=" + strconv.FormatInt(int64(opts.HSTSMaxAge/time.Second), 10)
	if opts.HSTSIncludeSubdomains {
		v += "; includeSubDomains"
	}
	if opts.HSTSPreload {
		v += "; preload"
	}
	return v
}

func isHTTPS(r *http.Request, trusted []netip.Prefix) bool {
	if r.TLS != nil {
		return true
	}
	return len(trusted) > 0 && fromTrustedProxy(r.RemoteAddr, trusted) && forwardedHTTPS(r.Header)
}

func fromTrustedProxy(remoteAddr string, trusted []netip.Prefix) bool {
	var addr netip.Addr
	if ap, err := netip.ParseAddrPort(remoteAddr); err == nil {
		addr = ap.Addr()
	} else if addr, err = netip.ParseAddr(remoteAddr); err != nil {
		return false
	}
	// Prefixes match neither zoned addresses nor IPv4 in IPv6 form.
	addr = addr.WithZone("").Unmap()
	for _, p := range trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// forwardedHTTPS reports whether a proxy's headers say that the client
// used HTTPS: at least one of Forwarded and X-Forwarded-Proto names the
// protocol of the last hop, and every one that does says https. A
// malformed Forwarded header says nothing that can be believed.
func forwardedHTTPS(h http.Header) bool {
	said := false
	if values := h.Values("Forwarded"); len(values) > 0 {
		proto, ok := forwardedProto(values)
		if !ok || (proto != "" && !strings.EqualFold(proto, "https")) {
			return false
		}
		said = proto != ""
	}
	if proto := lastListElement(h.Values("X-Forwarded-Proto")); proto != "" {
		if !strings.EqualFold(proto, "https") {
			return false
		}
		said = true
	}
	return said
}

// lastListElement returns the last non-empty element of a comma-separated
// header list spread over values.
func lastListElement(values []string) string {
	for i := len(values) - 1; i >= 0; i-- {
		elems := strings.Split(values[i], ",")
		for j := len(elems) - 1; j >= 0; j-- {
			if e := strings.Trim(elems[j], " \t"); e != "" {
				return e
			}
		}
	}
	return ""
}

// forwardedProto returns the proto parameter of the last element of a
// Forwarded header (RFC 7239) spread over values, "" when that element has
// none, and false when the header is malformed. Empty list elements are
// skipped, as RFC 9110 asks; whitespace around ";" is tolerated, since
// proxies send it.
func forwardedProto(values []string) (string, bool) {
	last := ""
	for _, v := range values {
		proto, inElement := "", false
		for i := 0; ; {
			i = skipOWS(v, i)
			if i == len(v) || v[i] == ',' {
				if inElement {
					last = proto
				}
				if i == len(v) {
					break
				}
				proto, inElement = "", false
				i++
				continue
			}
			if v[i] == ';' {
				i++
				continue
			}
			name, value, next, ok := forwardedPair(v, i)
			if !ok {
				return "", false
			}
			if strings.EqualFold(name, "proto") {
				if proto != "" {
					return "", false // a parameter appears once per element
				}
				proto = value
			}
			inElement = true
			i = skipOWS(v, next)
			if i < len(v) && v[i] != ';' && v[i] != ',' {
				return "", false
			}
		}
	}
	return last, true
}

// forwardedPair parses token "=" ( token / quoted-string ) at s[i:].
func forwardedPair(s string, i int) (name, value string, next int, ok bool) {
	j := i
	for j < len(s) && isTokenChar(s[j]) {
		j++
	}
	if j == i || j == len(s) || s[j] != '=' {
		return "", "", 0, false
	}
	name, j = s[i:j], j+1
	if j < len(s) && s[j] == '"' {
		var b strings.Builder
		for j++; j < len(s); j++ {
			switch c := s[j]; {
			case c == '"':
				return name, b.String(), j + 1, true
			case c == '\\' && j+1 < len(s):
				j++
				b.WriteByte(s[j])
			case c == '\\' || c < ' ' && c != '\t' || c == 0x7f:
				return "", "", 0, false
			default:
				b.WriteByte(c)
			}
		}
		return "", "", 0, false // unterminated
	}
	k := j
	for k < len(s) && isTokenChar(s[k]) {
		k++
	}
	if k == j {
		return "", "", 0, false
	}
	return name, s[j:k], k, true
}

func skipOWS(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// redirectLocation returns https:// with host (the request's when empty),
// port (none when empty), and the request's path and query; false when the
// request's Host is not a host name. The host is checked and the path
// always starts with "/", so that nothing from the request can change the
// authority: https://example.com//evil.example stays on example.com. Bytes
// that have no place in a header are escaped.
func redirectLocation(r *http.Request, host, port string) (string, bool) {
	if host == "" {
		var ok bool
		if host, ok = splitHost(r.Host); !ok {
			return "", false
		}
	}
	b := make([]byte, 0, 64)
	b = append(b, "https://"...)
	b = append(b, host...)
	if port != "" {
		b = append(b, ':')
		b = append(b, port...)
	}
	path := r.URL.EscapedPath()
	if path == "" || path[0] != '/' {
		// The asterisk form (OPTIONS *) and the authority form (CONNECT)
		// have no path to keep.
		path = "/"
	}
	b = appendEscaped(b, path)
	if r.URL.RawQuery != "" {
		b = append(b, '?')
		b = appendEscaped(b, r.URL.RawQuery)
	}
	return string(b), true
}

func appendEscaped(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '\\' || c == '#' {
			b = append(b, '%', hex[c>>4], hex[c&0xf])
			continue
		}
		b = append(b, c)
	}
	return b
}

// splitHost returns the host of a Host header, without its port, if it is
// a DNS name or IP address and the port, if any, is digits. Everything else
// (user info, slashes, backslashes, spaces, control characters, percent
// signs, IPv6 zones, unicode) is refused: it has no place in a Host header
// and could change what a redirect points to.
func splitHost(hostport string) (string, bool) {
	host, port := hostport, ""
	if strings.HasPrefix(hostport, "[") {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return "", false
		}
		host, port = hostport[:end+1], hostport[end+1:]
		addr, err := netip.ParseAddr(host[1:end])
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return "", false
		}
	} else {
		if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
			host, port = hostport[:i], hostport[i:]
		}
		if host == "" || len(host) > 253 {
			return "", false
		}
		for i := 0; i < len(host); i++ {
			c := host[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
				return "", false
			}
		}
	}
	if port != "" {
		if port[0] != ':' || len(port) > 6 {
			return "", false
		}
		for i := 1; i < len(port); i++ {
			if port[i] < '0' || port[i] > '9' {
				return "", false
			}
		}
	}
	return host, true
}

// drainFromProxy reads and discards, up to a bound, what is left of the
// body of a request from a trusted proxy, while the answer is still
// buffered: a proxy such as nginx has the whole body already and sends it
// all before it reads the answer, and Go's server, which discards no more
// than 256 KiB, would otherwise close the connection on it and the proxy
// answer 502.
func drainFromProxy(r *http.Request, trusted []netip.Prefix) {
	if r.Body == nil || r.Body == http.NoBody || len(trusted) == 0 || !fromTrustedProxy(r.RemoteAddr, trusted) {
		return
	}
	_, _ = io.CopyN(io.Discard, r.Body, 8<<20)
}
