package peppol

import (
	"strings"

	"github.com/ehf-project/ehf/internal/rule"
)

// netherlands are the NL-R rules: for suppliers whose postal country is NL.
func netherlands(r *release) []rule.Rule {
	// at runs test on every element named step whose parent chain (nearest
	// first) is parents, when gate holds.
	at := func(gate func(v *vars) bool, step step, parents []step, test func(v *vars, n Node) bool) check {
		return func(c *rule.Context, ru *rule.Rule) {
			v := r.vars(c)
			if !gate(v) {
				return
			}
			v.t.each(func(n Node) {
				p := n
				for _, want := range parents {
					p = c.Doc.Parent(p)
					if p <= 0 || !v.t.is(p, want) {
						return
					}
				}
				if !test(v, n) {
					c.Fail(ru, n)
				}
			}, step)
		}
	}
	sup := func(v *vars) bool { return v.supplierNL }
	both := func(v *vars) bool { return v.supplierNL && v.customerNL }
	address := func(v *vars, a Node) bool {
		return v.t.has(a, cbcStreetName) && v.t.has(a, cbcCityName) && v.t.has(a, cbcPostalZone)
	}
	kvk := func(v *vars, n Node) bool {
		// the official test looks for the code as a space separated token
		s, _ := v.t.attr(n, attrSchemeID)
		s = " " + s + " "
		return (strings.Contains(s, " 0106 ") || strings.Contains(s, " 0190 ")) && norm(v.t.text(n)) != ""
	}
	return []rule.Rule{
		fatal("NL-R-001",
			"A credit note from a Dutch seller must refer to the invoice it credits (cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID).",
			"En kreditnota fra en nederlandsk selger må vise til fakturaen den krediterer (cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID).",
			at(sup, cbcCreditNoteTypeCode, nil, func(v *vars, _ Node) bool {
				return v.t.has(v.root, cacBillingReference, cacInvoiceDocumentReference, cbcID)
			})),
		fatal("NL-R-002",
			"A Dutch seller's address must have street (cbc:StreetName), city (cbc:CityName) and post code (cbc:PostalZone).",
			"Adressen til en nederlandsk selger må ha gate (cbc:StreetName), poststed (cbc:CityName) og postnummer (cbc:PostalZone).",
			at(sup, cacPostalAddress, []step{cacParty, cacAccountingSupplierParty}, address)),
		fatal("NL-R-003",
			"A Dutch seller's legal registration identifier must be a KvK or OIN number (schemeID 0106 or 0190).",
			"Det juridiske registreringsnummeret til en nederlandsk selger må være et KvK- eller OIN-nummer (schemeID 0106 eller 0190).",
			at(sup, cbcCompanyID, []step{cacPartyLegalEntity, cacParty, cacAccountingSupplierParty}, kvk)),
		fatal("NL-R-004",
			"When seller and buyer are Dutch, the buyer's address must have street (cbc:StreetName), city (cbc:CityName) and post code (cbc:PostalZone).",
			"Når selger og kjøper er nederlandske, må kjøpers adresse ha gate (cbc:StreetName), poststed (cbc:CityName) og postnummer (cbc:PostalZone).",
			at(both, cacPostalAddress, []step{cacParty, cacAccountingCustomerParty}, address)),
		fatal("NL-R-005",
			"When seller and buyer are Dutch, the buyer's legal registration identifier must be a KvK or OIN number (schemeID 0106 or 0190).",
			"Når selger og kjøper er nederlandske, må kjøpers juridiske registreringsnummer være et KvK- eller OIN-nummer (schemeID 0106 eller 0190).",
			at(both, cbcCompanyID, []step{cacPartyLegalEntity, cacParty, cacAccountingCustomerParty}, kvk)),
		fatal("NL-R-006",
			"When a Dutch seller has a Dutch tax representative, the representative's address must have street (cbc:StreetName), city (cbc:CityName) and post code (cbc:PostalZone).",
			"Når en nederlandsk selger har en nederlandsk skatterepresentant, må representantens adresse ha gate (cbc:StreetName), poststed (cbc:CityName) og postnummer (cbc:PostalZone).",
			at(func(v *vars) bool { return v.supplierNL && v.taxRepNL }, cacPostalAddress, []step{cacTaxRepresentativeParty}, address)),
		fatal("NL-R-007",
			"A Dutch seller must give the payment means (cac:PaymentMeans) when the buyer is to pay.",
			"En nederlandsk selger må oppgi betalingsmåte (cac:PaymentMeans) når kjøper skal betale.",
			at(sup, cacLegalMonetaryTotal, nil, func(v *vars, n Node) bool {
				if pay, present, ok := decOf(v.t, n, cbcPayableAmount); present && ok {
					if v.invoice && pay.Sign() <= 0 || v.credit && pay.Sign() >= 0 {
						return true
					}
				}
				found := false
				v.t.each(func(Node) { found = true }, cacPaymentMeans)
				return found
			})),
		fatal("NL-R-008",
			"When seller and buyer are Dutch, the payment means code must be 30, 48, 49, 57, 58 or 59.",
			"Når selger og kjøper er nederlandske, må betalingsmåtekoden være 30, 48, 49, 57, 58 eller 59.",
			at(both, cacPaymentMeans, nil, func(v *vars, n Node) bool {
				return in([]string{"30", "48", "49", "57", "58", "59"}, norm(v.t.val(n, cbcPaymentMeansCode)))
			})),
		fatal("NL-R-009",
			"A Dutch seller that refers to an order line must also give the order reference (cac:OrderReference/cbc:ID) at document level.",
			"En nederlandsk selger som viser til en ordrelinje, må også oppgi ordrereferansen (cac:OrderReference/cbc:ID) på dokumentnivå.",
			at(sup, cbcLineID, []step{cacOrderLineReference}, func(v *vars, _ Node) bool {
				return v.t.has(v.root, cacOrderReference, cbcID)
			})),
	}
}
