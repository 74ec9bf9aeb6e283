package benchmarks

import (
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// ToolkitChain is the toolkit's full middleware chain in its usual order,
// outermost first: RequireHTTPS, Envelope, Recover, PostOnly, Params. With
// params false, Params is left out, for a wrapped handler that reads its
// body itself.
func ToolkitChain(opts envelope.Options, params bool) middleware.Chain {
	c := middleware.NewChain(
		middleware.RequireHTTPS(middleware.HTTPSOptions{}),
		middleware.Envelope(opts),
		middleware.Recover(middleware.RecoverOptions{}),
		middleware.PostOnly(middleware.PostOnlyOptions{}),
	)
	if params {
		c = c.Append(middleware.Params(middleware.ParamsOptions{}))
	}
	return c
}
