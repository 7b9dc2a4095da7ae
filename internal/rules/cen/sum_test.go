package cen

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ehf-project/ehf/internal/xmltree"
	"github.com/shopspring/decimal"
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

// The double step of BR-S-08 reads the double's exact value.
func TestExactFloat(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{0.5, "0.5"}, {3, "3"}, {-2.25, "-2.25"}, {1 << 60, "1152921504606846976"},
		{0.1, "0.1000000000000000055511151231257827021181583404541015625"},
	} {
		if got := exactFloat(c.f).String(); got != c.want {
			t.Errorf("%v: %s, want %s", c.f, got, c.want)
		}
	}
	d, _ := parseDec("707.3")
	if s, _ := parseDec("706.30"); !doubleShift(d, -1).LessThan(s) {
		t.Error("707.3 − 1 in double should be below 706.30")
	}
}

// aroundDouble gives what the exact double arithmetic gives, near the
// bounds and far from them.
func TestAroundDouble(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		x := decimal.New(rng.Int64N(2000000)-1000000, -int32(rng.IntN(4)))
		var s decimal.Decimal
		switch i % 3 {
		case 0: // right at a bound, or one cent either side
			s = x.Add(decimal.New(int64(2*rng.IntN(2)-1), 0)).Add(decimal.New(rng.Int64N(3)-1, -2))
		case 1: // inside
			s = x.Add(decimal.New(rng.Int64N(199)-99, -2))
		default: // anywhere
			s = decimal.New(rng.Int64N(2000000)-1000000, -2)
		}
		want := doubleShift(x, -1).LessThan(s) && doubleShift(x, 1).GreaterThan(s)
		if got := aroundDouble(x, s); got != want {
			t.Fatalf("aroundDouble(%s, %s) = %v, want %v", x, s, got, want)
		}
	}
	x, _ := parseDec("707.3")
	if s, _ := parseDec("706.30"); !aroundDouble(x, s) {
		t.Error("706.30 lies above 707.3 − 1 in double")
	}
}
