package generated

import "net/http"

// A generated helper still has its facts: calling it is reported here.
func handwritten(w http.ResponseWriter, r *http.Request) {
	Generated(w, r) // want `generated.Generated`
}
