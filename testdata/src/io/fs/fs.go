// Package fs is a stub of the standard library's io/fs for the analyzers'
// tests (see net/http's stub).
package fs

type File interface {
	Read(p []byte) (int, error)
	Close() error
}

type FS interface {
	Open(name string) (File, error)
}
