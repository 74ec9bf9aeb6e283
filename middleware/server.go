package middleware

import (
	"log"
	"math"
	"net/http"
	"time"
)

// ServerOptions configures NewServer. The zero value is ready for a server
// that faces the internet: every field left at zero gets the default its
// comment gives, and a negative value counts as zero.
type ServerOptions struct {
	// ReadHeaderTimeout bounds the reading of a request's headers, the TLS
	// handshake included; 0 means 10 seconds.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds the reading of a whole request, body included,
	// from its first byte; 0 means 30 seconds. A body not all there by then
	// is refused with the IncompleteBody parameter-error.
	ReadTimeout time.Duration
	// WriteTimeout bounds the time from the end of a request's headers to
	// the end of its answer; 0 means ReadTimeout plus 30 seconds. It must
	// be longer than ReadTimeout (NewServer panics otherwise): the answer
	// to a request that used up its read time is written after it, and
	// with a shorter write time the client would get nothing.
	WriteTimeout time.Duration
	// IdleTimeout is how long a keep-alive connection may wait for its
	// next request; 0 means 60 seconds.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds a request's header lines; 0 means 64 KiB, and
	// more than 1 MiB means 1 MiB. Larger headers get net/http's own 431
	// answer, sent before any handler runs.
	MaxHeaderBytes int
	// MaxConns caps the connections open at once; 0 means 10,000. Keep it
	// below the process's limit of open files (ulimit -n), so that the
	// server can still open what else it needs.
	MaxConns int
	// MaxConnsPerClient caps the connections open at once from one client
	// address, as the TCP connection shows it: an IPv4 address, or an IPv6
	// /64 network (one machine's usual share). No header is believed. 0
	// means 256. Behind a reverse proxy every connection comes from the
	// proxy: set it to MaxConns and let the proxy cap its clients.
	MaxConnsPerClient int
	// RetryAfter is the Retry-After of the answer a connection over a cap
	// gets; 0 means 5 seconds.
	RetryAfter time.Duration
	// ErrorLog receives net/http's own errors (TLS handshakes that fail,
	// panics it recovers); nil means the log package's standard logger.
	ErrorLog *log.Logger
}

// Defaults of ServerOptions.
const (
	defaultReadHeaderTimeout = 10 * time.Second
	defaultReadTimeout       = 30 * time.Second
	defaultWriteMargin       = 30 * time.Second // WriteTimeout's default, past ReadTimeout
	defaultIdleTimeout       = 60 * time.Second
	defaultMaxHeaderBytes    = 64 << 10
	maxMaxHeaderBytes        = 1 << 20
	defaultMaxConns          = 10000
	defaultMaxConnsPerClient = 256
	defaultConnsRetryAfter   = 5 * time.Second
)

// NewServer returns an http.Server for h with limits sound for a server that
// faces the internet: timeouts for each stage of a request, a write timeout
// that outlasts the read timeout, a bound on headers, and a cap on
// connections, in total and per client address. Set Addr, TLSConfig or
// Protocols on the result as usual, then serve it with ListenAndServeTLS,
// ServeTLS or Serve.
//
// The server answers every request through h: net/http's own answer to
// "OPTIONS *" (a bare 200) is turned off, so that h gives it its envelope
// (with PostOnly, error / MethodNotAllowed).
//
// A connection over a cap is not served by h: each request it carries gets
// the service-unavailable envelope (HTTP 503) with Retry-After, and the
// connection is closed after it (over HTTP/2, with a GOAWAY). While many
// connections are being refused at once, the next ones are closed as soon
// as they are accepted, unanswered. NewServer sets the server's ConnContext
// and ConnState hooks to count connections: wrap them, never replace them,
// to add hooks of your own.
//
// Over HTTP/2 the timeouts apply to each stream, as net/http applies them.
// NewServer panics if opts.WriteTimeout is set and not longer than the read
// timeout.
func NewServer(h http.Handler, opts ServerOptions) *http.Server {
	if h == nil {
		panic("middleware: NewServer: nil handler")
	}
	readHeader := orDefault(opts.ReadHeaderTimeout, defaultReadHeaderTimeout)
	read := orDefault(opts.ReadTimeout, defaultReadTimeout)
	write := opts.WriteTimeout
	switch {
	case write <= 0:
		write = addSaturating(read, defaultWriteMargin)
	case write <= read:
		panic("middleware: NewServer: WriteTimeout " + write.String() + " must be longer than ReadTimeout " + read.String() +
			", so that the answer to a request that used up its read time can still be written")
	}
	headerBytes := opts.MaxHeaderBytes
	if headerBytes <= 0 {
		headerBytes = defaultMaxHeaderBytes
	}
	// net/http reads up to MaxHeaderBytes+4096 bytes: at math.MaxInt that
	// sum would overflow and refuse every request.
	headerBytes = min(headerBytes, maxMaxHeaderBytes)

	limits := newConnLimiter(
		orDefaultInt(opts.MaxConns, defaultMaxConns),
		orDefaultInt(opts.MaxConnsPerClient, defaultMaxConnsPerClient),
		orDefault(opts.RetryAfter, defaultConnsRetryAfter),
	)
	return &http.Server{
		Handler:                      limits.handler(h),
		ReadHeaderTimeout:            readHeader,
		ReadTimeout:                  read,
		WriteTimeout:                 write,
		IdleTimeout:                  orDefault(opts.IdleTimeout, defaultIdleTimeout),
		MaxHeaderBytes:               headerBytes,
		DisableGeneralOptionsHandler: true,
		ErrorLog:                     opts.ErrorLog,
		ConnContext:                  limits.connContext,
		ConnState:                    limits.connState,
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func orDefaultInt(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// addSaturating is a+b for positive durations, never past the largest one.
func addSaturating(a, b time.Duration) time.Duration {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
