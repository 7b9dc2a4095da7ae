package totals

import (
	"testing"

	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/rules/cen"
	"github.com/ehf-project/ehf/internal/rules/peppol"
	"github.com/shopspring/decimal"
)

// Check never reports what the official CEN rules report: over a grid of
// our own documents with their VAT breakdowns off by various amounts, an
// EHF-TOTAL-02 finding never sits where BR-S-08 (or its kin) fires, and an
// EHF-TOTAL-03 never where BR-CO-17 or BR-S-09 fires.
func TestNoDoubleReport(t *testing.T) {
	rules := cen.Rules("2026.5")
	prefix := map[string]string{"S": "BR-S", "Z": "BR-Z", "E": "BR-E", "AE": "BR-AE", "L": "BR-AF", "M": "BR-AG"}
	deltas := []string{"0", "0.01", "-0.01", "0.5", "-0.99", "0.99", "1", "-1", "1.01", "-1.01"}
	docs, ours := 0, 0
	for _, g := range []struct{ cat, rate, base string }{
		{"S", "25", "707.30"}, {"S", "0.4", "707.30"}, {"S", "12", "-707.30"}, {"L", "7", "100.10"}, {"M", "10", "-55.55"},
		{"Z", "0", "707.30"}, {"E", "0", "-707.30"}, {"AE", "0", "10"},
	} {
		cat, rate := g.cat, g.rate
		for _, dTaxable := range deltas {
			for _, dTax := range deltas {
				taxable := decimal.RequireFromString(g.base).Add(decimal.RequireFromString(dTaxable))
				tax := taxable.Mul(decimal.RequireFromString(rate)).Div(decimal.NewFromInt(100)).Round(2).Add(decimal.RequireFromString(dTax))
				qty, price := "1", g.base
				if price[0] == '-' {
					qty, price = "-1", price[1:]
				}
				d := doc{lines: []ln{{qty: qty, price: price, net: g.base, cat: cat, rate: rate}},
					subs:     []sub{{taxable.String(), tax.String(), cat, rate}},
					taxTotal: tax.String(), lea: g.base, excl: g.base, incl: g.base, pay: g.base}
				xd, inv := parse(t, d.xml())
				c := &rule.Context{Doc: xd, Inv: inv}
				rule.Run(c, rules)
				official := map[string]bool{}
				for _, f := range c.Findings() {
					official[f.ID] = true
				}
				docs++
				gotTaxable := false
				for _, f := range Check(xd, inv) {
					ours++
					if f.ID == RuleTaxable {
						gotTaxable = true
					}
					var clash []string
					switch f.ID {
					case RuleTaxable:
						clash = []string{prefix[cat] + "-08"}
					case RuleTax:
						clash = []string{"BR-CO-17", prefix[cat] + "-09"}
					}
					for _, id := range clash {
						if official[id] {
							t.Errorf("%s %s: %s and %s both report: %s", dTaxable, dTax, f.ID, id, f.Message)
						}
					}
				}
				// A taxable amount off by a cent or more is reported by one.
				if dTaxable != "0" && !gotTaxable && !official[prefix[cat]+"-08"] {
					t.Errorf("%s %s %s: taxable off by %s, reported by neither", cat, g.base, rate, dTaxable)
				}
			}
		}
	}
	if ours == 0 {
		t.Fatal("the grid gave no EHF-TOTAL finding: it tests nothing")
	}
	t.Logf("%d documents, %d EHF-TOTAL findings", docs, ours)
}

// Check's line finding and the Peppol line rule (PEPPOL-EN16931-R120) never
// report the same line, and between them they report every line that is
// off by a cent or more.
func TestLineNoDoubleReport(t *testing.T) {
	rules := peppol.Rules("2026.5")
	for _, delta := range []string{"0", "0.004", "0.005", "0.006", "0.01", "-0.01", "0.02", "-0.02", "0.021", "0.03", "-1"} {
		// 3 × 33.335 = 100.005 exactly.
		net := decimal.RequireFromString("100.005").Add(decimal.RequireFromString(delta)).Round(3)
		d := doc{lines: []ln{{qty: "3", price: "33.335", net: net.String(), cat: "S", rate: "25"}},
			subs:     []sub{{net.String(), "25.00", "S", "25"}},
			taxTotal: "25.00", lea: net.String(), excl: net.String(), incl: "125.00", pay: "125.00"}
		xd, inv := parse(t, d.xml())
		c := &rule.Context{Doc: xd, Inv: inv}
		rule.Run(c, rules)
		r120 := false
		for _, f := range c.Findings() {
			if f.ID == "PEPPOL-EN16931-R120" {
				r120 = true
			}
		}
		ours := false
		for _, f := range Check(xd, inv) {
			if f.ID == RuleLine {
				ours = true
			}
		}
		off := net.Sub(decimal.RequireFromString("100.005")).Abs().GreaterThan(decimal.New(5, -3))
		if r120 && ours {
			t.Errorf("%s: both report the line", delta)
		}
		if off != (r120 || ours) {
			t.Errorf("%s: off %v, R120 %v, ours %v", delta, off, r120, ours)
		}
	}
}
