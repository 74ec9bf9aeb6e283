// Package demo is the API that cmd/demoapi serves: a mail-sending API that
// speaks the send API of the Postal mail server, built with the toolkit's
// envelope and middleware, and described by what it declares (see
// apidoc). It lives in its own package so that the commands and tests
// that document it (cmd/envelopedoc, apidoc/internal/openapitest) can
// build it without a server.
package demo
