package envelope

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// scanner checks that parameters are exactly one JSON object: valid syntax,
// valid UTF-8 and no lone UTF-16 surrogate escapes in strings, no object key
// twice in the same object, and nesting no deeper than maxDepth. It reads
// untrusted input, so it never recurses deeper than maxDepth and never
// allocates in proportion to the input except for huge objects' key sets.
type scanner struct {
	data     []byte
	i        int
	maxDepth int
	keys     [][]byte // the keys of the objects being scanned, innermost last
	topKey   func(key string, null bool)
}

// smallObject is the number of keys up to which duplicates are found by
// comparing with each earlier key; larger objects use a map.
const smallObject = 16

// checkParams returns nil when data is one JSON object, or the parameter-error
// that says what is wrong with it and where.
func checkParams(data []byte, maxDepth int) *Error {
	s := scanner{data: data, maxDepth: maxDepth}
	return s.params()
}

// forEachTopLevelKey calls fn for each key of the object data, which must
// already have passed checkParams, saying whether its value is null.
func forEachTopLevelKey(data []byte, fn func(key string, null bool)) {
	s := scanner{data: data, maxDepth: int(^uint(0) >> 1), topKey: fn}
	s.params()
}

func (s *scanner) params() *Error {
	s.skipSpace()
	if s.i == len(s.data) {
		return nil
	}
	if first := s.data[s.i]; first != '{' {
		if err := s.value(1); err != nil {
			return err
		}
		return ParameterError(CodeParametersNotObject, "", "The parameters must be a JSON object, not "+kindOf(first))
	}
	if err := s.object(1); err != nil {
		return err
	}
	s.skipSpace()
	if s.i != len(s.data) {
		return ParameterError(CodeTrailingData, "", fmt.Sprintf("Unexpected data after the parameters object at byte %d", s.i))
	}
	return nil
}

func (s *scanner) skipSpace() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) syntaxError(what string) *Error {
	if s.i >= len(s.data) {
		return ParameterError(CodeMalformedJSON, "", "Malformed JSON: unexpected end of input, "+what)
	}
	return ParameterError(CodeMalformedJSON, "", fmt.Sprintf("Malformed JSON at byte %d: %s, found %s", s.i, what, describeByte(s.data[s.i])))
}

