package postonly_test

import (
	"testing"

	"github.com/apienvelope/apienvelope/analyzers/postonly"
	"github.com/apienvelope/apienvelope/internal/stdstub"
)

// TestPostOnly loads the fixtures with the stubs of the standard library,
// or the real one with ENVELOPEVET_STDLIB=1 (see internal/stdstub).
func TestPostOnly(t *testing.T) {
	stdstub.Run(t, postonly.Analyzer, "postonly/httprouter", "postonly/servemux")
}
