// Package totals recomputes every total of an invoice from its lines with
// exact decimals, and says how each was derived.
//
// It is the arithmetic behind the BR-CO-10..16 and VAT breakdown rules
// (BR-S-08/09 and their kin for the other categories): those rules decide
// whether a document is valid; this package says what each total should
// have been and which line or breakdown is the first that does not add up,
// so that a finding can tell the user what to change. An ERP can call
// Compute before it writes an invoice.
//
// Amounts are computed as EN 16931 defines them:
//
//	BT-131 line net   = BT-129 quantity × (BT-146 net price ÷ BT-149 base quantity)
//	                    + Σ BT-141 line charges − Σ BT-136 line allowances
//	BT-106            = Σ BT-131
//	BT-109            = BT-106 − BT-107 + BT-108
//	BT-116 per VAT category and rate
//	                  = Σ BT-131 of its lines − Σ BT-92 + Σ BT-99 of its document allowances and charges
//	BT-117            = BT-116 × BT-119 ÷ 100
//	BT-110            = Σ BT-117
//	BT-112            = BT-109 + BT-110
//	BT-115            = BT-112 − BT-113 + BT-114
//
// Computed money is rounded to two decimals, half away from zero, as an
// invoice writes it; the unrounded value is kept beside it.
//
// Check (check.go) turns the comparison into findings: as EHF-TOTAL-*
// warnings, only the differences the official rules let through, so that
// nothing is reported twice; Explain says what a total the official
// BR-CO rules report should be, and which line or breakdown is the first
// that does not add up.
package totals

import (
	"fmt"
	"strconv"
	"strings"

	exactly "github.com/ehf-project/ehf/internal/exact"
	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/shopspring/decimal"
)

// Value is one computed total.
type Value struct {
	// Exact is the value before rounding; Rounded is to two decimals.
	Exact, Rounded decimal.Decimal
	// Declared is what the document says, if it says it.
	Declared invoice.Amount
	// How and HowNb say in words (English, bokmål) how the value was
	// derived, with the figures.
	How, HowNb string
}

// Matches reports whether the document declares this value, rounded to
// two decimals. An absent or unreadable declaration does not match.
func (v Value) Matches() bool {
	return v.Declared.OK && v.Declared.Value.Equal(v.Rounded)
}

// Line is one invoice line's computed net amount.
type Line struct {
	Index int // 1-based position among the lines
	ID    string
	Net   Value
}

// Breakdown is the computed VAT breakdown for one category and rate.
type Breakdown struct {
	Category string
	Rate     decimal.Decimal
	Taxable  Value
	Tax      Value
	// Lines are the 1-based positions of the lines in this breakdown.
	Lines []int
	// Subtotal is the document's matching breakdown, or nil.
	Subtotal *invoice.TaxSubtotal
}

// Totals are an invoice's totals as computed from its parts.
type Totals struct {
	Currency       string
	Lines          []Line
	LineExtension  Value // BT-106
	AllowanceTotal Value // BT-107
	ChargeTotal    Value // BT-108
	TaxExclusive   Value // BT-109
	Tax            Value // BT-110: from the computed breakdowns
	TaxInclusive   Value // BT-112
	Prepaid        Value // BT-113, as declared (0 when absent)
	Rounding       Value // BT-114, as declared (0 when absent)
	Payable        Value // BT-115
	Breakdowns     []Breakdown
	// AccountingCurrency is BT-6, the VAT accounting currency, when the
	// invoice gives one; TaxAccounting is then BT-111, the total VAT in
	// that currency as declared (EN 16931 gives no exchange rate to
	// recompute it from), and ImpliedRate is BT-111 ÷ BT-110, the exchange
	// rate the two declared totals imply (zero when either is zero).
	AccountingCurrency string
	TaxAccounting      Value
	ImpliedRate        decimal.Decimal
	// Incomplete lists what could not be computed because a value was
	// missing or unreadable; the totals that depend on it are then partial.
	Incomplete []string

	explain bool // whether How, HowNb and Incomplete are written, and each breakdown's Lines beyond the first
	// nets holds the lines' net amounts instead of Lines when there are
	// no words to keep (a quarter of the size); see lineAt.
	nets []net
	// last remembers the last line product: lines often repeat a
	// quantity and price, and then share the product.
	last struct{ qty, price, product decimal.Decimal }
}

// net is a line's net amount, exact and rounded.
type net struct{ exact, rounded decimal.Decimal }

// lineAt is line i (0-based), from Lines or, without words, from nets.
func (t *Totals) lineAt(i int) Line {
	if t.nets == nil {
		return t.Lines[i]
	}
	return Line{Index: i + 1, Net: Value{Exact: t.nets[i].exact, Rounded: t.nets[i].rounded}}
}

