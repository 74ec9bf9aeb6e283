package middleware

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/apienvelope/apienvelope/envelope"
)

// maxRefusing bounds the connections over a cap that are kept open to be
// answered at once: each costs a goroutine and buffers until its request
// is read (at most ReadHeaderTimeout). Past it, a connection over a cap is
// closed as soon as it is accepted.
const maxRefusing = 64

// connLimiter caps the connections of an http.Server, in total and per
// client address, through the server's ConnContext and ConnState hooks:
// ConnContext sees every accepted connection before anything is read from
// it, and ConnState sees it close.
type connLimiter struct {
	max, perClient int
	retryAfter     time.Duration

	mu       sync.Mutex
	open     int                     // connections under the caps
	byClient map[netip.Prefix]int    // of open, per client
	conns    map[net.Conn]connRecord // every connection counted
	refusing int                     // connections kept open to be refused
}

// connRecord is what connLimiter counted a connection under.
type connRecord struct {
	client  netip.Prefix
	refused bool
}

// overCapKey marks, in a connection's context, a connection over a cap.
type overCapKey struct{}

func newConnLimiter(max, perClient int, retryAfter time.Duration) *connLimiter {
	return &connLimiter{
		max: max, perClient: perClient, retryAfter: retryAfter,
		byClient: map[netip.Prefix]int{},
		conns:    map[net.Conn]connRecord{},
	}
}

// connContext counts an accepted connection. One over a cap is marked in
// its context, for handler to refuse its requests, or closed at once when
// maxRefusing connections are being refused already.
func (l *connLimiter) connContext(ctx context.Context, c net.Conn) context.Context {
	client := clientOf(c.RemoteAddr())
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.open < l.max && l.byClient[client] < l.perClient:
		l.open++
		l.byClient[client]++
		l.conns[c] = connRecord{client: client}
		return ctx
	case l.refusing < maxRefusing:
		l.refusing++
		l.conns[c] = connRecord{refused: true}
		return context.WithValue(ctx, overCapKey{}, true)
	}
	// Closed before its TLS handshake: net/http's serving of it ends at
	// its first read.
	c.Close()
	return ctx
}

// connState forgets a connection once it is closed, or hijacked: a
// hijacked connection is its handler's, which closes it when it likes.
func (l *connLimiter) connState(c net.Conn, state http.ConnState) {
	if state != http.StateClosed && state != http.StateHijacked {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	rec, ok := l.conns[c]
	if !ok {
		return
	}
	delete(l.conns, c)
	if rec.refused {
		l.refusing--
		return
	}
	l.open--
	if l.byClient[rec.client]--; l.byClient[rec.client] <= 0 {
		delete(l.byClient, rec.client)
	}
}

// handler serves next, except on a connection over a cap: there every
// request gets the service-unavailable envelope with Retry-After, and the
// connection is closed after the answer. Its body is not read (over
// HTTP/2, drained up to a bound by envelope.Wrap, so that the answer
// arrives).
func (l *connLimiter) handler(next http.Handler) http.Handler {
	refuse := envelope.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Over HTTP/2, net/http answers Connection: close with a GOAWAY.
		w.Header().Set("Connection", "close")
		envelope.Fail(w, r, envelope.Unavailable("The server has too many connections open; try again later", l.retryAfter))
	}), envelope.Options{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(overCapKey{}) == nil {
			next.ServeHTTP(w, r)
			return
		}
		refuse.ServeHTTP(w, r)
	})
}

// clientOf is the client a connection's remote address counts for: the
// IPv4 address, or the IPv6 /64 network, since one machine usually has a
// whole /64 to pick addresses from. Addresses that are not IP (a Unix
// socket) all count as one client.
func clientOf(addr net.Addr) netip.Prefix {
	var ip netip.Addr
	switch a := addr.(type) {
	case *net.TCPAddr:
		ip, _ = netip.AddrFromSlice(a.IP)
	default:
		if ap, err := netip.ParseAddrPort(addr.String()); err == nil {
			ip = ap.Addr()
		}
	}
	ip = ip.Unmap().WithZone("")
	switch {
	case ip.Is4():
		return netip.PrefixFrom(ip, 32)
	case ip.Is6():
		p, _ := ip.Prefix(64)
		return p
	}
	return netip.Prefix{}
}
