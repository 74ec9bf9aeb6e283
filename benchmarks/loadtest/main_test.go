package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShortLoad(t *testing.T) {
	var out, errs bytes.Buffer
	code := run([]string{"-n", "2000", "-c", "4,32", "-warmup", "200"}, &out, &errs)
	require.Equal(t, 0, code, "%s%s", out.String(), errs.String())
	assert.Contains(t, out.String(), "| 32 | 2000 | 1200 / 200 / 400 / 200 |")
	assert.Contains(t, out.String(), "PASS")
}

func TestWellFormed(t *testing.T) {
	assert.True(t, wellFormed([]byte(`{"status":"success","time":0.001,"flags":{},"data":null}`)))
	for _, bad := range []string{
		`{"time":0.001,"status":"success","flags":{},"data":null}`,
		`{"status":"success","time":0.001,"flags":{}}`,
		`{"status":"success","time":0.001,"flags":{},"data":null,"extra":1}`,
		`{"status":"success","time":0.001,"flags":{},"data":null}{}`,
		`{"status":"success","time":0.001,"flags":{},"data":nul`,
	} {
		assert.False(t, wellFormed([]byte(bad)), bad)
	}
}

func TestHistogram(t *testing.T) {
	h := newHistogram()
	for i := 1; i <= 100; i++ {
		h.add(time.Duration(i) * time.Millisecond)
	}
	assert.InDelta(t, 50*time.Millisecond, h.quantile(0.5), float64(time.Millisecond))
	assert.InDelta(t, 99*time.Millisecond, h.quantile(0.99), float64(time.Millisecond))
	assert.Equal(t, 100*time.Millisecond, h.max)
}

func TestBadFlags(t *testing.T) {
	var out, errs bytes.Buffer
	assert.Equal(t, 2, run([]string{"-c", "0"}, &out, &errs))
	assert.Equal(t, 2, run([]string{"-n", "0"}, &out, &errs))
}
