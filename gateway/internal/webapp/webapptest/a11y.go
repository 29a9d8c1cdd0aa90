package webapptest

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
)

// checkAccessibility is a basic static check of a page (the browser tests run axe-core on
// top): <html lang> set, a non-empty <title>, exactly one <h1>, one <main>, a skip link to
// an element that exists, every form control with a label, every image with alt, every
// link and button with a name, no duplicate id, every aria-describedby/labelledby and label
// for= pointing at an element that exists. It returns the problems found.
func CheckAccessibility(page string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{"not HTML: " + err.Error()}
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	ids := make(map[string]int)
	labelFor := make(map[string]bool)
	var h1, mains int
	var title string
	var controls []*html.Node
	var refs [][2]string // attribute, id

	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if id := Attr(n, "id"); id != "" {
				ids[id]++
			}
			for _, a := range []string{"aria-describedby", "aria-labelledby"} {
				for _, id := range strings.Fields(Attr(n, a)) {
					refs = append(refs, [2]string{a, id})
				}
			}
			switch n.Data {
			case "html":
				if strings.TrimSpace(Attr(n, "lang")) == "" {
					bad("<html> has no lang")
				}
			case "title":
				title = strings.TrimSpace(Text(n))
			case "h1":
				h1++
			case "main":
				mains++
			case "label":
				if f := Attr(n, "for"); f != "" {
					labelFor[f] = true
					refs = append(refs, [2]string{"label for", f})
				}
			case "input", "select", "textarea":
				controls = append(controls, n)
			case "img":
				if _, ok := attrOK(n, "alt"); !ok {
					bad("<img src=%q> has no alt", Attr(n, "src"))
				}
			case "a":
				if _, ok := attrOK(n, "href"); ok && name(n) == "" {
					bad("link to %q has no text", Attr(n, "href"))
				}
			case "button":
				if name(n) == "" {
					bad("button has no text")
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)

	if title == "" {
		bad("no <title>")
	}
	if h1 != 1 {
		bad("%d <h1>, want exactly 1", h1)
	}
	if mains != 1 {
		bad("%d <main>, want exactly 1", mains)
	}
	if !strings.Contains(page, `class="skip-link" href="#main"`) || ids["main"] == 0 {
		bad("no skip link to #main")
	}
	for id, n := range ids {
		if n > 1 {
			bad("id %q used %d times", id, n)
		}
	}
	for _, r := range refs {
		if ids[r[1]] == 0 {
			bad("%s points at missing id %q", r[0], r[1])
		}
	}
	for _, c := range controls {
		typ := Attr(c, "type")
		if c.Data == "input" && (typ == "hidden" || typ == "submit" || typ == "button") {
			continue
		}
		id := Attr(c, "id")
		switch {
		case id != "" && labelFor[id]:
		case Attr(c, "aria-label") != "" || Attr(c, "aria-labelledby") != "":
		case inside(c, "label"):
		default:
			bad("<%s name=%q> has no label", c.Data, Attr(c, "name"))
		}
	}
	return problems
}

func Attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func Text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// name is an element's accessible name, roughly: aria-label, or its text, or the alt of an
// image inside it.
func name(n *html.Node) string {
	if v := strings.TrimSpace(Attr(n, "aria-label")); v != "" {
		return v
	}
	if s := strings.TrimSpace(Text(n)); s != "" {
		return s
	}
	var alt string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "img" {
			alt += Attr(n, "alt")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(alt)
}

func inside(n *html.Node, tag string) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.Data == tag {
			return true
		}
	}
	return false
}

// find returns the element with id, or nil.
func Find(doc *html.Node, id string) *html.Node {
	if doc.Type == html.ElementNode && Attr(doc, "id") == id {
		return doc
	}
	for c := doc.FirstChild; c != nil; c = c.NextSibling {
		if n := Find(c, id); n != nil {
			return n
		}
	}
	return nil
}

// findAll returns the elements of tag with class cls (any class when cls is empty).
func FindAll(doc *html.Node, tag, cls string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag && (cls == "" || hasClass(n, cls)) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func hasClass(n *html.Node, cls string) bool {
	for _, c := range strings.Fields(Attr(n, "class")) {
		if c == cls {
			return true
		}
	}
	return false
}
