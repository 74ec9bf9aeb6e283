// Package rawwrite defines an Analyzer that reports request handlers that
// write the response body themselves instead of answering through the
// envelope.
//
// # Analyzer rawwrite
//
// rawwrite: report handlers that write the response body around the envelope
//
// An apienvelope action's body is always an envelope
// {"status","time","flags","data"} written by the toolkit. A handler that
// writes to its ResponseWriter with Write, fmt.Fprint*, io.WriteString,
// io.Copy, io.CopyN, (io.ReaderFrom).ReadFrom, a json.Encoder made on it,
// template Execute or ExecuteTemplate, or with any function that writes to
// the writer it is given, bypasses it:
//
//	func list(w http.ResponseWriter, r *http.Request) {
//		json.NewEncoder(w).Encode(users)
//	}
//
// should be
//
//	func list(w http.ResponseWriter, r *http.Request) {
//		envelope.Success(w, r, users)
//	}
//
// Which functions write is computed from their code by the handlerflow
// analyzer, across packages: json.NewEncoder(w) is known to return a value
// carrying w, and Encode to write to it. rawwrite reports every body
// written, whether or not rawstatus runs, so a call that also sets a status,
// like http.Error, is reported by both, each for its own part. A call that
// hands the writer to a function literal which writes when it is called
// later (a closure returned or stored) is reported as making a function that
// writes. A statement json.NewEncoder(w).Encode(v) in a handler
// that has its *http.Request gets a suggested fix to envelope.Success(w, r,
// v) when it is the handler's whole answer (see handlerflow's Result.Sole):
// after a status set on any path before it, the answer is not a success.
// A monitoring endpoint's handler (health, readiness, liveness, metrics)
// gets no fix: its client reads its own format.
//
// It detects what handlerflow follows; what that does not see (writes
// through function values and interface methods other than the writer's
// own, writers kept in package-level variables or reached through
// pointers, reflection) it does not report. See handlerflow's
// documentation.
package rawwrite
