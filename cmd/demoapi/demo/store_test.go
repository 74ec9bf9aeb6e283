package demo

import (
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
