// Package envelope is the wire format of an apienvelope API.
//
// Every answer is one JSON object, sent with HTTP 200 unless the status is
// internal-server-error (500) or service-unavailable (503):
//
//	{"status":"success","time":0.000123,"flags":{},"data":{...}}
//
// Handlers answer with [Success] or [Fail]; they never set the HTTP status
// or write the body themselves. An error built with [NewError],
// [ParameterError], [ValidationError], [AccessDenied], [NotFound] or
// [Unavailable] is an anticipated error and is sent as it is; any other
// error is unanticipated and becomes the generic 500 envelope.
//
// [Action] turns a typed function into an [http.Handler] that decodes the
// request's parameters and encodes its result; [Decode] does the decoding
// for other handlers. [Wrap] (the Envelope middleware) times a request,
// collects its flags and writes exactly one envelope, also for handlers
// that write their own status and body.
//
// The package owns no JSON engine. Values go through a [Codec]:
// [DefaultCodec] is github.com/go-json-experiment/json, encoding/json v2's
// semantics; the packages jsonitercodec and goccycodec are faster adapters
// whose documentation lists what they give up.
package envelope
