package cen

import (
	"github.com/ehf-project/ehf/internal/sample"
	"testing"

	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// No document, however broken, makes a rule fail inside (which rule.Run
// turns into an EHF-INTERNAL finding).
func FuzzRules(f *testing.F) {
	f.Add([]byte(inv(subtotal("100", "25", "S", "25"))))
	f.Add([]byte(inv(`<cac:InvoiceLine><cac:Price><cbc:PriceAmount>-1</cbc:PriceAmount></cac:Price><cac:InvoicePeriod><cbc:StartDate>2026-02-30</cbc:StartDate><cbc:EndDate>x</cbc:EndDate></cac:InvoicePeriod></cac:InvoiceLine>`)))
	f.Add([]byte(inv(`<cbc:Note>#AAA#</cbc:Note><cac:AllowanceCharge><cbc:ChargeIndicator>maybe</cbc:ChargeIndicator><cbc:Amount>1e3</cbc:Amount></cac:AllowanceCharge>`)))
	f.Add(sample.Invoice(2))
	rules := [][]rule.Rule{Rules(R3019), Rules(R20265)}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := xmltree.Parse(data, nil)
		if err != nil {
			return
		}
		for _, rs := range rules {
			for _, fd := range check(d, rs) {
				if fd.ID == rule.RuleInternal {
					t.Fatalf("%s", fd.Message)
				}
			}
		}
	})
}
