package envelope

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// The fast checker answers, in one pass and without allocating, whether
// JSON is certainly valid; it gives up, answering false, on whatever is rare
// or wrong: a \u escape, nesting deeper than fastMaxDepth, more open keys
// than fastMaxKeys, any error. The error-reporting scanner (scan.go) or
// encoding/json then decides. So it never accepts what they refuse; it only
// spares the common case their bookkeeping, which costs as much as decoding
// the value.
//
// It walks the value with an explicit stack, not recursion, and skips the
// plain bytes of strings eight at a time: strings are most of what JSON is.

// fastMaxDepth is the deepest nesting the fast checker follows: one bit of
// a uint64 per level.
const fastMaxDepth = 64

// fastMaxKeys bounds the keys of the open objects that the fast checker
// remembers to find duplicates.
const fastMaxKeys = 64

// fastCheck reports whether data is certainly what checkParams accepts: one
// JSON object, valid, with no key twice in an object and no nesting deeper
// than maxDepth.
func fastCheck(data []byte, maxDepth int) bool {
	i := fastSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return false
	}
	return fastScan(data, i, min(maxDepth, fastMaxDepth), true) == len(data)
}

// fastValid reports whether body is certainly one valid JSON value in valid
// UTF-8. Keys may repeat, as encoding/json allows.
func fastValid(body []byte) bool {
	return fastScan(body, fastSpace(body, 0), fastMaxDepth, false) == len(body)
}

// fastScan checks the value at d[i:] and returns the index after it and the
// spaces that follow it, or -1. With unique set, an object with a key twice,
// or with an escaped key (which could be another key written differently),
// is given up on.
func fastScan(d []byte, i, maxDepth int, unique bool) int {
	if uint64(len(d)) > 1<<32-1 {
		return -1 // keySpan holds 32-bit offsets
	}
	var (
		depth   int    // containers open
		inArray uint64 // bit k: the container at depth k+1 is an array
		keys    openKeys
		wantKey bool // a key, then a colon, come before the next value
	)
	for {
		if wantKey {
			if i >= len(d) || d[i] != '"' {
				return -1
			}
			start := i
			var escaped bool
			if i, escaped = fastString(d, i); i < 0 {
				return -1
			}
			if unique && (escaped || !keys.add(d, start, i, depth)) {
				return -1
			}
			if i = fastSpace(d, i); i >= len(d) || d[i] != ':' {
				return -1
			}
			i = fastSpace(d, i+1)
		}
		if i >= len(d) {
			return -1
		}
		switch c := d[i]; c {
		case '"':
			i, _ = fastString(d, i)
		case '{', '[':
			if depth == maxDepth {
				return -1
			}
			bit := uint64(1) << depth
			depth++
			i = fastSpace(d, i+1)
			if c == '[' {
				inArray |= bit
				wantKey = false
				if i >= len(d) || d[i] != ']' {
					continue
				}
			} else {
				inArray &^= bit
				if unique {
					keys.open(depth)
				}
				wantKey = true
				if i >= len(d) || d[i] != '}' {
					continue
				}
			}
			// An empty container, a value that ends here.
			i++
			depth--
		case 't':
			i = fastLiteral(d, i, "true")
		case 'f':
			i = fastLiteral(d, i, "false")
		case 'n':
			i = fastLiteral(d, i, "null")
		default:
			i = fastNumber(d, i)
		}
		if i < 0 {
			return -1
		}
		// The value ends at i: close what it ends, then find the next one.
		for {
			i = fastSpace(d, i)
			if depth == 0 {
				return i
			}
			if i >= len(d) {
				return -1
			}
			arr := inArray&(1<<(depth-1)) != 0
			if c := d[i]; c == ',' {
				i = fastSpace(d, i+1)
				wantKey = !arr
				break
			} else if c != ']' || !arr {
				if c != '}' || arr {
					return -1
				}
				if unique {
					keys.close(depth)
				}
			}
			i++
			depth--
		}
	}
}

// openKeys holds the keys of the objects being checked, to find a key
// given twice.
type openKeys struct {
	spans [fastMaxKeys]keySpan
	n     int
	// first[k] is the index in spans of the first key of the object at
	// depth k+1, and seen[k] a bit per hash of its keys: a key is compared
	// with the others only when its bit is set already.
	first [fastMaxDepth]uint8
	seen  [fastMaxDepth]uint64
}

// keySpan is where a key, quotes included, starts and ends.
type keySpan struct{ start, end uint32 }

func (k *openKeys) open(depth int) {
	k.first[depth-1] = uint8(k.n)
	k.seen[depth-1] = 0
}

func (k *openKeys) close(depth int) { k.n = int(k.first[depth-1]) }

// add records the key d[start:end] of the object at depth, reporting false
// when the object has it already or there is no room left to remember it.
// Keys without escapes are the same key exactly when their bytes are.
func (k *openKeys) add(d []byte, start, end, depth int) bool {
	if k.n == fastMaxKeys {
		return false
	}
	h := uint64(1) << ((uint(end-start)*31 + uint(d[start+1])*7 + uint(d[end-2])) & 63)
	if k.seen[depth-1]&h != 0 {
		for _, s := range k.spans[k.first[depth-1]:k.n] {
			if string(d[s.start:s.end]) == string(d[start:end]) {
				return false
			}
		}
	}
	k.seen[depth-1] |= h
	k.spans[k.n] = keySpan{uint32(start), uint32(end)}
	k.n++
	return true
}

func fastSpace(d []byte, i int) int {
	for i < len(d) && d[i] <= ' ' {
		switch d[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// stringSpecial marks, in the high bit of each of x's eight bytes, those
// that end a string's plain run: a quote, a backslash, a control character
// or a non-ASCII byte. Bytes above the lowest marked one may be marked
// wrongly (a borrow carries), the lowest is always right.
//
// Flipping bit 1 moves the quote (0x22) to 0x20 and keeps the control
// characters below 0x20, so that one subtraction finds both.
func stringSpecial(x uint64) uint64 {
	quoteOrControl := x ^ (lowBits * 0x02)
	backslash := x ^ (lowBits * '\\')
	return ((quoteOrControl - lowBits*0x21) | (backslash-lowBits)&^backslash | x) & highBits
}

// fastString returns the index after the string at i and whether it holds
// an escape; -1 on \u escapes, control characters and invalid UTF-8.
func fastString(d []byte, i int) (int, bool) {
	escaped := false
	i++
	for {
		for i+8 <= len(d) {
			m := stringSpecial(binary.LittleEndian.Uint64(d[i:]))
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) >> 3
			if d[i] == '"' {
				return i + 1, escaped
			}
			break
		}
		if i >= len(d) {
			return -1, escaped
		}
		switch c := d[i]; {
		case c == '"':
			return i + 1, escaped
		case c == '\\':
			if i+1 >= len(d) {
				return -1, true
			}
			switch d[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				escaped = true
				i += 2
			default:
				return -1, true
			}
		case c < 0x20:
			return -1, escaped
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size == 1 {
				return -1, escaped
			}
			i += size
		}
	}
}

func fastNumber(d []byte, i int) int {
	if d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		i = fastDigits(d, i)
	default:
		return -1
	}
	if i < len(d) && d[i] == '.' {
		j := fastDigits(d, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		j := fastDigits(d, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

func fastDigits(d []byte, i int) int {
	for i < len(d) && d[i] >= '0' && d[i] <= '9' {
		i++
	}
	return i
}

func fastLiteral(d []byte, i int, word string) int {
	if len(d)-i < len(word) || string(d[i:i+len(word)]) != word {
		return -1
	}
	return i + len(word)
}
