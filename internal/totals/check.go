package totals

import (
	"fmt"

	exactly "github.com/ehf-project/ehf/internal/exact"
	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/xmltree"
	"github.com/shopspring/decimal"
)

// Rule IDs of the totals checker's findings. They go beyond the official
// rules, which is why they have ehf's own prefix.
//
// How they relate to the official rules: BR-CO-10 to BR-CO-16 compare the
// declared document totals (BT-106 to BT-115) with each other; when one of
// those fails, the official rule reports it, and Check adds nothing (use
// Explain to say what the total should be). What the official rules let
// through is a wrong part that the declared totals faithfully add up, or a
// difference inside an official tolerance; Check reports exactly those, so
// that no difference is reported twice:
//
//   - RuleLine: a line net amount (BT-131) that is not its quantity × price
//     ÷ base quantity + charges − allowances to the cent. The Peppol rule
//     PEPPOL-EN16931-R120 reports differences above 0.02; this reports the
//     ones from 0.01 to 0.02 that it lets through.
//   - RuleTaxable: a VAT breakdown's taxable amount (BT-116) that is not
//     the sum of its category's and rate's line net amounts, charges and
//     allowances, to the cent, where the official BR-S-08, BR-AF-08 and
//     BR-AG-08 allow ±1, or where a category has several rates and the
//     official per-category sum (BR-E-08, BR-Z-08, ...) hides which rate is
//     wrong.
//   - RuleTax: a VAT amount (BT-117) that is not the taxable amount × rate
//     rounded to the cent, inside the ±1 that BR-CO-17 and BR-S-09 allow.
//   - RuleBreakdownMissing: lines, allowances or charges of a rated
//     category (S, L, M) at a rate that has no VAT breakdown. The official
//     rules see this only as a sum that does not match elsewhere.
const (
	RuleLine             = "EHF-TOTAL-01"
	RuleTaxable          = "EHF-TOTAL-02"
	RuleTax              = "EHF-TOTAL-03"
	RuleBreakdownMissing = "EHF-TOTAL-04"
)

// RuleSet names the totals checker in findings.
const RuleSet = "ehf-totals"

var (
	cent      = decimal.New(1, -2)
	halfCent  = decimal.New(5, -3)
	slack     = decimal.New(2, -2) // PEPPOL-EN16931-R120's tolerance
	half      = decimal.New(5, -1)
	minusHalf = decimal.New(-5, -1)
)

// roundsTo reports whether declared is a rounding of exact to cents (half
// up or half away from zero: within half a cent).
func roundsTo(declared, exact decimal.Decimal) bool {
	return exactly.CmpDiff(declared, exact, halfCent) <= 0
}

// roundsToZero reports whether XPath's floor(d + 0.5) is 0: −0.5 ≤ d < 0.5.
func roundsToZero(d decimal.Decimal) bool {
	return exactly.Cmp(d, minusHalf) >= 0 && exactly.Cmp(d, half) < 0
}

// rated categories are those whose official taxable-amount rule works per
// rate with a tolerance.
func rated(cat string) bool { return cat == "S" || cat == "L" || cat == "M" }

// Check recomputes the totals of inv (read from d) and reports, as
// warnings, the differences the official rules let through. Each finding
// says what the value should be, how it is derived, and points at the
// value in the document.
func Check(d *xmltree.Document, inv *invoice.Invoice) []report.Finding {
	// Most documents add up: the figures alone tell, and only when there
	// is something to report are they computed again with the words that
	// explain them.
	c := checker{d: d, cur: inv.Currency.Value}
	c.t.compute(inv, false)
	c.lines(inv)
	c.breakdowns(inv)
	if len(c.out) == 0 {
		return nil
	}
	c.out = nil
	c.t.compute(inv, true)
	c.lines(inv)
	c.breakdowns(inv)
	return c.out
}

type checker struct {
	d   *xmltree.Document
	t   Totals // not a pointer: a checker and its figures are not kept
	cur string
	out []report.Finding
}

func (c *checker) add(id string, n xmltree.NodeID, en, nb string) {
	f := report.Finding{ID: id, Flag: report.Warning, Message: en, Norsk: nb, RuleSet: RuleSet, Offset: -1}
	if c.d != nil && n != xmltree.None {
		f.Location = c.d.Path(n, invoice.Prefix)
		f.Line, f.Column = c.d.Pos(n)
		f.Offset = c.d.Offset(n)
	}
	c.out = append(c.out, f)
}

