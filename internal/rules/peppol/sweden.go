package peppol

import (
	"strings"

	"github.com/ehf-project/ehf/internal/rule"
)

// seSupplier reports whether some AccountingSupplierParty/Party has the
// postal country code SE (as written).
func seParty(t tree, role step) bool {
	found := false
	t.each(func(p Node) {
		if !found && t.parentIs(p, role) && t.anyIs(p, "SE", cacPostalAddress, cacCountry, cbcIdentificationCode) {
			found = true
		}
	}, cacParty)
	return found
}

// seVATParty reports whether supplier party p is Swedish with a Swedish
// VAT number (the condition of SE-R-001, -002 and -006).
func seVATParty(t tree, p Node) bool {
	if !t.anyIs(p, "SE", cacPostalAddress, cacCountry, cbcIdentificationCode) {
		return false
	}
	se := false
	for _, s := range t.kids(p, cacPartyTaxScheme) {
		if !t.anyIs(s, "VAT", cacTaxScheme, cbcID) {
			continue
		}
		ids := t.texts(s, cbcCompanyID)
		if len(ids) > 1 {
			return false // substring() of two values: an error, so no match
		}
		if len(ids) == 1 && substr(ids[0], 1, 2) == "SE" {
			se = true
		}
	}
	return se
}

// rawVATID is PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/cbc:CompanyID
// (the first).
func rawVATID(t tree, p Node) string {
	for _, s := range t.kids(p, cacPartyTaxScheme) {
		if t.anyIs(s, "VAT", cacTaxScheme, cbcID) {
			if n := t.kid(s, cbcCompanyID); n != none {
				return t.text(n)
			}
		}
	}
	return ""
}

