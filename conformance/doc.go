// Package conformance checks that an HTTP API keeps the envelope wire
// contract of SPEC.md: HTTPS only (R2), POST only (R3), parameters as one
// JSON object (R4), parameter errors as envelopes (R5), and every answer one
// envelope with the allowed statuses (S1–S7), also for wrapped handlers (W1).
//
// The cases are data, one YAML file per area (transport, method, parameters,
// errors, responses, wrapping), each case a raw request and what must come
// back. [Suite] is the built-in suite; [Load] reads another one. Besides what
// a case expects, every response is checked generically: one JSON object with
// exactly "status", "time", "flags" and "data" in that order, an allowed HTTP
// status that matches the envelope status, the right Content-Type and
// Content-Length, and "code" and "message" on every non-success.
//
// [Run] runs the suite against an http.Handler inside a test; [RunHandler]
// does the same without a testing.T; [RunURL] runs it against a live server
// and sends requests to the addresses it is given and nowhere else. Every
// failure names the rule it breaks, such as
// "S6: HTTP 404 is not an allowed status".
package conformance
