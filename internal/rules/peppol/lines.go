package peppol

import (
	"github.com/ehf-project/ehf/internal/exact"
	"github.com/ehf-project/ehf/internal/rule"
	"github.com/shopspring/decimal"
)

// allowanceCharges are the document and line level allowances and charges
// (not those in a price): the nodes of R040-R043.
func (v *vars) allowanceCharges() []Node {
	if !v.invoice && !v.credit {
		return nil
	}
	if v.acs == nil {
		v.acs = v.t.kids(v.root, cacAllowanceCharge)
		for _, l := range v.lines() {
			v.acs = append(v.acs, v.t.kids(l, cacAllowanceCharge)...)
		}
		if v.acs == nil {
			v.acs = []Node{}
		}
	}
	return v.acs
}

// anyLines are the root's cac:InvoiceLine and cac:CreditNoteLine
// elements, whatever the document (the context of R100-R121).
func (v *vars) anyLines() []Node {
	if !v.invoice && !v.credit {
		return nil
	}
	if v.both == nil {
		v.both = append(v.t.kids(v.root, cacInvoiceLine), v.t.kids(v.root, cacCreditNoteLine)...)
		if v.both == nil {
			v.both = []Node{}
		}
	}
	return v.both
}

// acKind says which of the three allowance/charge rules of the official
// pattern selects ac: 41 (percentage without base), 42 (base without
// percentage) or 40 (the rest, with R040 and R043).
func acKind(t tree, ac Node) int {
	mf, base := t.has(ac, cbcMultiplierFactorNumeric), t.has(ac, cbcBaseAmount)
	switch {
	case mf && !base:
		return 41
	case !mf && base:
		return 42
	}
	return 40
}

// decOf casts the first n/steps to xs:decimal; present is false when there
// is no such node, ok false when the cast fails.
func decOf(t tree, n Node, steps ...step) (d decimal.Decimal, present, ok bool) {
	x := t.first(n, steps...)
	if x == none {
		return decimal.Decimal{}, false, true
	}
	d, ok = dec(t.text(x))
	return d, true, ok
}

func (r *release) eachAC(kind int, test func(v *vars, ac Node) bool) check {
	return func(c *rule.Context, ru *rule.Rule) {
		v := r.vars(c)
		for _, ac := range v.allowanceCharges() {
			if acKind(v.t, ac) == kind && !test(v, ac) {
				c.Fail(ru, ac)
			}
		}
	}
}

func (r *release) eachLine(test func(v *vars, l Node) bool) check {
	return func(c *rule.Context, ru *rule.Rule) {
		v := r.vars(c)
		for _, l := range v.anyLines() {
			if !test(v, l) {
				c.Fail(ru, l)
			}
		}
	}
}

var hundred = decimal.NewFromInt(100)

