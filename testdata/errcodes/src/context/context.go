// Package context is a stub of the standard library's, for the errcodes
// fixtures: only what they use.
package context

type Context interface {
	Err() error
}

func Background() Context { return nil }
