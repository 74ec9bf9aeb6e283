package apidoc

import "github.com/apienvelope/apienvelope/envelope"

// toolkitDescriptions says, for the documentation, when the toolkit sends
// each of its own codes.
var toolkitDescriptions = map[string]string{
	envelope.CodeMalformedJSON:          "The body is not valid JSON.",
	envelope.CodeParametersNotObject:    "The parameters are not a JSON object: null, an array, a string or a number.",
	envelope.CodeTrailingData:           "Something follows the JSON object in the body.",
	envelope.CodeBodyTooLarge:           "The body is larger than the action accepts.",
	envelope.CodeUnsupportedContentType: "The Content-Type is not application/json (in UTF-8), nor a form whose params field holds the JSON object.",
	envelope.CodeInvalidUTF8:            "The body is not valid UTF-8.",
	envelope.CodeNestingTooDeep:         "The parameters nest deeper than the action accepts.",
	envelope.CodeDuplicateParameter:     "An object in the parameters has the same name twice.",
	envelope.CodeMissingParameter:       "A required parameter is missing or null; field names it.",
	envelope.CodeInvalidParameterType:   "A parameter has the wrong type; field names it.",
	envelope.CodeUnknownParameter:       "The action is strict and does not know a parameter; field names it.",
	envelope.CodeInvalidParameter:       "A parameter's value is not valid; field names it where one is at fault.",
	envelope.CodeIncompleteBody:         "The body could not be read to its end.",
	envelope.CodeMalformedForm:          "A form body cannot be parsed, or has no params field.",
	envelope.CodeHTTPSRequired:          "The request came over plain HTTP (or named a host that is not a plain host name): the API is only served over HTTPS.",
	envelope.CodeMethodNotAllowed:       "The method is not POST (nor OPTIONS, where cross-origin calls are allowed). The Allow header lists the methods.",
	envelope.CodeUnknownAction:          "No action has this path.",
	envelope.CodeInternalServerError:    "An unanticipated failure. The message is generic; in development mode the data also has cause (and, for a panic, stack).",
	envelope.CodeServiceUnavailable:     "The API is in maintenance or overloaded. The Retry-After header, when present, says how many seconds to wait.",
}

// ToolkitErrors returns the errors the toolkit itself can answer any action
// with in the 200 answer: the parameter errors of reading the parameters
// (CONTRACT R5), and HTTPSRequired where plain HTTP is refused or redirected.
func (api *API) ToolkitErrors() []Error {
	var errs []Error
	for _, code := range envelope.ToolkitParameterCodes() {
		errs = append(errs, toolkitError(envelope.StatusParameterError, code))
	}
	if api.PlainHTTP != 0 {
		errs = append(errs, toolkitError(envelope.StatusError, envelope.CodeHTTPSRequired))
	}
	return errs
}

// RoutingErrors returns the errors the toolkit sends to requests that reach
// no action: another method than POST, or a path no action has. They
// belong to no operation of the OpenAPI document.
func RoutingErrors() []Error {
	return []Error{
		toolkitError(envelope.StatusError, envelope.CodeMethodNotAllowed),
		toolkitError(envelope.StatusError, envelope.CodeUnknownAction),
	}
}

func toolkitError(status envelope.Status, code string) Error {
	e := Error{Status: status, Code: code, Description: toolkitDescriptions[code], Toolkit: true}
	if status == envelope.StatusParameterError {
		e.Attributes = []string{"field"}
	}
	return e
}
