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
	// Counting brackets is faster still, and enough for most bodies: a
	// text with no more of them than max cannot nest deeper.
	if bytes.Count(data, openBrace)+bytes.Count(data, openBracket) <= max {
		return false
	}
	depth := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '"':
			// Strings are skipped: brackets in them do not count.
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++ // the escaped byte, a quote maybe
				}
			}
		case '[', '{':
			depth++
			if depth > max {
				return true
			}
		case ']', '}':
			depth--
		}
	}
	return false
}

var openBrace, openBracket = []byte{'{'}, []byte{'['}
