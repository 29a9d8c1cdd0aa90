// Package protoenum turns proto enum values into the plain names the domain uses, the type
// prefix stripped (RHYTHM_EARLY is "EARLY"), and back.
package protoenum

import "strings"

// Unknown is the name of a number the enum does not declare (possible over gRPC, not over
// JSON): kept as a name, so that the domain refuses it by name instead of taking it for unset.
const Unknown = "UNKNOWN"

// Name returns e's name without prefix, from names (the generated <Enum>_name map); the
// UNSPECIFIED value is "" (unset), and a number names does not hold is Unknown.
func Name[E ~int32](e E, names map[int32]string, prefix string) string {
	n, ok := names[int32(e)]
	if !ok {
		return Unknown
	}
	n = strings.TrimPrefix(n, prefix)
	if n == "UNSPECIFIED" {
		return ""
	}
	return n
}
