package envelope

import (
	"bytes"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendTime(t *testing.T) {
	cases := []struct {
		decimals int
		elapsed  time.Duration
		want     string
	}{
		{0, 123 * time.Microsecond, "0.000123"},
		{0, 0, "0.000001"},
		{0, 200 * time.Nanosecond, "0.000001"},
		{0, 1500 * time.Millisecond, "1.5"},
		{2, 1234 * time.Millisecond, "1.23"},
		{2, time.Millisecond, "0.01"},
		{3, 2 * time.Second, "2"},
		{9, time.Nanosecond, "0.000000001"},
	}
	for _, c := range cases {
		o := Options{TimeDecimals: c.decimals}
		assert.Equal(t, c.want, string(o.appendTime(nil, c.elapsed)), "%d decimals, %v", c.decimals, c.elapsed)
	}
}

// FuzzAppendTime checks the integer formatting against strconv's shortest
// float formatting of the same rounded value.
func FuzzAppendTime(f *testing.F) {
	f.Add(uint8(0), int64(123456))
	f.Add(uint8(3), int64(1500*time.Millisecond))
	f.Add(uint8(9), int64(time.Hour))
	f.Fuzz(func(t *testing.T, decimals uint8, ns int64) {
		d := int(decimals % 10)
		if ns < 0 || ns > int64(1000*time.Hour) {
			t.Skip("requests last between 0 and 1000 hours")
		}
		places := d
		if places == 0 {
			places = 6
		}
		scale := math.Pow10(places)
		units := max(math.Round(float64(ns)/float64(math.Pow10(9-places))), 1)
		want := strconv.AppendFloat(nil, units/scale, 'f', -1, 64)
		o := Options{TimeDecimals: d}
		assert.Equal(t, string(want), string(o.appendTime(nil, time.Duration(ns))), "%d decimals, %dns", d, ns)
	})
}

func TestEnvelopeFraming(t *testing.T) {
	type result struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	cases := []struct {
		name      string
		handler   http.HandlerFunc
		opts      Options
		code      int
		status    Status
		data      string
		flags     string
		headerKey string
		header    string
	}{
		{
			name:    "success with data",
			handler: func(w http.ResponseWriter, r *http.Request) { Success(w, r, result{1, "a<b"}) },
			code:    200, status: StatusSuccess, data: `{"id":1,"name":"a<b"}`, flags: `{}`,
		},
		{
			name:    "nothing written is success with null data",
			handler: func(w http.ResponseWriter, r *http.Request) {},
			code:    200, status: StatusSuccess, data: `null`, flags: `{}`,
		},
		{
			name: "flags",
			handler: func(w http.ResponseWriter, r *http.Request) {
				SetPage(r.Context(), Pagination{}.Page(2, 30, 97))
				SetSort(r.Context(), Sort{By: "name", Order: "asc"})
				Success(w, r, []int{})
			},
			code: 200, status: StatusSuccess, data: `[]`,
			flags: `{"paginated":{"page":2,"per_page":30,"total_pages":4,"total_records":97},"sorted":{"by":"name","order":"asc"}}`,
		},
		{
			name: "error with attributes",
			handler: func(w http.ResponseWriter, r *http.Request) {
				e := NewError("NoRecipients", "There are no recipients")
				e.Attributes = map[string]any{"limit": 50, "code": "shadowed", "message": "shadowed"}
				Fail(w, r, e)
			},
			code: 200, status: StatusError, data: `{"code":"NoRecipients","message":"There are no recipients","limit":50}`, flags: `{}`,
		},
		{
			name: "validation error with its errors",
			handler: func(w http.ResponseWriter, r *http.Request) {
				Fail(w, r, ValidationError("", map[string][]string{"email": {"is invalid"}}))
			},
			code: 200, status: StatusValidationError,
			data:  `{"code":"ValidationFailed","message":"The parameters failed validation","errors":{"email":["is invalid"]}}`,
			flags: `{}`,
		},
		{
			name: "parameter error names the field",
			handler: func(w http.ResponseWriter, r *http.Request) {
				Fail(w, r, ParameterError(CodeMissingParameter, "`to` is missing").WithField("to"))
			},
			code: 200, status: StatusParameterError,
			data:  `{"code":"MissingParameter","message":"` + "`to` is missing" + `","field":"to"}`,
			flags: `{}`,
		},
		{
			name: "wrapped anticipated error",
			handler: func(w http.ResponseWriter, r *http.Request) {
				Fail(w, r, errorsJoin(NotFound("MessageNotFound", "No message")))
			},
			code: 200, status: StatusNotFound, data: `{"code":"MessageNotFound","message":"No message"}`, flags: `{}`,
		},
		{
			name:    "plain error is hidden",
			handler: func(w http.ResponseWriter, r *http.Request) { Fail(w, r, errors.New("db password is hunter2")) },
			code:    500, status: StatusInternalServerError,
			data:  `{"code":"InternalServerError","message":"An internal error occurred while processing the request"}`,
			flags: `{}`,
		},
		{
			name:    "plain error in development mode",
			handler: func(w http.ResponseWriter, r *http.Request) { Fail(w, r, errors.New("db down")) },
			opts:    Options{Development: true},
			code:    500, status: StatusInternalServerError,
			data:  `{"code":"InternalServerError","message":"An internal error occurred while processing the request","cause":"db down"}`,
			flags: `{}`,
		},
		{
			name: "internal error attributes are hidden outside development mode",
			handler: func(w http.ResponseWriter, r *http.Request) {
				Fail(w, r, &Error{Status: StatusInternalServerError, Code: "Panic", Message: "boom", Attributes: map[string]any{"stack": "main.go:1"}})
			},
			code: 500, status: StatusInternalServerError,
			data:  `{"code":"InternalServerError","message":"An internal error occurred while processing the request"}`,
			flags: `{}`,
		},
		{
			name: "unavailable with Retry-After",
			handler: func(w http.ResponseWriter, r *http.Request) {
				Fail(w, r, Unavailable("Down for maintenance", 90*time.Second))
			},
			code: 503, status: StatusServiceUnavailable,
			data:  `{"code":"ServiceUnavailable","message":"Down for maintenance"}`,
			flags: `{}`, headerKey: "Retry-After", header: "90",
		},
		{
			name:    "unencodable data is a 500, never a truncated 200",
			handler: func(w http.ResponseWriter, r *http.Request) { Success(w, r, map[string]any{"n": math.NaN()}) },
			code:    500, status: StatusInternalServerError,
			data:  `{"code":"InternalServerError","message":"An internal error occurred while processing the request"}`,
			flags: `{}`,
		},
		{
			name: "unencodable flag is a 500",
			handler: func(w http.ResponseWriter, r *http.Request) {
				SetFlag(r.Context(), "bad", make(chan int))
				Success(w, r, 1)
			},
			code: 500, status: StatusInternalServerError,
			data:  `{"code":"InternalServerError","message":"An internal error occurred while processing the request"}`,
			flags: `{}`,
		},
		{
			name:    "unknown status is a 500",
			handler: func(w http.ResponseWriter, r *http.Request) { Fail(w, r, &Error{Status: "teapot", Code: "X"}) },
			code:    500, status: StatusInternalServerError,
			data:  `{"code":"InternalServerError","message":"An internal error occurred while processing the request"}`,
			flags: `{}`,
		},
		{
			name:    "zero status means error",
			handler: func(w http.ResponseWriter, r *http.Request) { Fail(w, r, &Error{Code: "Custom", Message: "m"}) },
			code:    200, status: StatusError, data: `{"code":"Custom","message":"m"}`, flags: `{}`,
		},
		{
			name: "the last answer decides",
			handler: func(w http.ResponseWriter, r *http.Request) {
				Success(w, r, 1)
				Fail(w, r, NewError("Second", "second"))
			},
			code: 200, status: StatusError, data: `{"code":"Second","message":"second"}`, flags: `{}`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := c.opts
			opts.Logger = slog.New(slog.DiscardHandler)
			w := readEnvelope(t, serve(c.handler, &opts, post("")))
			assert.Equal(t, c.code, w.Code)
			assert.Equal(t, c.status, w.Status)
			assert.JSONEq(t, c.data, string(w.RawData))
			assert.Equal(t, c.data, string(w.RawData), "data bytes")
			flags, _ := jsonMarshal(w.Flags)
			assert.JSONEq(t, c.flags, flags)
			if c.headerKey != "" {
				assert.Equal(t, c.header, w.Header.Get(c.headerKey))
			}
		})
	}
}

