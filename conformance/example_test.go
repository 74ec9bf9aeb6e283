package conformance_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"

	"github.com/apienvelope/apienvelope/conformance"
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// exampleAPI is an API built on the toolkit's router, with one action.
// Plain HTTP is redirected to httpsPort (0 for 443).
func exampleAPI(httpsPort int) http.Handler {
	quiet := slog.New(slog.DiscardHandler)
	r := middleware.NewRouter(middleware.RouterOptions{
		HTTPS:    &middleware.HTTPSOptions{HTTPSPort: httpsPort},
		Envelope: middleware.EnvelopeOptions{Logger: quiet},
		Recover:  middleware.RecoverOptions{Logger: quiet},
	})
	type listParams struct {
		Page int `json:"page"`
	}
	r.Action("messages", "list", middleware.Params(middleware.ParamsOptions{})(
		envelope.Action(func(_ context.Context, p listParams) ([]int, error) {
			return []int{p.Page}, nil
		})))
	return r
}

// In a test, conformance.Run(t, handler, opts) does the same with one
// subtest per case.
func ExampleRunHandler() {
	rep := conformance.RunHandler(context.Background(), exampleAPI(0), conformance.Options{
		Action:   "/api/v1/messages/list",
		Params:   `{"page":1}`, // a call that succeeds
		IntField: "page",       // "page": "x" must be a parameter-error naming page
	})
	fmt.Println("failed:", rep.Failed)
	for _, r := range rep.Results {
		if r.Case == "errors/wrong-type" {
			fmt.Println(r)
		}
	}
	// Output:
	// failed: 0
	// PASS errors/wrong-type [R5]
}

func ExampleRunURL() {
	// Plain HTTP must be redirected to the HTTPS listener's port: known
	// once it listens.
	tlsSrv := httptest.NewUnstartedServer(nil)
	api := exampleAPI(tlsSrv.Listener.Addr().(*net.TCPAddr).Port)
	tlsSrv.Config.Handler = api
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	plainSrv := httptest.NewServer(api)
	defer plainSrv.Close()

	rep, err := conformance.RunURL(context.Background(), tlsSrv.URL+"/api/v1/messages/list", conformance.Options{
		Params:   `{"page":1}`,
		HTTPURL:  plainSrv.URL, // for the plain-HTTP cases of R2
		Insecure: true,         // httptest's certificate is self-signed
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("failed:", rep.Failed)
	// Output: failed: 0
}
