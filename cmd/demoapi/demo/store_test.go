package demo

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStoreForgetsTheOldest(t *testing.T) {
	s := newStore()
	s.maxMessages, s.maxBytes = 3, 100
	noop := func(*message) {}

	s.add(&content{PlainBody: "a"}, []string{"1@x", "2@x"}, noop)
	s.add(&content{PlainBody: "b"}, []string{"3@x", "4@x"}, noop)
	assert.Nil(t, s.get(1), "over the message limit: the oldest goes")
	for id := 2; id <= 4; id++ {
		assert.NotNil(t, s.get(id), id)
	}
	assert.Equal(t, 2, s.bytes, "content shared by messages counts once, until the last of them goes")

	big := s.add(&content{PlainBody: strings.Repeat("x", 150)}, []string{"5@x", "6@x"}, noop)
	require.Len(t, big, 2)
	assert.Nil(t, s.get(4), "over the byte limit: everything older goes")
	assert.NotNil(t, s.get(5), "but never the send just stored")
	assert.NotNil(t, s.get(6))
	assert.Equal(t, 150, s.bytes)

	ms, total := s.page(func(total int) (int, int) { return 0, 10 })
	assert.Equal(t, 2, total)
	require.Len(t, ms, 2)
	assert.Equal(t, 5, ms[0].ID)
}

// A page the store cannot have is empty, whatever offset and limit it is
// asked for: never a panic from slicing with them.
func TestStorePageAtTheExtremes(t *testing.T) {
	s := newStore()
	s.add(&content{PlainBody: "a"}, []string{"1@x", "2@x", "3@x"}, func(*message) {})
	tests := []struct {
		name          string
		offset, limit int
		want          int
	}{
		{"negative offset", -60, 30, 0},
		{"most negative offset", math.MinInt, 30, 0},
		{"offset past the end", math.MaxInt, 30, 0},
		{"largest limit", 1, math.MaxInt, 2},
		{"negative limit", 0, -1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, total := s.page(func(int) (int, int) { return tt.offset, tt.limit })
			assert.Equal(t, 3, total)
			assert.Len(t, ms, tt.want)
		})
	}
}