func lineRules(r *release) []rule.Rule {
	return []rule.Rule{
		fatal("PEPPOL-EN16931-R041",
			"An allowance or charge with a percentage (cbc:MultiplierFactorNumeric) needs the base amount (cbc:BaseAmount) it applies to.",
			"Et fradrag eller tillegg med prosentsats (cbc:MultiplierFactorNumeric) må ha grunnlagsbeløpet (cbc:BaseAmount) satsen gjelder.",
			r.eachAC(41, func(*vars, Node) bool { return false })),
		fatal("PEPPOL-EN16931-R042",
			"An allowance or charge with a base amount (cbc:BaseAmount) needs the percentage (cbc:MultiplierFactorNumeric) applied to it.",
			"Et fradrag eller tillegg med grunnlagsbeløp (cbc:BaseAmount) må ha prosentsatsen (cbc:MultiplierFactorNumeric).",
			r.eachAC(42, func(*vars, Node) bool { return false })),
		fatal("PEPPOL-EN16931-R040",
			"The allowance or charge amount must be the base amount times the percentage divided by 100 (a difference of up to 0.02 is accepted).",
			"Beløpet for fradraget eller tillegget må være grunnlagsbeløpet ganger prosentsatsen delt på 100 (avvik på inntil 0,02 godtas).",
			r.eachAC(40, func(v *vars, ac Node) bool {
				t := v.t
				if !t.has(ac, cbcMultiplierFactorNumeric) || !t.has(ac, cbcBaseAmount) {
					return true
				}
				amount, present, ok := decOf(t, ac, cbcAmount)
				if !ok {
					return true
				}
				if !present {
					amount = decimal.Zero
				}
				base, _, ok1 := decOf(t, ac, cbcBaseAmount)
				pct, _, ok2 := decOf(t, ac, cbcMultiplierFactorNumeric)
				if !ok1 || !ok2 {
					return true
				}
				return slack(amount, xdiv(exact.Mul(base, pct), hundred), twoHundredths)
			})),
		fatal("PEPPOL-EN16931-R043",
			"The charge indicator (cbc:ChargeIndicator) must be true (a charge) or false (an allowance).",
			"Tilleggsindikatoren (cbc:ChargeIndicator) må være true (tillegg) eller false (fradrag).",
			r.eachAC(40, func(v *vars, ac Node) bool {
				s := norm(textOnly(v.t, v.t.kid(ac, cbcChargeIndicator)))
				return s == "true" || s == "false"
			})),
		fatal("PEPPOL-EN16931-R110",
			"The line period starts before the invoice period. A line period must lie within the invoice period.",
			"Linjeperioden begynner før fakturaperioden. En linjeperiode må ligge innenfor fakturaperioden.",
			r.periodCheck(cbcStartDate, func(line, doc int) bool { return line >= doc })),
		fatal("PEPPOL-EN16931-R111",
			"The line period ends after the invoice period. A line period must lie within the invoice period.",
			"Linjeperioden slutter etter fakturaperioden. En linjeperiode må ligge innenfor fakturaperioden.",
			r.periodCheck(cbcEndDate, func(line, doc int) bool { return line <= doc })),
		fatal("PEPPOL-EN16931-R120",
			"The line net amount must be quantity × (net price ÷ price base quantity) + line charges − line allowances (a difference of up to 0.02 is accepted); by that the amount should be %s.",
			"Linjens nettobeløp må være antall × (nettopris ÷ basisantall) + linjetillegg − linjefradrag (avvik på inntil 0,02 godtas); etter det skal beløpet være %s.",
			func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				t := v.t
				line := func(l Node) {
					// the usual line is decided in int64; any other, and
					// every line that fails, as before
					if want, ok := lineNetFixed(v, l); ok {
						got, present, valid, fits := fixedOfFirst(t, l, cbcLineExtensionAmount)
						if valid && fits {
							if !present {
								got = exact.Fixed{}
							}
							if in, ok := within(got, want, fixedTwoHundredths); ok && in {
								return
							}
						}
					}
					want, ok := lineNet(v, l)
					if !ok {
						return
					}
					got, present, ok := decOf(t, l, cbcLineExtensionAmount)
					if !ok {
						return
					}
					if !present {
						got = decimal.Zero
					}
					if !slack(got, want, twoHundredths) {
						c.Fail(ru, l, want.String())
					}
				}
				for _, l := range v.anyLines() {
					line(l)
				}
			}),
		fatal("PEPPOL-EN16931-R121",
			"The price base quantity (cbc:BaseQuantity) must be above zero.",
			"Basisantallet for prisen (cbc:BaseQuantity) må være større enn null.",
			r.eachLine(func(v *vars, l Node) bool {
				if f, present, valid, fits := fixedOfFirst(v.t, l, cacPrice, cbcBaseQuantity); !present || !valid || fits {
					return !present || !valid || f.Sign() > 0
				}
				bq, _, _ := decOf(v.t, l, cacPrice, cbcBaseQuantity)
				return bq.Sign() > 0
			})),
		fatal("PEPPOL-EN16931-R100",
			"A line may refer to at most one invoiced object (cac:DocumentReference).",
			"En linje kan vise til høyst ett fakturert objekt (cac:DocumentReference).",
			r.eachLine(func(v *vars, l Node) bool { return len(v.t.kids(l, cacDocumentReference)) <= 1 })),
		fatal("PEPPOL-EN16931-R101",
			"A document reference on a line can only be the invoiced object identifier: give it document type code 130.",
			"En dokumentreferanse på en linje kan bare være identifikatoren for fakturert objekt: gi den dokumenttypekode 130.",
			r.eachLine(func(v *vars, l Node) bool {
				return !v.t.has(l, cacDocumentReference) || v.t.anyIs(l, "130", cacDocumentReference, cbcDocumentTypeCode)
			})),
		fatal("PEPPOL-EN16931-R044",
			"A price may only carry a discount: the charge indicator of a price allowance must be false.",
			"En pris kan bare ha rabatt: tilleggsindikatoren for et prisfradrag må være false.",
			r.priceAC(func(v *vars, ac Node) bool { return norm(v.t.val(ac, cbcChargeIndicator)) == "false" })),
		fatal("PEPPOL-EN16931-R046",
			"The net price must be the gross price (cbc:BaseAmount) minus the price discount (cbc:Amount).",
			"Nettoprisen må være bruttoprisen (cbc:BaseAmount) minus prisrabatten (cbc:Amount).",
			r.priceAC(func(v *vars, ac Node) bool {
				t := v.t
				if !t.has(ac, cbcBaseAmount) {
					return true
				}
				// evaluated as XPath does, left to right: an absent price or
				// discount makes the comparison false, an unreadable value
				// stops the test
				price, present, ok := decOf(t, v.t.d.Parent(ac), cbcPriceAmount)
				if !present {
					return false
				}
				base, _, okBase := decOf(t, ac, cbcBaseAmount)
				if !ok || !okBase {
					return true
				}
				amount, present, ok := decOf(t, ac, cbcAmount)
				if !present {
					return false
				}
				return !ok || exact.Equal(price, exact.Sub(base, amount))
			})),
		fatal("PEPPOL-EN16931-R130",
			"The unit of the price base quantity must be the unit of the invoiced quantity.",
			"Enheten for basisantallet må være den samme som enheten for fakturert antall.",
			func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				t := v.t
				t.each(func(n Node) {
					unit, ok := t.attr(n, attrUnitCode)
					if !ok || !t.parentIs(n, cacPrice) {
						return
					}
					l := c.Doc.Parent(c.Doc.Parent(n))
					if l <= 0 {
						return
					}
					if !t.has(l, cbcInvoicedQuantity) && !t.has(l, cbcCreditedQuantity) {
						return
					}
					q := cbcCreditedQuantity
					if v.invoice {
						q = cbcInvoicedQuantity
					}
					for _, qn := range t.kids(l, q) {
						if u, ok := t.attr(qn, attrUnitCode); ok && u == unit {
							return
						}
					}
					c.Fail(ru, n)
				}, cbcBaseQuantity)
			}),
	}
}

