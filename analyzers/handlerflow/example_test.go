package handlerflow_test

import (
	"fmt"

	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
)

// The fact of net/http's Error, func Error(w ResponseWriter, error string,
// code int): it sets the status of w and writes its body.
func ExampleFact_String() {
	fact := &handlerflow.Fact{Status: 1 << 0, Body: 1 << 0, Names: []string{"w", "error", "code"}}
	fmt.Println(fact)
	// Output: status:w body:w
}
