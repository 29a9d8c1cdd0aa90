// Package web holds the pages the gateway serves at "/". For now a landing page only: the web
// application replaces it in a later issue.
package web

import _ "embed"

//go:embed index.html
var index []byte

// Index returns the landing page (HTML, UTF-8). The slice is a copy.
func Index() []byte {
	return append([]byte(nil), index...)
}
