package peppol

import (
	"github.com/ehf-project/ehf/internal/codelist"
	"github.com/ehf-project/ehf/internal/rule"
)

// The code lists come from internal/codelist, generated from the lists
// declared in each release's PEPPOL-EN16931-UBL.sch.

// exemptions maps the VATEX codes of P0104-P0111 to the VAT category they
// require.
var exemptions = []struct{ id, code, category string }{
	{"PEPPOL-EN16931-P0104", "VATEX-EU-G", "G"},
	{"PEPPOL-EN16931-P0105", "VATEX-EU-O", "O"},
	{"PEPPOL-EN16931-P0106", "VATEX-EU-IC", "K"},
	{"PEPPOL-EN16931-P0107", "VATEX-EU-AE", "AE"},
	{"PEPPOL-EN16931-P0108", "VATEX-EU-D", "E"},
	{"PEPPOL-EN16931-P0109", "VATEX-EU-F", "E"},
	{"PEPPOL-EN16931-P0110", "VATEX-EU-I", "E"},
	{"PEPPOL-EN16931-P0111", "VATEX-EU-J", "E"},
}

// has reports whether code is in list as this release has it.
func (r *release) has(list codelist.ID, code string) bool {
	if int(list) < len(r.lists) && r.lists[list] != nil {
		return r.lists[list].Has(code)
	}
	return codelist.HasIn(r.name, list, code)
}

// onEach runs test on every element named one of steps and reports those
// it fails.
func (r *release) onEach(test func(t tree, n Node) bool, steps ...step) check {
	return func(c *rule.Context, ru *rule.Rule) {
		t := r.vars(c).t
		t.each(func(n Node) {
			if !test(t, n) {
				c.Fail(ru, n)
			}
		}, steps...)
	}
}

// reasonCode selects cac:AllowanceCharge[cbc:ChargeIndicator = want]/cbc:AllowanceChargeReasonCode.
func reasonCode(t tree, n Node, want string) bool {
	p := t.d.Parent(n)
	return p > 0 && t.parentIs(n, cacAllowanceCharge) && t.anyIs(p, want, cbcChargeIndicator)
}

