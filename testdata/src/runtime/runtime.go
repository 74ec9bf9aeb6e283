// Package runtime is an empty stub of the standard library's runtime for
// the analyzers' tests (see net/http's stub): go list makes the test main
// of a package with test files depend on it.
package runtime
