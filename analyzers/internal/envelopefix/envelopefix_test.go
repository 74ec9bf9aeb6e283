package envelopefix_test

import (
	"encoding/json"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apienvelope/apienvelope/analyzers/internal/envelopefix"
	"github.com/apienvelope/apienvelope/middleware"
)

type answer struct {
	Status string          `json:"status"`
	Data   json.RawMessage `json:"data"`
	Error  struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"-"`
}

// wrapped returns what the Envelope wrapper answers for h.
func wrapped(t *testing.T, h http.HandlerFunc) (int, answer) {
	rec := httptest.NewRecorder()
	middleware.Envelope(middleware.EnvelopeOptions{})(h).ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/a/b", nil))
	var a answer
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &a), rec.Body.String())
	_ = json.Unmarshal(a.Data, &a.Error) // success data may be anything
	return rec.Code, a
}

// constructors maps the start of a Failure expression to the envelope
// status it makes.
var constructors = map[string]string{
	"envelope.ParameterError(":                               "parameter-error",
	"&envelope.Error{Status: envelope.StatusValidationError": "validation-error",
	"envelope.AccessDenied(":                                 "access-denied",
	"envelope.NotFound(":                                     "not-found",
	"envelope.NewError(":                                     "error",
}

var quoted = regexp.MustCompile(`"[A-Za-z0-9]+"`)

// TestFailureIsWhatTheWrapperAnswers checks, for every HTTP status, that
// the envelope error a fix writes for http.Error(w, msg, code) is the one
// the Envelope wrapper makes of that answer: same status, code and
// message. Only 4xx statuses get a fix.
func TestFailureIsWhatTheWrapperAnswers(t *testing.T) {
	for code := 100; code < 600; code++ {
		if http.StatusText(code) == "" {
			continue
		}
		expr := envelopefix.Failure("envelope", code, `"the message"`)
		httpStatus, got := wrapped(t, func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "the message", code)
		})
		if expr == "" {
			assert.True(t, code < 400 || code >= 500, "%d: no fix for a 4xx status", code)
			continue
		}
		var status string
		for prefix, s := range constructors {
			if strings.HasPrefix(expr, prefix) {
				status = s
			}
		}
		require.NotEmpty(t, status, expr)
		assert.Equal(t, http.StatusOK, httpStatus, code)
		assert.Equal(t, status, got.Status, "%d: %s", code, expr)
		assert.Equal(t, `"`+got.Error.Code+`"`, quoted.FindString(expr), "%d: %s", code, expr)
		assert.Equal(t, "the message", got.Error.Message, code)
	}
}

// TestFailuresCompile type-checks every expression a fix writes against
// the real envelope package: a fix that does not compile is no fix.
func TestFailuresCompile(t *testing.T) {
	var src strings.Builder
	src.WriteString("package p\n\nimport \"github.com/apienvelope/apienvelope/envelope\"\n\nvar _ = []error{\n")
	for code := 400; code < 500; code++ {
		if expr := envelopefix.Failure("envelope", code, `"the message"`); expr != "" {
			src.WriteString("\t" + expr + ",\n")
		}
	}
	src.WriteString("}\n")
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "fixes.go", src.String(), 0)
	require.NoError(t, err, src.String())
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	_, err = conf.Check("p", fset, []*ast.File{file}, nil)
	assert.NoError(t, err, src.String())
}
