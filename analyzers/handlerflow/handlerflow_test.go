package handlerflow_test

import (
	"testing"

	"github.com/apienvelope/apienvelope/analyzers/handlerflow"
	"github.com/apienvelope/apienvelope/internal/stdstub"
)

// TestFacts loads the fixtures with the stubs of the standard library, or
// the real one with ENVELOPEVET_STDLIB=1 (see internal/stdstub).
func TestFacts(t *testing.T) {
	stdstub.Run(t, handlerflow.Analyzer,
		"render", "helpers/inner", "helpers/outer", "handlerflow/facts", "handlerflow/allow", "reply", "logsink")
}
