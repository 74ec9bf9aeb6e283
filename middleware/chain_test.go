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
	// Grow the base past its first allocation so that, were Append to
	// reuse spare capacity, the two branches would overwrite each other.
	base := middleware.NewChain(tag("a"))
	for _, name := range []string{"b", "c", "d"} {
		base = base.Append(tag(name))
	}
	left := base.Append(tag("L1"), tag("L2"))
	right := base.Append(tag("R"))

	assert.Equal(t, "a,b,c,d,L1,L2,h", traceOf(left.Then))
	assert.Equal(t, "a,b,c,d,R,h", traceOf(right.Then))
	assert.Equal(t, "a,b,c,d,h", traceOf(base.Then))
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
