package cen

import (
	"fmt"
	"math"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ehf-project/ehf/internal/exact"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// The int64 fast path of sumDec gives what exact decimals give, and falls
// back where it cannot.
func TestSumDec(t *testing.T) {
	for _, c := range []struct {
		vals []string
		want string
		ok   bool
	}{
		{[]string{"1", "2.5", "-0.25"}, "3.25", true},
		{[]string{" 10.00 ", "+0.005"}, "10.005", true},
		{[]string{"5.", ".5", "-.5"}, "5", true},
		{[]string{"999999999999999999", "999999999999999999"}, "1999999999999999998", true},                     // overflows int64: the slow path
		{[]string{"1234567890123456789.5"}, "1234567890123456789.5", true},                                      // more than 18 digits
		{[]string{"0.000000000000000001", "100000000000000000"}, "100000000000000000.000000000000000001", true}, // rescaling overflows
		{[]string{"1,5"}, "", false},
		{[]string{"1e3"}, "", false},
		{[]string{""}, "", false},
		{nil, "0", true},
	} {
		body := ""
		for _, v := range c.vals {
			body += fmt.Sprintf("<cbc:LineExtensionAmount>%s</cbc:LineExtensionAmount>", v)
		}
		d, err := xmltree.Parse([]byte(inv(`<cac:LegalMonetaryTotal>`+body+`</cac:LegalMonetaryTotal>`)), nil)
		if err != nil {
			t.Fatal(err)
		}
		e := makeEv(d)
		got, ok := e.sumDec(e.all(e.one(e.root, p("cac:LegalMonetaryTotal")), pLEA))
		if ok != c.ok || (ok && got.String() != c.want) {
			t.Errorf("%q: %s %v, want %s %v", c.vals, got, ok, c.want, c.ok)
		}
	}
}

// subFast gives what exact.Sub gives, or says no when a step overflows.
func TestSubFast(t *testing.T) {
	cases := []struct {
		a      int64
		as     int
		b      int64
		bs     int
		ok     bool
		expect string
	}{
		{12345, 2, 45, 1, true, "118.95"},
		{-5, 0, 125, 3, true, "-5.125"},
		{0, 0, 0, 0, true, "0"},
		{math.MaxInt64, 0, -1, 0, false, ""},
		{math.MinInt64 + 1, 0, 2, 0, false, ""},
		{math.MaxInt64 / 5, 0, 1, 1, false, ""},
	}
	for _, c := range cases {
		d, sc, ok := subFast(c.a, c.as, c.b, c.bs)
		if ok != c.ok {
			t.Errorf("%d/10^%d - %d/10^%d: ok %v, want %v", c.a, c.as, c.b, c.bs, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		got := decimal.New(d, int32(-sc))
		want := exact.Sub(decimal.New(c.a, int32(-c.as)), decimal.New(c.b, int32(-c.bs)))
		if got.String() != c.expect || !got.Equal(want) || got.Exponent() != want.Exponent() {
			t.Errorf("%d/10^%d - %d/10^%d = %s (exponent %d), want %s (exponent %d)", c.a, c.as, c.b, c.bs, got, got.Exponent(), want, want.Exponent())
		}
	}
}