// priceAC runs test on every cac:Price/cac:AllowanceCharge.
func (r *release) priceAC(test func(v *vars, ac Node) bool) check {
	return func(c *rule.Context, ru *rule.Rule) {
		v := r.vars(c)
		v.t.each(func(n Node) {
			if v.t.parentIs(n, cacPrice) && !test(v, n) {
				c.Fail(ru, n)
			}
		}, cacAllowanceCharge)
	}
}

// periodCheck is R110/R111: the line period's date compared with the
// invoice period's, when the invoice period has that date.
func (r *release) periodCheck(step step, within func(line, doc int) bool) check {
	return func(c *rule.Context, ru *rule.Rule) {
		v := r.vars(c)
		t := v.t
		if !v.invoice && !v.credit {
			return
		}
		docNode := t.first(v.root, cacInvoicePeriod, step)
		if docNode == none {
			return
		}
		docDate, docOK := date(t.text(docNode))
		for _, n := range t.all(v.root, v.lineName(), cacInvoicePeriod, step) {
			if !hasText(t, n) {
				// xs:date(text()) of no text is the empty sequence, and
				// comparing with it is false (the other side is not read)
				c.Fail(ru, n)
				continue
			}
			d, ok := date(textOnly(t, n))
			if !ok || !docOK {
				continue
			}
			if !within(d.Compare(docDate), 0) {
				c.Fail(ru, n)
			}
		}
	}
}