// rounded is line i's rounded net amount; exact its exact one.
func (t *Totals) rounded(i int) decimal.Decimal {
	if t.nets == nil {
		return t.Lines[i].Net.Rounded
	}
	return t.nets[i].rounded
}

func (t *Totals) exact(i int) decimal.Decimal {
	if t.nets == nil {
		return t.Lines[i].Net.Exact
	}
	return t.nets[i].exact
}

var one = decimal.NewFromInt(1)

func money(d decimal.Decimal) string { return d.StringFixed(2) }

// num writes a quantity or rate without trailing zeros.
func num(d decimal.Decimal) string { return d.String() }

// Compute recomputes the totals of inv.
func Compute(inv *invoice.Invoice) *Totals {
	t := new(Totals)
	t.compute(inv, true)
	return t
}

// compute sets t to the totals of inv; explain says whether to write how
// each was derived (How, HowNb, Incomplete). The figures are the same
// either way: Check computes without words first, since most documents
// add up and the words are most of the cost.
func (t *Totals) compute(inv *invoice.Invoice, explain bool) {
	*t = Totals{Currency: inv.Currency.Value, explain: explain}
	if len(inv.Lines) > 0 {
		if explain {
			t.Lines = make([]Line, 0, len(inv.Lines))
		} else {
			t.nets = make([]net, 0, len(inv.Lines))
		}
	}
	var lines exactly.Sum
	for i := range inv.Lines {
		l := t.line(i+1, &inv.Lines[i])
		if explain {
			t.Lines = append(t.Lines, l)
		} else {
			t.nets = append(t.nets, net{l.Net.Exact, l.Net.Rounded})
		}
		lines.Add(l.Net.Rounded)
	}
	sumLines := lines.Value()
	t.LineExtension = Value{Exact: sumLines, Rounded: round2(sumLines), Declared: inv.Totals.LineExtension}
	if explain {
		t.LineExtension.How, t.LineExtension.HowNb = fmt.Sprintf("the sum of the net amounts of %d lines", len(inv.Lines)), fmt.Sprintf("summen av nettobeløpene på %d linjer", len(inv.Lines))
	}

	var allowances, charges exactly.Sum
	for _, a := range inv.Allowances {
		allowances.Add(t.amount(a.Amount, "document allowance"))
	}
	for _, c := range inv.Charges {
		charges.Add(t.amount(c.Amount, "document charge"))
	}
	allow, charge := allowances.Value(), charges.Value()
	t.AllowanceTotal = Value{Exact: allow, Rounded: round2(allow), Declared: inv.Totals.AllowanceTotal}
	t.ChargeTotal = Value{Exact: charge, Rounded: round2(charge), Declared: inv.Totals.ChargeTotal}
	if explain {
		t.AllowanceTotal.How, t.AllowanceTotal.HowNb = fmt.Sprintf("the sum of %d document allowances", len(inv.Allowances)), fmt.Sprintf("summen av %d rabatter på dokumentnivå", len(inv.Allowances))
		t.ChargeTotal.How, t.ChargeTotal.HowNb = fmt.Sprintf("the sum of %d document charges", len(inv.Charges)), fmt.Sprintf("summen av %d gebyrer på dokumentnivå", len(inv.Charges))
	}

	excl := exactly.Add(exactly.Sub(t.LineExtension.Rounded, t.AllowanceTotal.Rounded), t.ChargeTotal.Rounded)
	t.TaxExclusive = Value{Exact: excl, Rounded: round2(excl), Declared: inv.Totals.TaxExclusive}
	if explain {
		t.TaxExclusive.How = fmt.Sprintf("line total %s − allowances %s + charges %s", money(t.LineExtension.Rounded), money(t.AllowanceTotal.Rounded), money(t.ChargeTotal.Rounded))
		t.TaxExclusive.HowNb = fmt.Sprintf("linjesum %s − rabatter %s + gebyrer %s", money(t.LineExtension.Rounded), money(t.AllowanceTotal.Rounded), money(t.ChargeTotal.Rounded))
	}

	t.breakdowns(inv)
	var taxes exactly.Sum
	for _, b := range t.Breakdowns {
		taxes.Add(b.Tax.Rounded)
	}
	tax := taxes.Value()
	var declaredTax invoice.Amount
	for _, tt := range inv.TaxTotals {
		if tt.TaxAmount.Currency == inv.Currency.Value || len(inv.TaxTotals) == 1 {
			declaredTax = tt.TaxAmount
			break
		}
	}
	t.Tax = Value{Exact: tax, Rounded: round2(tax), Declared: declaredTax}
	if explain {
		t.Tax.How, t.Tax.HowNb = fmt.Sprintf("the sum of the VAT of %d VAT breakdowns", len(t.Breakdowns)), fmt.Sprintf("summen av mva i %d mva-spesifikasjoner", len(t.Breakdowns))
	}

	incl := exactly.Add(t.TaxExclusive.Rounded, t.Tax.Rounded)
	t.TaxInclusive = Value{Exact: incl, Rounded: round2(incl), Declared: inv.Totals.TaxInclusive}
	if explain {
		t.TaxInclusive.How, t.TaxInclusive.HowNb = fmt.Sprintf("total without VAT %s + VAT %s", money(t.TaxExclusive.Rounded), money(t.Tax.Rounded)), fmt.Sprintf("sum uten mva %s + mva %s", money(t.TaxExclusive.Rounded), money(t.Tax.Rounded))
	}

	prepaid, rounding := decimal.Zero, decimal.Zero
	if inv.Totals.Prepaid.OK {
		prepaid = inv.Totals.Prepaid.Value
	}
	if inv.Totals.Rounding.OK {
		rounding = inv.Totals.Rounding.Value
	}
	t.Prepaid = Value{Exact: prepaid, Rounded: prepaid, Declared: inv.Totals.Prepaid, How: "as declared", HowNb: "som oppgitt"}
	t.Rounding = Value{Exact: rounding, Rounded: rounding, Declared: inv.Totals.Rounding, How: "as declared", HowNb: "som oppgitt"}
	t.accounting(inv)
	pay := exactly.Add(exactly.Sub(t.TaxInclusive.Rounded, prepaid), rounding)
	t.Payable = Value{Exact: pay, Rounded: round2(pay), Declared: inv.Totals.Payable}
	if explain {
		t.Payable.How = fmt.Sprintf("total with VAT %s − paid in advance %s + rounding %s", money(t.TaxInclusive.Rounded), money(prepaid), money(rounding))
		t.Payable.HowNb = fmt.Sprintf("sum med mva %s − forskuddsbetalt %s + avrunding %s", money(t.TaxInclusive.Rounded), money(prepaid), money(rounding))
	}
}

