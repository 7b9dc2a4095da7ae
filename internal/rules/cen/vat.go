package cen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ehf-project/ehf/internal/exact"
	"github.com/shopspring/decimal"
)

// category describes one VAT category (UNCL 5305 code) and the few ways
// its official rules differ from those of the others.
type category struct {
	prefix string // rule ID prefix: BR-S, BR-Z, ...
	code   string
	en, nb string // the category's name
	// party is what the -02/-03/-04 rules require of the parties.
	party func(e *ev) bool
	// partyEn/Nb say that requirement in words.
	partyEn, partyNb string
	// rate is what the -05/-06/-07 rules require of a rate.
	rate           func(e *ev, tc node) bool
	rateEn, rateNb string
	exemption      bool // -10: an exemption reason is required (else forbidden)
	rated          bool // -08/-09 work per rate with the ±1 tolerance (S, L, M)
	docACOnlyForO  bool
	plainTaxCat01  bool // S-01: counts without the VAT scheme test
	sumNoVAT01     bool // L-01: the breakdown count of the first branch ignores scheme and spaces
	trigger02NoVAT bool // S-02: the "no such line" branch ignores the scheme
}

// Party conditions. Many category rules ask: the answers are found once
// per check (ev.parties).
func (e *ev) sellerAnyTaxID() bool { return e.party(partySellerAnyTaxID) }
func (e *ev) sellerVAT() bool      { return e.party(partySellerVAT) }
func (e *ev) repVAT() bool         { return e.party(partyRepVAT) }
func (e *ev) buyerVAT() bool       { return e.party(partyBuyerVAT) }
func (e *ev) buyerLegal() bool     { return e.party(partyBuyerLegal) }

// Bits of ev.parties.
const (
	partiesRead = 1 << iota
	partySellerAnyTaxID
	partySellerVAT
	partyRepVAT
	partyBuyerVAT
	partyBuyerLegal
)

var (
	pathSupplierPTS = p("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme")
	pathRepPTS      = p("cac:TaxRepresentativeParty/cac:PartyTaxScheme")
	pathBuyerPTS    = p("cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme")
)

func (e *ev) party(bit uint8) bool {
	if e.parties&partiesRead == 0 {
		b := uint8(partiesRead)
		set := func(bit uint8, on bool) {
			if on {
				b |= bit
			}
		}
		any := func(node) bool { return true }
		vatID := func(pts node) bool { return e.vatScheme(pts) && e.has(pts, pathCompanyID) }
		set(partySellerAnyTaxID, e.anyUnder(pathAccountingSupplierPartyPartyPartyTaxSchemeCompanyID, any))
		set(partySellerVAT, e.anyUnder(pathSupplierPTS, vatID))
		set(partyRepVAT, e.anyUnder(pathRepPTS, vatID))
		set(partyBuyerVAT, e.anyUnder(pathBuyerPTS, vatID))
		set(partyBuyerLegal, e.anyUnder(pathAccountingCustomerPartyPartyPartyLegalEntityCompanyID, any))
		e.parties = b
	}
	return e.parties&bit != 0
}

func zeroRate(e *ev, tc node) bool {
	d, ok := e.decOf(tc, pPercent)
	if !e.has(tc, pPercent) {
		return false
	}
	return !ok || d.IsZero()
}

func cmpRate(strict bool) func(e *ev, tc node) bool {
	return func(e *ev, tc node) bool {
		it, n := e.kids(tc, pPercent[0])
		for ; n != none; n = it.next(n) {
			sign, ok := e.numSign(n)
			if !ok {
				return true
			}
			if sign > 0 || (!strict && sign == 0) {
				return true
			}
		}
		return false
	}
}

func noRate(e *ev, tc node) bool { return !e.has(tc, pPercent) }

