// Package fmt is a stub of the standard library's, for the errcodes
// fixtures. Errorf is read by errcodes from its name.
package fmt

func Errorf(format string, a ...any) error { return nil }

func Sprintf(format string, a ...any) string { return format }
