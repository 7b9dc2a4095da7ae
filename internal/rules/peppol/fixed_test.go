package peppol

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/exact"
	"github.com/ehf-project/ehf/internal/lexical"
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

func dec0(f fixed) decimal.Decimal { return decimal.New(f.c, f.e) }

// fixed reads and computes exactly what decimal.Decimal does, or says it
// cannot.
func TestFixedAgreesWithDecimal(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	fits := 0
	for i := 0; i < 200000; i++ {
		sa, sb := randomDecimal(rng), randomDecimal(rng)
		a, okA, fitA := fixedOf(sa)
		da, wantA := lexical.Decimal(sa)
		if okA != wantA {
			t.Fatalf("fixedOf(%q) ok %v, lexical %v", sa, okA, wantA)
		}
		if !okA || !fitA {
			continue
		}
		if !dec0(a).Equal(da) || a.e != da.Exponent() {
			t.Fatalf("fixedOf(%q) = %v, lexical %v", sa, dec0(a), da)
		}
		b, okB, fitB := fixedOf(sb)
		if !okB || !fitB {
			continue
		}
		db := dec0(b)
		fits++
		check := func(op string, got fixed, ok bool, want decimal.Decimal) {
			if ok && !dec0(got).Equal(want) {
				t.Fatalf("%s %s %s = %v, want %v", sa, op, sb, dec0(got), want)
			}
		}
		s, ok := a.add(b)
		check("+", s, ok, da.Add(db))
		s, ok = a.sub(b)
		check("-", s, ok, da.Sub(db))
		s, ok = a.mul(b)
		check("×", s, ok, da.Mul(db))
		s, ok = a.round2()
		check("round2", s, ok, exact.Round(da.Mul(decimal.NewFromInt(100)), 0).Shift(-2))
		if c, ok := a.cmp(b); ok && c != da.Cmp(db) {
			t.Fatalf("cmp(%s, %s) = %d", sa, sb, c)
		}
		if in, ok := within(a, b, fixed{2, -2}); ok && in != slack(da, db, twoHundredths) {
			t.Fatalf("within(%s, %s) = %v", sa, sb, in)
		}
	}
	if fits < 10000 {
		t.Fatalf("only %d pairs compared", fits)
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
				if !wantOK || !dec0(got).Equal(want) {
					t.Fatalf("%s: lineNetFixed %v, lineNet %v %v", b.String(), dec0(got), want, wantOK)
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
