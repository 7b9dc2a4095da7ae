package invoice

import (
	"testing"
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
