package peppol

import (
	"regexp"
	"strings"

	"github.com/ehf-project/ehf/internal/rule"
)

var dkGiroRE = regexp.MustCompile(`^[0-9]{7,8}$`)

// denmark are the DK-R rules. The Danish pattern reads the postal country
// codes as written (not trimmed, not upper-cased).
func denmark(r *release) []rule.Rule {
	dkSupplier := func(v *vars) bool { return v.supplierAddr == "DK" }
	dkBoth := func(v *vars) bool { return v.supplierAddr == "DK" && v.customerAddr == "DK" }
	onRootIf := func(gate func(v *vars) bool, test func(v *vars) bool) check {
		return r.onRoot(func(v *vars) bool { return !gate(v) || test(v) })
	}
	legalID := func(v *vars) Node {
		return v.t.first(v.root, cacAccountingSupplierParty, cacParty, cacPartyLegalEntity, cbcCompanyID)
	}
	// payment means of an Invoice (the official context names ubl-invoice:Invoice only)
	onPM := func(test func(t tree, pm Node, code string) bool) check {
		return func(c *rule.Context, ru *rule.Rule) {
			v := r.vars(c)
			if !v.invoice || !dkBoth(v) {
				return
			}
			for _, pm := range v.t.kids(v.root, cacPaymentMeans) {
				if !test(v.t, pm, "") {
					c.Fail(ru, pm)
				}
			}
		}
	}
	codeIs := func(t tree, pm Node, code string) bool { return t.anyIs(pm, code, cbcPaymentMeansCode) }
	paymentID := func(t tree, pm Node) string { return t.val(pm, cbcPaymentID) }
	filled := func(t tree, n Node, steps ...step) bool {
		return norm(textOnly(t, t.first(n, steps...))) != ""
	}
	prefixIn := func(s string, ps ...string) bool { return in(ps, substr(s, 1, 3)) }

	dk003 := rule.Rule{ID: "DK-R-003",
		En: "A Danish seller's item classification with list TST (UNSPSC) should give version 19.05.01 or 26.08.01 in listVersionID.",
		Nb: "Når en dansk selger klassifiserer varen med liste TST (UNSPSC), bør listVersionID være versjon 19.05.01 eller 26.08.01.",
		Check: func(c *rule.Context, ru *rule.Rule) {
			v := r.vars(c)
			if !(v.invoice || v.credit) || !dkBoth(v) {
				return
			}
			for _, l := range v.lines() {
				tst, version := false, false
				for _, cc := range v.t.all(l, cacItem, cacCommodityClassification, cbcItemClassificationCode) {
					if a, ok := v.t.attr(cc, attrListID); ok && a == "TST" {
						tst = true
					}
					if a, ok := v.t.attr(cc, attrListVersionID); ok && in([]string{"19.05.01", "19.0501", "26.08.01", "26.0801"}, a) {
						version = true
					}
				}
				if tst && !version {
					c.Fail(ru, l)
				}
			}
		}}
	dk003.Flag = warningFlag
	if r.v2026 {
		dk003.Flag = fatalFlag
	}

	out := []rule.Rule{
		fatal("DK-R-002",
			"A Danish seller must give its CVR number as legal registration identifier (cac:PartyLegalEntity/cbc:CompanyID).",
			"En dansk selger må oppgi CVR-nummeret sitt som juridisk registreringsnummer (cac:PartyLegalEntity/cbc:CompanyID).",
			onRootIf(dkSupplier, func(v *vars) bool { return norm(textOnly(v.t, legalID(v))) != "" })),
		fatal("DK-R-014",
			"A Danish seller's legal registration identifier must have schemeID 0184 (CVR number).",
			"Det juridiske registreringsnummeret til en dansk selger må ha schemeID 0184 (CVR-nummer).",
			onRootIf(dkSupplier, func(v *vars) bool {
				n := legalID(v)
				if n == none {
					return true
				}
				s, _ := v.t.attr(n, attrSchemeID)
				return norm(s) == "0184"
			})),
		fatal("DK-R-016",
			"A credit note from a Danish seller to a Danish buyer cannot have a negative amount due (cbc:PayableAmount).",
			"En kreditnota fra en dansk selger til en dansk kjøper kan ikke ha negativt beløp til betaling (cbc:PayableAmount).",
			onRootIf(dkSupplier, func(v *vars) bool {
				return !(v.credit && v.customerAddr == "DK" &&
					number(textOnly(v.t, v.t.first(v.root, cacLegalMonetaryTotal, cbcPayableAmount))) < 0)
			})),
		fatal("DK-R-013",
			"Between Danish parties, a party identifier (cac:PartyIdentification/cbc:ID) must have a schemeID.",
			"Mellom danske parter må en partsidentifikator (cac:PartyIdentification/cbc:ID) ha schemeID.",
			func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				if !(v.invoice || v.credit) || !dkBoth(v) {
					return
				}
				for _, role := range []step{cacAccountingSupplierParty, cacAccountingCustomerParty} {
					for _, pi := range v.t.all(v.root, role, cacParty, cacPartyIdentification) {
						id := v.t.kid(pi, cbcID)
						if id == none {
							continue
						}
						if s, _ := v.t.attr(id, attrSchemeID); norm(s) == "" {
							c.Fail(ru, pi)
						}
					}
				}
			}),
		fatal("DK-R-005",
			"Between Danish parties the payment means code must be one of 1, 10, 31, 42, 48, 49, 50, 58, 59, 93 or 97.",
			"Mellom danske parter må betalingsmåtekoden være en av 1, 10, 31, 42, 48, 49, 50, 58, 59, 93 eller 97.",
			onPM(func(t tree, pm Node, _ string) bool {
				return strings.Contains(" 1 10 31 42 48 49 50 58 59 93 97 ", " "+t.val(pm, cbcPaymentMeansCode)+" ")
			})),
		fatal("DK-R-006",
			"For payment means 31 or 42 between Danish parties, give both the account number (cac:PayeeFinancialAccount/cbc:ID) and the registration number (cac:FinancialInstitutionBranch/cbc:ID).",
			"For betalingsmåte 31 eller 42 mellom danske parter må både kontonummer (cac:PayeeFinancialAccount/cbc:ID) og registreringsnummer (cac:FinancialInstitutionBranch/cbc:ID) oppgis.",
			onPM(func(t tree, pm Node, _ string) bool {
				if !codeIs(t, pm, "31") && !codeIs(t, pm, "42") {
					return true
				}
				return filled(t, pm, cacPayeeFinancialAccount, cbcID) &&
					filled(t, pm, cacPayeeFinancialAccount, cacFinancialInstitutionBranch, cbcID)
			})),
		fatal("DK-R-007",
			"For payment means 49 between Danish parties, give the mandate reference (cac:PaymentMandate/cbc:ID) and the debited account (cac:PayerFinancialAccount/cbc:ID).",
			"For betalingsmåte 49 mellom danske parter må mandatreferansen (cac:PaymentMandate/cbc:ID) og kontoen som belastes (cac:PayerFinancialAccount/cbc:ID) oppgis.",
			onPM(func(t tree, pm Node, _ string) bool {
				if !codeIs(t, pm, "49") {
					return true
				}
				return filled(t, pm, cacPaymentMandate, cbcID) &&
					filled(t, pm, cacPaymentMandate, cacPayerFinancialAccount, cbcID)
			})),
		fatal("DK-R-008",
			"For giro payment (means 50) between Danish parties, the payment ID must start with 01#, 04# or 15# and the giro account number must be 7 or 8 digits.",
			"For girobetaling (betalingsmåte 50) mellom danske parter må betalings-ID begynne med 01#, 04# eller 15#, og girokontonummeret må ha 7 eller 8 sifre.",
			onPM(func(t tree, pm Node, _ string) bool {
				if !codeIs(t, pm, "50") {
					return true
				}
				return prefixIn(paymentID(t, pm), "01#", "04#", "15#") &&
					dkGiroRE.MatchString(t.val(pm, cacPayeeFinancialAccount, cbcID))
			})),
		fatal("DK-R-009",
			"For giro payment (means 50) between Danish parties, a payment ID starting with 04# or 15# must carry the 16-digit instruction ID, such as 04#1234567890123456.",
			"For girobetaling (betalingsmåte 50) mellom danske parter må en betalings-ID som begynner med 04# eller 15# ha den 16-sifrede betalingsidentifikasjonen, for eksempel 04#1234567890123456.",
			onPM(func(t tree, pm Node, _ string) bool {
				id := paymentID(t, pm)
				return !(codeIs(t, pm, "50") && prefixIn(id, "04#", "15#") && length(id) != 19)
			})),
		fatal("DK-R-010",
			"For FIK payment (means 93) between Danish parties, the payment ID must start with 71#, 73# or 75# and the creditor number (cac:PayeeFinancialAccount/cbc:ID) must be exactly 8 characters.",
			"For FIK-betaling (betalingsmåte 93) mellom danske parter må betalings-ID begynne med 71#, 73# eller 75#, og kreditornummeret (cac:PayeeFinancialAccount/cbc:ID) må ha nøyaktig 8 tegn.",
			onPM(func(t tree, pm Node, _ string) bool {
				if !codeIs(t, pm, "93") {
					return true
				}
				return prefixIn(paymentID(t, pm), "71#", "73#", "75#") &&
					length(textOnly(t, t.first(pm, cacPayeeFinancialAccount, cbcID))) == 8
			})),
		fatal("DK-R-011",
			"For FIK payment (means 93) between Danish parties, a payment ID starting with 71# or 75# must carry the 15 or 16 digit instruction ID.",
			"For FIK-betaling (betalingsmåte 93) mellom danske parter må en betalings-ID som begynner med 71# eller 75# ha den 15- eller 16-sifrede betalingsidentifikasjonen.",
			onPM(func(t tree, pm Node, _ string) bool {
				id := paymentID(t, pm)
				n := length(id)
				return !(codeIs(t, pm, "93") && prefixIn(id, "71#", "75#") && n != 18 && n != 19)
			})),
		dk003,
		fatal("DK-R-004",
			"Between Danish parties, a non-VAT tax given as allowance or charge with reason code ZZZ needs the reason: the 4-digit tax category, or a text with a # that neither starts nor ends it.",
			"Mellom danske parter må en avgift utenom MVA, oppgitt som fradrag eller tillegg med årsakskode ZZZ, ha årsaken: den firesifrede avgiftskategorien, eller en tekst med # som verken står først eller sist.",
			func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				if !dkBoth(v) {
					return
				}
				t := v.t
				t.each(func(ac Node) {
					if !t.anyIs(ac, "ZZZ", cbcAllowanceChargeReasonCode) {
						return
					}
					reason := t.kid(ac, cbcAllowanceChargeReason)
					s := t.text(reason)
					f := number(s)
					if length(norm(textOnly(t, reason))) == 4 && f >= 0 && f <= 9999 {
						return
					}
					if reason != none && strings.Contains(s, "#") && !strings.HasPrefix(s, "#") && !strings.HasSuffix(s, "#") {
						return
					}
					c.Fail(ru, ac)
				}, cacAllowanceCharge)
			}),
	}
	if r.v2026 {
		out = append(out, fatal("DK-R-017",
			"Between Danish parties, the buyer's legal registration identifier must have schemeID 0184 (CVR number).",
			"Mellom danske parter må kjøpers juridiske registreringsnummer ha schemeID 0184 (CVR-nummer).",
			func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				if !(v.invoice || v.credit) || !dkBoth(v) {
					return
				}
				for _, p := range v.t.all(v.root, cacAccountingCustomerParty, cacParty) {
					n := v.t.first(p, cacPartyLegalEntity, cbcCompanyID)
					if n == none {
						continue
					}
					if s, _ := v.t.attr(n, attrSchemeID); norm(s) != "0184" {
						c.Fail(ru, p)
					}
				}
			}))
	}
	return out
}
