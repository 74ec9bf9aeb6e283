package envelope

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// ParamsOptions bounds the parameters a request may carry. The zero value
// allows 1 MiB of body and 32 levels of nesting.
type ParamsOptions struct {
	// MaxBytes is the largest body accepted; 0 or less means 1 MiB.
	MaxBytes int64
	// MaxDepth is the deepest nesting of objects and arrays accepted, the
	// parameters object itself being level 1; 0 or less means 32.
	MaxDepth int
}

func (o ParamsOptions) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return 1 << 20
	}
	return o.MaxBytes
}

func (o ParamsOptions) maxDepth() int {
	if o.MaxDepth <= 0 {
		return 32
	}
	return o.MaxDepth
}

// ReadParams reads and checks the request's parameters (CONTRACT R4, R5):
// one JSON object in the body, sent as application/json (charset utf-8 if
// any; a body without a Content-Type is read as JSON too), or as the field
// "params" of an application/x-www-form-urlencoded or multipart/form-data
// body. An empty body, or a form without fields, means {}. The query string
// never carries parameters. The error is always a parameter-error *Error
// that says what is wrong.
//
// The parameters are put back as the body, for the handler to read again:
// a handler that reads JSON from r.Body reads them whether the client sent
// JSON or a form (the Content-Type then says application/json). [Decode]
// and actions take them without reading or checking them a second time,
// within opts' limits. The Params middleware is ReadParams before the
// handler.
func ReadParams(r *http.Request, opts ParamsOptions) ([]byte, error) {
	if pb, ok := r.Body.(*paramsBody); ok {
		return pb.params, nil
	}
	body, params, err := readBodyParams(r, opts, nil)
	if err != nil {
		return nil, err
	}
	if err := checkParams(params, opts.maxDepth()); err != nil {
		return nil, err
	}
	if len(body) > 0 && &params[0] != &body[0] {
		r.Header.Set("Content-Type", "application/json")
	}
	r.Body = &paramsBody{Reader: bytes.NewReader(params), params: params, opts: opts}
	r.ContentLength = int64(len(params))
	return params, nil
}

// paramsBody is the parameters ReadParams read, put back as the body.
type paramsBody struct {
	*bytes.Reader
	params []byte
	opts   ParamsOptions
}

func (*paramsBody) Close() error { return nil }

// readParams returns the request's parameters for Decode, the limits they
// were read within, and whether ReadParams read and checked them. A body
// not read yet is read into buf's memory, and returned too.
func readParams(r *http.Request, opts ParamsOptions, buf []byte) (body, params []byte, _ ParamsOptions, checked bool, err error) {
	if pb, ok := r.Body.(*paramsBody); ok {
		return nil, pb.params, pb.opts, true, nil
	}
	body, params, err = readBodyParams(r, opts, buf)
	return body, params, opts, false, err
}

// readBodyParams reads the body into buf's memory, and finds the
// parameters in it.
func readBodyParams(r *http.Request, opts ParamsOptions, buf []byte) (body, params []byte, err error) {
	mediaType, param, err := parseContentType(contentTypeOf(r.Header))
	if err != nil {
		return nil, nil, err
	}
	body, err = readBody(r, opts.maxBytes(), buf)
	if err != nil {
		return nil, nil, err
	}
	switch mediaType {
	case "application/json":
		if param != "" && !strings.EqualFold(param, "utf-8") && !strings.EqualFold(param, "utf8") {
			return nil, nil, ParameterError(CodeUnsupportedContentType, fmt.Sprintf("The charset must be utf-8, not %q", param))
		}
		params = body
	case "application/x-www-form-urlencoded":
		params, err = urlencodedParams(body)
	case "multipart/form-data":
		params, err = multipartParams(body, param)
	}
	if err != nil {
		return nil, nil, err
	}
	if firstByte(params) == 0 {
		params = []byte("{}") // its own: a handler may keep it
	}
	return body, params, nil
}

// checkParams makes the checks of CONTRACT R5 that need no Go type: one
// JSON object, valid UTF-8, no name twice in an object, nested no deeper
// than maxDepth.
func checkParams(params []byte, maxDepth int) *Error {
	if first := firstByte(params); first != '{' {
		return ParameterError(CodeParametersNotObject, "The parameters must be a JSON object, not "+kindOf(first))
	}
	if err := checkDepth(params, maxDepth); err != nil {
		return err
	}
	if jsontext.Value(params).IsValid() {
		return nil
	}
	// Decoded again for the error that says what is wrong, and where.
	var v jsontext.Value
	err := json.Unmarshal(params, &v)
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(parameterErrorOf(err), &e) {
		return e
	}
	return ParameterError(CodeMalformedJSON, "Malformed JSON: "+err.Error())
}