var categories = []category{
	{prefix: "BR-S", code: "S", en: "standard rated", nb: "standard sats", rated: true, plainTaxCat01: true, trigger02NoVAT: true,
		party: func(e *ev) bool { return e.sellerAnyTaxID() || e.repVAT() }, partyEn: "the seller's VAT identifier (BT-31, BT-32) or that of the tax representative (BT-63)", partyNb: "selgers mva-nummer (BT-31, BT-32) eller avgiftsrepresentantens (BT-63)",
		rate: cmpRate(true), rateEn: "a VAT rate above zero", rateNb: "en mva-sats over null"},
	{prefix: "BR-Z", code: "Z", en: "zero rated", nb: "nullsats",
		party: func(e *ev) bool { return e.sellerAnyTaxID() || e.repVAT() }, partyEn: "the seller's VAT identifier (BT-31, BT-32) or that of the tax representative (BT-63)", partyNb: "selgers mva-nummer (BT-31, BT-32) eller avgiftsrepresentantens (BT-63)",
		rate: zeroRate, rateEn: "the VAT rate 0", rateNb: "mva-satsen 0"},
	{prefix: "BR-E", code: "E", en: "exempt from VAT", nb: "fritatt for mva", exemption: true,
		party: func(e *ev) bool { return e.sellerAnyTaxID() || e.repVAT() }, partyEn: "the seller's VAT identifier (BT-31, BT-32) or that of the tax representative (BT-63)", partyNb: "selgers mva-nummer (BT-31, BT-32) eller avgiftsrepresentantens (BT-63)",
		rate: zeroRate, rateEn: "the VAT rate 0", rateNb: "mva-satsen 0"},
	{prefix: "BR-AE", code: "AE", en: "reverse charge", nb: "omvendt avgiftsplikt", exemption: true,
		party: func(e *ev) bool { return (e.sellerAnyTaxID() || e.repVAT()) && (e.buyerVAT() || e.buyerLegal()) }, partyEn: "the seller's VAT identifier (or the tax representative's) and the buyer's VAT identifier or legal registration identifier", partyNb: "selgers mva-nummer (eller avgiftsrepresentantens) og kjøpers mva-nummer eller organisasjonsnummer",
		rate: zeroRate, rateEn: "the VAT rate 0", rateNb: "mva-satsen 0"},
	{prefix: "BR-IC", code: "K", en: "intra-community supply", nb: "leveranse innen EØS", exemption: true,
		party: func(e *ev) bool { return (e.sellerVAT() || e.repVAT()) && e.buyerVAT() }, partyEn: "the seller's VAT identifier (or the tax representative's) and the buyer's VAT identifier", partyNb: "selgers mva-nummer (eller avgiftsrepresentantens) og kjøpers mva-nummer",
		rate: zeroRate, rateEn: "the VAT rate 0", rateNb: "mva-satsen 0"},
	{prefix: "BR-G", code: "G", en: "export outside the EU", nb: "eksport utenfor EU", exemption: true,
		party: func(e *ev) bool { return e.sellerVAT() || e.repVAT() }, partyEn: "the seller's VAT identifier (BT-31) or that of the tax representative (BT-63)", partyNb: "selgers mva-nummer (BT-31) eller avgiftsrepresentantens (BT-63)",
		rate: zeroRate, rateEn: "the VAT rate 0", rateNb: "mva-satsen 0"},
	{prefix: "BR-O", code: "O", en: "not subject to VAT", nb: "utenfor mva-området", exemption: true, docACOnlyForO: true,
		party: func(e *ev) bool { return !e.sellerVAT() && !e.repVAT() && !e.buyerVAT() }, partyEn: "no VAT identifier for the seller, the tax representative or the buyer", partyNb: "ingen mva-nummer for selger, avgiftsrepresentant eller kjøper",
		rate: noRate, rateEn: "no VAT rate", rateNb: "ingen mva-sats"},
	{prefix: "BR-AF", code: "L", en: "IGIC (Canary Islands)", nb: "IGIC (Kanariøyene)", rated: true, sumNoVAT01: true,
		party: func(e *ev) bool { return e.sellerAnyTaxID() || e.repVAT() }, partyEn: "the seller's VAT identifier (BT-31, BT-32) or that of the tax representative (BT-63)", partyNb: "selgers mva-nummer (BT-31, BT-32) eller avgiftsrepresentantens (BT-63)",
		rate: cmpRate(false), rateEn: "a VAT rate of zero or more", rateNb: "en mva-sats på null eller mer"},
	{prefix: "BR-AG", code: "M", en: "IPSI (Ceuta and Melilla)", nb: "IPSI (Ceuta og Melilla)", rated: true,
		party: func(e *ev) bool { return e.sellerAnyTaxID() || e.repVAT() }, partyEn: "the seller's VAT identifier (BT-31, BT-32) or that of the tax representative (BT-63)", partyNb: "selgers mva-nummer (BT-31, BT-32) eller avgiftsrepresentantens (BT-63)",
		rate: cmpRate(false), rateEn: "a VAT rate of zero or more", rateNb: "en mva-sats på null eller mer"},
}

// catIs reports whether tax category n has code (normalize-space) and,
// when vat, the VAT scheme.
func (e *ev) catIs(n node, code string, vat bool) bool {
	// Every category rule asks about the same few categories, each for
	// its own code: a category's code and scheme are read once per check.
	if len(e.catAt) == 0 {
		e.catAt = slices.Grow(e.catAt, e.d.Len())[:e.d.Len()]
	}
	k := e.catAt[n]
	if k == 0 {
		e.catInfo = append(e.catInfo, catInfo{code: e.val(n, pID), vat: e.vatScheme(n)})
		k = int32(len(e.catInfo))
		e.catAt[n] = k
	}
	c := &e.catInfo[k-1]
	return c.code == code && (!vat || c.vat)
}

// catInfo is what catIs reads of a category.
type catInfo struct {
	code string
	vat  bool
}

