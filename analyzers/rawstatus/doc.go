// Package rawstatus defines an Analyzer that reports request handlers that
// set the HTTP status themselves instead of answering through the envelope.
//
// # Analyzer rawstatus
//
// rawstatus: report handlers that set the HTTP status themselves
//
// An apienvelope action answers every request with an envelope sent with
// HTTP 200; the outcome is in the envelope's status. A handler that calls
// WriteHeader, http.Error, http.NotFound, http.Redirect, http.ServeContent,
// http.ServeFile or http.ServeFileFS on its ResponseWriter, or any function
// that does one of these to the writer it is given, bypasses it:
//
//	func get(w http.ResponseWriter, r *http.Request) {
//		http.Error(w, "no such user", http.StatusNotFound)
//	}
//
// should be
//
//	func get(w http.ResponseWriter, r *http.Request) {
//		envelope.Fail(w, r, envelope.NotFound("NotFound", "no such user"))
//	}
//
// Which functions set a status is computed from their code by the
// handlerflow analyzer, across packages. A call that sets the status and
// writes a body, like http.Error, is reported here for its status and by
// rawwrite for its body. A status is reported once, where it is written:
// in a helper of the same package that takes the writer, or in a method of
// a struct that holds it, not again at each call; a call into another
// package is reported where it is made. The message names the handler's
// own writer (w, or rs.w for a field of a struct holding it) and its advice
// uses the handler's own variable names.
//
// A suggested fix never changes what the handler answers: it writes the
// envelope that the Envelope wrapper makes of the same answer (CONTRACT W1),
// and only when the answer is known statically and is the handler's whole
// answer (see handlerflow's Result.Sole). http.Error with a constant 4xx
// code, http.NotFound, and w.WriteHeader with a constant 4xx code directly
// followed by a text body become envelope.Fail with the wrapper's error;
// w.WriteHeader with a 2xx code directly followed by
// json.NewEncoder(w).Encode(v) becomes envelope.Success(w, r, v). An error
// status followed by a JSON body gets no fix: the wrapper takes its message
// from the JSON at run time. Nor does the handler of a health, readiness or
// liveness probe or of metrics, recognised by the words of its names or
// route: its client reads the status, which an envelope would make 200.
//
// It detects what handlerflow follows; what that does not see (statuses set
// through function values and interface methods other than the writer's
// own, writers kept in package-level variables or reached through
// pointers, reflection) it does not report. See handlerflow's
// documentation.
package rawstatus
