package envelope

import "net/http"

// Status is the value of an envelope's "status" key.
type Status string

// The statuses an envelope can carry.
const (
	StatusSuccess             Status = "success"
	StatusParameterError      Status = "parameter-error"
	StatusValidationError     Status = "validation-error"
	StatusAccessDenied        Status = "access-denied"
	StatusNotFound            Status = "not-found"
	StatusError               Status = "error"
	StatusInternalServerError Status = "internal-server-error"
	StatusServiceUnavailable  Status = "service-unavailable"
)

// HTTPStatus returns the HTTP status code that carries s: 500 for
// internal-server-error, 503 for service-unavailable and 200 for every other
// status, including unknown ones.
func (s Status) HTTPStatus() int {
	switch s {
	case StatusInternalServerError:
		return http.StatusInternalServerError
	case StatusServiceUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusOK
}

// Codes the toolkit itself puts in the "code" of an error envelope.
const (
	CodeMethodNotAllowed    = "MethodNotAllowed"
	CodeUnknownAction       = "UnknownAction"
	CodeHTTPSRequired       = "HTTPSRequired"
	CodeInternalServerError = "InternalServerError"
	CodeServiceUnavailable  = "ServiceUnavailable"
	CodeValidationFailed    = "ValidationFailed"

	// Codes of parameter-error envelopes.
	CodeMalformedJSON          = "MalformedJSON"
	CodeParametersNotObject    = "ParametersNotObject"
	CodeTrailingData           = "TrailingData"
	CodeBodyTooLarge           = "BodyTooLarge"
	CodeUnsupportedContentType = "UnsupportedContentType"
	CodeInvalidUTF8            = "InvalidUTF8"
	CodeNestingTooDeep         = "NestingTooDeep"
	CodeDuplicateParameter     = "DuplicateParameter"
	CodeMissingParameter       = "MissingParameter"
	CodeInvalidParameterType   = "InvalidParameterType"
	CodeUnknownParameter       = "UnknownParameter"
	CodeInvalidParameter       = "InvalidParameter"
	CodeIncompleteBody         = "IncompleteBody"
	CodeMalformedForm          = "MalformedForm"
)
