// Package etag renders record versions as the opaque etags of optimistic concurrency (AIP-154):
// a client sends back the etag it read, and a change based on an older one is refused.
package etag

import (
	"strconv"

	"github.com/cohabit/cohabit/services/platform/errs"
)

// Of renders a version as an etag.
func Of(version int) string { return `W/"` + strconv.Itoa(version) + `"` }

// ErrStale is a change based on an etag that is no longer current (Aborted, HTTP 409).
var ErrStale = errs.Aborted("STALE_ETAG", "the record changed since you read it: reload it and try again")

// Check refuses a change sent with a stale etag. An empty etag skips the check, for clients
// that accept last-writer-wins.
func Check(sent string, version int) error {
	if sent != "" && sent != Of(version) {
		return ErrStale
	}
	return nil
}