// cats counts the tax categories (q is TaxCategory or
// ClassifiedTaxCategory) anywhere in the document with code, and with
// the VAT scheme if vat. Many VAT rules ask, for many codes: one pass over
// the categories of q counts them all, once per check.
func (e *ev) cats(q qname, code string, vat bool) int {
	var tally *catTally
	for i := range e.catTallies {
		if e.catTallies[i].q == q.id {
			tally = &e.catTallies[i]
		}
	}
	if tally == nil {
		tally = e.newTally(q.id)
		for _, n := range e.everywhere(q) {
			tally.add(e.val(n, pID), e.vatScheme(n))
		}
	}
	return tally.count(code, vat)
}

// Kinds of tally (see tally), apart from the qname numbers of cats.
const (
	tallyBreakdown    = -1 - iota // the VAT breakdowns' categories
	tallyAC                       // the categories of every allowance and charge
	tallyAllowance                // of the allowances
	tallyCharge                   // of the charges
	tallyDocAllowance             // of the document level allowances
	tallyDocCharge                // of the document level charges
)

// tally counts, by code, the tax categories of a kind (see above), once
// per check: the category rules ask about them for every code.
func (e *ev) tally(kind int32, code string, vat bool) int {
	var t *catTally
	for i := range e.catTallies {
		if e.catTallies[i].q == kind {
			t = &e.catTallies[i]
		}
	}
	if t == nil {
		t = e.newTally(kind)
		add := func(tc node) {
			e.catIs(tc, "", false) // reads the category once per check
			c := &e.catInfo[e.catAt[tc]-1]
			t.add(c.code, c.vat)
		}
		switch kind {
		case tallyBreakdown:
			for tc := range e.each(e.root, pSubtotalTC) {
				add(tc)
			}
		default:
			acs := e.everywhere(pAC[0])
			if kind == tallyDocAllowance || kind == tallyDocCharge {
				acs = e.all(e.root, pAC)
			}
			for _, ac := range acs {
				switch kind {
				case tallyAllowance, tallyDocAllowance:
					if !e.charge(ac, false) {
						continue
					}
				case tallyCharge, tallyDocCharge:
					if !e.charge(ac, true) {
						continue
					}
				}
				for tc := range e.each(ac, pTaxCat) {
					add(tc)
				}
			}
		}
	}
	return t.count(code, vat)
}

// newTally adds an empty tally of kind q, reusing the list of codes a
// tally of an earlier check had there.
func (e *ev) newTally(q int32) *catTally {
	if n := len(e.catTallies); n < cap(e.catTallies) {
		e.catTallies = e.catTallies[:n+1]
		t := &e.catTallies[n]
		*t = catTally{q: q, codes: t.codes[:0]}
		return t
	}
	e.catTallies = append(e.catTallies, catTally{q: q})
	return &e.catTallies[len(e.catTallies)-1]
}

// add counts one category.
func (t *catTally) add(code string, vat bool) {
	k := -1
	for i := range t.codes {
		if t.codes[i].code == code {
			k = i
			break
		}
	}
	if k < 0 {
		t.codes = append(t.codes, catCount{code: code})
		k = len(t.codes) - 1
	}
	t.codes[k].all++
	if vat {
		t.codes[k].vat++
	}
}

// count is how many categories have code (and the VAT scheme, if vat).
func (t *catTally) count(code string, vat bool) int {
	for _, c := range t.codes {
		if c.code == code {
			if vat {
				return c.vat
			}
			return c.all
		}
	}
	return 0
}

// catTally counts the categories named q by code.
type catTally struct {
	q     int32
	codes []catCount
}

type catCount struct {
	code     string
	all, vat int // all of them, and those with the VAT scheme
}

var (
	qTaxCategory        = pathTaxCategory[0]
	qClassifiedCategory = pathClassifiedTaxCategory[0]
)

// acCat reports whether f holds for one of the tax categories with code
// of allowances (charge false) or charges (true); docOnly looks only at
// those on the document level.
func (e *ev) acCat(charge bool, code string, docOnly bool, f func(tc node) bool) bool {
	var acs []node
	if docOnly {
		acs = e.all(e.root, pAC)
	} else {
		acs = e.everywhere(pAC[0])
	}
	for _, ac := range acs {
		if !e.charge(ac, charge) {
			continue
		}
		for tc := range e.each(ac, pTaxCat) {
			if e.catIs(tc, code, true) && f(tc) {
				return true
			}
		}
	}
	return false
}

// breakdownCats counts the VAT breakdown categories with code (and the VAT
// scheme, if vat).
func (e *ev) breakdownCats(code string, vat bool) int { return e.tally(tallyBreakdown, code, vat) }

// subtotalCats are the VAT breakdowns' categories, which each category's
// breakdown rules pick theirs from.
var subtotalCats = shared("subtotalCats", func(e *ev) []node {
	return e.gather(func(out []node) []node { return e.appendAll(out, e.root, pSubtotalTC) })
})

