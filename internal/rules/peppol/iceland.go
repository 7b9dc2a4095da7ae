package peppol

import (
	"github.com/ehf-project/ehf/internal/rule"
)

// iceland are the IS-R rules: for suppliers whose postal country code, as
// written, is IS.
func iceland(r *release) []rule.Rule {
	isIS := func(v *vars) bool { return v.supplierAddr == "IS" }
	onDoc := func(test func(v *vars) bool) check {
		return r.onRoot(func(v *vars) bool { return !isIS(v) || test(v) })
	}
	sup := func(v *vars, steps ...step) []Node {
		return v.t.all(v.root, append([]step{cacAccountingSupplierParty, cacParty}, steps...)...)
	}
	legal := func(v *vars, p []Node) bool {
		if len(p) == 0 {
			return false
		}
		for _, n := range p {
			if s, ok := v.t.attr(n, attrSchemeID); ok && s == "0196" {
				return true
			}
		}
		return false
	}
	// account is IS-R-006/007: payment means with code have a 12 character account.
	account := func(code string) func(v *vars) bool {
		return func(v *vars) bool {
			var pms []Node
			for _, pm := range v.t.kids(v.root, cacPaymentMeans) {
				if v.t.anyIs(pm, code, cbcPaymentMeansCode) {
					pms = append(pms, pm)
				}
			}
			if len(pms) == 0 {
				return true
			}
			var ids []Node
			for _, pm := range pms {
				ids = append(ids, v.t.all(pm, cacPayeeFinancialAccount, cbcID)...)
			}
			return len(ids) > 0 && length(norm(v.t.text(ids[0]))) == 12
		}
	}
	eindagi := func(v *vars) []Node {
		var out []Node
		for _, a := range v.t.kids(v.root, cacAdditionalDocumentReference) {
			if v.t.anyIs(a, "EINDAGI", cbcDocumentDescription) {
				out = append(out, a)
			}
		}
		return out
	}
	onCustomer := func(test func(v *vars, acp Node) bool) check {
		return func(c *rule.Context, ru *rule.Rule) {
			v := r.vars(c)
			if !(v.invoice || v.credit) || !isIS(v) || v.customerAddr != "IS" {
				return
			}
			for _, acp := range v.t.kids(v.root, cacAccountingCustomerParty) {
				if !test(v, acp) {
					c.Fail(ru, acp)
				}
			}
		}
	}
	return []rule.Rule{
		warning("IS-R-001",
			"An Icelandic seller's document type should be 380 (invoice) or 381 (credit note).",
			"Dokumenttypen fra en islandsk selger bør være 380 (faktura) eller 381 (kreditnota).",
			onDoc(func(v *vars) bool {
				ok := func(step step) bool {
					s := norm(v.t.val(v.root, step))
					return s == "380" || s == "381"
				}
				return ok(cbcInvoiceTypeCode) || ok(cbcCreditNoteTypeCode)
			})),
		fatal("IS-R-002",
			"An Icelandic seller must give its kennitala as legal registration identifier with schemeID 0196.",
			"En islandsk selger må oppgi kennitala som juridisk registreringsnummer med schemeID 0196.",
			onDoc(func(v *vars) bool { return legal(v, sup(v, cacPartyLegalEntity, cbcCompanyID)) })),
		fatal("IS-R-003",
			"An Icelandic seller's address must have street (cbc:StreetName) and post code (cbc:PostalZone).",
			"Adressen til en islandsk selger må ha gate (cbc:StreetName) og postnummer (cbc:PostalZone).",
			onDoc(func(v *vars) bool {
				return len(sup(v, cacPostalAddress, cbcStreetName)) > 0 && len(sup(v, cacPostalAddress, cbcPostalZone)) > 0
			})),
		fatal("IS-R-006",
			"When an Icelandic seller uses payment means 9, the account (cac:PayeeFinancialAccount/cbc:ID) must be 12 digits: bank, ledger 66 and account number.",
			"Når en islandsk selger bruker betalingsmåte 9, må kontoen (cac:PayeeFinancialAccount/cbc:ID) ha 12 sifre: bank, hovedbok 66 og kontonummer.",
			onDoc(account("9"))),
		fatal("IS-R-007",
			"When an Icelandic seller uses payment means 42, the account (cac:PayeeFinancialAccount/cbc:ID) must be 12 digits.",
			"Når en islandsk selger bruker betalingsmåte 42, må kontoen (cac:PayeeFinancialAccount/cbc:ID) ha 12 sifre.",
			onDoc(account("42"))),
		fatal("IS-R-008",
			"The EINDAGI (final due date) reference of an Icelandic seller must be a date written YYYY-MM-DD.",
			"EINDAGI-referansen (endelig forfallsdato) fra en islandsk selger må være en dato skrevet ÅÅÅÅ-MM-DD.",
			onDoc(func(v *vars) bool {
				e := eindagi(v)
				if len(e) == 0 {
					return true
				}
				id := v.t.first(e[0], cbcID)
				s := v.t.text(id)
				return length(s) == 10 && isDate(s)
			})),
		fatal("IS-R-009",
			"An Icelandic invoice with an EINDAGI (final due date) must also have a due date (cbc:DueDate).",
			"En islandsk faktura med EINDAGI (endelig forfallsdato) må også ha forfallsdato (cbc:DueDate).",
			onDoc(func(v *vars) bool { return len(eindagi(v)) == 0 || v.t.has(v.root, cbcDueDate) })),
		fatal("IS-R-010",
			"The EINDAGI (final due date) of an Icelandic seller must be on or after the due date.",
			"EINDAGI (endelig forfallsdato) fra en islandsk selger må være samme dag som eller etter forfallsdatoen.",
			onDoc(func(v *vars) bool {
				e := eindagi(v)
				if len(e) == 0 {
					return true
				}
				for _, due := range v.t.texts(v.root, cbcDueDate) {
					for _, a := range e {
						for _, id := range v.t.texts(a, cbcID) {
							if due <= id {
								return true
							}
						}
					}
				}
				return false
			})),
		fatal("IS-R-004",
			"When seller and buyer are Icelandic, the buyer's kennitala must be given as legal registration identifier with schemeID 0196.",
			"Når selger og kjøper er islandske, må kjøpers kennitala oppgis som juridisk registreringsnummer med schemeID 0196.",
			onCustomer(func(v *vars, acp Node) bool {
				return legal(v, v.t.all(acp, cacParty, cacPartyLegalEntity, cbcCompanyID))
			})),
		fatal("IS-R-005",
			"When seller and buyer are Icelandic, the buyer's address must have street (cbc:StreetName) and post code (cbc:PostalZone).",
			"Når selger og kjøper er islandske, må kjøpers adresse ha gate (cbc:StreetName) og postnummer (cbc:PostalZone).",
			onCustomer(func(v *vars, acp Node) bool {
				return v.t.has(acp, cacParty, cacPostalAddress, cbcStreetName) && v.t.has(acp, cacParty, cacPostalAddress, cbcPostalZone)
			})),
	}
}
