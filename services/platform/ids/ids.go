// Package ids makes and checks record ids. Every record id is a UUID; new ones are version 7,
// whose time-ordered prefix keeps B-tree inserts at the end of the index and lists in
// roughly creation order.
package ids

import "github.com/google/uuid"

// New returns a fresh version 7 UUID.
func New() string { return uuid.Must(uuid.NewV7()).String() }

// Valid reports whether s is a UUID in its canonical 36-character form. A store checks it
// before querying, so that a malformed id names no record (NotFound) instead of reaching
// PostgreSQL as a cast error (a 500).
func Valid(s string) bool {
	return len(s) == 36 && uuid.Validate(s) == nil
}
