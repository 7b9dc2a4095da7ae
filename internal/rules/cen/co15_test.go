package cen

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ehf-project/ehf/internal/exact"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// BR-CO-15 in plain decimals answers as the general form does, whenever
// it answers: random amounts, often at a rounding half, one tax total in
// another currency now and then.
func TestBRCO15FxAgreesWithDec(t *testing.T) {
	r := rand.New(rand.NewSource(15))
	answered, held := 0, 0
	for i := 0; i < 20000; i++ {
		ex, tax := randDec(r), randDec(r)
		inc := randDec(r)
		if r.Intn(4) > 0 {
			// The right answer, or one cent off.
			sum := exact.Round(exact.Add(decimal.RequireFromString(ex), decimal.RequireFromString(tax)), 2)
			inc = exact.Add(sum, decimal.New(int64(r.Intn(3)-1), -2)).String()
		}
		cur := "NOK"
		if r.Intn(10) == 0 {
			cur = "EUR"
		}
		doc := fmt.Sprintf(`<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">`+
			`<cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode><cac:TaxTotal><cbc:TaxAmount currencyID="%s">%s</cbc:TaxAmount></cac:TaxTotal>`+
			`<cac:LegalMonetaryTotal><cbc:TaxExclusiveAmount currencyID="NOK">%s</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="NOK">%s</cbc:TaxInclusiveAmount></cac:LegalMonetaryTotal></Invoice>`,
			cur, tax, ex, inc)
		d, err := xmltree.Parse([]byte(doc), nil)
		if err != nil {
			t.Fatal(err)
		}
		e := makeEv(d)
		res, ok := brCO15fx(e, e.root)
		want := brCO15dec(e, e.root)
		e.Release()
		if !ok {
			continue
		}
		answered++
		if res {
			held++
		}
		if res != want {
			t.Fatalf("ex %s tax %s (%s) inc %s: %v, want %v", ex, tax, cur, inc, res, want)
		}
	}
	if answered < 15000 || held < 2000 {
		t.Fatalf("only %d answered, %d held", answered, held)
	}
	t.Logf("%d answered, %d held", answered, held)
}
