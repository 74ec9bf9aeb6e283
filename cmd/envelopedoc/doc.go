// Command envelopedoc writes the documentation of the demo API
// (cmd/demoapi) without a server, from the same description its router
// serves at /api/docs/v1/:
//
//	go run ./cmd/envelopedoc openapi [-version 3.1|3.0] [-server URL] [-o FILE]
//
// openapi writes the OpenAPI document: 3.1 by default, or its 3.0
// rendering; -server sets the URL its paths follow (default "/", the host
// the document is read from); without -o it goes to standard output.
//
// The description comes from the demo's router (demo.New(...).Describe()),
// built in this process: envelopedoc documents the demo, and is the
// pattern for an API of one's own, whose command can do the same with its
// own router's Describe and apidoc.API.OpenAPI.
package main