func vatRules(rel string) []def {
	var ds []def
	for _, k := range categories {
		k := k
		id := func(n int) string { return fmt.Sprintf("%s-%02d", k.prefix, n) }
		ds = append(ds, def{id(1), fatal,
			fmt.Sprintf("The invoice uses VAT category %s (%s) on a line, allowance or charge, but the VAT breakdown (BG-23) does not have it as required; add one breakdown for category %s.", k.code, k.en, k.code),
			fmt.Sprintf("Fakturaen bruker mva-kategori %s (%s) på en linje, rabatt eller et gebyr, men mva-spesifikasjonen (BG-23) har den ikke som påkrevd; legg til én spesifikasjon for kategori %s.", k.code, k.nb, k.code),
			atRoot, func(e *ev, n node) bool {
				switch {
				case k.plainTaxCat01 || k.rated:
					vat := !k.plainTaxCat01
					used := e.tally(tallyAC, k.code, vat) + e.cats(qClassifiedCategory, k.code, vat)
					inBreakdown := e.breakdownCats(k.code, vat)
					if used > 0 {
						if k.sumNoVAT01 {
							c := 0
							for tc := range e.each(e.root, pSubtotalTC) {
								if e.str(e.one(tc, pID)) == k.code {
									c++
								}
							}
							return c > 0
						}
						if k.code == "M" {
							c := 0
							for tc := range e.each(e.root, pSubtotalTC) {
								if e.str(e.one(tc, pID)) == k.code && e.vatScheme(tc) {
									c++
								}
							}
							return c > 0
						}
						return inBreakdown > 0
					}
					return inBreakdown == 0
				default:
					used := e.cats(qTaxCategory, k.code, true) > 0 || e.cats(qClassifiedCategory, k.code, true) > 0
					return !used || e.breakdownCats(k.code, true) == 1
				}
			}})
		partyRule := func(n int, what, whatNb string, uses func(e *ev) bool, anyUse func(e *ev) bool) def {
			return def{id(n), fatal,
				fmt.Sprintf("%s has VAT category %s (%s), which requires %s; add what is missing or use another category.", what, k.code, k.en, k.partyEn),
				fmt.Sprintf("%s har mva-kategori %s (%s), som krever %s; legg til det som mangler eller bruk en annen kategori.", whatNb, k.code, k.nb, k.partyNb),
				atRoot, func(e *ev, n node) bool {
					if !anyUse(e) {
						return true
					}
					return uses(e) && k.party(e)
				}}
		}
		lineUse := func(e *ev) bool { return e.cats(qClassifiedCategory, k.code, true) > 0 }
		lineAny := lineUse
		if k.trigger02NoVAT {
			lineAny = func(e *ev) bool { return e.cats(qClassifiedCategory, k.code, false) > 0 }
		}
		ds = append(ds, partyRule(2, "An invoice line", "En fakturalinje", lineUse, lineAny))
		for i, charge := range []bool{false, true} {
			charge := charge
			kind := map[[2]bool]int32{{false, false}: tallyAllowance, {true, false}: tallyCharge,
				{false, true}: tallyDocAllowance, {true, true}: tallyDocCharge}[[2]bool{charge, k.docACOnlyForO}]
			use := func(e *ev) bool { return e.tally(kind, k.code, true) > 0 }
			what, whatNb := "A document level allowance", "En rabatt på dokumentnivå"
			if charge {
				what, whatNb = "A document level charge", "Et gebyr på dokumentnivå"
			}
			anyUse := use
			if k.code == "L" && charge {
				// BR-AF-04's "no such charge" branch compares the code
				// without trimming it.
				anyUse = func(e *ev) bool {
					return e.acCat(charge, k.code, false, func(tc node) bool {
						for id := range e.each(tc, pID) {
							if e.str(id) == k.code {
								return true
							}
						}
						return false
					})
				}
			}
			ds = append(ds, partyRule(3+i, what, whatNb, use, anyUse))
		}

		// Rates on lines, allowances and charges.
		rateMsg := func(what, whatNb string) (string, string) {
			return fmt.Sprintf("%s in VAT category %s (%s) must have %s; correct the rate.", what, k.code, k.en, k.rateEn),
				fmt.Sprintf("%s i mva-kategori %s (%s) må ha %s; rett satsen.", whatNb, k.code, k.nb, k.rateNb)
		}
		en, nb := rateMsg("An invoice line", "En fakturalinje")
		ds = append(ds, def{id(5), fatal, en, nb,
			where(under("cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory", "cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory"),
				func(e *ev, n node) bool { return e.catIs(n, k.code, true) }), k.rate})
		for i, charge := range []bool{false, true} {
			charge := charge
			what, whatNb := "A document level allowance", "En rabatt på dokumentnivå"
			if charge {
				what, whatNb = "A document level charge", "Et gebyr på dokumentnivå"
			}
			en, nb := rateMsg(what, whatNb)
			ds = append(ds, def{id(6 + i), fatal, en, nb,
				where(under("cac:AllowanceCharge/cac:TaxCategory"), func(e *ev, n node) bool {
					return e.chargeCtx(e.d.Parent(n), charge) && e.catIs(n, k.code, true)
				}), k.rate})
		}

		// The breakdown of the category.
		bd := ctxFunc(func(e *ev) []node {
			tcs := subtotalCats.find(e)
			start := len(e.arena)
			for _, tc := range tcs {
				if e.catIs(tc, k.code, true) {
					e.arena = append(e.arena, tc)
				}
			}
			return e.arena[start:len(e.arena):len(e.arena)]
		})
		if k.rated {
			ds = append(ds,
				def{id(8), fatal,
					fmt.Sprintf("The taxable amount (BT-116) of VAT category %s at this rate is not the sum of the line net amounts plus charges minus allowances in that category and rate; correct it.", k.code),
					fmt.Sprintf("Beregningsgrunnlaget (BT-116) for mva-kategori %s med denne satsen er ikke summen av linjebeløp pluss gebyrer minus rabatter i den kategorien og satsen; rett det.", k.code),
					bd, ratedTaxable(k)},
				def{id(9), fatal,
					fmt.Sprintf("The VAT amount (BT-117) of VAT category %s is not the taxable amount (BT-116) times the rate (BT-119), rounded to two decimals; correct it.", k.code),
					fmt.Sprintf("Mva-beløpet (BT-117) for mva-kategori %s er ikke beregningsgrunnlaget (BT-116) ganger satsen (BT-119), avrundet til to desimaler; rett det.", k.code),
					bd, ratedTax})
		} else {
			ds = append(ds,
				def{id(8), fatal,
					fmt.Sprintf("The taxable amount (BT-116) of VAT category %s is not the sum of the line net amounts plus charges minus allowances in that category; correct it.", k.code),
					fmt.Sprintf("Beregningsgrunnlaget (BT-116) for mva-kategori %s er ikke summen av linjebeløp pluss gebyrer minus rabatter i den kategorien; rett det.", k.code),
					bd, plainTaxable(k.code)},
				def{id(9), fatal,
					fmt.Sprintf("The VAT amount (BT-117) of VAT category %s (%s) must be 0.", k.code, k.en),
					fmt.Sprintf("Mva-beløpet (BT-117) for mva-kategori %s (%s) skal være 0.", k.code, k.nb),
					bd, func(e *ev, n node) bool {
						t := e.one(e.d.Parent(n), pathTaxAmount)
						if t == none {
							return false
						}
						d, ok := e.dec(t)
						return !ok || d.IsZero()
					}})
		}
		hasReason := func(e *ev, n node) bool {
			return e.has(n, pathTaxExemptionReason) || e.has(n, pathTaxExemptionReasonCode)
		}
		if k.exemption {
			ds = append(ds, def{id(10), fatal,
				fmt.Sprintf("The VAT breakdown of category %s (%s) must say why no VAT is charged: add an exemption reason (BT-120) or code (BT-121).", k.code, k.en),
				fmt.Sprintf("Mva-spesifikasjonen for kategori %s (%s) må si hvorfor det ikke er mva: legg til fritaksgrunn (BT-120) eller kode (BT-121).", k.code, k.nb),
				bd, hasReason})
		} else {
			ds = append(ds, def{id(10), fatal,
				fmt.Sprintf("The VAT breakdown of category %s (%s) must not have an exemption reason (BT-120) or code (BT-121); remove it.", k.code, k.en),
				fmt.Sprintf("Mva-spesifikasjonen for kategori %s (%s) skal ikke ha fritaksgrunn (BT-120) eller kode (BT-121); fjern den.", k.code, k.nb),
				bd, func(e *ev, n node) bool { return !hasReason(e, n) }})
		}
	}
	ds = append(ds, otherVATRules(rel)...)
	return ds
}

