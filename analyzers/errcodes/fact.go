package errcodes

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// A Code is an error's envelope status and code, such as error/NoRecipients.
type Code struct {
	Status string `json:"status"`
	Code   string `json:"code"`
}

func (c Code) String() string { return c.Status + "/" + c.Code }

// An Entry is one way a function's errors get their code.
//
// Its status and code are constants, or come from an argument of the call
// (StatusArg, CodeArg: parameter index + 1, 0 for none). ErrArg (index + 1)
// says the error passed as that argument is returned, wrapped or not, with
// whatever codes it carries; HTTPArg (index + 1), that the HTTP status
// passed as that argument is written, and translated by the Envelope
// middleware. Why, when set, says why the code cannot be determined, and
// Allowed that a suppression comment gives a reason for it.
type Entry struct {
	Status, Code       string
	StatusArg, CodeArg int
	ErrArg, HTTPArg    int
	Why                string
	Allowed            bool
	// Path names the functions the error comes through, the callee first
	// (empty when the function makes it itself); At is where it is made,
	// file:line.
	Path []string
	At   string
}

// known reports whether the entry's status and code are both constants.
func (e Entry) known() bool {
	return e.Why == "" && e.ErrArg == 0 && e.HTTPArg == 0 && e.StatusArg == 0 && e.CodeArg == 0
}

func (e Entry) code() Code { return Code{e.Status, e.Code} }

// key identifies an entry whatever its path: the same code reached by two
// paths is one entry, so that summaries stop growing.
type key struct {
	status, code       string
	statusArg, codeArg int
	errArg, httpArg    int
	why, at            string
}

func (e Entry) key() key {
	k := key{e.Status, e.Code, e.StatusArg, e.CodeArg, e.ErrArg, e.HTTPArg, e.Why, ""}
	if e.Why != "" {
		k.at = e.At // each undetermined code is its own, for its own comment
	}
	return k
}

// via describes where the entry comes from: the functions it comes
// through and where it is made, "helpers.Postal → helpers.make,
// helpers.go:12".
func (e Entry) via() string {
	if len(e.Path) == 0 {
		return e.At
	}
	return strings.Join(e.Path, " → ") + ", " + e.At
}

func (e Entry) String() string {
	switch {
	case e.Why != "" && e.Allowed:
		return "allowed?" + e.At
	case e.Why != "":
		return "?" + e.At
	case e.ErrArg > 0:
		return fmt.Sprintf("wraps$%d", e.ErrArg-1)
	case e.HTTPArg > 0:
		return fmt.Sprintf("http$%d", e.HTTPArg-1)
	}
	status, code := e.Status, e.Code
	if e.StatusArg > 0 {
		status = fmt.Sprintf("$%d", e.StatusArg-1)
	}
	if e.CodeArg > 0 {
		code = fmt.Sprintf("$%d", e.CodeArg-1)
	}
	return status + "/" + code
}

// entries is a set of entries.
type entries map[key]Entry

// add adds e, keeping the shortest path to a code; it reports whether the
// set gained a code.
func (s entries) add(e Entry) bool {
	k := e.key()
	old, ok := s[k]
	if !ok {
		s[k] = e
		return true
	}
	if len(e.Path) < len(old.Path) || len(e.Path) == len(old.Path) && e.via() < old.via() {
		s[k] = e
	}
	return false
}

func (s entries) addAll(es []Entry) {
	for _, e := range es {
		s.add(e)
	}
}

// sorted returns the entries in a stable order.
func (s entries) sorted() []Entry {
	out := make([]Entry, 0, len(s))
	for _, e := range s {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.String(), b.String()), cmp.Compare(a.via(), b.via()))
	})
	return out
}

// Fact is what errcodes knows of a function or a package-level variable.
type Fact struct {
	// Returns are the codes of a function's error results, or of a
	// variable's error value.
	Returns []Entry
	// Sends are the codes a function with a ResponseWriter parameter
	// answers with: errors given to envelope.Fail and HTTP statuses, as
	// the Envelope middleware translates them.
	Sends []Entry
	// Decl is what an ActionOptions, an *Authenticator or a []*Error
	// declares, for a function that returns one or a variable that holds
	// one.
	Decl *Decl
}

// AFact marks Fact as an analysis fact.
func (*Fact) AFact() {}

func (f *Fact) String() string {
	var parts []string
	list := func(label string, es []Entry) {
		if len(es) == 0 {
			return
		}
		names := make([]string, len(es))
		for i, e := range es {
			names[i] = e.String()
		}
		parts = append(parts, label+" "+strings.Join(names, " "))
	}
	list("returns", f.Returns)
	list("sends", f.Sends)
	if f.Decl != nil {
		parts = append(parts, f.Decl.String())
	}
	return strings.Join(parts, "; ")
}

// merge adds to f what old has that f lacks.
func (f *Fact) merge(old *Fact) *Fact {
	if old == nil {
		return f
	}
	union := func(a, b []Entry) []Entry {
		set := entries{}
		set.addAll(a)
		set.addAll(b)
		return set.sorted()
	}
	f.Returns, f.Sends = union(f.Returns, old.Returns), union(f.Sends, old.Sends)
	f.Decl = f.Decl.union(old.Decl)
	return f
}

func (f *Fact) empty() bool { return len(f.Returns) == 0 && len(f.Sends) == 0 && f.Decl == nil }

// Decl is a declaration of errors: an ActionOptions' Errors and its
// authenticator's, or an Authenticator's Errors, or a []*Error.
type Decl struct {
	Errors   []Code
	Auth     []Code // an ActionOptions' authenticator's errors
	AuthName string // the authenticator's Name
	// Why, when set, says why the declaration cannot be determined.
	Why string
}

func (d *Decl) String() string {
	if d.Why != "" {
		return "declares ?"
	}
	s := "declares"
	for _, c := range d.Errors {
		s += " " + c.String()
	}
	if d.AuthName != "" || len(d.Auth) > 0 {
		s += " auth " + d.AuthName
		for _, c := range d.Auth {
			s += " " + c.String()
		}
	}
	return s
}

// union merges two declarations of one value (a variable assigned twice).
func (d *Decl) union(o *Decl) *Decl {
	if d == nil {
		return o
	}
	if o == nil {
		return d
	}
	u := &Decl{
		Errors:   mergeCodes(d.Errors, o.Errors),
		Auth:     mergeCodes(d.Auth, o.Auth),
		AuthName: cmp.Or(d.AuthName, o.AuthName),
		Why:      cmp.Or(d.Why, o.Why),
	}
	return u
}

func (d *Decl) equal(o *Decl) bool {
	if d == nil || o == nil {
		return d == o
	}
	return slices.Equal(d.Errors, o.Errors) && slices.Equal(d.Auth, o.Auth) && d.AuthName == o.AuthName && d.Why == o.Why
}

func mergeCodes(a, b []Code) []Code {
	out := slices.Concat(a, b)
	slices.SortFunc(out, func(x, y Code) int { return cmp.Compare(x.String(), y.String()) })
	return slices.Compact(out)
}
