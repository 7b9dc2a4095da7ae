package lexical

import "testing"

func TestDecimal(t *testing.T) {
	cases := []struct {
		in   string
		want string // "" means not a decimal
	}{
		{"1250.50", "1250.5"}, {"  42 ", "42"}, {"\t\r\n7\n", "7"}, {"-0.01", "-0.01"}, {"+3", "3"}, {"7.", "7"}, {".5", "0.5"},
		{"-.5", "-0.5"}, {"000123.4500", "123.45"}, {"-0", "0"},
		{"123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"},
		{"1,5", ""}, {"", ""}, {"   ", ""}, {".", ""}, {"-", ""}, {"+", ""}, {"1e3", ""}, {"1.2.3", ""}, {"NaN", ""}, {"INF", ""},
		{"1 000", ""}, {"0x10", ""}, {"--1", ""}, {"+-1", ""},
		{"\u00a0123", ""}, {"123\u2003", ""}, // Unicode spaces are not XML whitespace
	}
	for _, c := range cases {
		d, ok := Decimal(c.in)
		if ok != (c.want != "") || (ok && d.String() != c.want) {
			t.Errorf("Decimal(%q) = %v, %v; want %q", c.in, d, ok, c.want)
		}
	}
}

func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"1.5", "-.5", " 7. ", "1e3", "\u00a01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := Decimal(s)
		if !ok {
			return
		}
		// What reads as a decimal reads back the same from its canonical form.
		if e, ok2 := Decimal(d.String()); !ok2 || !e.Equal(d) {
			t.Fatalf("%q -> %s does not read back", s, d)
		}
	})
}
