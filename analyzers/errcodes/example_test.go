package errcodes_test

import (
	"fmt"

	"github.com/apienvelope/apienvelope/analyzers/errcodes"
)

// The fact of a helper that makes a Postal error of the code it is given,
// or a declared not-found error:
//
//	func postalError(code string) error { return envelope.NewError(code, "postal") }
//	func find(id string) error          { return ErrNoSuchServer.With("id", id) }
//	func lookup(id, code string) error  { if id == "" { return postalError(code) }; return find(id) }
//
// lookup's errors carry status error with the code of its argument 1, or
// not-found/NoSuchServer; each call of lookup with a constant code gives
// that code.
func ExampleFact() {
	fact := &errcodes.Fact{Returns: []errcodes.Entry{
		{Status: "error", CodeArg: 1 + 1, Path: []string{"postalError"}},
		{Status: "not-found", Code: "NoSuchServer", Path: []string{"find"}},
	}}
	fmt.Println(fact)
	// Output: returns error/$1 not-found/NoSuchServer
}