// accounting fills in the VAT total in the VAT accounting currency.
func (t *Totals) accounting(inv *invoice.Invoice) {
	if !inv.TaxCurrency.Present() || inv.TaxCurrency.Value == inv.Currency.Value {
		return
	}
	t.AccountingCurrency = inv.TaxCurrency.Value
	for _, tt := range inv.TaxTotals {
		if tt.TaxAmount.Currency != t.AccountingCurrency || !tt.TaxAmount.OK {
			continue
		}
		v := tt.TaxAmount.Value
		t.TaxAccounting = Value{Exact: v, Rounded: round2(v), Declared: tt.TaxAmount,
			How: "as declared in " + t.AccountingCurrency, HowNb: "som oppgitt i " + t.AccountingCurrency}
		if t.Tax.Declared.OK && !t.Tax.Declared.Value.IsZero() && !v.IsZero() {
			t.ImpliedRate = v.DivRound(t.Tax.Declared.Value, 6)
			if !t.explain {
				return
			}
			t.TaxAccounting.How += fmt.Sprintf(" (%s %s per %s, as the declared VAT totals imply)", num(t.ImpliedRate), t.AccountingCurrency, t.Currency)
			t.TaxAccounting.HowNb += fmt.Sprintf(" (%s %s per %s, slik de oppgitte mva-totalene tilsier)", num(t.ImpliedRate), t.AccountingCurrency, t.Currency)
		}
		return
	}
}

func (t *Totals) amount(a invoice.Amount, what string) decimal.Decimal {
	if !a.OK {
		if !t.explain {
			return decimal.Zero
		}
		if a.Present() {
			t.Incomplete = append(t.Incomplete, what+" amount is not a number")
		} else {
			t.Incomplete = append(t.Incomplete, what+" has no amount")
		}
		return decimal.Zero
	}
	return a.Value
}

