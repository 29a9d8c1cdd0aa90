// Package fieldmask applies an update request's field mask (AIP-134) to a domain value: each
// path a client may change maps to the function that copies that one field.
package fieldmask

import (
	"strings"

	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/cohabit/cohabit/services/platform/errs"
)

// Field is the name of the request field that Paths and Change report violations of.
const Field = "updateMask"

// Setters maps the update_mask paths a client may change (proto names, as grpc-gateway derives
// them from a PATCH body; dotted for a nested field) to the function that copies that field
// from src to dst.
type Setters[T any] map[string]func(dst *T, src T)

// Change returns the change the mask asks for: a function that copies the masked fields of src
// onto its argument (and never fails: its error result fits the use cases' change functions).
// Paths are checked as Paths does, their violations recorded in v: the caller returns v.Err()
// once it has checked the rest of the request.
func (s Setters[T]) Change(mask *fieldmaskpb.FieldMask, src T, ignored map[string]bool, v *errs.Violations) func(*T) error {
	paths := Paths(mask, s, ignored, v)
	return func(dst *T) error {
		for _, p := range paths {
			s[p](dst, src)
		}
		return nil
	}
}

// Paths returns the paths to apply: the mask's, or every top-level path of allowed when the
// mask is empty (an absent mask means a full replacement). A path in ignored (one a client may
// echo back from a GET without meaning to change it, such as "etag") is skipped; any other
// path not in allowed records a violation of "updateMask" in v.
func Paths[V any](mask *fieldmaskpb.FieldMask, allowed map[string]V, ignored map[string]bool, v *errs.Violations) []string {
	if len(mask.GetPaths()) == 0 {
		paths := make([]string, 0, len(allowed))
		for p := range allowed {
			if !strings.Contains(p, ".") {
				paths = append(paths, p)
			}
		}
		return paths
	}
	var paths []string
	for _, p := range mask.GetPaths() {
		if ignored[p] {
			continue
		}
		if _, ok := allowed[p]; !ok {
			v.Add(Field, "%q cannot be changed with this call", p)
			continue
		}
		paths = append(paths, p)
	}
	return paths
}

// Parse is Change for a whole update request: from converts the request's resource, recording
// its bad fields in v, and the change comes back only when neither the resource nor the mask
// has a violation — otherwise errs.Invalid naming every one, so that one answer lists them all.
func (s Setters[T]) Parse(mask *fieldmaskpb.FieldMask, from func(v *errs.Violations) T, ignored map[string]bool) (func(*T) error, error) {
	var v errs.Violations
	change := s.Change(mask, from(&v), ignored, &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return change, nil
}
