package benchmarks

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/render"
	"github.com/gofiber/fiber/v2"
	"github.com/labstack/echo/v4"
)

// The peers: the same action written with the frameworks users pick
// instead, each with its own idioms for reading the parameters and writing
// the answer, and each answering the envelope of the contract by hand. Only
// the success path is measured; their errors are written their own way.

// humaEnvelope is the envelope as a huma response body: huma wants a typed
// body, from which it makes the OpenAPI schema.
type humaEnvelope[R any] struct {
	Status string         `json:"status"`
	Time   float64        `json:"time"`
	Flags  map[string]any `json:"flags"`
	Data   R              `json:"data"`
}

// humaHandler is huma v2 on net/http's ServeMux (the humago adapter): an
// operation with a typed input body, which huma checks against its schema
// before decoding, and a typed output body. The default configuration less
// its link transformer, which adds a "$schema" field to every answer.
func humaHandler[P, R any](pl Payload[P, R]) http.Handler {
	mux := http.NewServeMux()
	config := huma.DefaultConfig("benchmark", "1.0.0")
	config.CreateHooks = nil
	api := humago.New(mux, config)
	huma.Register(api, huma.Operation{
		OperationID: "send",
		Method:      http.MethodPost,
		Path:        Path,
	}, func(ctx context.Context, in *struct{ Body P }) (*struct{ Body humaEnvelope[R] }, error) {
		start := time.Now()
		res, err := pl.Serve(in.Body)
		if err != nil {
			return nil, huma.Error422UnprocessableEntity(err.Error())
		}
		out := &struct{ Body humaEnvelope[R] }{}
		out.Body = humaEnvelope[R]{Status: "success", Time: seconds(start), Flags: flagsOf(pl.Page), Data: res}
		return out, nil
	})
	return mux
}

// echoHandler is echo v4: c.Bind and c.JSON of the envelope struct.
func echoHandler[P, R any](pl Payload[P, R]) http.Handler {
	e := echo.New()
	e.POST(Path, func(c echo.Context) error {
		start := time.Now()
		var p P
		if err := c.Bind(&p); err != nil {
			return c.JSON(http.StatusOK, stdEnvelope{Status: "parameter-error", Time: seconds(start), Flags: map[string]any{},
				Data: stdError{Code: "InvalidParameters", Message: err.Error()}})
		}
		res, err := pl.Serve(p)
		if err != nil {
			return c.JSON(http.StatusOK, stdEnvelope{Status: "error", Time: seconds(start), Flags: map[string]any{},
				Data: stdError{Code: "Failed", Message: err.Error()}})
		}
		return c.JSON(http.StatusOK, stdEnvelope{Status: "success", Time: seconds(start), Flags: flagsOf(pl.Page), Data: res})
	})
	return e
}

func init() { gin.SetMode(gin.ReleaseMode) }

// ginHandler is gin: c.ShouldBindJSON and c.JSON of the envelope struct.
func ginHandler[P, R any](pl Payload[P, R]) http.Handler {
	g := gin.New()
	g.POST(Path, func(c *gin.Context) {
		start := time.Now()
		var p P
		if err := c.ShouldBindJSON(&p); err != nil {
			c.JSON(http.StatusOK, stdEnvelope{Status: "parameter-error", Time: seconds(start), Flags: map[string]any{},
				Data: stdError{Code: "InvalidParameters", Message: err.Error()}})
			return
		}
		res, err := pl.Serve(p)
		if err != nil {
			c.JSON(http.StatusOK, stdEnvelope{Status: "error", Time: seconds(start), Flags: map[string]any{},
				Data: stdError{Code: "Failed", Message: err.Error()}})
			return
		}
		c.JSON(http.StatusOK, stdEnvelope{Status: "success", Time: seconds(start), Flags: flagsOf(pl.Page), Data: res})
	})
	return g
}

// chiHandler is chi's router with its render package: render.DecodeJSON
// and render.JSON of the envelope struct.
func chiHandler[P, R any](pl Payload[P, R]) http.Handler {
	r := chi.NewRouter()
	r.Post(Path, func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		var p P
		if err := render.DecodeJSON(r.Body, &p); err != nil {
			render.JSON(w, r, stdEnvelope{Status: "parameter-error", Time: seconds(start), Flags: map[string]any{},
				Data: stdError{Code: "InvalidParameters", Message: err.Error()}})
			return
		}
		res, err := pl.Serve(p)
		if err != nil {
			render.JSON(w, r, stdEnvelope{Status: "error", Time: seconds(start), Flags: map[string]any{},
				Data: stdError{Code: "Failed", Message: err.Error()}})
			return
		}
		render.JSON(w, r, stdEnvelope{Status: "success", Time: seconds(start), Flags: flagsOf(pl.Page), Data: res})
	})
	return r
}

// fiberApp is gofiber/fiber v2, on fasthttp: c.BodyParser and c.JSON of the
// envelope struct. It is measured end to end only (cmd/loadgen), since it
// does not serve net/http.
func fiberApp[P, R any](pl Payload[P, R]) *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Post(Path, func(c *fiber.Ctx) error {
		start := time.Now()
		var p P
		if err := c.BodyParser(&p); err != nil {
			return c.JSON(stdEnvelope{Status: "parameter-error", Time: seconds(start), Flags: map[string]any{},
				Data: stdError{Code: "InvalidParameters", Message: err.Error()}})
		}
		res, err := pl.Serve(p)
		if err != nil {
			return c.JSON(stdEnvelope{Status: "error", Time: seconds(start), Flags: map[string]any{},
				Data: stdError{Code: "Failed", Message: err.Error()}})
		}
		return c.JSON(stdEnvelope{Status: "success", Time: seconds(start), Flags: flagsOf(pl.Page), Data: res})
	})
	return app
}
