package cen

import "github.com/ehf-project/ehf/internal/exact"

// The document totals and VAT amount rules in plain decimals (see fx).
// Each answers only when every value it reads is a plain decimal and no
// step overflows; otherwise (ok false) the rule's general form decides.

func brCO10(e *ev, n node) bool {
	if r, ok := brCO10fx(e, n); ok {
		return r
	}
	return brCO10dec(e, n)
}

func brCO10fx(e *ev, n node) (res, ok bool) {
	var sum exact.Fixed
	for _, q := range [2]qname{pLines[0], pCNLines[0]} {
		for _, l := range e.everywhere(q) {
			for v := range e.each(l, pLEA) {
				x, ok := e.fxNode(v)
				if !ok {
					return false, false
				}
				if sum, ok = sum.Add(x); !ok {
					return false, false
				}
			}
		}
	}
	t := e.one(n, pLEA)
	if t == none {
		return false, true
	}
	v, ok := e.fxNode(t)
	if !ok {
		return false, false
	}
	return fxEqualRound2(v, sum)
}

// fxEqualRound2 is v = round2(sum).
func fxEqualRound2(v, sum exact.Fixed) (res, ok bool) {
	r, ok := sum.Round(2)
	if !ok {
		return false, false
	}
	c, ok := v.Cmp(r)
	return c == 0, ok
}

func brCO1112(charge bool) func(e *ev, n node) bool {
	slow := brCO1112dec(charge)
	total := pathAllowanceTotalAmount
	if charge {
		total = pathChargeTotalAmount
	}
	return func(e *ev, n node) bool {
		var sum exact.Fixed
		any := false
		for _, ac := range e.all(e.d.Parent(n), pAC) {
			if !e.charge(ac, charge) {
				continue
			}
			any = true
			it, a := e.kids(ac, pAmount[0])
			for ; a != none; a = it.next(a) {
				x, ok := e.fxNode(a)
				if !ok {
					return slow(e, n)
				}
				if sum, ok = sum.Add(x); !ok {
					return slow(e, n)
				}
			}
		}
		t := e.one(n, total)
		if t == none {
			return !any
		}
		v, ok := e.fxNode(t)
		if !ok {
			return slow(e, n)
		}
		r, ok := fxEqualRound2(v, sum)
		if !ok {
			return slow(e, n)
		}
		return r
	}
}

// fxApply adds the amount at n to acc, or subtracts it when sub is set; an
// absent n leaves acc as it is. ok is false when the amount is not a plain
// decimal or the result does not fit, and the rule goes the general way.
func (e *ev) fxApply(acc exact.Fixed, n node, sub bool) (exact.Fixed, bool) {
	if n == none {
		return acc, true
	}
	v, ok := e.fxNode(n)
	if !ok {
		return acc, false
	}
	if sub {
		return acc.Sub(v)
	}
	return acc.Add(v)
}

func brCO13(e *ev, n node) bool {
	if r, ok := brCO13fx(e, n); ok {
		return r
	}
	return brCO13dec(e, n)
}

func brCO13fx(e *ev, n node) (res, ok bool) {
	ch, al := e.one(n, pathChargeTotalAmount), e.one(n, pathAllowanceTotalAmount)
	teN, leaN := e.one(n, pathTaxExclusiveAmount), e.one(n, pLEA)
	if teN == none || leaN == none {
		return false, true
	}
	te, ok1 := e.fxNode(teN)
	want, ok2 := e.fxNode(leaN)
	if !ok1 || !ok2 {
		return false, false
	}
	if want, ok = e.fxApply(want, ch, false); !ok {
		return false, false
	}
	if want, ok = e.fxApply(want, al, true); !ok {
		return false, false
	}
	if ch != none || al != none {
		return fxEqualRound2(te, want)
	}
	c, ok := te.Cmp(want)
	return c == 0, ok
}

func brCO14(e *ev, n node) bool {
	if r, ok := brCO14fx(e, n); ok {
		return r
	}
	return brCO14dec(e, n)
}

