// Package errcodes defines an Analyzer that checks that actions return
// only the error codes they declare (CONTRACT V4).
//
// # Analyzer errcodes
//
// errcodes: report error codes an action returns that it does not declare
//
// An action declares its errors in envelope.ActionOptions.Errors, and its
// authenticator in Authenticator.Errors; the documentation lists them, and
// clients rely on the list. errcodes computes, for every function, the
// (status, code) pairs its error results can carry, and carries them
// across packages as facts:
//
//   - constant codes given to envelope.NewError, NotFound, AccessDenied,
//     ParameterError, ValidationError (ValidationFailed), Unavailable, to
//     Declare, and in envelope.Error literals;
//   - declared error variables, and With and WithField on them;
//   - the codes of the functions it calls, in any package, and of the
//     errors it wraps with fmt.Errorf's %w or errors.Join;
//   - code parameters: func postalError(code string) error records that
//     the code is its argument, which each call site gives.
//
// At each registration, envelope.Action, ActionWith and HandlerWith, the
// router's Action and ActionFunc, and each Authenticator literal, it
// reports:
//
//   - a code the action can return that neither its declaration nor its
//     authenticator's lists, with the call path that returns it
//     (category "undeclared");
//   - a code it cannot determine: not a constant, read from a field, a
//     map or a function value, or set by assigning Error.Code (category
//     "undetermined"). "//envelopevet:allow <reason>" on the line that
//     makes it silences it;
//   - as a warning, a declared code the action never returns, unless some
//     code of the action cannot be determined (category "unused"; the
//     message starts with "warning:"; -errcodes.unused=false turns it off).
//
// "//envelopevet:allow <reason>" on a registration (its line, the line
// above, or the enclosing function) silences that registration's findings.
//
// The toolkit's own parameter errors (envelope.ToolkitParameterCodes) and
// the 500 and 503 answers need no declaration. For an existing handler
// (HandlerWith, a router's plain handler), what it answers is read from
// envelope.Fail and from the HTTP statuses it writes with WriteHeader,
// http.Error, http.NotFound and http.Redirect, translated as the Envelope
// middleware translates them (400 parameter-error BadRequest, 404
// not-found NotFound, ...).
//
// With -errcodes.json, each action's declared and found codes are printed
// on standard output, one JSON object a line, for documentation that has
// no declaration to go by. It works in the standalone mode (envelopevet
// -errcodes.json ./...): go vet reads the tool's standard output as its
// own JSON, and the flag is an error there. Findings in generated files
// and _test.go files are not reported.
//
// What it does not see:
//
//   - errors returned by interface methods and function values it cannot
//     resolve to a function, and errors read from struct fields, maps,
//     slices and channels: of type error, they count as unanticipated (500);
//     of type *envelope.Error, their code is undetermined;
//   - package-level error variables assigned after their declaration;
//   - a variable set through a pointer (errors.As excepted);
//   - error types of one's own that wrap an *envelope.Error;
//   - answers of middleware of one's own around an ActionWith action (a
//     handler registered with HandlerWith or the router counts what the
//     functions that make it answer);
//   - a router registration whose handler is a variable not assigned in
//     the same function: the handler is checked where envelope.ActionWith
//     or HandlerWith makes it;
//   - through a registration helper that takes the action function or its
//     errors as parameters: those are reported as undetermined;
//   - the standard library's code: it is read by its API (fmt.Errorf and
//     errors.Join wrap errors; http.Error, NotFound and Redirect write a
//     status), and a package counts as standard when it has no module and
//     its path no dot, so errcodes needs module mode.
//
// Values are followed flow-insensitively: a variable may hold any value
// assigned to it anywhere in its function.
package errcodes
