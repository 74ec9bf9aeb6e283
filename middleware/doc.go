// Package middleware holds the pieces that make a net/http server keep the
// envelope contract: RequireHTTPS, PostOnly, Params, Envelope, Recover and
// Maintenance, each a Middleware (a func(http.Handler) http.Handler)
// configured by an options struct whose zero value is sensible; NewChain to
// compose them; and Router, which serves actions at
// /api/v1/<controller>/<action> on httprouter with every one of its answers
// turned into an envelope, and their documentation at /api/docs/v1/ (the
// pages of package docsite and the OpenAPI description, openapi.json); and
// NewServer, an http.Server with the limits a server that faces the
// internet needs (timeouts, a header limit, a cap on connections in total
// and per client address).
//
// The usual order, outermost first, is RequireHTTPS, Envelope, Recover,
// Maintenance, PostOnly, then the action (Params in front of handlers
// that are not typed actions).
package middleware
