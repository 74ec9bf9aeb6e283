package handlerflow_test

import (
	"fmt"

	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
)

// The fact of net/http's Error, func Error(w ResponseWriter, error string,
// code int): it sets the status of w and writes its body. And that of a
// method that stores its parameter w in its receiver's field conns, like
// func (p *proxy) track(w http.ResponseWriter).
func ExampleFact_String() {
	httpError := &handlerflow.Fact{
		Status: []handlerflow.Access{{Slot: 0}},
		Body:   []handlerflow.Access{{Slot: 0}},
		Names:  []string{"w", "error", "code"},
	}
	track := &handlerflow.Fact{
		Stores: []handlerflow.Store{{Access: handlerflow.Access{Slot: 1}, Field: ".conns"}},
		Names:  []string{"p", "w"},
	}
	fmt.Println(httpError)
	fmt.Println(track)
	// Output:
	// status:w body:w
	// stores.conns:w
}