// codeRules are the PEPPOL-EN16931-CL, -P and -F rules.
func codeRules(r *release) []rule.Rule {
	docTypes := func(v *vars) bool {
		if r.v2026 {
			return v.profile == "01" || v.profile == "02"
		}
		return v.profileMissing || v.profile == "01"
	}
	out := []rule.Rule{
		fatal("PEPPOL-EN16931-CL001",
			"The MIME code %q of this attachment is not allowed. Use application/pdf, image/png, image/jpeg, text/csv, or a spreadsheet (xlsx, ods).",
			"MIME-koden %q for dette vedlegget er ikke tillatt. Bruk application/pdf, image/png, image/jpeg, text/csv eller et regneark (xlsx, ods).",
			func(c *rule.Context, ru *rule.Rule) {
				t := r.vars(c).t
				t.each(func(n Node) {
					if m, ok := t.attr(n, attrMimeCode); ok && !r.has(codelist.PeppolMIME, m) {
						c.Fail(ru, n, m)
					}
				}, cbcEmbeddedDocumentBinaryObject)
			}),
		fatal("PEPPOL-EN16931-CL002",
			"The allowance reason code %q is not one Peppol allows (a subset of UNCL 5189).",
			"Årsakskoden %q for fradraget er ikke blant dem Peppol tillater (et utvalg av UNCL 5189).",
			func(c *rule.Context, ru *rule.Rule) {
				t := r.vars(c).t
				t.each(func(n Node) {
					if reasonCode(t, n, "false") && !r.has(codelist.PeppolUNCL5189, norm(textOnly(t, n))) {
						c.Fail(ru, n, norm(t.text(n)))
					}
				}, cbcAllowanceChargeReasonCode)
			}),
		fatal("PEPPOL-EN16931-CL003",
			"The charge reason code %q is not in UNCL 7161.",
			"Årsakskoden %q for tillegget finnes ikke i UNCL 7161.",
			func(c *rule.Context, ru *rule.Rule) {
				t := r.vars(c).t
				t.each(func(n Node) {
					if reasonCode(t, n, "true") && !r.has(codelist.PeppolUNCL7161, norm(textOnly(t, n))) {
						c.Fail(ru, n, norm(t.text(n)))
					}
				}, cbcAllowanceChargeReasonCode)
			}),
		fatal("PEPPOL-EN16931-CL006",
			"The invoice period description code must be 3, 35 or 432 (UNCL 2005).",
			"Beskrivelseskoden for fakturaperioden må være 3, 35 eller 432 (UNCL 2005).",
			r.onEach(func(t tree, n Node) bool {
				return !t.parentIs(n, cacInvoicePeriod) || r.has(codelist.PeppolUNCL2005, norm(textOnly(t, n)))
			}, cbcDescriptionCode)),
		fatal("PEPPOL-EN16931-CL007",
			"The currency code of this amount is not an ISO 4217 code. Write a code such as NOK or EUR in currencyID.",
			"Valutakoden for beløpet er ikke en ISO 4217-kode. Skriv en kode som NOK eller EUR i currencyID.",
			func(c *rule.Context, ru *rule.Rule) {
				// the amounts of a document are mostly in one or two
				// currencies: the last code's answer is kept
				last, lastOK := "", false
				r.vars(c).eachAmount(func(n Node, cur string, hasCur bool) {
					if hasCur && (cur != last || last == "") {
						last, lastOK = cur, r.has(codelist.PeppolISO4217, cur)
					}
					if !hasCur || !lastOK {
						c.Fail(ru, n)
					}
				})
			}),
		fatal("PEPPOL-EN16931-P0100",
			"This invoice type code is not allowed in the billing process. Use a code such as 380 (commercial invoice).",
			"Denne fakturatypekoden er ikke tillatt i faktureringsprosessen. Bruk en kode som 380 (handelsfaktura).",
			func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				v.t.each(func(n Node) {
					if docTypes(v) && !r.has(codelist.PeppolInvoiceType01, norm(textOnly(v.t, n))) {
						c.Fail(ru, n)
					}
				}, cbcInvoiceTypeCode)
			}),
		fatal("PEPPOL-EN16931-P0112",
			"Invoice type codes 326 (partial invoice) and 384 (corrected invoice) may only be used when both seller and buyer are in Germany.",
			"Fakturatypekodene 326 (delfaktura) og 384 (korrigert faktura) kan bare brukes når både selger og kjøper er i Tyskland.",
			func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				v.t.each(func(n Node) {
					s := norm(v.t.text(n))
					if (s == "326" || s == "384") && !(v.supplierDE && v.customerDE) {
						c.Fail(ru, n)
					}
				}, cbcInvoiceTypeCode)
			}),
		fatal("PEPPOL-EN16931-P0101",
			"This credit note type code is not allowed in the billing process. Use a code such as 381 (credit note).",
			"Denne kreditnotatypekoden er ikke tillatt i faktureringsprosessen. Bruk en kode som 381 (kreditnota).",
			func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				v.t.each(func(n Node) {
					if docTypes(v) && !r.has(codelist.PeppolCreditNoteType01, norm(textOnly(v.t, n))) {
						c.Fail(ru, n)
					}
				}, cbcCreditNoteTypeCode)
			}),
		fatal("PEPPOL-EN16931-F001",
			"A date must be written YYYY-MM-DD, such as 2026-11-24, with nothing around it.",
			"En dato må skrives ÅÅÅÅ-MM-DD, for eksempel 2026-11-24, uten noe rundt.",
			r.onEach(func(t tree, n Node) bool {
				s := textOnly(t, n)
				return length(s) == 10 && isDate(t.text(n))
			}, cbcIssueDate, cbcDueDate, cbcTaxPointDate, cbcStartDate, cbcEndDate, cbcActualDeliveryDate)),
		fatal("PEPPOL-EN16931-CL008",
			"The scheme %q of this electronic address is not in the Peppol list of electronic address schemes (EAS).",
			"Skjemaet %q for denne elektroniske adressen finnes ikke i Peppols liste over adresseskjemaer (EAS).",
			func(c *rule.Context, ru *rule.Rule) {
				t := r.vars(c).t
				t.each(func(n Node) {
					if s, ok := t.attr(n, attrSchemeID); ok && !r.has(codelist.PeppolEAS, s) {
						c.Fail(ru, n, s)
					}
				}, cbcEndpointID)
			}),
	}
	for _, e := range exemptions {
		e := e
		out = append(out, fatal(e.id,
			"Exemption reason code "+e.code+" requires VAT category "+e.category+".",
			"Fritaksårsaken "+e.code+" krever MVA-kategori "+e.category+".",
			func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				for _, x := range v.exemptions() {
					if x.code == e.code && norm(v.t.val(x.n, cbcID)) != e.category {
						c.Fail(ru, x.n)
					}
				}
			}))
	}
	return out
}
