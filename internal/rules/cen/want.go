package cen

import "github.com/shopspring/decimal"

// wants give, for the rules about totals and VAT amounts, the value the
// document should have had where the rule fires, so that the finding can
// say it (see Rules). A want returns "" when the value cannot be computed.
var wants = map[string]func(e *ev, n node) string{}

func want(id string, f func(e *ev, n node) string) { wants[id] = f }

func init() {
	want("BR-CO-10", func(e *ev, n node) string {
		var leas []node
		for _, l := range append(e.everywhere(pLines[0]), e.everywhere(pCNLines[0])...) {
			leas = e.appendAll(leas, l, pLEA)
		}
		if sum, ok := e.sumDec(leas); ok {
			return money(round2(sum))
		}
		return ""
	})
	for id, charge := range map[string]bool{"BR-CO-11": false, "BR-CO-12": true} {
		charge := charge
		want(id, func(e *ev, n node) string {
			var amts []node
			for _, ac := range e.all(e.d.Parent(n), pAC) {
				if e.charge(ac, charge) {
					amts = e.appendAll(amts, ac, pAmount)
				}
			}
			if sum, ok := e.sumDec(amts); ok && len(amts) > 0 {
				return money(round2(sum))
			}
			return ""
		})
	}
	want("BR-CO-13", func(e *ev, n node) string {
		v, ok := e.decOf(n, pLEA)
		if !ok {
			return ""
		}
		for _, t := range []struct {
			p    path
			sign int
		}{{p("cbc:ChargeTotalAmount"), 1}, {p("cbc:AllowanceTotalAmount"), -1}} {
			if m := e.one(n, t.p); m != none {
				d, ok := e.dec(m)
				if !ok {
					return ""
				}
				if t.sign > 0 {
					v = v.Add(d)
				} else {
					v = v.Sub(d)
				}
			}
		}
		return money(round2(v))
	})
	want("BR-CO-14", func(e *ev, n node) string {
		var tas []node
		for _, s := range e.all(n, p("cac:TaxSubtotal")) {
			tas = e.appendAll(tas, s, p("cbc:TaxAmount"))
		}
		if sum, ok := e.sumDec(tas); ok {
			return money(round2(sum))
		}
		return ""
	})
	want("BR-CO-16", func(e *ev, n node) string {
		v, ok := e.decOf(n, p("cbc:TaxInclusiveAmount"))
		if !ok {
			return ""
		}
		if d, ok := e.decOf(n, p("cbc:PrepaidAmount")); ok {
			v = v.Sub(d)
		}
		if d, ok := e.decOf(n, p("cbc:PayableRoundingAmount")); ok {
			v = v.Add(d)
		}
		return money(round2(v))
	})
	want("BR-CO-17", func(e *ev, n node) string {
		pcs, ok := e.vatPercents(n)
		if !ok || len(pcs) != 1 {
			return ""
		}
		tx, ok := e.decOf(n, p("cbc:TaxableAmount"))
		if !ok {
			return ""
		}
		v := round2(tx.Abs().Mul(pcs[0].Shift(-2)))
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
				tx, ok1 := e.decOf(e.d.Parent(n), p("cbc:TaxableAmount"))
				pc, ok2 := e.decOf(n, pPercent)
				if !ok1 || !ok2 {
					return ""
				}
				v := round2(tx.Abs().Mul(pc.Shift(-2)))
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
