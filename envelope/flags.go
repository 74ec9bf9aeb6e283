package envelope

import "context"

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
// the default and above the maximum the maximum.
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
	return Page{Page: page, PerPage: perPage, TotalPages: (totalRecords + perPage - 1) / perPage, TotalRecords: totalRecords}
}

// Offset returns the index of the page's first record.
func (p Page) Offset() int { return (p.Page - 1) * p.PerPage }

// SetPage adds the "paginated" flag.
func SetPage(ctx context.Context, p Page) { SetFlag(ctx, "paginated", p) }

// SetSort adds the "sorted" flag.
func SetSort(ctx context.Context, s Sort) { SetFlag(ctx, "sorted", s) }
