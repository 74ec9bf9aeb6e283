// Command demoapi is the apienvelope demo: a mail-sending API that speaks
// the send API of the Postal mail server, so that Postal's existing clients
// work against it, built with the toolkit's envelope and middleware.
//
// Run it with
//
//	go run ./cmd/demoapi
//
// It serves HTTPS on localhost:8443 with a self-signed certificate made at
// start, and plain HTTP on localhost:8080, which only redirects to HTTPS.
// It keeps messages in memory and prints the API key to send as
// X-Server-API-Key, with a curl line to try. Flags: -addr, -http-addr,
// -cert, -key, -api-key, -trusted-proxies, -maintenance, -dev,
// -debug, -read-timeout, -max-conns and -max-conns-per-client; see -h.
//
// Both listeners are served by middleware.NewServer: sound timeouts (the
// write time outlasts the read time, so a body that stops short is still
// answered), OPTIONS * answered by the API, and a cap on connections, in
// all and per client address, past which clients get 503.
//
// The actions, at /api/v1/<controller>/<action>, all POST with a JSON body:
//
//   - send/message: Postal's parameters, error codes and result.
//   - send/raw: a base64 RFC 5322 message for rcpt_to from mail_from.
//   - messages/message: a stored message by id, with Postal's _expansions.
//   - messages/deliveries: a message's deliveries. It is written as an
//     existing handler that sets its own status and writes its own JSON, to
//     show the Envelope middleware wrapping such handlers.
//   - messages/list: stored messages, a page at a time, with the paginated
//     flag.
//
// Whatever a client sends, the demo answers with HTTP 200, 308 (plain HTTP),
// 500 or 503, each with one envelope except the redirect.
//
// Every action declares its errors and the X-Server-API-Key authenticator
// (see package demo); the documentation site and the OpenAPI document made
// from them are served at /api/docs/v1/ (openapi.json, openapi-3.0.json),
// and written without a server by go run ./cmd/envelopedoc site -o DIR and
// go run ./cmd/envelopedoc openapi.
package main
