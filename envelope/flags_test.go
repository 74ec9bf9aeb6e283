package envelope

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Pagination and Page are safe at every extreme: no overflow, no negative
// offset (issue 13, bug 1: page 9223372036854775807 made a negative one).
func TestPaginationAtTheExtremes(t *testing.T) {
	var p Pagination
	tests := []struct {
		name                 string
		page, perPage, total int
		want                 Page
		offset               int
	}{
		{"first page", 1, 30, 97, Page{1, 30, 4, 97}, 0},
		{"third page", 3, 30, 97, Page{3, 30, 4, 97}, 60},
		{"largest page", math.MaxInt, 60, 10, Page{math.MaxInt, 60, 1, 10}, math.MaxInt},
		{"first page whose offset overflows", math.MaxInt/60 + 2, 60, 10, Page{math.MaxInt/60 + 2, 60, 1, 10}, math.MaxInt},
		{"last page whose offset fits", math.MaxInt/60 + 1, 60, 10, Page{math.MaxInt/60 + 1, 60, 1, 10}, math.MaxInt / 60 * 60},
		{"smallest page", math.MinInt, 30, 10, Page{1, 30, 1, 10}, 0},
		{"largest page size", 1, math.MaxInt, 10, Page{1, 60, 1, 10}, 0},
		{"smallest page size", 1, math.MinInt, 10, Page{1, 30, 1, 10}, 0},
		{"largest total", 1, 60, math.MaxInt, Page{1, 60, math.MaxInt/60 + 1, math.MaxInt}, 0},
		{"smallest total", 1, 60, math.MinInt, Page{1, 60, 0, 0}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.Page(tt.page, tt.perPage, tt.total)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.offset, got.Offset())
		})
	}
}

// A Page made by hand, not by Pagination, has a safe offset too.
func TestPageOffsetOfAnyPage(t *testing.T) {
	tests := []struct {
		page Page
		want int
	}{
		{Page{}, 0},
		{Page{Page: 0, PerPage: 30}, 0},
		{Page{Page: -5, PerPage: 30}, 0},
		{Page{Page: 2, PerPage: -30}, 0},
		{Page{Page: 2, PerPage: math.MaxInt}, math.MaxInt},
		{Page{Page: math.MaxInt, PerPage: math.MaxInt}, math.MaxInt},
		{Page{Page: 2, PerPage: 30}, 30},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.page.Offset(), "%+v", tt.page)
	}
}

// Pagination's own options are safe at their extremes too.
func TestPaginationOptionsAtTheExtremes(t *testing.T) {
	tests := []struct {
		p    Pagination
		want int
	}{
		{Pagination{DefaultPerPage: math.MaxInt, MaxPerPage: math.MaxInt}, math.MaxInt},
		{Pagination{DefaultPerPage: math.MinInt, MaxPerPage: math.MinInt}, 30},
		{Pagination{DefaultPerPage: 100, MaxPerPage: 10}, 10},
	}
	for _, tt := range tests {
		got := tt.p.Page(1, 0, math.MaxInt)
		assert.Equal(t, tt.want, got.PerPage, "%+v", tt.p)
		assert.Positive(t, got.TotalPages)
	}
}
