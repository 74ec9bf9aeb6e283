package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/apienvelope/apienvelope/middleware"
)

// tag returns middleware that appends name to the X-Trace request header on
// the way in, so a test can see the order the middleware ran in.
func tag(name string) middleware.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Header.Add("X-Trace", name)
			next.ServeHTTP(w, r)
		})
	}
}

// traceOf runs h and returns the order of the tags it passed, with "h" for
// the final handler.
func traceOf(h func(http.Handler) http.Handler) string {
	var trace []string
	final := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		trace = append(r.Header.Values("X-Trace"), "h")
	})
	h(final).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil))
	return strings.Join(trace, ",")
}

func TestChainOrder(t *testing.T) {
	c := middleware.NewChain(tag("a"), tag("b"), tag("c"))
	assert.Equal(t, "a,b,c,h", traceOf(c.Then))
}

func TestChainZeroValueIsEmpty(t *testing.T) {
	var c middleware.Chain
	assert.Equal(t, "h", traceOf(c.Then))
}

func TestChainAppendDoesNotAlias(t *testing.T) {
	// Branch off bases of every length up to 8: were Append to reuse spare
	// capacity, as append does, some base would have room for one more,
	// and the second branch would overwrite the first one's addition.
	base := middleware.NewChain()
	want := ""
	for _, name := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		left := base.Append(tag("L"))
		right := base.Append(tag("R1"), tag("R2"))

		assert.Equal(t, want+"L,h", traceOf(left.Then))
		assert.Equal(t, want+"R1,R2,h", traceOf(right.Then))
		assert.Equal(t, want+"h", traceOf(base.Then))

		base = base.Append(tag(name))
		want += name + ","
	}
}

func TestChainNewChainCopiesItsArguments(t *testing.T) {
	mw := []middleware.Middleware{tag("a"), tag("b")}
	c := middleware.NewChain(mw...)
	mw[0] = tag("changed")
	assert.Equal(t, "a,b,h", traceOf(c.Then))
}

func TestChainThenFunc(t *testing.T) {
	called := false
	h := middleware.NewChain(tag("a")).ThenFunc(func(w http.ResponseWriter, r *http.Request) {
		called = true
		assert.Equal(t, []string{"a"}, r.Header.Values("X-Trace"))
	})
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", nil))
	assert.True(t, called)
}

func TestChainRefusesNil(t *testing.T) {
	assert.PanicsWithValue(t, "middleware: Chain: middleware 1 is nil", func() {
		middleware.NewChain(tag("a"), nil)
	})
	assert.Panics(t, func() { middleware.NewChain().Then(nil) })
	assert.Panics(t, func() { middleware.NewChain().ThenFunc(nil) })
}