// contentTypeOf returns h.Get("Content-Type"), without canonicalizing a key
// that is: a lookup of the map, where Get costs as much again.
func contentTypeOf(h http.Header) string {
	if v := h["Content-Type"]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// parseContentType returns the media type, and the charset parameter for
// JSON or the boundary for multipart.
func parseContentType(contentType string) (mediaType, param string, err error) {
	switch contentType {
	case "":
		return "application/json", "", nil
	case "application/json":
		// What nearly every client sends, answered as mime.ParseMediaType
		// would, without the map it allocates.
		return "application/json", "", nil
	case "application/json; charset=utf-8", "application/json;charset=utf-8":
		return "application/json", "utf-8", nil
	}
	mediaType, params, perr := mime.ParseMediaType(contentType)
	if perr != nil {
		return "", "", ParameterError(CodeUnsupportedContentType, fmt.Sprintf("The Content-Type %q cannot be parsed", contentType))
	}
	switch mediaType {
	case "application/json":
		return mediaType, params["charset"], nil
	case "application/x-www-form-urlencoded":
		return mediaType, "", nil
	case "multipart/form-data":
		if params["boundary"] == "" {
			return "", "", ParameterError(CodeUnsupportedContentType, "The multipart/form-data Content-Type has no boundary")
		}
		return mediaType, params["boundary"], nil
	}
	return "", "", ParameterError(CodeUnsupportedContentType, fmt.Sprintf("The Content-Type must be application/json, not %q", mediaType))
}

func bodyTooLarge(limit int64) *Error {
	return ParameterError(CodeBodyTooLarge, fmt.Sprintf("The request body is larger than the limit of %d bytes", limit))
}

// maxDrain bounds what refuseTooLarge reads and throws away.
const maxDrain = 8 << 20

// refuseTooLarge refuses a body over the limit. Over HTTP/2 it first reads
// and discards the rest, up to maxDrain: the server resets the stream of a
// body the handler left unread, and clients such as curl then drop the
// answer with it. Over HTTP/1, Fail closes the connection instead.
func refuseTooLarge(r *http.Request, limit int64) *Error {
	if r.ProtoMajor >= 2 {
		_, _ = io.CopyN(io.Discard, r.Body, maxDrain)
	}
	return bodyTooLarge(limit)
}

// drainHTTP2Body reads and throws away, up to maxDrain, what is left of
// an HTTP/2 request's body once its answer is ready, before the handler
// returns.
//
// When a handler returns while the client is still sending its body, Go's
// server ends the answer and then resets the stream (RST_STREAM with
// NO_ERROR), as RFC 9113 section 8.1 allows for an answer that needs no
// more of the request. The RFC says clients must not discard the answer
// for that; curl 7.88 (Debian 12's, with nghttp2 1.52) does: it reports
// error 92 and shows no body. This happens to refusals that never read the
// body (an unsupported Content-Type, a missing API key, an unknown action,
// maintenance), and to a small body as often as a body that has not all
// arrived. Once the client has sent its whole body there is nothing left
// to reset, and every client gets the answer. The server's ReadTimeout,
// which net/http applies to each HTTP/2 stream, bounds the wait.
//
// HTTP/1 needs none of this: net/http discards what is left of a body
// itself, or closes the connection after the answer.
func drainHTTP2Body(r *http.Request) {
	if r.ProtoMajor != 2 || r.Body == nil || r.Body == http.NoBody {
		return
	}
	_, _ = io.CopyN(io.Discard, r.Body, maxDrain)
}

// readBody reads at most limit bytes into buf's memory, refusing a larger
// Content-Length before reading anything. Its memory grows with what
// arrives, never with what the client declares.
func readBody(r *http.Request, limit int64, buf []byte) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if r.ContentLength > limit {
		return nil, refuseTooLarge(r, limit)
	}
	// One byte past the limit tells a body over it from one at it.
	readLimit := limit
	if readLimit < math.MaxInt64 {
		readLimit++
	}
	body, err := appendAll(buf[:0], io.LimitReader(r.Body, readLimit))
	if int64(len(body)) > limit {
		return nil, refuseTooLarge(r, limit)
	}
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, bodyTooLarge(tooLarge.Limit)
		}
		e := ParameterError(CodeIncompleteBody, "The request body could not be read to its end")
		e.Err = err
		return nil, e
	}
	return body, nil
}

// appendAll is io.ReadAll appending to b.
func appendAll(b []byte, rd io.Reader) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grows as append does
		}
		n, err := rd.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

func formWithoutParams() *Error {
	return ParameterError(CodeMalformedForm, "A form body must carry the parameters as a JSON object in its `params` field").WithField("params")
}

func paramsGivenTwice() *Error {
	return ParameterError(CodeDuplicateParameter, "The form field `params` is given more than once").WithField("params")
}

func urlencodedParams(body []byte) ([]byte, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, ParameterError(CodeMalformedForm, "The form body cannot be parsed: "+err.Error())
	}
	values, ok := form["params"]
	switch {
	case len(form) == 0:
		return nil, nil
	case !ok:
		return nil, formWithoutParams()
	case len(values) > 1:
		return nil, paramsGivenTwice()
	}
	return []byte(values[0]), nil
}

func multipartParams(body []byte, boundary string) ([]byte, error) {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var params []byte
	fields := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, ParameterError(CodeMalformedForm, "The multipart body cannot be parsed: "+err.Error())
		}
		fields++
		if part.FormName() != "params" || part.FileName() != "" {
			continue
		}
		if params != nil {
			return nil, paramsGivenTwice()
		}
		if params, err = io.ReadAll(part); err != nil {
			return nil, ParameterError(CodeMalformedForm, "The multipart body cannot be parsed: "+err.Error())
		}
	}
	if params == nil && fields > 0 {
		return nil, formWithoutParams()
	}
	return params, nil
}
