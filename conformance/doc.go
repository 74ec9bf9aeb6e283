// Package conformance checks that an HTTP API keeps the envelope wire
// contract of CONTRACT.md: HTTPS only (R2), POST only (R3), parameters as one
// JSON object (R4), parameter errors as envelopes (R5), and every answer one
// envelope with the allowed statuses (S1–S7), also for wrapped handlers (W1).
//
// The cases are data, one YAML file per area (transport, method, parameters,
// errors, responses, wrapping) in the package's testdata folder, built in
// with go:embed, each case a raw request and what must come back. [Suite] is the built-in suite; [Load] reads another one. Besides what
// a case expects, every response is checked generically: one JSON object with
// exactly "status", "time", "flags" and "data" in that order, an allowed HTTP
// status that matches the envelope status, the right Content-Type and
// Content-Length, and "code" and "message" on every non-success.
//
// [Run] runs the suite against an http.Handler inside a test, one subtest
// per case, with [Options] saying what the API supports:
//
//	func TestConformance(t *testing.T) {
//		conformance.Run(t, api.Handler(), conformance.Options{
//			Action:   "/api/v1/messages/list", // the action to call
//			Params:   `{"page":1}`,            // parameters it accepts
//			IntField: "page",                  // a field that must be an integer
//			Wrap:     middleware.NewChain(middleware.Envelope(envOpts), middleware.Recover(recOpts)).Then,
//		})
//	}
//
// [RunHandler]
// does the same without a testing.T; [RunURL] runs it against a live server
// and sends requests to the addresses it is given and nowhere else. Every
// failure names the rule it breaks, such as
// "S6: HTTP 404 is not an allowed status".
package conformance
