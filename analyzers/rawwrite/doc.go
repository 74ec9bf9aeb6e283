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
// carrying w, and Encode to write to it. Calls that also set a status are
// left to rawstatus. A statement json.NewEncoder(w).Encode(v) in a handler
// that has its *http.Request gets a suggested fix to envelope.Success(w, r,
// v) when it is the handler's whole answer (see handlerflow's Result.Sole):
// after a status set on any path before it, the answer is not a success.
package rawwrite
