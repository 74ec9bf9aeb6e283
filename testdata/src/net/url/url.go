// Package url is a stub of the standard library's net/url for the
// analyzers' tests (see net/http's stub).
package url

type URL struct {
	Scheme, Host, Path, RawQuery string
}
