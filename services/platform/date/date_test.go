package date

import "testing"

func TestYearsOn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		birth, on string
		want      int
	}{
		{"1960-06-15", "2020-06-14", 59},
		{"1960-06-15", "2020-06-15", 60},
		{"1960-06-15", "2020-06-16", 60},
		{"1964-02-29", "2024-02-28", 59},
		{"1964-02-29", "2024-02-29", 60},
		{"1964-02-29", "2023-02-28", 58},
		{"1964-02-29", "2023-03-01", 59},
		{"2000-12-31", "2030-12-30", 29},
		{"2000-12-31", "2030-12-31", 30},
		{"2000-01-01", "2000-01-01", 0},
	}
	for _, c := range cases {
		b, _ := Parse(c.birth)
		o, _ := Parse(c.on)
		if got := b.YearsOn(o); got != c.want {
			t.Errorf("born %s, on %s: %d, want %d", c.birth, c.on, got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "2020-13-01", "2020-02-30", "15/06/1960", "2020-6-1"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	d, err := Parse("2026-11-25")
	if err != nil || d.String() != "2026-11-25" || d.AddDays(7).String() != "2026-12-02" {
		t.Fatalf("round trip: %v %v", d, err)
	}
	if (Date{}).String() != "" || !(Date{}).IsZero() {
		t.Fatal("zero date must be unset")
	}
}

// Issue 18: the dates 0000-01-01 and 9999-12-31 were taken (and year 0 failed in
// PostgreSQL as a 500).
func TestParseRefusesDaysOutsideTheRange(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"0000-01-01", "1899-12-31", "2200-01-01", "9999-12-31"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) took a day outside 1900..2199", s)
		}
	}
	for _, s := range []string{"1900-01-01", "1948-03-12", "2199-12-31"} {
		if _, err := Parse(s); err != nil {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
}
