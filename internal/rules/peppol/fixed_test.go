package peppol

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/exact"
	"github.com/ehf-project/ehf/internal/xmltree"
	"github.com/shopspring/decimal"
)

// randomDecimal writes a decimal-ish string: mostly valid, of every
// length around the int64 limit, sometimes not a decimal at all.
func randomDecimal(rng *rand.Rand) string {
	var b strings.Builder
	if rng.Intn(8) == 0 {
		b.WriteString(" \\n"[rng.Intn(2):][:1])
	}
	switch rng.Intn(6) {
	case 0:
		b.WriteByte('-')
	case 1:
		b.WriteByte('+')
	}
	digits := rng.Intn(21)
	if rng.Intn(3) == 0 {
		digits = rng.Intn(4)
	}
	dot := rng.Intn(digits + 2)
	for i := 0; i < digits; i++ {
		if i == dot {
			b.WriteByte('.')
		}
		if i == 0 && rng.Intn(3) == 0 {
			b.WriteByte('9')
			continue
		}
		b.WriteByte(byte('0' + rng.Intn(10)))
	}
	if rng.Intn(20) == 0 {
		b.WriteString([]string{"e3", ".", ",5", "x", " "}[rng.Intn(5)])
	}
	return b.String()
}

// within decides as slack does, whenever it decides. (exact's own tests
// compare every exact.Fixed operation with decimal.Decimal.)
func TestWithinAgreesWithSlack(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	decided := 0
	for i := 0; i < 200000; i++ {
		sa, sb := randomDecimal(rng), randomDecimal(rng)
		a, okA, fitA := exact.FixedOf(sa)
		b, okB, fitB := exact.FixedOf(sb)
		if !okA || !fitA || !okB || !fitB {
			continue
		}
		if rng.Intn(2) == 0 {
			// Near the slack: b = a ± 0.02 ± a hair.
			d := exact.NewFixed(int64(rng.Intn(5)-2), -2-int32(rng.Intn(3)))
			var ok bool
			if b, ok = a.Add(d); !ok {
				continue
			}
		}
		if in, ok := within(a, b, fixedTwoHundredths); ok {
			decided++
			if in != slack(a.Dec(), b.Dec(), twoHundredths) {
				t.Fatalf("within(%s, %v) = %v", sa, b.Dec(), in)
			}
		}
		if isOne(a) != a.Dec().Equal(decimal.New(1, 0)) {
			t.Fatalf("isOne(%s) = %v", sa, isOne(a))
		}
	}
	if decided < 10000 {
		t.Fatalf("only %d pairs decided", decided)
	}
}

// lineNetFixed gives lineNet's value whenever it gives one.
func TestLineNetFixed(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	fast := 0
	for i := 0; i < 5000; i++ {
		var b strings.Builder
		b.WriteString(`<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cac:InvoiceLine>`)
		if rng.Intn(4) > 0 {
			fmt.Fprintf(&b, `<cbc:InvoicedQuantity>%s</cbc:InvoicedQuantity>`, randomDecimal(rng))
		}
		for k := rng.Intn(3); k > 0; k-- {
			b.WriteString(`<cac:AllowanceCharge>`)
			fmt.Fprintf(&b, `<cbc:ChargeIndicator>%s</cbc:ChargeIndicator>`, []string{"true", "false", " true ", "x"}[rng.Intn(4)])
			for j := rng.Intn(3); j > 0; j-- {
				fmt.Fprintf(&b, `<cbc:Amount>%s</cbc:Amount>`, randomDecimal(rng))
			}
			b.WriteString(`</cac:AllowanceCharge>`)
		}
		b.WriteString(`<cac:Price>`)
		if rng.Intn(4) > 0 {
			fmt.Fprintf(&b, `<cbc:PriceAmount>%s</cbc:PriceAmount>`, randomDecimal(rng))
		}
		if rng.Intn(2) > 0 {
			fmt.Fprintf(&b, `<cbc:BaseQuantity>%s</cbc:BaseQuantity>`, []string{"1", "1.000", "0", "2", "0.5", randomDecimal(rng)}[rng.Intn(6)])
		}
		b.WriteString(`</cac:Price></cac:InvoiceLine></Invoice>`)
		d, err := xmltree.Parse([]byte(b.String()), nil)
		if err != nil {
			t.Fatal(err)
		}
		v := compute(d, &release{})
		for _, l := range v.lines() {
			got, ok := lineNetFixed(v, l)
			want, wantOK := lineNet(v, l)
			if ok {
				fast++
				if !wantOK || !got.Dec().Equal(want) {
					t.Fatalf("%s: lineNetFixed %v, lineNet %v %v", b.String(), got.Dec(), want, wantOK)
				}
			}
		}
		v.Release()
	}
	if fast < 500 {
		t.Fatalf("only %d lines worked out in int64", fast)
	}
}

// isDate answers the usual dates without building a time, as date does.
func TestIsDateAgreesWithDate(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	check := func(s string) {
		_, want := date(s)
		if got := isDate(s); got != want {
			t.Fatalf("isDate(%q) = %v, date says %v", s, got, want)
		}
	}
	for y := 0; y <= 2500; y++ {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				check(fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	const chars = "0123456789-Z+: \n"
	for i := 0; i < 200000; i++ {
		b := []byte(fmt.Sprintf("%04d-%02d-%02d", rng.Intn(10000), rng.Intn(14), rng.Intn(33)))
		for k := rng.Intn(3); k > 0; k-- {
			b[rng.Intn(len(b))] = chars[rng.Intn(len(chars))]
		}
		if rng.Intn(3) == 0 {
			b = append(b, []string{"Z", "+01:00", " ", "-14:00", "x"}[rng.Intn(5)]...)
		}
		check(string(b))
	}
}
