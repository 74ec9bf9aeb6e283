package benchmarks

import (
	"net/netip"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// Config adapts the variants to where they are served.
type Config struct {
	// TrustedProxies are believed when they say a plain HTTP request came
	// over HTTPS (X-Forwarded-Proto: https): the end-to-end benchmark over
	// plain HTTP trusts loopback, as a server behind a TLS proxy would.
	TrustedProxies []netip.Prefix
}

// ToolkitChain is the toolkit's middleware chain in its usual order,
// outermost first: RequireHTTPS, Envelope, Recover, PostOnly. A typed
// action reads its own parameters, and the wrapped handler reads its body
// itself: neither needs Params in front.
func ToolkitChain(cfg Config, opts envelope.Options) middleware.Chain {
	return middleware.NewChain(
		middleware.RequireHTTPS(middleware.HTTPSOptions{TrustedProxies: cfg.TrustedProxies}),
		middleware.Envelope(opts),
		middleware.Recover(middleware.RecoverOptions{}),
		middleware.PostOnly(middleware.PostOnlyOptions{}),
	)
}
