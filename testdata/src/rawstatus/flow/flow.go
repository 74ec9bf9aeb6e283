// Package flow follows the writer through assignments, conversions, struct
// fields, closures, method values, defer and go statements.
package flow

import (
	"net/http"
)

type holder struct {
	w    http.ResponseWriter
	code int
}

type writerFunc func(int)

func assigned(w http.ResponseWriter, r *http.Request) {
	rw := w
	var other http.ResponseWriter = rw
	other.WriteHeader(500) // want `other.WriteHeader`
}

func converted(w http.ResponseWriter, r *http.Request) {
	x := any(w)
	x.(http.ResponseWriter).WriteHeader(500) // want `sets the HTTP status`
}

func field(w http.ResponseWriter, r *http.Request) {
	h := holder{w: w}
	h.w.WriteHeader(500) // want `h.w.WriteHeader`
	var p holder
	p.w = w
	p.w.WriteHeader(500) // want `sets the HTTP status`
}

func closure(w http.ResponseWriter, r *http.Request) {
	fail := func() {
		http.Error(w, "x", 500) // want `http.Error`
	}
	fail()
}

func methodValue(w http.ResponseWriter, r *http.Request) {
	set := w.WriteHeader
	set(500) // want `w.WriteHeader`
	var hook writerFunc = w.WriteHeader
	_ = hook
}

func deferred(w http.ResponseWriter, r *http.Request) {
	defer w.WriteHeader(500) // want `sets the HTTP status`
	defer func() {
		if recover() != nil {
			http.Error(w, "panic", 500) // want `sets the HTTP status`
		}
	}()
}

func goroutine(w http.ResponseWriter, r *http.Request) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.WriteHeader(202) // want `sets the HTTP status`
	}()
	<-done
}

// A handler made by a function literal, at package level and inside a
// constructor.
var handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(500) // want `sets the HTTP status`
})

func constructor() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r) // want `sets the HTTP status`
	})
}

// Negatives: values that are not the writer.

func other(w http.ResponseWriter, r *http.Request) {
	h := holder{code: 500}
	_ = h.code
	f := func(code int) {}
	f(500)
}
