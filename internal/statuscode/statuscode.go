// Package statuscode names HTTP statuses the way the envelope does when it
// wraps a handler that writes its own status (CONTRACT W1): the envelope
// uses it at run time, and envelopevet's suggested fixes use it to write
// the answer the envelope would have sent.
package statuscode

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"
)

// Code returns status's text in CamelCase: 404 gives NotFound, 418
// ImATeapot, a 499 without a text Status499.
func Code(status int) string {
	text := http.StatusText(status)
	if text == "" {
		return "Status" + strconv.Itoa(status)
	}
	var b strings.Builder
	upper := true
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if upper {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upper = false
		case r != '\'':
			upper = true
		}
	}
	return b.String()
}
