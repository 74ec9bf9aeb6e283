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

// ToolkitChain is the toolkit's full middleware chain in its usual order,
// outermost first: RequireHTTPS, Envelope, Recover, PostOnly, Params. With
// params false, Params is left out, for a wrapped handler that reads its
// body itself.
func ToolkitChain(cfg Config, opts envelope.Options, params bool) middleware.Chain {
	c := middleware.NewChain(
		middleware.RequireHTTPS(middleware.HTTPSOptions{TrustedProxies: cfg.TrustedProxies}),
		middleware.Envelope(opts),
		middleware.Recover(middleware.RecoverOptions{}),
		middleware.PostOnly(middleware.PostOnlyOptions{}),
	)
	if params {
		c = c.Append(middleware.Params(middleware.ParamsOptions{}))
	}
	return c
}
