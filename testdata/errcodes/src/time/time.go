// Package time is a stub of the standard library's, for the errcodes
// fixtures.
package time

type Duration int64

const Second Duration = 1000000000
