package envelope

import (
	"context"
	"math"
)

// Pagination clamps the page and page size a client asks for, as the
// original framework does. The zero value allows 30 records per page by
// default and 60 at most.
type Pagination struct {
	// DefaultPerPage is used when the client asks for none; 0 means 30.
	DefaultPerPage int
	// MaxPerPage caps what the client may ask for; 0 means 60.
	MaxPerPage int
}

// Page is the "paginated" flag.
type Page struct {
	Page         int `json:"page"`
	PerPage      int `json:"per_page"`
	TotalPages   int `json:"total_pages"`
	TotalRecords int `json:"total_records"`
}

// Sort is the "sorted" flag.
type Sort struct {
	By    string `json:"by"`
	Order string `json:"order"`
}

// Page returns the page to serve: page below 1 becomes 1, perPage below 1
// the default and above the maximum the maximum. A page past the last one
// is kept as asked: it is served empty. Every value is safe, math.MaxInt
// included: nothing here or in Offset overflows.
func (p Pagination) Page(page, perPage, totalRecords int) Page {
	def, limit := p.DefaultPerPage, p.MaxPerPage
	if def <= 0 {
		def = 30
	}
	if limit <= 0 {
		limit = 60
	}
	if page < 1 {
		page = 1
	}
	switch {
	case perPage < 1:
		perPage = min(def, limit)
	case perPage > limit:
		perPage = limit
	}
	if totalRecords < 0 {
		totalRecords = 0
	}
	// Written so that totalRecords near math.MaxInt cannot overflow, as
	// totalRecords+perPage-1 would.
	totalPages := totalRecords / perPage
	if totalRecords%perPage != 0 {
		totalPages++
	}
	return Page{Page: page, PerPage: perPage, TotalPages: totalPages, TotalRecords: totalRecords}
}

// Offset returns the index of the page's first record, never negative: 0
// for a page below 1 or a page size below 1, and math.MaxInt, past any
// list, where (Page-1)*PerPage would overflow. A client that asks for page
// 9223372036854775807 gets an empty page, not a negative offset.
func (p Page) Offset() int {
	if p.Page < 1 || p.PerPage < 1 {
		return 0
	}
	if p.Page-1 > math.MaxInt/p.PerPage {
		return math.MaxInt
	}
	return (p.Page - 1) * p.PerPage
}

// SetPage adds the "paginated" flag.
func SetPage(ctx context.Context, p Page) { SetFlag(ctx, "paginated", p) }

// SetSort adds the "sorted" flag.
func SetSort(ctx context.Context, s Sort) { SetFlag(ctx, "sorted", s) }
