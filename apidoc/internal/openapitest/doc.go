// Package openapitest checks the demo API's OpenAPI documents with a real
// validator, kin-openapi, and checks every answer the demo gives in its
// tests and in the conformance suite against the document. It is a module
// of its own, like benchmarks/, so that users of the toolkit never inherit
// kin-openapi; check.sh runs it with the npm tools.
package openapitest
