package invoice

import (
	"fmt"
	"testing"
	"time"
)

func TestParseDecimal(t *testing.T) {
	cases := []struct {
		in   string
		want string // "" means not a decimal
	}{
		{"1250.50", "1250.5"}, {"  42 ", "42"}, {"-0.01", "-0.01"}, {"+3", "3"}, {"7.", "7"}, {".5", "0.5"}, {"-.5", "-0.5"},
		{"000123.4500", "123.45"}, {"123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"},
		{"1,5", ""}, {"", ""}, {"   ", ""}, {".", ""}, {"-", ""}, {"1e3", ""}, {"1.2.3", ""}, {"NaN", ""}, {"INF", ""}, {"1 000", ""}, {"0x10", ""}, {"--1", ""},
	}
	for _, c := range cases {
		d, ok := parseDecimal(c.in)
		if ok != (c.want != "") || (ok && d.String() != c.want) {
			t.Errorf("parseDecimal(%q) = %v, %v; want %q", c.in, d, ok, c.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	cases := []struct {
		in string
		ok bool
	}{
		{"2026-11-24", true}, {"2024-02-29", true}, {"2026-11-24Z", true}, {"2026-11-24+01:00", true}, {" 2026-11-24 ", true},
		{"2017-02-30", false}, {"2023-02-29", false}, {"2026-13-01", false}, {"24.11.2026", false}, {"2026-11-24T10:00:00", false},
		{"2026-11-24+1:00", false}, {"", false}, {"2026-1-4", false},
	}
	for _, c := range cases {
		if _, ok := parseDate(c.in); ok != c.ok {
			t.Errorf("parseDate(%q) ok = %v, want %v", c.in, ok, c.ok)
		}
	}
}

// parseDay agrees with time.Parse on every day of four years around
// leap-year edges, on impossible days and months, and on malformed text.
func TestParseDayMatchesTime(t *testing.T) {
	var in []string
	for _, y := range []int{0, 1900, 2000, 2023, 2024, 9999} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				in = append(in, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	in = append(in, "2024-1-015", "2024-01-1a", "20240-1-01", "2024/01/01", "+024-01-01", "2024-01-01 ", "２０２４-01-01")
	for _, s := range in {
		want, err := time.Parse("2006-01-02", s)
		got, ok := parseDay(s)
		if ok != (err == nil) || !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("parseDay(%q) = %v, %v; time.Parse gives %v, %v", s, got, ok, want, err)
		}
	}
}
