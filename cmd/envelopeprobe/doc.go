// Command envelopeprobe checks that a live API keeps the envelope wire
// contract (CONTRACT.md), by running the conformance suite against one of its
// actions:
//
//	envelopeprobe [flags] https://host/api/v1/controller/action
//
// It prints one line per case as it finishes, PASS, FAIL or SKIP with the
// case, the rule of CONTRACT.md it checks and, for a failure, what broke
// which rule; then the rules checked, the number skipped, and last a line
// "N passed, N failed" alone, and exits 1 if any case failed (2 on bad
// usage). With -json it prints the report as JSON instead.
//
// It sends requests to the target's host and to the -http-url address and
// nowhere else: no proxy from the environment, no redirect followed.
//
// The flags say what the target supports:
//
//	-params JSON         a valid parameters body for the action; the cases
//	                     that need a successful call are skipped without it
//	-header 'K: V'       a header for every request, such as an API key
//	                     (repeatable)
//	-http-url URL        the server's plain-HTTP address, for the R2 cases
//	-plain-http MODE     what plain HTTP gets: 308, 301, redirect (either),
//	                     reject (200 error HTTPSRequired); default anything
//	                     CONTRACT.md allows
//	-int-field NAME      an integer parameter, for the wrong-type case
//	-required-field NAME a required parameter, for the missing-field case
//	-strict              the action rejects unknown parameters
//	-maintenance         the server is in maintenance mode now: only the
//	                     maintenance cases run
//	-trusted-proxy       the server trusts this machine as a TLS-terminating
//	                     proxy: the trusted-proxy cases run instead of the
//	                     forged-header ones
//	-panic-action PATH   an action that panics (the demo's
//	                     /api/v1/debug/panic, with -dev or -debug),
//	                     for the live 500 cases
//	-production          the server runs outside development mode: a 500
//	                     must show no stack trace and not the panic's value
//	-panic-value TEXT    what -panic-action panics with, or a part of it
//	-cors-origin ORIGIN  an origin the server allows, for the CORS preflight
//	                     case
//	-toolkit-codes       also check this toolkit's own parameter-error codes
//	-cacert FILE         verify TLS with the CA certificates in FILE (the
//	                     demo's self-signed certificate)
//	-insecure            skip TLS verification
//	-http2               speak HTTP/2 over TLS where the server offers it
//	-cases DIR           run the YAML case files in DIR instead of the
//	                     built-in suite
//
// For example, against the demo API in production mode (-debug adds
// its debug/panic action):
//
//	go run ./cmd/demoapi -debug -api-key demo-key &
//	go run ./cmd/envelopeprobe -insecure -http-url http://localhost:8080 \
//	    -header 'X-Server-API-Key: demo-key' \
//	    -params '{"page":1}' -int-field page -panic-action /api/v1/debug/panic \
//	    -production -panic-value 'debug/panic was called' \
//	    https://localhost:8443/api/v1/messages/list
package main
