package imports

import "net/http"

func single(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "no", http.StatusNotFound) // want `http.Error`
}