// sweden are the SE-R rules.
func sweden(r *release) []rule.Rule {
	suppliers := func(t tree, f func(p Node)) {
		t.each(func(p Node) {
			if t.parentIs(p, cacAccountingSupplierParty) {
				f(p)
			}
		}, cacParty)
	}
	onVATParty := func(test func(t tree, p Node) bool) check {
		return func(c *rule.Context, ru *rule.Rule) {
			t := r.vars(c).t
			suppliers(t, func(p Node) {
				if seVATParty(t, p) && !test(t, p) {
					c.Fail(ru, p)
				}
			})
		}
	}
	onLegal := func(test func(id string) bool) check {
		return func(c *rule.Context, ru *rule.Rule) {
			t := r.vars(c).t
			suppliers(t, func(p Node) {
				if !t.anyIs(p, "SE", cacPostalAddress, cacCountry, cbcIdentificationCode) {
					return
				}
				for _, le := range t.kids(p, cacPartyLegalEntity) {
					if id := t.kid(le, cbcCompanyID); id != none && !test(t.text(id)) {
						c.Fail(ru, le)
					}
				}
			})
		}
	}
	// giro checks the account ID of payment means 30 with the given
	// branch (SE:PLUSGIRO or SE:BANKGIRO) when the seller is Swedish.
	giro := func(branch string, test func(s string) bool) check {
		return func(c *rule.Context, ru *rule.Rule) {
			t := r.vars(c).t
			if !seParty(t, cacAccountingSupplierParty) {
				return
			}
			t.each(func(pm Node) {
				codes := t.texts(pm, cbcPaymentMeansCode)
				branches := t.texts(pm, cacPayeeFinancialAccount, cacFinancialInstitutionBranch, cbcID)
				if len(codes) != 1 || norm(codes[0]) != "30" || len(branches) != 1 || norm(branches[0]) != branch {
					return
				}
				for _, id := range t.all(pm, cacPayeeFinancialAccount, cbcID) {
					if !test(norm(t.text(id))) {
						c.Fail(ru, id)
					}
				}
			}, cacPaymentMeans)
		}
	}
	onPM := func(gate func(t tree) bool, codes ...string) check {
		return func(c *rule.Context, ru *rule.Rule) {
			t := r.vars(c).t
			if !gate(t) {
				return
			}
			t.each(func(pm Node) {
				for _, code := range codes {
					if t.anyIs(pm, code, cbcPaymentMeansCode) {
						c.Fail(ru, pm)
						return
					}
				}
			}, cacPaymentMeans)
		}
	}
	seSupplier := func(t tree) bool { return seParty(t, cacAccountingSupplierParty) }
	out := []rule.Rule{
		fatal("SE-R-001",
			"A Swedish VAT number must be 14 characters: SE, ten digits and 01.",
			"Et svensk MVA-nummer må ha 14 tegn: SE, ti sifre og 01.",
			onVATParty(func(t tree, p Node) bool {
				var s string
				for _, ts := range t.kids(p, cacPartyTaxScheme) {
					if t.anyIs(ts, "VAT", cacTaxScheme, cbcID) {
						s = t.val(ts, cbcCompanyID)
						break
					}
				}
				return length(norm(s)) == 14
			})),
		fatal("SE-R-002",
			"The twelve characters after SE in a Swedish VAT number must be digits.",
			"De tolv tegnene etter SE i et svensk MVA-nummer må være sifre.",
			onVATParty(func(t tree, p Node) bool { return isNumber(substr(rawVATID(t, p), 3, 12)) })),
		fatal("SE-R-003",
			"A Swedish organisation number must be numeric.",
			"Et svensk organisasjonsnummer må være et tall.",
			onLegal(isNumber)),
		fatal("SE-R-004",
			"A Swedish organisation number must be ten characters.",
			"Et svensk organisasjonsnummer må ha ti tegn.",
			onLegal(func(s string) bool { return length(norm(s)) == 10 })),
		fatal("SE-R-013",
			"The last digit of this Swedish organisation number is not its Luhn check digit. Check the number.",
			"Siste siffer i dette svenske organisasjonsnummeret er ikke riktig Luhn-kontrollsiffer. Kontroller nummeret.",
			onLegal(func(s string) bool { return seOrgOK(norm(s)) })),
		fatal("SE-R-005",
			"A Swedish seller's tax registration identifier must read \"Godkänd för F-skatt\".",
			"Skatteregistreringsnummeret til en svensk selger må lyde «Godkänd för F-skatt».",
			func(c *rule.Context, ru *rule.Rule) {
				t := r.vars(c).t
				suppliers(t, func(p Node) {
					if !t.anyIs(p, "SE", cacPostalAddress, cacCountry, cbcIdentificationCode) ||
						!t.has(p, cacPartyLegalEntity, cbcCompanyID) {
						return
					}
					for _, s := range t.kids(p, cacPartyTaxScheme) {
						if ids := t.texts(s, cacTaxScheme, cbcID); len(ids) > 1 || norm(strings.ToUpper(t.val(s, cacTaxScheme, cbcID))) == "VAT" {
							continue
						}
						for _, id := range t.kids(s, cbcCompanyID) {
							if norm(strings.ToUpper(t.text(id))) != "GODKÄND FÖR F-SKATT" {
								c.Fail(ru, id)
							}
						}
					}
				})
			}),
		fatal("SE-R-006",
			"A Swedish seller's standard rated VAT (category S) must be 25, 12 or 6 percent.",
			"Standardsats for MVA (kategori S) for en svensk selger må være 25, 12 eller 6 prosent.",
			func(c *rule.Context, ru *rule.Rule) {
				t := r.vars(c).t
				se := false
				suppliers(t, func(p Node) { se = se || seVATParty(t, p) })
				if !se {
					return
				}
				t.each(func(n Node) {
					if !t.anyIs(n, "S", cbcID) {
						return
					}
					f := number(t.val(n, cbcPercent))
					if f != 25 && f != 12 && f != 6 {
						c.Fail(ru, n)
					}
				}, cacTaxCategory, cacClassifiedTaxCategory)
			}),
		warning("SE-R-007",
			"A Plusgiro account number should be numeric.",
			"Et Plusgiro-kontonummer bør være et tall.",
			giro("SE:PLUSGIRO", isNumber)),
		warning("SE-R-010",
			"A Plusgiro account number should have 2 to 8 characters.",
			"Et Plusgiro-kontonummer bør ha 2 til 8 tegn.",
			giro("SE:PLUSGIRO", func(s string) bool { n := length(s); return n >= 2 && n <= 8 })),
		warning("SE-R-008",
			"A Bankgiro account number should be numeric.",
			"Et Bankgiro-kontonummer bør være et tall.",
			giro("SE:BANKGIRO", isNumber)),
		warning("SE-R-009",
			"A Bankgiro account number should have 7 or 8 characters.",
			"Et Bankgiro-kontonummer bør ha 7 eller 8 tegn.",
			giro("SE:BANKGIRO", func(s string) bool { n := length(s); return n == 7 || n == 8 })),
		warning("SE-R-011",
			"For Swedish Bankgiro or Plusgiro, use payment means code 30 with the branch ID SE:BANKGIRO or SE:PLUSGIRO instead of code 50 or 56.",
			"For svensk Bankgiro eller Plusgiro bør betalingsmåtekode 30 brukes med filial-ID SE:BANKGIRO eller SE:PLUSGIRO i stedet for kode 50 eller 56.",
			onPM(seSupplier, "50", "56")),
		warning("SE-R-012",
			"Between Swedish parties, a credit transfer should have payment means code 30, not 31.",
			"Mellom svenske parter bør en kontooverføring ha betalingsmåtekode 30, ikke 31.",
			onPM(func(t tree) bool { return seSupplier(t) && seParty(t, cacAccountingCustomerParty) }, "31")),
	}
	return out
}

// swedish is the gate of the Swedish rules: every one needs a seller with
// the postal country SE.
func swedish(v *vars) bool {
	if v.swedish == 0 {
		v.swedish = 2
		if seParty(v.t, cacAccountingSupplierParty) {
			v.swedish = 1
		}
	}
	return v.swedish == 1
}
