// Package testdeps is a stub of the standard library's
// testing/internal/testdeps: the test main that go list generates for a
// package with test files sets these variables.
package testdeps

type TestDeps struct{}

var (
	ModulePath string
	ImportPath string
)
