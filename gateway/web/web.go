// Package web holds the files of the web application the gateway serves at "/": the page
// templates (Go html/template), the translation files (one JSON catalogue per language) and
// the static assets (the style sheet and the vendored htmx, see VENDOR.md). They are built
// into the gateway binary; the handlers are in gateway/internal/webapp.
//
// The end-to-end browser tests under e2e/ are not embedded.
package web

import (
	"embed"
	"io/fs"
)

//go:embed templates/*.html i18n/*.json static/*.css static/*.js static/*.svg
var files embed.FS

// FS returns the embedded files: templates/*.html, i18n/<lang>.json and static/*.
func FS() fs.FS { return files }