func otherVATRules(rel string) []def {
	oInBreakdown := func(e *ev) bool { return e.breakdownCats("O", true) > 0 }
	noOther := func(list func(e *ev) []node) func(e *ev, n node) bool {
		return func(e *ev, n node) bool {
			if !oInBreakdown(e) {
				return true
			}
			for _, tc := range list(e) {
				if e.vatScheme(tc) && e.val(tc, pID) != "O" {
					return false
				}
			}
			return true
		}
	}
	acTC := func(charge bool) func(e *ev) []node {
		return func(e *ev) []node {
			var out []node
			for _, ac := range e.everywhere(pAC[0]) {
				if e.charge(ac, charge) {
					out = append(out, e.all(ac, pTaxCat)...)
				}
			}
			return out
		}
	}
	anyCat := func(e *ev, code string) bool {
		for _, q := range [2]qname{pathTaxCategory[0], pathClassifiedTaxCategory[0]} {
			for _, n := range e.everywhere(q) {
				for id := range e.each(n, pID) {
					if e.str(id) == code {
						return true
					}
				}
			}
		}
		return false
	}
	// Paths are compiled here, not during a check: a check knows only
	// the names made before it started (see nameID).
	subIDs := p("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID")
	subIDsS := subIDs
	if rel == R3019 {
		subIDsS = p("cac:TaxTotal/cac:TaxSubtotal/cbc:ID") // as the 3.0.19 file has it for S: never present
	}
	b02 := func(e *ev, code string) bool {
		for id := range e.each(e.root, pathAllowanceChargeTaxCategoryID) {
			if e.str(id) == code {
				return true
			}
		}
		sub := subIDs
		if code == "S" {
			sub = subIDsS
		}
		for id := range e.each(e.root, sub) {
			if e.str(id) == code {
				return true
			}
		}
		for _, n := range e.everywhere(pathClassifiedTaxCategory[0]) {
			for id := range e.each(n, pID) {
				if e.str(id) == code {
					return true
				}
			}
		}
		return false
	}
	return []def{
		{"BR-O-11", fatal, "An invoice with a VAT breakdown in category O (not subject to VAT) must not have breakdowns in other categories; remove them or correct the categories.", "En faktura med mva-spesifikasjon i kategori O (utenfor mva-området) kan ikke ha spesifikasjoner i andre kategorier; fjern dem eller rett kategoriene.", atRoot,
			noOther(func(e *ev) []node { return e.all(e.root, pSubtotalTC) })},
		{"BR-O-12", fatal, "An invoice with a VAT breakdown in category O (not subject to VAT) must not have lines in other VAT categories.", "En faktura med mva-spesifikasjon i kategori O (utenfor mva-området) kan ikke ha linjer i andre mva-kategorier.", atRoot,
			noOther(func(e *ev) []node { return e.everywhere(pathClassifiedTaxCategory[0]) })},
		{"BR-O-13", fatal, "An invoice with a VAT breakdown in category O (not subject to VAT) must not have allowances in other VAT categories.", "En faktura med mva-spesifikasjon i kategori O (utenfor mva-området) kan ikke ha rabatter i andre mva-kategorier.", atRoot, noOther(acTC(false))},
		{"BR-O-14", fatal, "An invoice with a VAT breakdown in category O (not subject to VAT) must not have charges in other VAT categories.", "En faktura med mva-spesifikasjon i kategori O (utenfor mva-området) kan ikke ha gebyrer i andre mva-kategorier.", atRoot, noOther(acTC(true))},
		{"BR-IC-11", fatal, "An intra-community supply (VAT category K) needs the actual delivery date (BT-72) or the invoicing period (BG-14); add one.", "En leveranse innen EØS (mva-kategori K) må ha faktisk leveringsdato (BT-72) eller faktureringsperiode (BG-14); legg til en av dem.", atRoot,
			func(e *ev, n node) bool {
				if e.breakdownCats("K", true) == 0 {
					return true
				}
				if len([]rune(e.str(e.one(n, pathDeliveryActualDeliveryDate)))) > 1 {
					return true
				}
				for ip := range e.each(n, pathInvoicePeriod) {
					for c := range e.d.Children(ip) {
						if e.d.Kind(c) == 1 {
							return true
						}
					}
				}
				return false
			}},
		{"BR-IC-12", fatal, "An intra-community supply (VAT category K) needs the country the goods were delivered to (BT-80); add the delivery address country code.", "En leveranse innen EØS (mva-kategori K) må ha landet varene ble levert til (BT-80); legg til landkode i leveringsadressen.", atRoot,
			func(e *ev, n node) bool {
				if e.breakdownCats("K", true) == 0 {
					return true
				}
				return len([]rune(e.str(e.one(n, pathDeliveryDeliveryLocationAddressCountryIdentificationCode)))) > 1
			}},
		{"BR-B-01", fatal, "Split payment (VAT category B) is only for domestic Italian invoices; every country code in the invoice must be IT.", "Delt betaling (mva-kategori B) gjelder bare innenlandske italienske fakturaer; alle landkoder i fakturaen må være IT.", atRoot,
			func(e *ev, n node) bool {
				if !anyCat(e, "B") {
					return true
				}
				for _, c := range e.everywhere(pathIdentificationCode[0]) {
					if e.str(c) != "IT" {
						return false
					}
				}
				return true
			}},
		{"BR-B-02", fatal, "An invoice with split payment (VAT category B) must not also have standard rated (S) lines, allowances, charges or breakdowns.", "En faktura med delt betaling (mva-kategori B) kan ikke også ha linjer, rabatter, gebyrer eller spesifikasjoner med standard sats (S).", atRoot,
			func(e *ev, n node) bool { return !b02(e, "B") || !b02(e, "S") }},
	}
}