func (t *Totals) line(index int, l *invoice.Line) Line {
	out := Line{Index: index, ID: l.ID.Value}
	what := ""
	if t.explain {
		what = fmt.Sprintf("line %d", index)
	}
	qty, price, base := decimal.Zero, decimal.Zero, one
	ok := true
	if l.Quantity.OK {
		qty = l.Quantity.Value
	} else {
		if t.explain {
			t.Incomplete = append(t.Incomplete, what+" has no readable quantity")
		}
		ok = false
	}
	if l.Price.NetPrice.OK {
		price = l.Price.NetPrice.Value
	} else {
		if t.explain {
			t.Incomplete = append(t.Incomplete, what+" has no readable net price")
		}
		ok = false
	}
	if l.Price.BaseQuantity.OK && !l.Price.BaseQuantity.Value.IsZero() {
		base = l.Price.BaseQuantity.Value
	}
	var exact decimal.Decimal
	var how, howNb string
	if t.explain {
		how = fmt.Sprintf("quantity %s × price %s", num(qty), money(price))
		howNb = fmt.Sprintf("antall %s × pris %s", num(qty), money(price))
	}
	if exactly.Equal(base, one) {
		exact = t.product(qty, price)
	} else {
		// Divide last: the quotient may not be exact, the product is.
		exact = qty.Mul(price).DivRound(base, 16)
		if t.explain {
			how += " ÷ base quantity " + num(base)
			howNb += " ÷ basisantall " + num(base)
		}
	}
	net := round2(exact)
	for _, c := range l.Charges {
		v := t.amount(c.Amount, what+" charge")
		net, exact = exactly.Add(net, v), exactly.Add(exact, v)
		if t.explain {
			how += " + charge " + money(v)
			howNb += " + gebyr " + money(v)
		}
	}
	for _, a := range l.Allowances {
		v := t.amount(a.Amount, what+" allowance")
		net, exact = exactly.Sub(net, v), exactly.Sub(exact, v)
		if t.explain {
			how += " − allowance " + money(v)
			howNb += " − rabatt " + money(v)
		}
	}
	if !ok && t.explain {
		how += " (incomplete)"
		howNb += " (ufullstendig)"
	}
	out.Net = Value{Exact: exact, Rounded: net, Declared: l.NetAmount, How: how, HowNb: howNb}
	return out
}

// product is qty × price, shared with the line before when it has the
// same quantity and price, written the same.
func (t *Totals) product(qty, price decimal.Decimal) decimal.Decimal {
	l := &t.last
	if l.product != (decimal.Decimal{}) && l.qty.Exponent() == qty.Exponent() && l.price.Exponent() == price.Exponent() &&
		l.qty.Equal(qty) && l.price.Equal(price) {
		return l.product
	}
	p := exactly.Mul(qty, price)
	l.qty, l.price, l.product = qty, price, p
	return p
}

// breakdowns groups the lines and document allowances and charges by VAT
// category and rate, in the order they first appear.
func (t *Totals) breakdowns(inv *invoice.Invoice) {
	index := map[rateKey]int{}
	// Lines mostly repeat the category and rate of the line before: the
	// last one found is tried first, without writing the rate.
	lastCat, lastRate, last := "", decimal.Zero, -1
	get := func(cat string, rate invoice.Decimal) int {
		r := decimal.Zero
		if rate.OK {
			r = rate.Value
		}
		if last >= 0 && cat == lastCat && exactly.Equal(r, lastRate) { // equal rates have one key
			return last
		}
		k := keyOf(cat, r)
		i, ok := index[k]
		if !ok {
			i = len(t.Breakdowns)
			index[k] = i
			t.Breakdowns = append(t.Breakdowns, Breakdown{Category: cat, Rate: r})
		}
		lastCat, lastRate, last = cat, r, i
		return i
	}
	// Keyed by index: get may grow t.Breakdowns and move its elements.
	var taxable []exactly.Sum
	at := func(b int) *exactly.Sum {
		for len(taxable) <= b {
			taxable = append(taxable, exactly.Sum{})
		}
		return &taxable[b]
	}
	hows := map[int][][2]string{}
	for i := range inv.Lines {
		line := &inv.Lines[i]
		b := get(line.Item.Category.Value, line.Item.Rate)
		// Without words, a breakdown's first line is all the check
		// reads of its lines.
		if t.explain || len(t.Breakdowns[b].Lines) == 0 {
			t.Breakdowns[b].Lines = append(t.Breakdowns[b].Lines, i+1)
		}
		at(b).Add(t.rounded(i))
	}
	for _, a := range inv.Allowances {
		b := get(a.Category.Value, a.Rate)
		v := t.amount(a.Amount, "document allowance")
		at(b).Sub(v)
		if t.explain {
			hows[b] = append(hows[b], [2]string{"− allowance " + money(v), "− rabatt " + money(v)})
		}
	}
	for _, c := range inv.Charges {
		b := get(c.Category.Value, c.Rate)
		v := t.amount(c.Amount, "document charge")
		at(b).Add(v)
		if t.explain {
			hows[b] = append(hows[b], [2]string{"+ charge " + money(v), "+ gebyr " + money(v)})
		}
	}
	var subtotals []*invoice.TaxSubtotal
	for i := range inv.TaxTotals {
		for j := range inv.TaxTotals[i].Subtotals {
			subtotals = append(subtotals, &inv.TaxTotals[i].Subtotals[j])
		}
	}
	for i := range t.Breakdowns {
		b := &t.Breakdowns[i]
		for _, s := range subtotals {
			if s.Category.Value == b.Category && s.Rate.OK && exactly.Equal(s.Rate.Value, b.Rate) && (s.TaxableAmount.Currency == inv.Currency.Value || s.TaxableAmount.Currency == "") {
				b.Subtotal = s
				break
			}
		}
		tx := at(i).Value()
		b.Taxable = Value{Exact: tx, Rounded: round2(tx)}
		exact := percentOf(b.Taxable.Rounded, b.Rate)
		b.Tax = Value{Exact: exact, Rounded: round2(exact)}
		if t.explain {
			how := "the net amounts of lines " + lineList(b.Lines)
			howNb := "nettobeløpene på linjene " + lineList(b.Lines)
			if len(b.Lines) == 0 {
				how, howNb = "no lines", "ingen linjer"
			}
			for _, h := range hows[i] {
				how += " " + h[0]
				howNb += " " + h[1]
			}
			b.Taxable.How, b.Taxable.HowNb = how, howNb
			b.Tax.How = fmt.Sprintf("taxable amount %s × %s %%", money(b.Taxable.Rounded), num(b.Rate))
			b.Tax.HowNb = fmt.Sprintf("grunnlag %s × %s %%", money(b.Taxable.Rounded), num(b.Rate))
		}
		if b.Subtotal != nil {
			b.Taxable.Declared, b.Tax.Declared = b.Subtotal.TaxableAmount, b.Subtotal.TaxAmount
		}
	}
}

