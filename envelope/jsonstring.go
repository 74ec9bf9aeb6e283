package envelope

import (
	"math/bits"
	"unicode/utf8"
)

// plainASCII marks the ASCII bytes a JSON string can hold as they are: no
// quote, backslash or control character, and none of <, > and & either, which
// encoding/json escapes so that JSON can sit inside HTML.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, byte for byte as encoding/json
// writes it: short escapes for \b \f \n \r \t, \u00XX for other control
// characters and <, >, &, \u2028 and \u2029 escaped, invalid UTF-8 replaced
// by U+FFFD.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			// Eight bytes at a time to the first that is not plain.
			m := stringEscapes(loadString64(s, i))
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) >> 3
		}
		if c := s[i]; c < utf8.RuneSelf {
			if plainASCII[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// stringEscapes marks, in the high bit of each of x's eight bytes, those
// that appendString cannot copy as they are: what stringSpecial marks, and
// <, > and &. As with stringSpecial, the lowest marked byte is always right.
//
// Setting bit 1 makes < (0x3c) and > (0x3e) the same byte, and no other.
func stringEscapes(x uint64) uint64 {
	amp := x ^ (lowBits * '&')
	angle := (x | lowBits*0x02) ^ (lowBits * '>')
	return stringSpecial(x) | ((amp-lowBits)&^amp|(angle-lowBits)&^angle)&highBits
}

// loadString64 reads s[i:i+8] as a little-endian uint64, in one load.
func loadString64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
