package handlerflow

import "math/bits"

// sources is a set of the values a unit follows, by index into unit.srcs.
// The first 64 live in one word and the rest in hi, so every value is
// followed however many handlers one function makes.
type sources struct {
	lo uint64
	hi []uint64
}

// single returns the set holding only source i.
func single(i int) sources {
	if i < 64 {
		return sources{lo: 1 << uint(i)}
	}
	hi := make([]uint64, (i-64)/64+1)
	hi[(i-64)/64] = 1 << uint((i-64)%64)
	return sources{hi: hi}
}

// add adds source i to s, which must own its words: a set built by add
// alone does.
func (s *sources) add(i int) {
	if i < 64 {
		s.lo |= 1 << uint(i)
		return
	}
	j := (i - 64) / 64
	for len(s.hi) <= j {
		s.hi = append(s.hi, 0)
	}
	s.hi[j] |= 1 << uint((i-64)%64)
}

func (s sources) empty() bool {
	if s.lo != 0 {
		return false
	}
	for _, w := range s.hi {
		if w != 0 {
			return false
		}
	}
	return true
}

// or returns the union of s and t. It never changes the words of either,
// so sets can be shared.
func (s sources) or(t sources) sources {
	r := sources{lo: s.lo | t.lo, hi: s.hi}
	switch {
	case len(t.hi) == 0:
	case len(s.hi) == 0:
		r.hi = t.hi
	default:
		r.hi = make([]uint64, max(len(s.hi), len(t.hi)))
		copy(r.hi, s.hi)
		for i, w := range t.hi {
			r.hi[i] |= w
		}
	}
	return r
}

// covers reports whether s holds every source of t.
func (s sources) covers(t sources) bool {
	if t.lo&^s.lo != 0 {
		return false
	}
	for i, w := range t.hi {
		if i >= len(s.hi) {
			if w != 0 {
				return false
			}
		} else if w&^s.hi[i] != 0 {
			return false
		}
	}
	return true
}

// each calls f with every source of s, in increasing order.
func (s sources) each(f func(i int)) {
	for w, base := s.lo, 0; w != 0; w &= w - 1 {
		f(base + bits.TrailingZeros64(w))
	}
	for j, w := range s.hi {
		for ; w != 0; w &= w - 1 {
			f(64 + 64*j + bits.TrailingZeros64(w))
		}
	}
}

// minus returns the sources of s that are not in t.
func minus(s, t sources) sources {
	out := sources{lo: s.lo &^ t.lo}
	for i, w := range s.hi {
		if i < len(t.hi) {
			w &^= t.hi[i]
		}
		out.hi = append(out.hi, w)
	}
	return out
}

// intersect returns the sources in both s and t.
func intersect(s, t sources) sources {
	out := sources{lo: s.lo & t.lo}
	for i := range min(len(s.hi), len(t.hi)) {
		out.hi = append(out.hi, s.hi[i]&t.hi[i])
	}
	return out
}