// lineNet is what R120 expects a line's net amount to be. ok is false
// when a value it needs cannot be read as a decimal.
func lineNet(v *vars, l Node) (decimal.Decimal, bool) {
	t := v.t
	qty := decimal.NewFromInt(1)
	qname := cbcCreditedQuantity
	if v.invoice {
		qname = cbcInvoicedQuantity
	}
	if q, present, ok := decOf(t, l, qname); !ok {
		return decimal.Decimal{}, false
	} else if present {
		qty = q
	}
	price, present, ok := decOf(t, l, cacPrice, cbcPriceAmount)
	if !ok {
		return decimal.Decimal{}, false
	}
	if !present {
		price = decimal.Zero
	}
	base := decimal.NewFromInt(1)
	if bq, present, ok := decOf(t, l, cacPrice, cbcBaseQuantity); !ok {
		return decimal.Decimal{}, false
	} else if present && !bq.IsZero() {
		base = bq
	}
	sums := [2]decimal.Decimal{}
	seen := [2]bool{}
	for _, ac := range t.kids(l, cacAllowanceCharge) {
		k := sumOf(t, ac)
		if k < 0 {
			continue
		}
		seen[k] = true
		for _, a := range t.kids(ac, cbcAmount) {
			d, ok := dec(t.text(a))
			if !ok {
				return decimal.Decimal{}, false
			}
			sums[k] = exact.Add(sums[k], d)
		}
	}
	for k := range sums {
		if seen[k] {
			sums[k] = round(exact.Mul(sums[k], hundred)).Shift(-2)
		}
	}
	net := exact.Mul(qty, xdiv(price, base))
	if seen[1] {
		net = exact.Add(net, sums[1])
	}
	if seen[0] {
		net = exact.Sub(net, sums[0])
	}
	return net, true
}

// fixedOfFirst reads the first n/steps as exact.FixedOf does; present is false
// when there is no such node (and then valid and fits are true).
func fixedOfFirst(t tree, n Node, steps ...step) (f exact.Fixed, present, valid, fits bool) {
	x := t.first(n, steps...)
	if x == none {
		return exact.Fixed{}, false, true, true
	}
	f, valid, fits = exact.FixedOf(t.text(x))
	return f, true, valid, fits
}

// lineNetFixed is lineNet for a line whose figures fit an int64 and
// whose price base quantity is 1 (or absent or zero); ok is false for
// any other line, which lineNet then works out.
func lineNetFixed(v *vars, l Node) (exact.Fixed, bool) {
	t := v.t
	qname := cbcCreditedQuantity
	if v.invoice {
		qname = cbcInvoicedQuantity
	}
	qty, present, valid, fits := fixedOfFirst(t, l, qname)
	if !valid || !fits {
		return exact.Fixed{}, false
	}
	if !present {
		qty = fixedOne
	}
	price, _, valid, fits := fixedOfFirst(t, l, cacPrice, cbcPriceAmount)
	if !valid || !fits {
		return exact.Fixed{}, false
	}
	bq, present, valid, fits := fixedOfFirst(t, l, cacPrice, cbcBaseQuantity)
	if !valid || !fits || present && bq.Sign() != 0 && !isOne(bq) {
		return exact.Fixed{}, false
	}
	var sums [2]exact.Fixed
	var seen [2]bool
	for _, ac := range t.kids(l, cacAllowanceCharge) {
		k := sumOf(t, ac)
		if k < 0 {
			continue
		}
		seen[k] = true
		for _, a := range t.kids(ac, cbcAmount) {
			d, valid, fits := exact.FixedOf(t.text(a))
			if !valid || !fits {
				return exact.Fixed{}, false
			}
			if sums[k], valid = sums[k].Add(d); !valid {
				return exact.Fixed{}, false
			}
		}
	}
	net, ok := qty.Mul(price)
	for k := 1; k >= 0 && ok; k-- {
		if !seen[k] {
			continue
		}
		var r exact.Fixed
		if r, ok = sums[k].Round(2); !ok {
			break
		}
		if k == 1 {
			net, ok = net.Add(r)
		} else {
			net, ok = net.Sub(r)
		}
	}
	return net, ok
}

// sumOf is which of a line's two sums an allowance or charge adds to: 0
// for an allowance (indicator "false"), 1 for a charge ("true"), -1 when
// the indicator is neither, as the official test reads it.
func sumOf(t tree, ac Node) int {
	switch norm(t.val(ac, cbcChargeIndicator)) {
	case "false":
		return 0
	case "true":
		return 1
	}
	return -1
}
