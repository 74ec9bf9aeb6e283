package docsite_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// checkedPage is what checkHTML learnt of a page: its ids, its links and
// its text.
type checkedPage struct {
	ids   map[string]bool
	links []string // href, src and action values, as written
	text  string   // the text, whitespace collapsed
	heads []string // the text of h1, h2 and h3, in order
}

// blockElements separate the text before them from the text after.
var blockElements = map[string]bool{
	"p": true, "td": true, "th": true, "tr": true, "li": true, "h1": true, "h2": true, "h3": true, "pre": true,
	"div": true, "summary": true, "details": true, "ul": true, "table": true, "br": true, "label": true,
	"form": true, "nav": true, "main": true, "header": true, "footer": true, "title": true,
}

// voidElements have no end tag.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true,
}

// checkHTML reads a page with x/net/html's tokenizer, which the HTML5
// parser is built on, and is stricter than that parser, which accepts any
// input: the page starts with <!DOCTYPE html>; every element but the void
// ones is closed, in order, and nothing is closed that is not open; no
// element has an attribute twice; no id is used twice; html, head, body,
// title and main appear once.
func checkHTML(page []byte) (*checkedPage, error) {
	z := html.NewTokenizer(bytes.NewReader(page))
	out := &checkedPage{ids: map[string]bool{}}
	var open []string
	var text strings.Builder
	counts := map[string]int{}
	first := true
	heading := -1 // index in out.heads of the heading being read
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if err := z.Err(); !errors.Is(err, io.EOF) {
				return nil, err
			}
			break
		}
		tok := z.Token()
		if first {
			first = false
			if tt != html.DoctypeToken || !strings.EqualFold(tok.Data, "html") {
				return nil, fmt.Errorf("the page does not start with <!DOCTYPE html>")
			}
			continue
		}
		if blockElements[tok.Data] && tt != html.TextToken {
			text.WriteByte(' ')
		}
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			name := tok.Data
			counts[name]++
			seen := map[string]bool{}
			for _, a := range tok.Attr {
				if seen[a.Key] {
					return nil, fmt.Errorf("<%s> has the attribute %s twice", name, a.Key)
				}
				seen[a.Key] = true
				switch a.Key {
				case "id":
					if out.ids[a.Val] {
						return nil, fmt.Errorf("the id %q is used twice", a.Val)
					}
					out.ids[a.Val] = true
				case "href", "src", "action":
					out.links = append(out.links, a.Val)
				}
			}
			if tt == html.SelfClosingTagToken && !voidElements[name] {
				return nil, fmt.Errorf("<%s/> is not a void element", name)
			}
			if !voidElements[name] {
				open = append(open, name)
			}
			if name == "h1" || name == "h2" || name == "h3" {
				out.heads = append(out.heads, "")
				heading = len(out.heads) - 1
			}
		case html.EndTagToken:
			name := tok.Data
			if voidElements[name] {
				return nil, fmt.Errorf("</%s>: %s is a void element", name, name)
			}
			if len(open) == 0 || open[len(open)-1] != name {
				return nil, fmt.Errorf("</%s> closes nothing open (open: %s)", name, strings.Join(open, " > "))
			}
			open = open[:len(open)-1]
			if name == "h1" || name == "h2" || name == "h3" {
				heading = -1
			}
		case html.TextToken:
			text.WriteString(tok.Data)
			if heading >= 0 {
				out.heads[heading] += tok.Data
			}
		}
	}
	if len(open) > 0 {
		return nil, fmt.Errorf("not closed at the end: %s", strings.Join(open, " > "))
	}
	for _, name := range []string{"html", "head", "body", "title", "main"} {
		if counts[name] != 1 {
			return nil, fmt.Errorf("<%s> appears %d times", name, counts[name])
		}
	}
	out.text = strings.Join(strings.Fields(text.String()), " ")
	for i, h := range out.heads {
		out.heads[i] = strings.Join(strings.Fields(h), " ")
	}
	return out, nil
}

// internalLinks resolves the links of the page at pagePath (a path of the
// site) that stay inside the site, and returns them as site paths with
// their fragments. Links to other hosts are returned in external.
func internalLinks(pagePath string, links []string) (internal [][2]string, external []string, err error) {
	base := &url.URL{Path: "/" + pagePath}
	for _, l := range links {
		u, err := url.Parse(l)
		if err != nil {
			return nil, nil, fmt.Errorf("link %q: %w", l, err)
		}
		if u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") {
			external = append(external, l)
			continue
		}
		target := base.ResolveReference(u)
		p := strings.TrimPrefix(path.Clean(target.Path), "/")
		if strings.HasSuffix(target.Path, "/") || p == "." {
			p = path.Join(p, "index.html")
		}
		if strings.HasPrefix(p, "..") {
			return nil, nil, fmt.Errorf("link %q leaves the site", l)
		}
		internal = append(internal, [2]string{strings.TrimPrefix(p, "./"), u.Fragment})
	}
	slices.SortFunc(internal, func(a, b [2]string) int { return strings.Compare(a[0]+"#"+a[1], b[0]+"#"+b[1]) })
	return slices.Compact(internal), external, nil
}
