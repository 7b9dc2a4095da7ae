package peppol

import (
	"math"
	"regexp"
	"strings"

	"github.com/ehf-project/ehf/internal/rule"
)

// grDateRE is the official date pattern of the second segment of a Greek
// invoice number (day, month, year; anchored at the start only).
var grDateRE = regexp.MustCompile(`^(0?[1-9]|[12][0-9]|3[01])[-\\/ ]?(0?[1-9]|1[0-2])[-\\/ ]?(19|20)[0-9]{2}`)

var grMarkRE = regexp.MustCompile(`^[1-9]`)

var greekDocTypes = []string{"1.1", "1.6", "2.1", "2.4", "5.1", "5.2"}

// tinOK is the official u:TinVerification: nine digits, the ninth the
// check digit of the first eight (characters after the ninth are not
// looked at).
func tinOK(s string) bool {
	r := []rune(s)
	if len(r) < 9 {
		return false
	}
	sum := 0
	for i := 0; i < 8; i++ {
		f := number(string(r[i]))
		if math.IsNaN(f) || r[i] < '0' || r[i] > '9' {
			return false
		}
		sum += int(r[i]-'0') << (8 - i)
	}
	if r[8] < '0' || r[8] > '9' {
		return false
	}
	return sum%11%10 == int(r[8]-'0')
}

// greekVAT is the GR-S-011 / GR-R-006 test on a party: exactly one VAT
// identifier, starting EL and followed by a valid TIN.
func greekVAT(t tree, p Node) bool {
	var ids []Node
	for _, s := range taxSchemes(t, p, "VAT") {
		ids = append(ids, t.kids(s, cbcCompanyID)...)
	}
	if len(ids) != 1 {
		return false
	}
	s := t.text(ids[0])
	return substr(s, 1, 2) == "EL" && tinOK(substr(s, 3, -1))
}

