package benchmarks

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/apienvelope/apienvelope/envelope"
	"github.com/gofiber/fiber/v2"
)

// Path is the URL every variant serves.
const Path = "/api/v1/messages/send"

// Variant is one way of serving the same action.
type Variant struct {
	Name    string
	Handler http.Handler
}

// Case is one payload served by every variant.
type Case struct {
	Payload  string
	Request  []byte
	Variants []Variant
	// Data and Flags are the JSON every variant must answer with, as
	// encoding/json writes them.
	Data, Flags []byte
	// Limit is the envelope the limit variant writes.
	Limit []byte
	// Fiber makes the fiber peer, which is served end to end only: it is
	// not a net/http handler.
	Fiber func() *fiber.App
}

// Cases returns the three payloads with every variant.
func Cases() []Case { return CasesFor(Config{}) }

// CasesFor is Cases with a configuration.
func CasesFor(cfg Config) []Case {
	return []Case{newCase(cfg, Small()), newCase(cfg, Medium()), newCase(cfg, Large())}
}

// VariantNames are the variants in the order of the table.
var VariantNames = []string{
	"limit", "bare", "bare-jsoniter", "bare-goccy", "handwritten-std",
	"action", "action-jsoniter", "action-goccy", "wrapped",
	"huma", "echo", "gin", "chi-render",
}

// Peers are the variants made with the frameworks users pick instead.
// Fiber is one too, end to end only: it does not serve net/http.
var Peers = []string{"huma", "echo", "gin", "chi-render"}

// Adapters are the action variants with a codec other than the default,
// each with its bare variant.
var Adapters = map[string]string{"action-jsoniter": "bare-jsoniter", "action-goccy": "bare-goccy"}

func newCase[P, R any](cfg Config, pl Payload[P, R]) Case {
	var zero P
	sample, err := pl.Serve(*decodeSample(pl.Request, &zero))
	if err != nil {
		panic(err)
	}
	c := Case{Payload: pl.Name, Request: pl.Request, Data: mustJSON(sample), Flags: []byte("{}")}
	if pl.Page != nil {
		c.Flags = mustJSON(map[string]any{"paginated": pl.Page})
	}
	c.Limit = []byte(`{"status":"success","time":0.000012,"flags":` + string(c.Flags) + `,"data":` + string(c.Data) + `}`)

	c.Variants = []Variant{
		{"limit", limitHandler(c.Limit)},
		{"bare", bareHandler(pl, defaultCodec)},
		{"bare-jsoniter", bareHandler(pl, jsoniterCodec)},
		{"bare-goccy", bareHandler(pl, goccyCodec)},
		{"handwritten-std", handwrittenStd(pl)},
		{"action", actionHandler(cfg, pl, envelope.Options{})},
		{"action-jsoniter", actionHandler(cfg, pl, envelope.Options{Codec: jsoniterCodec})},
		{"action-goccy", actionHandler(cfg, pl, envelope.Options{Codec: goccyCodec})},
		{"wrapped", wrappedHandler(cfg, pl)},
		{"huma", humaHandler(pl)},
		{"echo", echoHandler(pl)},
		{"gin", ginHandler(pl)},
		{"chi-render", chiHandler(pl)},
	}
	c.Fiber = func() *fiber.App { return fiberApp(pl) }
	return c
}

func decodeSample[P any](req []byte, p *P) *P {
	if err := json.Unmarshal(req, p); err != nil {
		panic(err)
	}
	return p
}

var (
	jsonType = []string{"application/json; charset=utf-8"}
)

// limitHandler writes precomputed bytes identical to the envelope: the floor
// of net/http's work.
func limitHandler(body []byte) http.Handler {
	length := []string{strconv.Itoa(len(body))}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = jsonType
		h["Content-Length"] = length
		w.Write(body)
	})
}

var bareBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// bareHandler does the same decoding and encoding of the data with codec,
// into a pooled buffer written at once: no envelope, no middleware. The
// floor of the JSON work with that codec.
func bareHandler[P, R any](pl Payload[P, R], codec envelope.Codec) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bp := bareBuffers.Get().(*[]byte)
		defer bareBuffers.Put(bp)
		in := bytes.NewBuffer((*bp)[:0])
		if _, err := in.ReadFrom(r.Body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		var p P
		if err := codec.Unmarshal(in.Bytes(), &p, envelope.UnmarshalOptions{}); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		res, err := pl.Serve(p)
		if err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		out, err := codec.AppendJSON(in.Bytes()[:0], res)
		if err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h["Content-Type"] = jsonType
		h["Content-Length"] = []string{strconv.Itoa(len(out))}
		w.Write(out)
		*bp = out[:0]
	})
}

// stdEnvelope is the envelope as users write it by hand today.
type stdEnvelope struct {
	Status string         `json:"status"`
	Time   float64        `json:"time"`
	Flags  map[string]any `json:"flags"`
	Data   any            `json:"data"`
}

type stdError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func seconds(start time.Time) float64 {
	return math.Round(time.Since(start).Seconds()*1e6) / 1e6
}

func flagsOf(page *envelope.Page) map[string]any {
	if page == nil {
		return map[string]any{}
	}
	return map[string]any{"paginated": page}
}

// handwrittenStd is what users write today: encoding/json decoding the body,
// json.NewEncoder(w).Encode of an envelope struct.
func handwrittenStd[P, R any](pl Payload[P, R]) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w.Header().Set("Content-Type", "application/json")
		var p P
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			json.NewEncoder(w).Encode(stdEnvelope{Status: "parameter-error", Time: seconds(start), Flags: map[string]any{},
				Data: stdError{Code: "InvalidParameters", Message: err.Error()}})
			return
		}
		res, err := pl.Serve(p)
		if err != nil {
			json.NewEncoder(w).Encode(stdEnvelope{Status: "error", Time: seconds(start), Flags: map[string]any{},
				Data: stdError{Code: "Failed", Message: err.Error()}})
			return
		}
		json.NewEncoder(w).Encode(stdEnvelope{Status: "success", Time: seconds(start), Flags: flagsOf(pl.Page), Data: res})
	})
}

// actionHandler is the toolkit: the full middleware chain and a typed action.
func actionHandler[P, R any](cfg Config, pl Payload[P, R], opts envelope.Options) http.Handler {
	return ToolkitChain(cfg, opts).Then(envelope.Action(func(ctx context.Context, p P) (R, error) {
		if pl.Page != nil {
			envelope.SetPage(ctx, *pl.Page)
		}
		return pl.Serve(p)
	}))
}

// wrappedHandler is the toolkit wrapping an existing handler that decodes
// its body and writes its own JSON: bare's handler, which does the same JSON
// work as action with the same codec, so that the difference with action
// is the wrapping. Its one concession to the envelope is the pagination
// flag.
func wrappedHandler[P, R any](cfg Config, pl Payload[P, R]) http.Handler {
	bare := bareHandler(pl, defaultCodec)
	existing := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if pl.Page != nil {
			envelope.SetPage(r.Context(), *pl.Page)
		}
		bare.ServeHTTP(w, r)
	})
	return ToolkitChain(cfg, envelope.Options{}).Then(existing)
}
