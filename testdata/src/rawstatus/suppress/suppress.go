// Package suppress: //envelopevet:allow with a reason, on the line, the line
// above or the function, silences a finding and the facts it would make.
package suppress

import "net/http"

func onLine(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(200) //envelopevet:allow health check for the load balancer
}

func above(w http.ResponseWriter, r *http.Request) {
	//envelopevet:allow the HTTPS redirect precedes any action
	http.Redirect(w, r, "https://example.com", http.StatusPermanentRedirect)
}

// onFunction writes the toolkit's own answer.
//
//envelopevet:allow this is the envelope writer
func onFunction(w http.ResponseWriter, code int) {
	w.WriteHeader(code)
}

func callsAllowed(w http.ResponseWriter, r *http.Request) {
	onFunction(w, 200)
}

func literal(w http.ResponseWriter, r *http.Request) {
	//envelopevet:allow the fallback answers before routing
	fallback := func() { w.WriteHeader(404) }
	fallback()
}

func noReason(w http.ResponseWriter, r *http.Request) {
	// want +1 `sets the HTTP status`
	w.WriteHeader(200) //envelopevet:allow
}

// nolint is golangci-lint's business, not ours.
func nolint(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(200) //nolint:rawstatus // want `sets the HTTP status`
}

func notTheNextLine(w http.ResponseWriter, r *http.Request) {
	//envelopevet:allow only the line below

	w.WriteHeader(200) // want `sets the HTTP status`
}