func errorsJoin(err error) error { return errors.Join(errors.New("context"), err) }

func TestUnanticipatedErrorIsLogged(t *testing.T) {
	var logs bytes.Buffer
	opts := Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Fail(w, r, errors.New("disk full"))
	}), &opts, post(""))
	assert.Contains(t, logs.String(), "disk full")
}

func TestSuccessOutsideTheEnvelopeWritesAtOnce(t *testing.T) {
	rec := httptest.NewRecorder()
	Success(rec, post(""), map[string]int{"a": 1})
	w := readEnvelope(t, rec)
	assert.Equal(t, StatusSuccess, w.Status)
	assert.Equal(t, `{"a":1}`, string(w.RawData))
}

func TestFlagsOutsideTheEnvelopeAreDropped(t *testing.T) {
	r := post("")
	SetFlag(r.Context(), "x", 1)
	rec := httptest.NewRecorder()
	Success(rec, r, nil)
	assert.Empty(t, readEnvelope(t, rec).Flags)
}

func TestHugeAnswerIsNotPooled(t *testing.T) {
	big := strings.Repeat("x", 2*maxPooledBuffer)
	rec := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { Success(w, r, big) }), nil, post(""))
	w := readEnvelope(t, rec)
	assert.Equal(t, big, w.Data)
	b := buffers.Get().(*[]byte)
	assert.LessOrEqual(t, cap(*b), maxPooledBuffer)
}