func (c *checker) lines(inv *invoice.Invoice) {
	for i := range inv.Lines {
		line := &inv.Lines[i]
		if !line.NetAmount.OK || !line.Quantity.OK || !line.Price.NetPrice.OK || !acsOK(line.Allowances) || !acsOK(line.Charges) {
			continue
		}
		if exact := c.t.exact(i); exactly.CmpDiff(line.NetAmount.Value, exact, halfCent) <= 0 || exactly.CmpDiff(line.NetAmount.Value, exact, slack) > 0 {
			continue // right, or PEPPOL-EN16931-R120's to report
		}
		l := c.t.lineAt(i)
		c.add(RuleLine, line.NetAmount.Node,
			fmt.Sprintf("Line %d's net amount (BT-131) should be %s %s: %s = %s; it says %s.", l.Index, money(l.Net.Rounded), c.cur, l.Net.How, l.Net.Exact.String(), money(line.NetAmount.Value)),
			fmt.Sprintf("Nettobeløpet på linje %d (BT-131) skal være %s %s: %s = %s; det står %s.", l.Index, money(l.Net.Rounded), c.cur, l.Net.HowNb, l.Net.Exact.String(), money(line.NetAmount.Value)))
	}
}

func acsOK(acs []invoice.AllowanceCharge) bool {
	for _, a := range acs {
		if !a.Amount.OK {
			return false
		}
	}
	return true
}

// declaredSum is the official kind of sum for a breakdown: the declared
// net amounts of the lines of category cat (and rate, unless rate is nil)
// plus the document charges minus the document allowances of the same.
// The first line whose declared net amount is not what its quantity and
// price make is returned too (0 when none).
func (c *checker) declaredSum(inv *invoice.Invoice, cat string, rate *decimal.Decimal) (total decimal.Decimal, firstWrong int, ok bool) {
	var sum exactly.Sum
	match := func(k string, r invoice.Decimal) bool {
		if k != cat {
			return false
		}
		return rate == nil || (r.OK && r.Value.Equal(*rate))
	}
	for i := range inv.Lines {
		l := &inv.Lines[i] // not a copy of the whole line
		if !match(l.Item.Category.Value, l.Item.Rate) {
			continue
		}
		if !l.NetAmount.OK {
			return sum.Value(), 0, false
		}
		sum.Add(l.NetAmount.Value)
		if firstWrong == 0 && !roundsTo(l.NetAmount.Value, c.t.exact(i)) {
			firstWrong = i + 1
		}
	}
	for _, a := range inv.Allowances {
		if match(a.Category.Value, a.Rate) {
			if !a.Amount.OK {
				return sum.Value(), 0, false
			}
			sum.Sub(a.Amount.Value)
		}
	}
	for _, ch := range inv.Charges {
		if match(ch.Category.Value, ch.Rate) {
			if !ch.Amount.OK {
				return sum.Value(), 0, false
			}
			sum.Add(ch.Amount.Value)
		}
	}
	return sum.Value(), firstWrong, true
}