// sumOver is the sum of line net amounts plus charges minus allowances of
// the document in category code (and rate, when rate is not nil), over the
// invoice lines (credit false) or credit note lines.
func (e *ev) sumOver(code string, rate *decimal.Decimal, credit bool) (decimal.Decimal, bool) {
	// Several rules ask for the same sum: each is made once per check.
	for _, m := range e.sums {
		if m.code == code && m.credit == credit && m.hasRate == (rate != nil) && (rate == nil || exact.Equal(m.rate, *rate)) {
			return m.sum, m.ok
		}
	}
	sum, ok := e.makeSum(code, rate, credit)
	m := sumMemo{code: code, hasRate: rate != nil, credit: credit, sum: sum, ok: ok}
	if rate != nil {
		m.rate = *rate // a copy: the caller's rate stays on its stack
	}
	e.sums = append(e.sums, m)
	return sum, ok
}

// sumMemo is one remembered sumOver.
type sumMemo struct {
	code    string
	rate    decimal.Decimal
	hasRate bool
	credit  bool
	sum     decimal.Decimal
	ok      bool
}

func (e *ev) makeSum(code string, rate *decimal.Decimal, credit bool) (decimal.Decimal, bool) {
	sum := decimal.Zero
	var atRate *rateTest
	if rate != nil {
		t := e.isRate(*rate)
		atRate = &t
	}
	plus, minus := e.sumLists(code, atRate, credit)
	// Plain amounts are added and taken from each other in int64: one
	// decimal made instead of three.
	if pa, ps, ok := e.sumFast(plus); ok {
		if ma, ms, ok := e.sumFast(minus); ok {
			if d, sc, ok := subFast(pa, ps, ma, ms); ok {
				return decimal.New(d, int32(-sc)), true
			}
		}
	}
	p, ok := e.sumDec(plus)
	if !ok {
		return sum, false
	}
	m, ok := e.sumDec(minus)
	if !ok {
		return sum, false
	}
	sum = exact.Sub(p, m)
	return sum, true
}

