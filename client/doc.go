// Package client calls an API that speaks the envelope, from Go.
//
// Every action is one POST of JSON parameters to its own URL, and every
// answer one envelope ({"status","time","flags","data"}). [Call] sends the
// parameters, reads the envelope and gives back what is in it:
//
//	c := &client.Client{
//		BaseURL: "https://mail.example.com/api/v1",
//		Header:  http.Header{"X-Server-API-Key": {key}},
//	}
//	res, meta, err := client.Call[SendParams, SendResult](ctx, c, "send/message", params)
//
// On status success, res is the envelope's data decoded into the result
// type. On any other status, err is an [*envelope.Error], the server's own
// error type, with the status, code, message, field, validation errors and
// attributes the server sent, so the sentinels a server declares work on
// the client as they do on the server:
//
//	if errors.Is(err, ErrNoRecipients) { ... }
//	var e *envelope.Error
//	if errors.As(err, &e) && e.Status == envelope.StatusServiceUnavailable {
//		time.Sleep(e.RetryAfter)
//	}
//
// A reply that is not an envelope (a proxy's HTML error page, a wrong base
// URL) is a [*ProtocolError] that says what arrived. Failures to reach the
// server are the HTTP client's errors, wrapped.
//
// [Meta] carries the rest of the envelope: the server's time, the flags,
// with the "paginated" and "sorted" flags decoded, and the reply's headers.
// [Pages] walks a paginated action page after page.
//
// JSON is encoded and decoded with github.com/go-json-experiment/json: names
// match case-sensitively, as the server matches them, and members the result
// type has no field for are ignored, so a server that adds a field does not
// break its clients.
package client
