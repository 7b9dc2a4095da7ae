package lexical

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

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
		{"999999999999999999", "999999999999999999"}, {"-99999999999999999.9", "-99999999999999999.9"},
		{"9999999999999999999", "9999999999999999999"}, {"0.000000000000000001", "0.000000000000000001"},
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
		// The short-number path keeps the representation NewFromString
		// gives (coefficient and exponent), not only the value.
		body := strings.TrimSuffix(strings.TrimLeft(Trim(s), "+"), ".")
		if strings.HasPrefix(body, ".") || strings.HasPrefix(body, "-.") {
			body = strings.Replace(body, ".", "0.", 1)
		}
		if ref, err := decimal.NewFromString(body); err == nil && (ref.Exponent() != d.Exponent() || ref.Coefficient().Cmp(d.Coefficient()) != 0) {
			t.Fatalf("%q read as %s×10^%d, NewFromString gives %s×10^%d", s, d.Coefficient(), d.Exponent(), ref.Coefficient(), ref.Exponent())
		}
		// What reads as a decimal reads back the same from its canonical form.
		if e, ok2 := Decimal(d.String()); !ok2 || !e.Equal(d) {
			t.Fatalf("%q -> %s does not read back", s, d)
		}
	})
}
