// Package jsondepth tells whether a JSON text nests objects and arrays
// deeper than a limit, in one pass over its bytes.
//
// The codec that decodes the parameters checks their syntax; it has no
// depth limit of its own below 10,000 (github.com/go-json-experiment/json
// does not implement jsontext.WithDepthLimit yet). Reading the parameters
// token by token with jsontext to find their depth costs a quarter of an
// action's CPU on a body of a few kilobytes: counting brackets outside
// strings costs a few percent. It is exact on valid JSON, which is all it
// is asked about: on invalid JSON its answer does not matter, since the
// codec refuses the text anyway.
package jsondepth

import "bytes"

// Exceeds reports whether the JSON text data nests objects and arrays more
// than max levels deep, the outermost object or array being level 1.
func Exceeds(data []byte, max int) bool {
	if max < 0 {
		return true
	}
	depth := 0
	for i := 0; i < len(data); i++ {
		j := bytes.IndexAny(data[i:], `"[]{}`)
		if j < 0 {
			return false
		}
		i += j
		switch data[i] {
		case '"':
			i = closingQuote(data, i+1)
		case '[', '{':
			depth++
			if depth > max {
				return true
			}
		default:
			depth--
		}
	}
	return false
}

// closingQuote returns the index of the quote that ends the string whose
// contents start at i, or len(data) when it does not end.
func closingQuote(data []byte, i int) int {
	for i < len(data) {
		j := bytes.IndexAny(data[i:], `"\`)
		if j < 0 {
			break
		}
		i += j
		if data[i] == '"' {
			return i
		}
		i += 2 // a backslash and the byte it escapes
	}
	return len(data)
}
