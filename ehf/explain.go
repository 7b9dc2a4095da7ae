package ehf

import (
	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/totals"
)

// total names one document total and reads its computed value.
type total struct {
	en, nb string
	value  func(*totals.Totals) totals.Value
}

var (
	bt106 = total{"The sum of line net amounts (BT-106)", "Summen av linjenes nettobeløp (BT-106)", func(t *totals.Totals) totals.Value { return t.LineExtension }}
	bt107 = total{"The sum of allowances (BT-107)", "Summen av rabatter (BT-107)", func(t *totals.Totals) totals.Value { return t.AllowanceTotal }}
	bt108 = total{"The sum of charges (BT-108)", "Summen av gebyrer (BT-108)", func(t *totals.Totals) totals.Value { return t.ChargeTotal }}
	bt109 = total{"The amount without VAT (BT-109)", "Beløpet uten mva (BT-109)", func(t *totals.Totals) totals.Value { return t.TaxExclusive }}
	bt110 = total{"The total VAT (BT-110)", "Samlet mva (BT-110)", func(t *totals.Totals) totals.Value { return t.Tax }}
	bt112 = total{"The amount with VAT (BT-112)", "Beløpet med mva (BT-112)", func(t *totals.Totals) totals.Value { return t.TaxInclusive }}
	bt115 = total{"The amount due (BT-115)", "Beløpet til betaling (BT-115)", func(t *totals.Totals) totals.Value { return t.Payable }}
)

// totalRules are the official rules that compare document totals, with the
// totals each involves: the one it is about first, then its inputs.
var totalRules = map[string][]total{
	"BR-CO-10": {bt106},
	"BR-CO-11": {bt107},
	"BR-CO-12": {bt108},
	"BR-CO-13": {bt109, bt106, bt107, bt108},
	"BR-CO-14": {bt110},
	"BR-CO-15": {bt112, bt109, bt110},
	"BR-CO-16": {bt115, bt112},
}

// explainTotals adds to each broken totals rule what the first total
// involved that does not add up should be, how that is derived, and the
// first line or VAT breakdown that does not add up, so that the user knows
// what to change and not only that something is wrong.
func explainTotals(fs []Finding, inv *invoice.Invoice) {
	var t *totals.Totals
	for i := range fs {
		involved, ok := totalRules[fs[i].ID]
		if !ok {
			continue
		}
		if t == nil {
			t = totals.Compute(inv)
		}
		for _, tr := range involved {
			v := tr.value(t)
			if !v.Declared.OK {
				continue
			}
			en, _ := t.Explain(tr.en, v)
			if en == "" {
				continue
			}
			_, nb := t.Explain(tr.nb, v)
			fs[i].Message += " " + en + "."
			fs[i].Norsk += " " + nb + "."
			break
		}
	}
}
