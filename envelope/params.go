package envelope

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// ParamsOptions bounds the parameters a request may carry. The zero value
// allows 1 MiB of body and 32 levels of nesting.
type ParamsOptions struct {
	// MaxBytes is the largest body accepted; 0 means 1 MiB.
	MaxBytes int64
	// MaxDepth is the deepest nesting of objects and arrays accepted, the
	// parameters object itself being level 1; 0 means 32.
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

var emptyParams = []byte("{}")

// ReadParams reads a request's parameters (SPEC R4): one JSON object in the
// body, sent as application/json (charset utf-8 if any; a body without a
// Content-Type is read as JSON too), or as the field "params" of an
// application/x-www-form-urlencoded or multipart/form-data body. An empty
// body, or a form without fields, means {}. The query string never carries
// parameters.
//
// The error is always a parameter-error *Error that says what is wrong
// (SPEC R5).
func ReadParams(r *http.Request, opts ParamsOptions) ([]byte, error) {
	return readCheckedParams(r, opts, nil)
}

// readParams is ReadParams without the check of the JSON (checkLoaded),
// reading the body into *pooled when it is not nil, and leaving there the
// memory it grew into.
func readParams(r *http.Request, opts ParamsOptions, pooled *[]byte) ([]byte, error) {
	mediaType, param, err := parseContentType(contentTypeOf(r.Header))
	if err != nil {
		return nil, err
	}
	body, err := readBody(r, opts.maxBytes(), pooled)
	if err != nil {
		return nil, err
	}
	var params []byte
	switch mediaType {
	case "application/json":
		if param != "" && !strings.EqualFold(param, "utf-8") && !strings.EqualFold(param, "utf8") {
			return nil, ParameterError(CodeUnsupportedContentType, "", fmt.Sprintf("The charset must be utf-8, not %q", param))
		}
		params = body
	case "application/x-www-form-urlencoded":
		params, err = urlencodedParams(body)
	case "multipart/form-data":
		params, err = multipartParams(body, param)
	}
	if err != nil {
		return nil, err
	}
	if fastSpace(params, 0) == len(params) {
		return emptyParams, nil
	}
	return params, nil
}

// readCheckedParams is readParams, then the check of SPEC R5.
func readCheckedParams(r *http.Request, opts ParamsOptions, pooled *[]byte) ([]byte, error) {
	params, err := readParams(r, opts, pooled)
	if err != nil {
		return nil, err
	}
	if err := checkLoaded(params, opts.maxDepth()); err != nil {
		return nil, err
	}
	return params, nil
}

// checkLoaded makes the check of SPEC R5 on params that readParams read.
func checkLoaded(params []byte, maxDepth int) *Error {
	if fastCheck(params, maxDepth) {
		return nil
	}
	return checkParamsPooled(params, maxDepth)
}

// scanKeys keeps the scanner's key stacks from one request to the next:
// grown from nil, a stack costs an allocation per doubling.
var scanKeys = sync.Pool{New: func() any { k := make([][]byte, 0, 64); return &k }}

// checkParamsPooled is checkParams with a pooled key stack.
func checkParamsPooled(data []byte, maxDepth int) *Error {
	kp := scanKeys.Get().(*[][]byte)
	s := scanner{data: data, maxDepth: maxDepth, keys: (*kp)[:0]}
	err := s.params()
	keys := s.keys[:cap(s.keys)]
	clear(keys) // the keys point into data, which the pool must not keep
	if cap(keys) <= 4096 {
		*kp = keys[:0]
		scanKeys.Put(kp)
	}
	return err
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
		return "", "", ParameterError(CodeUnsupportedContentType, "", fmt.Sprintf("The Content-Type %q cannot be parsed", contentType))
	}
	switch mediaType {
	case "application/json":
		return mediaType, params["charset"], nil
	case "application/x-www-form-urlencoded":
		return mediaType, "", nil
	case "multipart/form-data":
		if params["boundary"] == "" {
			return "", "", ParameterError(CodeUnsupportedContentType, "", "The multipart/form-data Content-Type has no boundary")
		}
		return mediaType, params["boundary"], nil
	}
	return "", "", ParameterError(CodeUnsupportedContentType, "", fmt.Sprintf("The Content-Type must be application/json, not %q", mediaType))
}