func TestErrorsIs(t *testing.T) {
	err := errorsJoin(NotFound("MessageNotFound", "gone"))
	assert.ErrorIs(t, err, ErrNotFound)
	assert.ErrorIs(t, err, NotFound("MessageNotFound", ""))
	assert.NotErrorIs(t, err, NotFound("OtherCode", ""))
	assert.NotErrorIs(t, err, ErrAccessDenied)
	assert.ErrorIs(t, NewError("NoRecipients", "x"), &Error{Code: "NoRecipients"})
	assert.ErrorIs(t, ValidationError("", nil), ErrValidation)
	assert.ErrorIs(t, ParameterError("X", "m").WithField("f"), ErrParameter)
	assert.ErrorIs(t, Unavailable("m", 0), ErrUnavailable)
	assert.ErrorIs(t, AccessDenied("X", "m"), ErrAccessDenied)

	cause := errors.New("cause")
	e := &Error{Code: "X", Err: cause}
	assert.ErrorIs(t, e, cause)
	var target *Error
	require.ErrorAs(t, errorsJoin(e), &target)
	assert.Equal(t, "X", target.Code)
	assert.Equal(t, "error: X: m", NewError("X", "m").Error())
}

func TestStatusHTTPStatus(t *testing.T) {
	for s, code := range map[Status]int{
		StatusSuccess: 200, StatusParameterError: 200, StatusValidationError: 200, StatusAccessDenied: 200,
		StatusNotFound: 200, StatusError: 200, StatusInternalServerError: 500, StatusServiceUnavailable: 503,
	} {
		assert.Equal(t, code, s.HTTPStatus(), s)
	}
}

func TestPagination(t *testing.T) {
	cases := []struct {
		p                    Pagination
		page, perPage, total int
		want                 Page
	}{
		{Pagination{}, 0, 0, 97, Page{1, 30, 4, 97}},
		{Pagination{}, 2, 100, 97, Page{2, 60, 2, 97}},
		{Pagination{}, -3, -1, 0, Page{1, 30, 0, 0}},
		{Pagination{DefaultPerPage: 10, MaxPerPage: 200}, 3, 150, 1000, Page{3, 150, 7, 1000}},
		{Pagination{DefaultPerPage: 100, MaxPerPage: 50}, 1, 0, 10, Page{1, 50, 1, 10}},
	}
	for _, c := range cases {
		got := c.p.Page(c.page, c.perPage, c.total)
		assert.Equal(t, c.want, got, "%+v %d %d %d", c.p, c.page, c.perPage, c.total)
	}
	assert.Equal(t, 60, Page{Page: 3, PerPage: 30}.Offset())
}

// TestSetFlagFromSeveralGoroutines: a request's context is shared with
// the goroutines it starts; each may set a flag (run with -race).
func TestSetFlagFromSeveralGoroutines(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				SetFlag(r.Context(), "f"+strconv.Itoa(i), i)
				SetPage(r.Context(), Pagination{}.Page(i, 10, 100))
				SetSort(r.Context(), Sort{By: "name", Order: "asc"})
			})
		}
		wg.Wait()
		Success(w, r, nil)
	})
	w := readEnvelope(t, serve(h, nil, post(`{}`)))
	assert.Len(t, w.Flags, 10)
	assert.Contains(t, w.Flags, "paginated")
	assert.Contains(t, w.Flags, "sorted")
}