func brCO14fx(e *ev, n node) (res, ok bool) {
	var sum exact.Fixed
	subs := 0
	for s := range e.each(n, pathTaxSubtotal) {
		subs++
		for ta := range e.each(s, pathTaxAmount) {
			x, ok := e.fxNode(ta)
			if !ok {
				return false, false
			}
			if sum, ok = sum.Add(x); !ok {
				return false, false
			}
		}
	}
	if subs == 0 {
		return true, true
	}
	t := e.one(n, pathTaxAmount)
	if t == none {
		return false, true
	}
	v, ok := e.fxNode(t)
	if !ok {
		return false, false
	}
	return fxEqualRound2(v, sum)
}

func brCO16(e *ev, n node) bool {
	if r, ok := brCO16fx(e, n); ok {
		return r
	}
	return brCO16dec(e, n)
}

func brCO16fx(e *ev, n node) (res, ok bool) {
	pre, rnd := e.one(n, pathPrepaidAmount), e.one(n, pathPayableRoundingAmount)
	pay, inc := e.one(n, pathPayableAmount), e.one(n, pathTaxInclusiveAmount)
	if pay == none || inc == none {
		return false, true
	}
	left, ok1 := e.fxNode(pay)
	right, ok2 := e.fxNode(inc)
	if !ok1 || !ok2 {
		return false, false
	}
	if rnd != none {
		if left, ok = e.fxApply(left, rnd, true); ok {
			left, ok = left.Round(2)
		}
		if !ok {
			return false, false
		}
	}
	if pre != none {
		if right, ok = e.fxApply(right, pre, true); ok {
			right, ok = right.Round(2)
		}
		if !ok {
			return false, false
		}
	}
	c, ok := left.Cmp(right)
	return c == 0, ok
}

func brCO17(e *ev, n node) bool {
	if r, ok := brCO17fx(e, n); ok {
		return r
	}
	return brCO17dec(e, n)
}

func brCO17fx(e *ev, n node) (res, ok bool) {
	var rate exact.Fixed
	rates := 0
	for tc := range e.each(n, pTaxCat) {
		if !e.vatScheme(tc) {
			continue
		}
		for pc := range e.each(tc, pPercent) {
			d, ok := e.fxNode(pc)
			if !ok {
				return false, false
			}
			rate = d
			rates++
		}
	}
	if rates > 1 {
		return false, false // the general form decides (the official test stops with an error)
	}
	taN := e.one(n, pathTaxAmount)
	var ta exact.Fixed
	if taN != none {
		if ta, ok = e.fxNode(taN); !ok {
			return false, false
		}
	}
	zero := func(x exact.Fixed) (bool, bool) {
		r, ok := x.Round(0)
		return r.Sign() == 0, ok
	}
	rateZero := true
	if rates == 1 {
		if rateZero, ok = zero(rate); !ok {
			return false, false
		}
	}
	if rateZero {
		if taN == none {
			return false, true
		}
		return zero(ta)
	}
	txN := e.one(n, pathTaxableAmount)
	if taN == none || txN == none {
		return false, true
	}
	tx, ok := e.fxNode(txN)
	if !ok {
		return false, false
	}
	want, ok := fxVAT(tx, rate)
	if !ok {
		return false, false
	}
	return fxWithinOne(ta, want)
}

func ratedTax(e *ev, n node) bool {
	if r, ok := ratedTaxfx(e, n); ok {
		return r
	}
	return ratedTaxDec(e, n)
}

func ratedTaxfx(e *ev, n node) (res, ok bool) {
	sub := e.d.Parent(n)
	taN, txN := e.one(sub, pathTaxAmount), e.one(sub, pathTaxableAmount)
	pcN := e.one(n, pPercent)
	if taN == none || txN == none || pcN == none {
		return false, true
	}
	ta, ok1 := e.fxNode(taN)
	tx, ok2 := e.fxNode(txN)
	pc, ok3 := e.fxNode(pcN)
	if !ok1 || !ok2 || !ok3 {
		return false, false
	}
	want, ok := fxVAT(tx, pc)
	if !ok {
		return false, false
	}
	return fxWithinOne(ta, want)
}
