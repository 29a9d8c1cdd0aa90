package webapptest

import (
	"strings"

	"golang.org/x/net/html"
)

func IsChecked(n *html.Node) bool {
	_, ok := attrOK(n, "checked")
	return ok
}

// findNextOf is the "next" value of the form posting to action.
func FindNextOf(n *html.Node, action string) string {
	if n.Type == html.ElementNode && n.Data == "form" && Attr(n, "action") == action {
		var next string
		var walk func(*html.Node)
		walk = func(c *html.Node) {
			if c.Type == html.ElementNode && c.Data == "input" && Attr(c, "name") == "next" {
				next = Attr(c, "value")
			}
			for k := c.FirstChild; k != nil; k = k.NextSibling {
				walk(k)
			}
		}
		walk(n)
		return next
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if v := FindNextOf(c, action); v != "" {
			return v
		}
	}
	return ""
}

func SetCookieHeader(r Response, name string) string {
	for _, c := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, name+"=") {
			return c
		}
	}
	return ""
}

// findNext is the "next" value of the form holding the element of id.
func FindNext(doc *html.Node, id string) string {
	el := Find(doc, id)
	for ; el != nil && el.Data != "form"; el = el.Parent {
	}
	if el == nil {
		return ""
	}
	for _, in := range FindAll(el, "input", "") {
		if Attr(in, "name") == "next" {
			return Attr(in, "value")
		}
	}
	return ""
}