// lineList writes line numbers compactly: 1–3, 5, 7–10000.
func lineList(ns []int) string {
	var b strings.Builder
	for i := 0; i < len(ns); {
		j := i
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(ns[i]))
		if j > i {
			b.WriteString("–" + strconv.Itoa(ns[j]))
		}
		i = j + 1
	}
	return b.String()
}

// FirstWrongLine is the first line whose declared net amount differs from
// the computed one, or nil.
func (t *Totals) FirstWrongLine() *Line {
	for i := range t.Lines {
		if t.Lines[i].Net.Declared.OK && !t.Lines[i].Net.Matches() {
			return &t.Lines[i]
		}
	}
	return nil
}

// FirstWrongBreakdown is the first VAT breakdown whose declared taxable
// amount or VAT differs from the computed one, or nil.
func (t *Totals) FirstWrongBreakdown() *Breakdown {
	for i := range t.Breakdowns {
		b := &t.Breakdowns[i]
		if b.Subtotal == nil || !b.Taxable.Matches() || !b.Tax.Matches() {
			return b
		}
	}
	return nil
}

// Explain says, in English and bokmål, what a declared total should be and
// why, naming the first line or breakdown that does not add up. It returns
// empty strings when v matches.
func (t *Totals) Explain(name string, v Value) (en, nb string) {
	if v.Matches() {
		return "", ""
	}
	en = fmt.Sprintf("%s should be %s %s (%s)", name, money(v.Rounded), t.Currency, v.How)
	nb = fmt.Sprintf("%s skal være %s %s (%s)", name, money(v.Rounded), t.Currency, v.HowNb)
	if l := t.FirstWrongLine(); l != nil {
		en += fmt.Sprintf("; line %d is the first that does not add up: it says %s, but %s = %s", l.Index, money(l.Net.Declared.Value), l.Net.How, money(l.Net.Rounded))
		nb += fmt.Sprintf("; linje %d er den første som ikke stemmer: den oppgir %s, men %s = %s", l.Index, money(l.Net.Declared.Value), l.Net.HowNb, money(l.Net.Rounded))
	} else if b := t.FirstWrongBreakdown(); b != nil && b.Subtotal != nil {
		en += fmt.Sprintf("; the VAT breakdown for category %s at %s %% is the first that does not add up: taxable %s, VAT %s", b.Category, num(b.Rate), money(b.Taxable.Rounded), money(b.Tax.Rounded))
		nb += fmt.Sprintf("; mva-spesifikasjonen for kategori %s med %s %% er den første som ikke stemmer: grunnlag %s, mva %s", b.Category, num(b.Rate), money(b.Taxable.Rounded), money(b.Tax.Rounded))
	}
	return en, nb
}
