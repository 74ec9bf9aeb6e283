package conformance_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/apienvelope/apienvelope/conformance"
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

type readmeParams struct {
	To   []string `json:"to" envelope:"required"`
	From string   `json:"from" envelope:"required"`
	Page int      `json:"page"`
}

func readmeSend(_ context.Context, p readmeParams) (map[string]int, error) {
	return map[string]int{"to": len(p.To)}, nil
}

// readmeMux is the README's standard-library recipe, as it is written
// there: method-less patterns behind PostOnly, and a catch-all that answers
// UnknownAction.
func readmeMux(action http.Handler) http.Handler {
	quiet := slog.New(slog.DiscardHandler)
	var maintenance atomic.Bool
	chain := middleware.NewChain(
		middleware.RequireHTTPS(middleware.HTTPSOptions{}),
		middleware.Envelope(middleware.EnvelopeOptions{Logger: quiet}),
		middleware.Recover(middleware.RecoverOptions{Logger: quiet}),
		middleware.Maintenance(middleware.MaintenanceOptions{On: &maintenance}),
		middleware.PostOnly(middleware.PostOnlyOptions{}),
	)
	mux := http.NewServeMux()
	mux.Handle("/api/v1/send/message", chain.Then(action))
	mux.Handle("/", chain.ThenFunc(func(w http.ResponseWriter, r *http.Request) {
		envelope.Fail(w, r, envelope.NewError(envelope.CodeUnknownAction, "There is no action at "+r.URL.Path))
	}))
	return mux
}

var readmeOptions = conformance.Options{
	Action:        "/api/v1/send/message",
	Params:        `{"to":["a@example.com"],"from":"me@example.com","page":1}`,
	IntField:      "page",
	RequiredField: "to",
}

// TestREADMERecipesKeepTheContract runs the conformance suite against what
// the README shows: the mux recipe with a typed action, and the same with
// a legacy handler behind Params that reads r.Body itself.
func TestREADMERecipesKeepTheContract(t *testing.T) {
	t.Run("typed action", func(t *testing.T) {
		conformance.Run(t, readmeMux(envelope.Action(readmeSend)), readmeOptions)
	})
	t.Run("legacy handler behind Params", func(t *testing.T) {
		legacy := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var p readmeParams
			if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
				w.WriteHeader(http.StatusBadRequest)
				json.NewEncoder(w).Encode(map[string]string{"error": "bad json: " + err.Error()})
				return
			}
			if len(p.To) == 0 {
				w.WriteHeader(http.StatusBadRequest)
				json.NewEncoder(w).Encode(map[string]string{"error": "`to` parameter is required but is missing"})
				return
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]int{"to": len(p.To)})
		})
		h := readmeMux(middleware.Params(middleware.ParamsOptions{})(legacy))
		// The legacy handler reads, as JSON, the parameters Params read
		// before it, from a JSON body or a form.
		rep := conformance.RunHandler(context.Background(), h, conformance.Options{Action: readmeOptions.Action, Params: readmeOptions.Params})
		assert.Zero(t, rep.Failed, rep.Summary())
		for _, r := range rep.Results {
			if strings.HasPrefix(r.String(), "FAIL") {
				t.Error(r)
			}
		}
	})
}
