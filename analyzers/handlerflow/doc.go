// Package handlerflow follows http.ResponseWriter values through request
// handlers and tells which calls set a status or write a body on them.
//
// It is the shared engine of the rawstatus and rawwrite analyzers. Its
// Analyzer computes, for every function of a package, a [Fact] saying which
// of the function's parameters (receiver included) get a status set or a body
// written, which ones its results carry, and, for a method, which ones it
// stores in its receiver. Facts cross package boundaries,
// so a helper such as net/http's Error, or a third-party render.JSON, is
// recognised from its code rather than from a list of names.
//
// Inside one function, values are followed flow-insensitively through
// assignment, conversion, type assertion, struct fields, composite literals,
// slices, closures and calls of function literals. A call is a write when:
//
//   - it calls WriteHeader (status) or Write, WriteString, WriteByte,
//     WriteRune or ReadFrom (body) on an interface or type parameter, or
//   - it calls a function whose Fact says it does so to an argument.
//
// A method value such as w.Write is followed to the calls of the variable
// it is bound to; taking it writes nothing, so handing a wrapper's Write to
// hooks (httpsnoop) is composition, not a write.
// Calls of other interface methods (next.ServeHTTP(w, r) in middleware,
// w.(http.Flusher).Flush()) are not writes: they cannot be resolved
// statically, and forwarding to the next handler is how handlers compose.
//
// A handler is any function or function literal with a parameter whose type
// is an interface holding ResponseWriter's methods (http.ResponseWriter, an
// alias of it, a named type over it, or a type parameter constrained by it);
// ServeHTTP methods and httprouter handles are such functions. The Result
// lists the writes made on a handler's writer parameters. It leaves out:
//
//   - calls into trusted packages: the toolkit's own
//     (github.com/apienvelope/apienvelope/...) and those named by the
//     -trusted flag;
//   - writes marked "//envelopevet:allow <reason>" on their line, on the line
//     above, or on an enclosing function; such writes do not make the
//     function's Fact either, so marking an envelope-like writer once
//     clears every caller;
//   - writes in generated files and in _test.go files (fake servers in
//     tests answer like the APIs they imitate); their facts are kept;
//   - writes in the handlers of the packages and functions named by the
//     -wrapped flag: legacy handlers registered inside the Envelope
//     wrapper, which turns what they write into envelopes; their facts are
//     kept.
//
// [Result.Sole] tells the suggested fixes of rawstatus and rawwrite
// whether a finding makes the handler's whole answer: nothing else may set
// a status on, write a body to, or answer through the same writer before or
// after it on any path of the handler's control-flow graph.
//
// The Analyzer's only diagnostics are "//envelopevet:allow" comments that
// give no reason: such a comment suppresses nothing.
package handlerflow
