package allow

import "net/http"

// A reasoned allow keeps the write out of the function's fact.
func allowed(w http.ResponseWriter) {
	w.WriteHeader(200) //envelopevet:allow the health check answers plain HTTP
}

func bare(w http.ResponseWriter) { // want bare:"status:w"
	// want +1 "needs a reason"
	w.WriteHeader(200) //envelopevet:allow
}

//envelopevet:allow writes the envelope itself
func writer(w http.ResponseWriter, p []byte) {
	w.WriteHeader(200)
	w.Write(p)
}

// A longer directive name is not the directive.
func other(w http.ResponseWriter) { // want other:"status:w"
	w.WriteHeader(200) //envelopevet:allowed
}
