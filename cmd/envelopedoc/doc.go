// Command envelopedoc writes the documentation of the demo API
// (cmd/demoapi) without a server, from the same description its router
// serves at /api/docs/v1/:
//
//	go run ./cmd/envelopedoc openapi [-version 3.1|3.0] [-server URL] [-o FILE]
//	go run ./cmd/envelopedoc site -o DIR [-host URL] [-contact URL]
//
// openapi writes the OpenAPI document: 3.1 by default, or its 3.0
// rendering; -server sets the URL its paths follow (default "/", the host
// the document is read from); without -o it goes to standard output.
//
// site writes the documentation site (see package docsite) under DIR: the
// welcome page, DIR/index.html, and a page per controller, action,
// authenticator and structure, with the OpenAPI documents beside them.
// -host is what the actions' URLs start with (default
// https://localhost:8443, where the demo listens); -contact is where the
// welcome page's "contact our team" links to.
//
// The description comes from the demo's router (demo.New(...).Describe()),
// built in this process: envelopedoc documents the demo, and is the
// pattern for an API of one's own, whose command can do the same with its
// own router's Describe, apidoc.API.OpenAPI and docsite.New.
package main