func bodyTooLarge(limit int64) *Error {
	return ParameterError(CodeBodyTooLarge, "", fmt.Sprintf("The request body is larger than the limit of %d bytes", limit))
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

// readBody reads at most limit bytes, refusing a larger Content-Length before
// reading anything. With pooled not nil, it reads into that buffer's memory,
// and leaves there the memory it grew into.
func readBody(r *http.Request, limit int64, pooled *[]byte) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if r.ContentLength > limit {
		return nil, refuseTooLarge(r, limit)
	}
	size := r.ContentLength
	if size < 0 {
		size = 512
	}
	// One allocation when Content-Length is right: the room for one byte
	// more lets the last Read report EOF without growing the buffer
	// (bytes.Buffer.ReadFrom would want 512 bytes free, and io.LimitReader
	// is one more allocation).
	var buf []byte
	if pooled != nil && int64(cap(*pooled)) > size {
		buf = (*pooled)[:0]
	} else {
		buf = make([]byte, 0, size+1)
	}
	buf, err := readAtMost(r.Body, buf, limit+1)
	if pooled != nil {
		*pooled = buf[:0]
	}
	if int64(len(buf)) > limit {
		return nil, refuseTooLarge(r, limit)
	}
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, bodyTooLarge(tooLarge.Limit)
		}
		e := ParameterError(CodeIncompleteBody, "", "The request body could not be read to its end")
		e.Err = err
		return nil, e
	}
	return buf, nil
}

// readAtMost appends to buf what body holds, up to limit bytes, as
// io.LimitReader and bytes.Buffer.ReadFrom would: the error is nil at EOF
// or once limit bytes are read.
func readAtMost(body io.Reader, buf []byte, limit int64) ([]byte, error) {
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(limit, int64(max(2*cap(buf), 512))))
			copy(grown, buf)
			buf = grown
		}
		end := cap(buf)
		if int64(end) > limit {
			end = int(limit)
		}
		n, err := body.Read(buf[len(buf):end])
		if n < 0 || n > end-len(buf) {
			panic("envelope: the request body's Read returned an invalid count")
		}
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

func formWithoutParams() *Error {
	return ParameterError(CodeMalformedForm, "params", "A form body must carry the parameters as a JSON object in its `params` field")
}

func paramsGivenTwice() *Error {
	return ParameterError(CodeDuplicateParameter, "params", "The form field `params` is given more than once")
}

func urlencodedParams(body []byte) ([]byte, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, ParameterError(CodeMalformedForm, "", "The form body cannot be parsed: "+err.Error())
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
			return nil, ParameterError(CodeMalformedForm, "", "The multipart body cannot be parsed: "+err.Error())
		}
		fields++
		if part.FormName() != "params" || part.FileName() != "" {
			continue
		}
		if params != nil {
			return nil, paramsGivenTwice()
		}
		if params, err = io.ReadAll(part); err != nil {
			return nil, ParameterError(CodeMalformedForm, "", "The multipart body cannot be parsed: "+err.Error())
		}
	}
	if params == nil && fields > 0 {
		return nil, formWithoutParams()
	}
	return params, nil
}

type paramsKey struct{}

// SetParams returns a request that carries params, the bytes ReadParams
// returned, for Params, Decode and actions to find. Inside the Envelope
// middleware it stores them in the Exchange and returns r itself.
func SetParams(r *http.Request, params []byte) *http.Request {
	if ex := FromContext(r.Context()); ex != nil {
		ex.params, ex.hasParams, ex.uncheckedDepth = params, true, 0
		return r
	}
	return r.WithContext(context.WithValue(r.Context(), paramsKey{}, params))
}