// sumLists lists the amounts that makeSum adds (plus) and takes away
// (minus): the net amounts of the lines, and the amounts of the charges and
// allowances, in category code at the rate atRate tests (any rate when
// nil). The lists are the evaluator's, valid until the next call.
func (e *ev) sumLists(code string, atRate *rateTest, credit bool) (plus, minus []node) {
	lp := pLines
	if credit {
		lp = pCNLines
	}
	rateIs := func(tcs []node) bool {
		if atRate == nil {
			return true
		}
		for _, tc := range tcs {
			for pc := range e.each(tc, pPercent) {
				if atRate.is(pc) {
					return true
				}
			}
		}
		return false
	}
	codeIs := func(tcs []node) bool {
		for _, tc := range tcs {
			if e.val(tc, pID) == code {
				return true
			}
		}
		return false
	}
	plus, minus = e.plus[:0], e.minus[:0]
	for l := range e.each(e.root, lp) {
		e.scratch = e.appendAll(e.scratch[:0], l, pItemCTC)
		if codeIs(e.scratch) && rateIs(e.scratch) {
			plus = e.appendAll(plus, l, pLEA)
		}
	}
	for ac := range e.each(e.root, pAC) {
		e.scratch = e.appendAll(e.scratch[:0], ac, pTaxCat)
		if !codeIs(e.scratch) || !rateIs(e.scratch) {
			continue
		}
		if e.charge(ac, true) {
			plus = e.appendAll(plus, ac, pAmount)
		}
		if e.charge(ac, false) {
			minus = e.appendAll(minus, ac, pAmount)
		}
	}
	e.plus, e.minus = plus[:0], minus[:0]
	return plus, minus
}

// sumOverFx is sumOver at a plain rate, in plain decimals: false when a
// value is not plain or a step overflows (the caller then goes the
// general way).
func (e *ev) sumOverFx(code string, rate exact.Fixed, credit bool) (exact.Fixed, bool) {
	for _, m := range e.sumsFx {
		if m.code == code && m.credit == credit {
			if c, ok := m.rate.Cmp(rate); ok && c == 0 {
				return m.sum, m.ok
			}
		}
	}
	var sum exact.Fixed
	t := e.isRateFx(rate)
	plus, minus := e.sumLists(code, &t, credit)
	pa, ps, ok := e.sumFast(plus)
	if ok {
		var ma int64
		var ms int
		if ma, ms, ok = e.sumFast(minus); ok {
			var d int64
			var sc int
			d, sc, ok = subFast(pa, ps, ma, ms)
			sum = exact.NewFixed(d, -int32(sc))
		}
	}
	e.sumsFx = append(e.sumsFx, sumMemoFx{code: code, rate: rate, credit: credit, sum: sum, ok: ok})
	return sum, ok
}

// sumMemoFx is one remembered sumOverFx.
type sumMemoFx struct {
	code      string
	rate, sum exact.Fixed
	credit    bool
	ok        bool
}

