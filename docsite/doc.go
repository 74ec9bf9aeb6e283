// Package docsite makes the documentation site of an API from its
// description (see apidoc): the pages Moonrope generated for its APIs,
// from the API's own code, so that they cannot drift from it.
//
// The site has a welcome page, which says how to call the API and read its
// answers (every status, the HTTP statuses, the toolkit's own errors), a
// page per controller, per action (URL, access, parameters, declared
// errors with their attributes, result, a curl example, an example
// envelope for the success and for each error), per authenticator and per
// shared structure, and the API's OpenAPI documents. The pages are
// html/template files embedded in the package, with one stylesheet: no
// CDN, and no JavaScript needed to read them.
//
// A middleware.Router serves the site at /api/docs/v1/, with GET, beside
// its actions; there, action pages also have a "try it" form, which calls
// the action with a small script. [Site.WriteDir] writes it as files:
//
//	site, err := docsite.New(router.Describe(), docsite.Options{Host: "https://api.example.com"})
//	...
//	err = site.WriteDir("docs")
//
// which is what "envelopedoc site -o DIR" does for the demo API.
package docsite
