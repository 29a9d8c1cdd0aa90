// Package webapptest drives the whole web application over HTTP in tests: NewHarness starts it (the
// core with every audience of package site) over fake services that answer from fixed data
// and record what they were sent (fakes.go; tokens "Bearer tok-coord", "Bearer tok-host",
// "Bearer tok-student", …), and a Browser keeps cookies, posts forms with their CSRF token
// and does not follow redirects (harness.go). The HTML helpers (a11y.go, html.go) check a
// page's accessibility and find its parts. Each audience's tests (package <audience>_test)
// use it; package site keeps the tests that cross audiences.
package webapptest
