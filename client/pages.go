package client

import (
	"context"
	"fmt"
	"iter"
)

// Pages calls a paginated action (one whose data is a list and whose
// envelopes carry the "paginated" flag) page after page, from page 1, and
// yields the items of every page in order. params gives the parameters
// that ask for a page. It stops after the last page, at the first error,
// which it yields, or when the loop stops; a server that answers another
// page than the one asked for is an error, so a server that clamps the page
// number cannot make it loop. An action without the flag has one page.
func Pages[P, T any](ctx context.Context, c *Client, action string, params func(page int) P) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for page := 1; ; {
			items, meta, err := Call[P, []T](ctx, c, action, params(page))
			if err != nil {
				yield(zero, err)
				return
			}
			if meta.Page != nil && meta.Page.Page != page {
				yield(zero, fmt.Errorf("client: %s: asked for page %d, got page %d", action, page, meta.Page.Page))
				return
			}
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			next, ok := meta.NextPage()
			if !ok {
				return
			}
			page = next
		}
	}
}
