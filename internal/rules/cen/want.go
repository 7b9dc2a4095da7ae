package cen

import (
	"github.com/ehf-project/ehf/internal/exact"
	"github.com/shopspring/decimal"
)

// wants give, for the rules about VAT breakdowns, the value the document
// should have had where the rule fires, so that the finding can say it
// (see Rules). A want returns "" when the value cannot be computed. The
// document totals rules (BR-CO-10 to BR-CO-16) have none here: ehf adds to
// them the totals checker's explanation, which goes back to the lines.
var wants = map[string]func(e *ev, n node) string{}

func want(id string, f func(e *ev, n node) string) { wants[id] = f }

func init() {
	want("BR-CO-17", func(e *ev, n node) string {
		pcs, ok := e.vatPercents(n)
		if !ok || len(pcs) != 1 {
			return ""
		}
		tx, ok := e.decOf(n, pathTaxableAmount)
		if !ok {
			return ""
		}
		v := round2(exact.Mul(exact.Abs(tx), pcs[0].Shift(-2)))
		if tx.Sign() < 0 {
			v = v.Neg()
		}
		return money(v)
	})
	for _, k := range categories {
		k := k
		want(k.prefix+"-08", func(e *ev, n node) string {
			var rate *decimal.Decimal
			if k.rated {
				r, ok := e.decOf(n, pPercent)
				if !ok {
					return ""
				}
				rate = &r
			}
			sum, ok := e.sumOver(k.code, rate, e.credit)
			if !ok {
				return ""
			}
			return money(sum)
		})
		if k.rated {
			want(k.prefix+"-09", func(e *ev, n node) string {
				tx, ok1 := e.decOf(e.d.Parent(n), pathTaxableAmount)
				pc, ok2 := e.decOf(n, pPercent)
				if !ok1 || !ok2 {
					return ""
				}
				v := round2(exact.Mul(exact.Abs(tx), pc.Shift(-2)))
				if tx.Sign() < 0 {
					v = v.Neg()
				}
				return money(v)
			})
		} else {
			want(k.prefix+"-09", func(*ev, node) string { return "0.00" })
		}
	}
}