// LoadParams reads the request's parameters as ReadParams does and stores
// them as SetParams does, returning the request to serve; the Params
// middleware is LoadParams before the handler. Parameters stored already
// are kept, so that a second Params middleware does not read an emptied
// body.
//
// Inside the Envelope middleware, with one of this package's codecs, the
// body is read into a pooled buffer that is reused once the envelope is
// written: those codecs copy what they decode, and Params hands out the
// bytes only after marking them as kept.
func LoadParams(r *http.Request, opts ParamsOptions) (*http.Request, error) {
	return loadParams(r, opts, true)
}

// LoadParamsFor is LoadParams for a request that next serves. Where next is
// an action (Action, ActionWith), which decodes the parameters before it
// does anything else, and the Envelope middleware is in the chain, the check
// of SPEC R5 is left to the action, which makes it as it decodes them, in
// the same pass: a malformed body gets the same answer, from the action.
func LoadParamsFor(next http.Handler, r *http.Request, opts ParamsOptions) (*http.Request, error) {
	_, decodes := next.(paramsDecoder)
	return loadParams(r, opts, !decodes)
}

// paramsDecoder is a handler that decodes the parameters first: an action.
type paramsDecoder interface{ decodesParamsFirst() }

func loadParams(r *http.Request, opts ParamsOptions, check bool) (*http.Request, error) {
	if _, ok := storedParams(r); ok {
		return r, nil
	}
	ex := FromContext(r.Context())
	if ex == nil || !ex.opts.copiesParams() {
		params, err := ReadParams(r, opts)
		if err != nil {
			return r, err
		}
		return SetParams(r, params), nil
	}
	return r, ex.loadParams(r, opts, check)
}

// loadParams reads the parameters into the Exchange's pooled buffer. Unless
// check is set, their check is left to their first reader, which
// uncheckedDepth tells to make it.
func (ex *Exchange) loadParams(r *http.Request, opts ParamsOptions, check bool) error {
	if ex.paramsBuf == nil {
		ex.paramsBuf = buffers.Get().(*[]byte)
	}
	params, err := readParams(r, opts, ex.paramsBuf)
	if err != nil {
		return err
	}
	if check {
		if err := checkLoaded(params, opts.maxDepth()); err != nil {
			return err
		}
	} else {
		ex.uncheckedDepth = opts.maxDepth()
	}
	ex.params, ex.hasParams = params, true
	return nil
}

// checkParamsNow makes the check that loadParams left to the parameters'
// first reader, if it did.
func (ex *Exchange) checkParamsNow() error {
	if ex.uncheckedDepth == 0 {
		return nil
	}
	if err := checkLoaded(ex.params, ex.uncheckedDepth); err != nil {
		return err
	}
	ex.uncheckedDepth = 0
	return nil
}

// copiesParams reports whether what the codec decodes never shares memory
// with the bytes it decodes.
func (o *Options) copiesParams() bool {
	switch o.codec().(type) {
	case stdCodec, jsoniterCodec:
		return true
	}
	return false
}

// Params returns the request's parameters: those SetParams or LoadParams
// stored, else the body read with ReadParams and opts.
func Params(r *http.Request, opts ParamsOptions) ([]byte, error) {
	if p, ok := storedParams(r); ok {
		if ex := FromContext(r.Context()); ex != nil {
			if err := ex.checkParamsNow(); err != nil {
				return nil, err
			}
			ex.paramsKept = true // the caller may keep them: their buffer is not reused
		}
		return p, nil
	}
	return ReadParams(r, opts)
}

func storedParams(r *http.Request) ([]byte, bool) {
	if ex := FromContext(r.Context()); ex != nil && ex.hasParams {
		return ex.params, true
	}
	p, ok := r.Context().Value(paramsKey{}).([]byte)
	return p, ok
}

// paramsToDecode is Params for a codec, which does not keep them: inside
// the Envelope middleware, a body not read yet goes to a pooled buffer.
func paramsToDecode(r *http.Request, opts ParamsOptions) ([]byte, error) {
	if p, ok := storedParams(r); ok {
		return p, nil
	}
	if ex := FromContext(r.Context()); ex != nil && ex.opts.copiesParams() {
		if err := ex.loadParams(r, opts, true); err != nil {
			return nil, err
		}
		return ex.params, nil
	}
	return ReadParams(r, opts)
}
