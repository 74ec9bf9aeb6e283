package handlerflow

import (
	"strconv"
	"strings"
)

// A path names a part of a value as a sequence of elements: ".name" for a
// struct field, "()k" for the unit's method value k (unit.methods[k]) taken
// from it; "" is the value itself. Paths are cut after maxDepth elements,
// and a cut path stands for its part and everything in it, so cutting
// loses precision, never a writer.
const maxDepth = 3

// maxParts bounds the parts of one value: past it, they merge into their
// first fields, or into the whole value, which keeps the cost of big functions (go/types' Checker
// methods store into dozens of fields) linear, losing precision, never a
// writer.
const maxParts = 16

// elements splits p into its first element and the rest.
func elements(p string) (first, rest string) {
	if p == "" {
		return "", ""
	}
	i := strings.IndexAny(p[1:], ".(")
	if i < 0 {
		return p, ""
	}
	return p[:i+1], p[i+1:]
}

// join appends q to p, cut after maxDepth elements.
func join(p, q string) string {
	if q == "" {
		return p
	}
	full := p + q
	cut, n := 0, 0
	for rest := full; rest != ""; n++ {
		if n == maxDepth {
			return full[:cut]
		}
		first, r := elements(rest)
		cut += len(first)
		rest = r
	}
	return full
}

// within reports whether path q is p or a part of it.
func within(q, p string) bool {
	return strings.HasPrefix(q, p) && (len(q) == len(p) || q[len(p)] == '.' || q[len(p)] == '(')
}

func methodElement(k int) string { return "()" + strconv.Itoa(k) }

// methodIndex returns k when element is "()k".
func methodIndex(element string) (int, bool) {
	rest, ok := strings.CutPrefix(element, "()")
	if !ok {
		return 0, false
	}
	k, err := strconv.Atoi(rest)
	return k, err == nil
}

// A part is what a value holds at a path: the sources found there or
// anywhere in it.
type part struct {
	path string
	srcs sources
}

// A value is what an expression or a variable may hold, part by part. A
// value with one part at "" is a value followed as a whole.
type value []part

// whole returns a value holding s as a whole.
func whole(s sources) value {
	if s.empty() {
		return nil
	}
	return value{{"", s}}
}

// put adds s at path p of v, which must be a value being built, not one
// stored: stored values are never changed, so they can be shared.
func (v *value) put(p string, s sources) {
	if s.empty() {
		return
	}
	v.merge(p, s)
	if len(*v) > maxParts {
		*v = v.coarser()
	}
}

// coarser returns v with its parts cut to their first field, or, if that
// leaves too many, merged into the whole value.
func (v value) coarser() value {
	var out value
	for _, pt := range v {
		first, _ := elements(pt.path)
		out.merge(first, pt.srcs)
	}
	if len(out) > maxParts {
		return value{{"", v.all()}}
	}
	return out
}

// merge adds s at path p of v without bounding v's parts.
func (v *value) merge(p string, s sources) {
	for i := range *v {
		if pt := &(*v)[i]; pt.path == p {
			pt.srcs = pt.srcs.or(s)
			return
		}
	}
	*v = append(*v, part{p, s})
}

// union returns the parts of v and w, in a new value unless one of them
// is empty.
func union(v, w value) value {
	switch {
	case len(w) == 0:
		return v
	case len(v) == 0:
		return w
	}
	out := make(value, len(v), len(v)+len(w))
	copy(out, v)
	for _, pt := range w {
		out.put(pt.path, pt.srcs)
	}
	return out
}

// under returns v placed at path p of a larger value.
func (v value) under(p string) value {
	if p == "" || len(v) == 0 {
		return v
	}
	out := make(value, 0, len(v))
	for _, pt := range v {
		out.put(join(p, pt.path), pt.srcs)
	}
	return out
}

// covers reports whether v holds every source of w, at its path or at a
// path that w's is part of.
func (v value) covers(w value) bool {
	for _, pt := range w {
		var have sources
		for _, q := range v {
			if within(pt.path, q.path) {
				have = have.or(q.srcs)
			}
		}
		if !have.covers(pt.srcs) {
			return false
		}
	}
	return true
}

// all returns every source of v, at any path.
func (v value) all() sources {
	var s sources
	for _, pt := range v {
		s = s.or(pt.srcs)
	}
	return s
}
