// Package apidoc is the "describe" part of the toolkit: it turns what an
// API registers into a description of it, and renders that description
// as an OpenAPI document.
//
// Every action made by envelope.ActionWith (or HandlerWith) describes
// itself: its title and description, the Go types of its parameters and
// result, strict mode, its authenticator and the errors it declares with
// envelope.Declare. A middleware.Router collects these as it registers
// actions, and its Describe method returns the [API]. Its [API.OpenAPI]
// method writes the OpenAPI 3.1 document (or a 3.0 rendering) that the
// router serves at /api/docs/v1/openapi.json and that cmd/envelopedoc
// writes to a file. Other renderings of the description read the same
// [API].
//
// Schemas come from the Go types by reflection, with the naming rules of
// encoding/json v2: a field's name is its json tag's, else its Go name;
// "-" skips it; embedded structs lend their fields; omitempty and
// omitzero make a result's member optional. Parameters are required where
// they are tagged `envelope:"required"`. Struct tags document fields, in
// the style of huma:
//
//	type params struct {
//		To   []string `json:"to" envelope:"required" doc:"Recipients" example:"[\"ann@example.com\"]"`
//		Kind string   `json:"kind" doc:"What to send" enum:"plain,html" default:"plain"`
//	}
//
// A type whose JSON reflection cannot see (its own MarshalJSON, a
// json.RawMessage that holds something specific) describes itself by
// implementing [SchemaProvider].
package apidoc
