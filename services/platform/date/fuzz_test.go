package date

import "testing"

// FuzzParse: whatever the text, Parse never panics, and a day it takes is of the years
// 1900..2199 and writes back as the text it read.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"1948-03-12", "0000-01-01", "9999-12-31", "2024-02-29", "2023-02-29", "12/03/1948", "", "1948-3-12", "+1948-03-12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			return
		}
		if y := d.Time().Year(); y < minYear || y > maxYear {
			t.Fatalf("Parse(%q) took the year %d", s, y)
		}
		if d.String() != s {
			t.Fatalf("Parse(%q) reads back as %q", s, d.String())
		}
	})
}
