// Package time is a stub of the standard library's time for the analyzers'
// tests (see net/http's stub).
package time

type Time struct{ sec int64 }

type Duration int64

const (
	Second Duration = 1e9
	Minute          = 60 * Second
)