func (s *scanner) value(depth int) *Error {
	if s.i >= len(s.data) {
		return s.syntaxError("expected a value")
	}
	switch c := s.data[s.i]; {
	case c == '{':
		return s.object(depth)
	case c == '[':
		return s.array(depth)
	case c == '"':
		return s.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return s.syntaxError("expected a value")
}

func (s *scanner) tooDeep() *Error {
	return ParameterError(CodeNestingTooDeep, "", fmt.Sprintf("The parameters are nested more than %d levels deep", s.maxDepth))
}

func (s *scanner) object(depth int) *Error {
	if depth > s.maxDepth {
		return s.tooDeep()
	}
	s.i++ // {
	mark := len(s.keys)
	defer func() { s.keys = s.keys[:mark] }()
	var large map[string]struct{}
	s.skipSpace()
	if s.i < len(s.data) && s.data[s.i] == '}' {
		s.i++
		return nil
	}
	for {
		if s.i >= len(s.data) || s.data[s.i] != '"' {
			return s.syntaxError("expected a string key")
		}
		start := s.i
		if err := s.str(); err != nil {
			return err
		}
		key := s.data[start:s.i]
		if dup := s.addKey(key, mark, &large); dup != "" {
			return ParameterError(CodeDuplicateParameter, dup, fmt.Sprintf("`%s` is given more than once", dup))
		}
		s.skipSpace()
		if s.i >= len(s.data) || s.data[s.i] != ':' {
			return s.syntaxError("expected ':' after an object key")
		}
		s.i++
		s.skipSpace()
		valueStart := s.i
		if err := s.value(depth + 1); err != nil {
			return err
		}
		if depth == 1 && s.topKey != nil {
			s.topKey(unquote(key), s.data[valueStart] == 'n')
		}
		s.skipSpace()
		if s.i >= len(s.data) {
			return s.syntaxError("expected ',' or '}' in an object")
		}
		switch s.data[s.i] {
		case ',':
			s.i++
			s.skipSpace()
		case '}':
			s.i++
			return nil
		default:
			return s.syntaxError("expected ',' or '}' in an object")
		}
	}
}

// addKey records key (quoted, as it appears) in the current object and
// returns its unquoted text if the object already has it.
func (s *scanner) addKey(key []byte, mark int, large *map[string]struct{}) string {
	if *large != nil {
		k := unquote(key)
		if _, ok := (*large)[k]; ok {
			return k
		}
		(*large)[k] = struct{}{}
		return ""
	}
	for _, prev := range s.keys[mark:] {
		if string(prev) == string(key) || hasEscape(prev, key) && unquote(prev) == unquote(key) {
			return unquote(key)
		}
	}
	s.keys = append(s.keys, key)
	if len(s.keys)-mark > smallObject {
		*large = make(map[string]struct{}, 2*smallObject)
		for _, k := range s.keys[mark:] {
			(*large)[unquote(k)] = struct{}{}
		}
	}
	return ""
}

func hasEscape(keys ...[]byte) bool {
	for _, k := range keys {
		for _, c := range k {
			if c == '\\' {
				return true
			}
		}
	}
	return false
}

// unquote returns the text of a JSON string that the scanner accepted.
func unquote(quoted []byte) string {
	if !hasEscape(quoted) {
		return string(quoted[1 : len(quoted)-1])
	}
	var out string
	_ = json.Unmarshal(quoted, &out)
	return out
}

func (s *scanner) array(depth int) *Error {
	if depth > s.maxDepth {
		return s.tooDeep()
	}
	s.i++ // [
	s.skipSpace()
	if s.i < len(s.data) && s.data[s.i] == ']' {
		s.i++
		return nil
	}
	for {
		if err := s.value(depth + 1); err != nil {
			return err
		}
		s.skipSpace()
		if s.i >= len(s.data) {
			return s.syntaxError("expected ',' or ']' in an array")
		}
		switch s.data[s.i] {
		case ',':
			s.i++
			s.skipSpace()
		case ']':
			s.i++
			return nil
		default:
			return s.syntaxError("expected ',' or ']' in an array")
		}
	}
}

func (s *scanner) str() *Error {
	s.i++ // opening quote
	for s.i < len(s.data) {
		c := s.data[s.i]
		switch {
		case c == '"':
			s.i++
			return nil
		case c == '\\':
			if err := s.escape(); err != nil {
				return err
			}
		case c < 0x20:
			return s.syntaxError("control characters must be escaped in strings")
		case c < utf8.RuneSelf:
			s.i++
		default:
			r, size := utf8.DecodeRune(s.data[s.i:])
			if r == utf8.RuneError && size == 1 {
				return ParameterError(CodeInvalidUTF8, "", fmt.Sprintf("The parameters are not valid UTF-8 at byte %d", s.i))
			}
			s.i += size
		}
	}
	return s.syntaxError("expected the end of a string")
}

// escape checks one escape sequence; a \u escape of half a surrogate pair
// must be followed by the other half, since it stands for no character.
func (s *scanner) escape() *Error {
	s.i++ // backslash
	if s.i >= len(s.data) {
		return s.syntaxError("expected an escape sequence")
	}
	switch s.data[s.i] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.i++
		return nil
	case 'u':
	default:
		return s.syntaxError("expected an escape sequence")
	}
	start := s.i - 1
	r, ok := s.hex4()
	if !ok {
		return s.syntaxError(`expected four hexadecimal digits after \u`)
	}
	switch {
	case r >= 0xDC00 && r <= 0xDFFF:
		return s.loneSurrogate(start)
	case r >= 0xD800 && r <= 0xDBFF:
		if s.i+1 < len(s.data) && s.data[s.i] == '\\' && s.data[s.i+1] == 'u' {
			s.i++
			if low, ok := s.hex4(); ok && low >= 0xDC00 && low <= 0xDFFF {
				return nil
			}
		}
		return s.loneSurrogate(start)
	}
	return nil
}

func (s *scanner) loneSurrogate(at int) *Error {
	return ParameterError(CodeInvalidUTF8, "", fmt.Sprintf("The parameters hold a lone UTF-16 surrogate escape at byte %d", at))
}

// hex4 reads the four digits after \u, with s.i on the u.
func (s *scanner) hex4() (rune, bool) {
	if s.i+5 > len(s.data) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(s.data[s.i+1:s.i+5]), 16, 16)
	if err != nil {
		return 0, false
	}
	s.i += 5
	return rune(v), true
}

func (s *scanner) number() *Error {
	if s.data[s.i] == '-' {
		s.i++
	}
	switch {
	case s.i < len(s.data) && s.data[s.i] == '0':
		s.i++
	case s.i < len(s.data) && s.data[s.i] >= '1' && s.data[s.i] <= '9':
		s.digits()
	default:
		return s.syntaxError("expected a digit")
	}
	if s.i < len(s.data) && s.data[s.i] == '.' {
		s.i++
		if s.digits() == 0 {
			return s.syntaxError("expected a digit after the decimal point")
		}
	}
	if s.i < len(s.data) && (s.data[s.i] == 'e' || s.data[s.i] == 'E') {
		s.i++
		if s.i < len(s.data) && (s.data[s.i] == '+' || s.data[s.i] == '-') {
			s.i++
		}
		if s.digits() == 0 {
			return s.syntaxError("expected a digit in the exponent")
		}
	}
	return nil
}

func (s *scanner) digits() int {
	n := 0
	for s.i < len(s.data) && s.data[s.i] >= '0' && s.data[s.i] <= '9' {
		s.i++
		n++
	}
	return n
}

func (s *scanner) literal(word string) *Error {
	if len(s.data)-s.i < len(word) || string(s.data[s.i:s.i+len(word)]) != word {
		return s.syntaxError("expected " + word)
	}
	s.i += len(word)
	return nil
}

// kindOf names the JSON value that starts with c, for messages.
func kindOf(c byte) string {
	switch {
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	}
	return "a number"
}

func describeByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}
