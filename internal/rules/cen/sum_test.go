package cen

import (
	"fmt"
	"testing"

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
