// Package embed is a stub of the standard library's embed for the
// analyzers' tests (see net/http's stub).
package embed

import "io/fs"

type FS struct{}

func (FS) Open(name string) (fs.File, error) { return nil, nil }