func (c *checker) breakdowns(inv *invoice.Invoice) {
	have := map[rateKey]bool{}
	var subs []*invoice.TaxSubtotal
	for i := range inv.TaxTotals {
		tt := &inv.TaxTotals[i]
		if tt.TaxAmount.Currency != "" && tt.TaxAmount.Currency != c.cur && len(inv.TaxTotals) > 1 {
			continue // the total in the VAT accounting currency
		}
		for j := range tt.Subtotals {
			s := &tt.Subtotals[j]
			subs = append(subs, s)
			if s.Rate.OK {
				have[keyOf(s.Category.Value, s.Rate.Value)] = true
			}
		}
	}
	for _, s := range subs {
		cat := s.Category.Value
		if !s.TaxableAmount.OK {
			continue
		}
		var rate *decimal.Decimal
		if s.Rate.OK {
			r := s.Rate.Value
			rate = &r
		}
		// Taxable amount.
		if sum, first, ok := c.declaredSum(inv, cat, rate); ok {
			official := true // the official rule already reports it
			switch {
			case rated(cat):
				// BR-S-08 and kin: taxable ± 1, computed in xs:double.
				official = !exactly.WithinOne(s.TaxableAmount.Value, sum)
			default:
				if whole, _, ok := c.declaredSum(inv, cat, nil); ok {
					official = !exactly.Equal(s.TaxableAmount.Value, whole)
				}
			}
			if exactly.CmpDiff(s.TaxableAmount.Value, sum, cent) >= 0 && !official {
				what := fmt.Sprintf("the net amounts of its lines plus charges minus allowances in category %s", cat)
				whatNb := fmt.Sprintf("nettobeløpene på linjene pluss gebyrer minus rabatter i kategori %s", cat)
				if rate != nil {
					what += " at " + num(*rate) + " %"
					whatNb += " med " + num(*rate) + " %"
				}
				en := fmt.Sprintf("The taxable amount (BT-116) of VAT category %s should be %s %s (%s); it says %s.", cat, money(sum), c.cur, what, money(s.TaxableAmount.Value))
				nb := fmt.Sprintf("Beregningsgrunnlaget (BT-116) for mva-kategori %s skal være %s %s (%s); det står %s.", cat, money(sum), c.cur, whatNb, money(s.TaxableAmount.Value))
				if first > 0 {
					l := c.t.lineAt(first - 1)
					en += fmt.Sprintf(" Line %d is the first in it that does not add up: %s = %s.", first, l.Net.How, money(l.Net.Rounded))
					nb += fmt.Sprintf(" Linje %d er den første i den som ikke stemmer: %s = %s.", first, l.Net.HowNb, money(l.Net.Rounded))
				}
				c.add(RuleTaxable, s.TaxableAmount.Node, en, nb)
			}
		}
		// VAT amount.
		// Only rated categories: the others must have no VAT at all, which
		// their -09 rules check exactly.
		if rate != nil && s.TaxAmount.OK && rated(cat) {
			exact := percentOf(s.TaxableAmount.Value, *rate)
			var within bool
			if roundsToZero(*rate) {
				// BR-CO-17 with a rate that rounds to 0: the VAT must round to 0.
				within = roundsToZero(s.TaxAmount.Value)
			} else {
				// |VAT| within 1 of |taxable × rate ÷ 100| rounded half up
				// to cents.
				want := exactly.Round(exactly.Abs(exact), 2)
				within = exactly.CmpDiff(exactly.Abs(s.TaxAmount.Value), want, one) < 0
			}
			if within && !roundsTo(s.TaxAmount.Value, exact) {
				c.add(RuleTax, s.TaxAmount.Node,
					fmt.Sprintf("The VAT amount (BT-117) of category %s at %s %% should be %s %s (taxable amount %s × %s %% = %s); it says %s.", cat, num(*rate), money(round2(exact)), c.cur, money(s.TaxableAmount.Value), num(*rate), exact.String(), money(s.TaxAmount.Value)),
					fmt.Sprintf("Mva-beløpet (BT-117) for kategori %s med %s %% skal være %s %s (grunnlag %s × %s %% = %s); det står %s.", cat, num(*rate), money(round2(exact)), c.cur, money(s.TaxableAmount.Value), num(*rate), exact.String(), money(s.TaxAmount.Value)))
			}
		}
	}
	// Rates of rated categories without a breakdown.
	for _, b := range c.t.Breakdowns {
		if !rated(b.Category) || have[keyOf(b.Category, b.Rate)] {
			continue
		}
		n := inv.Root
		where := "document allowances or charges"
		whereNb := "rabatter eller gebyrer på dokumentnivå"
		if len(b.Lines) > 0 {
			n = inv.Lines[b.Lines[0]-1].Node
			where = "lines " + lineList(b.Lines)
			whereNb = "linjene " + lineList(b.Lines)
		}
		c.add(RuleBreakdownMissing, n,
			fmt.Sprintf("There is no VAT breakdown for category %s at %s %%, which %s use; add one with taxable amount %s and VAT %s %s.", b.Category, num(b.Rate), where, money(b.Taxable.Rounded), money(b.Tax.Rounded), c.cur),
			fmt.Sprintf("Det finnes ingen mva-spesifikasjon for kategori %s med %s %%, som %s bruker; legg til en med grunnlag %s og mva %s %s.", b.Category, num(b.Rate), whereNb, money(b.Taxable.Rounded), money(b.Tax.Rounded), c.cur))
	}
}
