// Package handlerflow follows http.ResponseWriter values through request
// handlers and tells which calls set a status or write a body on them.
//
// It is the shared engine of the rawstatus and rawwrite analyzers. Its
// Analyzer computes, for every function of a package, a [Fact] saying which
// parts of the function's parameters (receiver included) get a status set or
// a body written, which ones its results carry, and, for a method, which
// ones it stores in which field of its receiver. Facts cross package
// boundaries, so a helper such as net/http's Error, or a third-party
// render.JSON, is recognised from its code rather than from a list of names.
//
// Inside one function, a value is followed part by part: a struct's fields
// are told apart (in p := pair{w: w, log: os.Stderr}, p.log is not the
// writer), down to three fields deep, past which a part stands for
// everything in it; a value with more than 16 parts merges them into their
// first fields. Facts tell apart the fields of a parameter one level deep
// (body:l.out, returns.w:w, stores.conns:w). A local variable assigned more than once as a whole is
// followed in the order of the code, on the function's control-flow graph
// (after out = w; out = os.Stderr, out is not the writer); other variables,
// and the fields, elements and channels they hold, are followed
// flow-insensitively: what is stored in them anywhere is seen everywhere.
// Values are followed through assignment, conversion, type assertion,
// composite literals, slices, maps, channel sends and receives, closures,
// the results of function literals, and calls whose Fact says what they
// return or store. There is no limit on the number of values or handlers in
// one function. A call is a write when:
//
//   - it calls WriteHeader (status) or Write, WriteString, WriteByte,
//     WriteRune or ReadFrom (body) on an interface or type parameter, or
//   - it calls a function whose Fact says it does so to the part of the
//     value given to it, or
//   - it calls a method value taken from such a value (f := w.WriteHeader;
//     f(404)), in the function where it was taken.
//
// Taking a method value writes nothing, so handing a wrapper's Write to
// hooks (httpsnoop) is composition, not a write; method values and
// function values are not followed into the functions they are passed to.
// Calls of other interface methods (next.ServeHTTP(w, r) in middleware,
// w.(http.Flusher).Flush()) are not writes: they cannot be resolved
// statically, and forwarding to the next handler is how handlers compose.
//
// A handler is any function or function literal with a parameter whose type
// is an interface holding ResponseWriter's methods (http.ResponseWriter, an
// alias of it, a named type over it, or a type parameter constrained by it);
// ServeHTTP methods and httprouter handles are such functions. So is a
// function or method whose receiver or parameter is a struct with a field of such a
// type (a response builder), unless the struct implements ResponseWriter
// itself (a wrapper, whose forwarding methods are how wrappers compose).
// The Result lists the writes made on a handler's writers, each once, where
// it is made: a call of a function of the same package that reports the
// write itself (a helper with the writer as a parameter, a method of a
// builder holding it) is not reported again, while a call into another
// package, or into a function whose writes are not reported (generated,
// _test.go, -wrapped), is. It leaves out:
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
// What it does not see, and so never reports: writes through function
// values and interface methods other than the writer's own (a handler
// stored in a map and called, a method value handed to another function);
// a writer kept in a package-level variable and written by another
// function; a writer reached through a pointer to a variable or field
// (p := &x.w; *p = w); reflection and unsafe. Where it loses the part of a
// value that holds the writer (the fields of a function's result, paths
// deeper than three fields), it follows the whole value instead, which may
// report a write to a sibling of the writer.
//
// The Analyzer's only diagnostics are "//envelopevet:allow" comments that
// give no reason: such a comment suppresses nothing.
package handlerflow