func plainTaxable(code string) func(e *ev, n node) bool {
	return func(e *ev, n node) bool {
		t := e.one(e.d.Parent(n), pathTaxableAmount)
		v, ok := e.dec(t)
		if t != none && !ok {
			return true
		}
		for _, credit := range []bool{false, true} {
			if len(e.everywhere(map[bool]qname{false: pLines[0], true: pCNLines[0]}[credit])) == 0 {
				continue
			}
			s, ok := e.sumOver(code, nil, credit)
			if !ok {
				return true
			}
			if t != none && exact.Equal(v, s) {
				return true
			}
		}
		return false
	}
}

func ratedTaxable(k category) func(e *ev, n node) bool {
	return func(e *ev, n node) bool {
		if r, ok := ratedTaxableFx(e, n, k); ok {
			return r
		}
		return ratedTaxableDec(e, n, k)
	}
}

// ratedTaxableFx is ratedTaxable in plain decimals: it answers (ok) only
// where every value it reads is plain, no step overflows and the bounds in
// xs:double are clear, and otherwise leaves the answer to
// ratedTaxableDec, which reads the same values in the same order.
func ratedTaxableFx(e *ev, n node, k category) (res, ok bool) {
	it, pc := e.kids(n, pPercent[0])
	for ; pc != none; pc = it.next(pc) {
		rate, ok := e.fxNode(pc)
		if !ok {
			return false, false
		}
		t := e.one(e.d.Parent(n), pathTaxableAmount)
		var tv exact.Fixed
		if t != none {
			if tv, ok = e.fxNode(t); !ok {
				return false, false
			}
		}
		held := false
		for _, credit := range []bool{false, true} {
			lq := pLines[0]
			if credit {
				lq = pCNLines[0]
			}
			var present bool
			if k.code == "S" {
				at := e.isRateFx(rate)
				present = e.sAtRateTest(e.everywhere(lq), pItemCTC, at) || e.sAtRateTest(e.everywhere(pAC[0]), pTaxCat, at)
			} else {
				present = len(e.everywhere(lq)) > 0
			}
			if !present {
				continue
			}
			s, ok := e.sumOverFx(k.code, rate, credit)
			if !ok {
				return false, false
			}
			if t != none {
				in, ok := fxWithinOneDouble(tv, s)
				if !ok {
					return false, false
				}
				if in {
					held = true
				}
			}
		}
		if !held {
			return false, true
		}
	}
	return true, true
}

func ratedTaxableDec(e *ev, n node, k category) bool {
	it, pc := e.kids(n, pPercent[0])
	for ; pc != none; pc = it.next(pc) {
		rate, ok := e.dec(pc)
		if !ok {
			return true
		}
		t := e.one(e.d.Parent(n), pathTaxableAmount)
		tv, ok := e.num(t)
		if t != none && !ok {
			return true
		}
		held := false
		for _, credit := range []bool{false, true} {
			lq := pLines[0]
			if credit {
				lq = pCNLines[0]
			}
			var present bool
			if k.code == "S" {
				present = e.sAtRate(e.everywhere(lq), pItemCTC, rate) || e.sAtRate(e.everywhere(pAC[0]), pTaxCat, rate)
			} else {
				present = len(e.everywhere(lq)) > 0
			}
			if !present {
				continue
			}
			s, ok := e.sumOver(k.code, &rate, credit)
			if !ok {
				return true
			}
			if t != none && exact.WithinOne(tv, s) { // the official bounds are in xs:double
				held = true
			}
		}
		if !held {
			return false
		}
	}
	return true
}

// sAtRate reports whether one of owners (lines or allowances/charges)
// has, among its categories at path cats, one with code S and one with
// the given rate (not necessarily the same one, as the official test
// reads).
func (e *ev) sAtRate(owners []node, cats path, rate decimal.Decimal) bool {
	return e.sAtRateTest(owners, cats, e.isRate(rate))
}

// sAtRateTest is sAtRate with the rate test made.
func (e *ev) sAtRateTest(owners []node, cats path, atRate rateTest) bool {
	for _, o := range owners {
		code, r := false, false
		for tc := range e.each(o, cats) {
			if e.val(tc, pID) == "S" {
				code = true
			}
			for pc := range e.each(tc, pPercent) {
				if atRate.is(pc) {
					r = true
				}
			}
		}
		if code && r {
			return true
		}
	}
	return false
}

func ratedTaxDec(e *ev, n node) bool {
	sub := e.d.Parent(n)
	taN, txN := e.one(sub, pathTaxAmount), e.one(sub, pathTaxableAmount)
	pcN := e.one(n, pPercent)
	if taN == none || txN == none || pcN == none {
		return false
	}
	ta, ok1 := e.dec(taN)
	tx, ok2 := e.dec(txN)
	pc, ok3 := e.dec(pcN)
	if !ok1 || !ok2 || !ok3 {
		return true
	}
	want := round2(exact.Mul(exact.Abs(tx), pc.Shift(-2)))
	a := exact.Abs(ta)
	return exact.Cmp(exact.Sub(a, one), want) < 0 && exact.Cmp(exact.Add(a, one), want) > 0
}

var _ = strings.TrimSpace
