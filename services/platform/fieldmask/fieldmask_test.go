package fieldmask_test

import (
	"slices"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/fieldmask"
)

type address struct{ Line1, City string }

type profile struct {
	Name    string
	Phone   string
	Address address
}

var setters = fieldmask.Setters[profile]{
	"name":         func(d *profile, s profile) { d.Name = s.Name },
	"phone":        func(d *profile, s profile) { d.Phone = s.Phone },
	"address":      func(d *profile, s profile) { d.Address = s.Address },
	"address.city": func(d *profile, s profile) { d.Address.City = s.Address.City },
}

var ignored = map[string]bool{"id": true, "etag": true}

func mask(paths ...string) *fieldmaskpb.FieldMask { return &fieldmaskpb.FieldMask{Paths: paths} }

func TestPaths(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		mask       *fieldmaskpb.FieldMask
		want       []string
		violations int
	}{
		{"absent mask: every top-level path", nil, []string{"address", "name", "phone"}, 0},
		{"empty mask: every top-level path", mask(), []string{"address", "name", "phone"}, 0},
		{"the mask's paths, in its order", mask("phone", "address.city"), []string{"phone", "address.city"}, 0},
		{"echoed paths are skipped", mask("id", "name", "etag"), []string{"name"}, 0},
		{"unknown paths are violations", mask("name", "owner", "address.line1"), []string{"name"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var v errs.Violations
			got := fieldmask.Paths(tc.mask, setters, ignored, &v)
			if tc.mask == nil || len(tc.mask.GetPaths()) == 0 {
				slices.Sort(got)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("paths %v, want %v", got, tc.want)
			}
			if len(v) != tc.violations {
				t.Fatalf("violations %+v, want %d", v, tc.violations)
			}
			for _, x := range v {
				if x.Field != fieldmask.Field {
					t.Errorf("violation of %q, want %q", x.Field, fieldmask.Field)
				}
			}
		})
	}
}

func TestChange(t *testing.T) {
	t.Parallel()
	dst := profile{Name: "Jeanne", Phone: "+33 4", Address: address{Line1: "3 rue des Lilas", City: "Lyon"}}
	src := profile{Name: "Ignored", Phone: "+33 6", Address: address{Line1: "ignored", City: "Villeurbanne"}}

	var v errs.Violations
	change := setters.Change(mask("phone", "address.city", "etag"), src, ignored, &v)
	if err := v.Err(); err != nil {
		t.Fatal(err)
	}
	if err := change(&dst); err != nil {
		t.Fatal(err)
	}
	want := profile{Name: "Jeanne", Phone: "+33 6", Address: address{Line1: "3 rue des Lilas", City: "Villeurbanne"}}
	if dst != want {
		t.Fatalf("got %+v, want %+v", dst, want)
	}

	// No mask: a full replacement.
	full := dst
	if err := setters.Change(nil, src, ignored, &v)(&full); err != nil || full != src {
		t.Fatalf("full replacement: %+v %v", full, err)
	}

	setters.Change(mask("owner"), src, ignored, &v)
	if v.Err() == nil {
		t.Fatal("an unknown path must be a violation")
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	from := func(name string) func(v *errs.Violations) profile {
		return func(v *errs.Violations) profile {
			v.Check(name != "", "name", "is required")
			return profile{Name: name, Phone: "0601020304"}
		}
	}
	change, err := setters.Parse(mask("name"), from("Ana"), ignored)
	if err != nil {
		t.Fatal(err)
	}
	p := profile{Name: "Bea", Phone: "0700000000"}
	if err := change(&p); err != nil || p.Name != "Ana" || p.Phone != "0700000000" {
		t.Errorf("changed to %+v (%v), want only the name changed", p, err)
	}
	// A bad resource and a bad path are refused together, naming both.
	_, err = setters.Parse(mask("name", "owner"), from(""), ignored)
	e, ok := errs.As(err)
	if !ok || e.Code != codes.InvalidArgument || len(e.Violations) != 2 {
		t.Fatalf("error %v, want InvalidArgument with 2 violations (name, %s)", err, fieldmask.Field)
	}
}