// greece are the GR rules: for suppliers whose $supplierCountry is GR or EL.
func greece(r *release) []rule.Rule {
	greek := func(v *vars) bool { return v.supplierCountry == "GR" || v.supplierCountry == "EL" }
	greekBoth := func(v *vars) bool {
		return greek(v) && (v.customerCountry == "GR" || v.customerCountry == "EL")
	}
	greekAddr := func(v *vars) bool { return greek(v) && in(v.supplierAddrs, "GR") }
	// segments runs test on the segments of the invoice number.
	segments := func(test func(v *vars, seg []string) bool) check {
		return func(c *rule.Context, ru *rule.Rule) {
			v := r.vars(c)
			if !(v.invoice || v.credit) || !greek(v) {
				return
			}
			for _, id := range v.t.kids(v.root, cbcID) {
				if !test(v, tokenize(v.t.text(id), "|")) {
					c.Fail(ru, id)
				}
			}
		}
	}
	seg := func(s []string, i int) string { x, _ := item(s, i); return x }
	adrs := func(v *vars, desc string) int {
		n := 0
		for _, a := range v.t.kids(v.root, cacAdditionalDocumentReference) {
			if v.t.anyIs(a, desc, cbcDocumentDescription) {
				n++
			}
		}
		return n
	}
	onADR := func(gate func(v *vars) bool, desc string, f func(c *rule.Context, ru *rule.Rule, v *vars, a Node)) check {
		return func(c *rule.Context, ru *rule.Rule) {
			v := r.vars(c)
			if !gate(v) {
				return
			}
			v.t.each(func(a Node) {
				if v.t.anyIs(a, desc, cbcDocumentDescription) {
					f(c, ru, v, a)
				}
			}, cacAdditionalDocumentReference)
		}
	}
	endpoint := func(role step, gate func(v *vars) bool) check {
		return func(c *rule.Context, ru *rule.Rule) {
			v := r.vars(c)
			if !gate(v) {
				return
			}
			v.t.each(func(p Node) {
				if !v.t.parentIs(p, role) {
					return
				}
				for _, e := range v.t.kids(p, cbcEndpointID) {
					s, _ := v.t.attr(e, attrSchemeID)
					if s != "9933" || !tinOK(v.t.text(e)) {
						c.Fail(ru, e)
					}
				}
			}, cacParty)
		}
	}
	return []rule.Rule{
		fatal("GR-R-001-1",
			"A Greek seller's invoice number must have six segments separated by |.",
			"Fakturanummeret fra en gresk selger må ha seks ledd skilt med |.",
			segments(func(_ *vars, s []string) bool { return len(s) == 6 })),
		fatal("GR-R-001-2",
			"The first segment of a Greek seller's invoice number must be a valid TIN (nine digits) equal to the seller's or the tax representative's VAT number.",
			"Første ledd i fakturanummeret fra en gresk selger må være et gyldig TIN (ni sifre) lik selgers eller skatterepresentantens MVA-nummer.",
			segments(func(v *vars, s []string) bool {
				first, ok := item(s, 1)
				if !ok || length(norm(first)) != 9 || !tinOK(first) {
					return false
				}
				for _, path := range [][]step{
					{cacAccountingSupplierParty, cacParty, cacPartyTaxScheme},
					{cacTaxRepresentativeParty, cacPartyTaxScheme},
				} {
					for _, ts := range v.t.all(v.root, path...) {
						if v.t.anyIs(ts, "VAT", cacTaxScheme, cbcID) && substr(v.t.val(ts, cbcCompanyID), 3, 9) == first {
							return true
						}
					}
				}
				return false
			})),
		fatal("GR-R-001-3",
			"The second segment of a Greek seller's invoice number must be the issue date, written day/month/year.",
			"Andre ledd i fakturanummeret fra en gresk selger må være utstedelsesdatoen, skrevet dag/måned/år.",
			segments(func(v *vars, s []string) bool {
				second := seg(s, 2)
				if length(norm(second)) == 0 || !grDateRE.MatchString(second) {
					return false
				}
				d := tokenize(second, "/")
				issue := tokenize(v.t.val(v.root, cbcIssueDate), "-")
				eq := func(i, j int) bool {
					a, ok1 := item(d, i)
					b, ok2 := item(issue, j)
					return ok1 && ok2 && a == b
				}
				return eq(1, 3) && eq(2, 2) && eq(3, 1)
			})),
		fatal("GR-R-001-4",
			"The third segment of a Greek seller's invoice number must be a whole number of zero or more.",
			"Tredje ledd i fakturanummeret fra en gresk selger må være et heltall større enn eller lik null.",
			segments(func(_ *vars, s []string) bool {
				third := seg(s, 3)
				if length(norm(third)) == 0 || !isNumber(third) || !isInteger(third) {
					return false
				}
				return !strings.HasPrefix(trim(third), "-") || strings.Trim(trim(third), "-0") == ""
			})),
		fatal("GR-R-001-5",
			"The fourth segment of a Greek seller's invoice number must be a Greek document type: 1.1, 1.6, 2.1, 2.4, 5.1 or 5.2.",
			"Fjerde ledd i fakturanummeret fra en gresk selger må være en gresk dokumenttype: 1.1, 1.6, 2.1, 2.4, 5.1 eller 5.2.",
			segments(func(_ *vars, s []string) bool {
				fourth := seg(s, 4)
				return length(norm(fourth)) > 0 && in(greekDocTypes, fourth)
			})),
		fatal("GR-R-001-6",
			"The fifth segment of a Greek seller's invoice number must not be empty.",
			"Femte ledd i fakturanummeret fra en gresk selger kan ikke være tomt.",
			segments(func(_ *vars, s []string) bool { return length(seg(s, 5)) > 0 })),
		fatal("GR-R-001-7",
			"The sixth segment of a Greek seller's invoice number must not be empty.",
			"Sjette ledd i fakturanummeret fra en gresk selger kan ikke være tomt.",
			segments(func(_ *vars, s []string) bool { return length(seg(s, 6)) > 0 })),
		fatal("GR-R-002",
			"A Greek seller must give its full registered name (cac:PartyName/cbc:Name).",
			"En gresk selger må oppgi fullt registrert navn (cac:PartyName/cbc:Name).",
			r.onParty(cacAccountingSupplierParty, greek, func(v *vars, p Node) bool {
				return length(v.t.val(p, cacPartyName, cbcName)) > 0
			})),
		warning("GR-S-011",
			"A Greek seller should give one VAT number: EL followed by a valid TIN.",
			"En gresk selger bør oppgi ett MVA-nummer: EL fulgt av et gyldig TIN.",
			r.onParty(cacAccountingSupplierParty, greek, func(v *vars, p Node) bool { return greekVAT(v.t, p) })),
		fatal("GR-R-003",
			"A Greek seller's VAT number must start with EL followed by a valid TIN.",
			"MVA-nummeret til en gresk selger må begynne med EL fulgt av et gyldig TIN.",
			func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				if !greek(v) {
					return
				}
				v.t.each(func(p Node) {
					if !v.t.parentIs(p, cacAccountingSupplierParty) {
						return
					}
					for _, s := range taxSchemes(v.t, p, "VAT") {
						for _, id := range v.t.kids(s, cbcCompanyID) {
							x := v.t.text(id)
							if substr(x, 1, 2) != "EL" || !tinOK(substr(x, 3, -1)) {
								c.Fail(ru, id)
							}
						}
					}
				}, cacParty)
			}),
		fatal("GR-R-004-1",
			"A Greek seller's invoice must have exactly one MARK number (additional document described ##M.AR.K##).",
			"En faktura fra en gresk selger må ha nøyaktig ett MARK-nummer (tilleggsdokument med beskrivelsen ##M.AR.K##).",
			r.onRoot(func(v *vars) bool { return !greekAddr(v) || adrs(v, "##M.AR.K##") == 1 })),
		warning("GR-S-008-1",
			"A Greek seller's invoice should have one invoice URL (additional document described ##INVOICE|URL##).",
			"En faktura fra en gresk selger bør ha én faktura-URL (tilleggsdokument med beskrivelsen ##INVOICE|URL##).",
			r.onRoot(func(v *vars) bool { return !greekAddr(v) || adrs(v, "##INVOICE|URL##") == 1 })),
		fatal("GR-R-008-2",
			"A Greek seller's invoice may have at most one invoice URL (additional document described ##INVOICE|URL##).",
			"En faktura fra en gresk selger kan ha høyst én faktura-URL (tilleggsdokument med beskrivelsen ##INVOICE|URL##).",
			r.onRoot(func(v *vars) bool { return !greekAddr(v) || adrs(v, "##INVOICE|URL##") <= 1 })),
		fatal("GR-R-004-2",
			"The MARK number of a Greek seller must be a positive whole number.",
			"MARK-nummeret fra en gresk selger må være et positivt heltall.",
			onADR(greekAddr, "##M.AR.K##", func(c *rule.Context, ru *rule.Rule, v *vars, a Node) {
				for _, id := range v.t.kids(a, cbcID) {
					if !grMarkRE.MatchString(v.t.text(id)) {
						c.Fail(ru, id)
					}
				}
			})),
		fatal("GR-R-008-3",
			"The invoice URL reference of a Greek seller must give the address (cac:Attachment/cac:ExternalReference/cbc:URI).",
			"Faktura-URL-referansen fra en gresk selger må ha adressen (cac:Attachment/cac:ExternalReference/cbc:URI).",
			onADR(greek, "##INVOICE|URL##", func(c *rule.Context, ru *rule.Rule, v *vars, a Node) {
				if length(norm(v.t.val(a, cacAttachment, cacExternalReference, cbcURI))) == 0 {
					c.Fail(ru, a)
				}
			})),
		fatal("GR-R-005",
			"A Greek seller must give the buyer's full name (cac:PartyName/cbc:Name).",
			"En gresk selger må oppgi kjøpers fulle navn (cac:PartyName/cbc:Name).",
			r.onParty(cacAccountingCustomerParty, greek, func(v *vars, p Node) bool {
				return length(v.t.val(p, cacPartyName, cbcName)) > 0
			})),
		fatal("GR-R-009",
			"A Greek seller's electronic address must be its TIN with scheme 9933.",
			"Den elektroniske adressen til en gresk selger må være TIN-nummeret med skjema 9933.",
			endpoint(cacAccountingSupplierParty, func(v *vars) bool {
				return v.accountingSupplierCountry == "GR" || v.accountingSupplierCountry == "EL"
			})),
		fatal("GR-R-006",
			"When seller and buyer are Greek, give the buyer's VAT number: EL followed by a valid TIN.",
			"Når selger og kjøper er greske, må kjøpers MVA-nummer oppgis: EL fulgt av et gyldig TIN.",
			r.onParty(cacAccountingCustomerParty, greekBoth, func(v *vars, p Node) bool { return greekVAT(v.t, p) })),
		fatal("GR-R-010",
			"When seller and buyer are Greek, the buyer's electronic address must be its TIN with scheme 9933.",
			"Når selger og kjøper er greske, må kjøpers elektroniske adresse være TIN-nummeret med skjema 9933.",
			endpoint(cacAccountingCustomerParty, greekBoth)),
	}
}
