package main

import (
	"context"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

// sendParams are the parameters of the demo's send/message action, cut to
// what the load test needs.
type sendParams struct {
	To      []string `json:"to" envelope:"required"`
	From    string   `json:"from" envelope:"required"`
	Subject string   `json:"subject"`
	Body    string   `json:"plain_body"`
	Page    int      `json:"page"`
}

type sendResult struct {
	MessageID  string         `json:"message_id"`
	Recipients map[string]int `json:"messages"`
}

// server is the API under load: the demo's chain (RequireHTTPS, Envelope,
// Recover, Maintenance, PostOnly, router, Params, typed action), served
// over TLS on 127.0.0.1 with HTTP/1.1 keep-alive. It counts what the
// actions did, so that the load test can check that nothing was lost.
type server struct {
	*httptest.Server
	sent     atomic.Int64 // send/message ran
	panicked atomic.Int64 // debug/panic ran
	ids      atomic.Int64

	open atomic.Int64 // connections the server has open
}

func newServer() *server {
	s := &server{}
	quiet := slog.New(slog.DiscardHandler)
	var maintenance atomic.Bool
	r := middleware.NewRouter(middleware.RouterOptions{
		HTTPS:    &middleware.HTTPSOptions{},
		Envelope: middleware.EnvelopeOptions{TimeDecimals: 3, Logger: quiet},
		Recover:  middleware.RecoverOptions{Logger: quiet},
		Middleware: []middleware.Middleware{
			middleware.Maintenance(middleware.MaintenanceOptions{On: &maintenance}),
		},
	})
	params := middleware.Params(middleware.ParamsOptions{})
	r.Action("send", "message", params(envelope.Action(func(ctx context.Context, p sendParams) (sendResult, error) {
		s.sent.Add(1)
		if strings.TrimSpace(p.Subject) == "" && p.Body == "" {
			return sendResult{}, envelope.NewError("NoContent", "There is no content defined for this e-mail")
		}
		res := sendResult{MessageID: "m" + strconv.FormatInt(s.ids.Add(1), 10) + "@loadtest.localhost", Recipients: make(map[string]int, len(p.To))}
		for i, to := range p.To {
			res.Recipients[to] = i + 1
		}
		return res, nil
	})))
	r.Action("debug", "panic", params(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		s.panicked.Add(1)
		panic(errors.New("debug/panic was called"))
	})))

	s.Server = httptest.NewUnstartedServer(r)
	s.EnableHTTP2 = false
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.Config.ConnState = func(c net.Conn, state http.ConnState) {
		switch state {
		case http.StateNew:
			s.open.Add(1)
		case http.StateClosed, http.StateHijacked:
			s.open.Add(-1)
		}
	}
	s.StartTLS()
	return s
}

// openConns is the number of connections the server has open.
func (s *server) openConns() int { return int(s.open.Load()) }
