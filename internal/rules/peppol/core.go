package peppol

import (
	"strings"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/xmltree"
	"github.com/shopspring/decimal"
)

type check = func(c *rule.Context, r *rule.Rule)

func fatal(id, en, nb string, f check) rule.Rule {
	return rule.Rule{ID: id, Flag: report.Fatal, En: en, Nb: nb, Check: f}
}

func warning(id, en, nb string, f check) rule.Rule {
	return rule.Rule{ID: id, Flag: report.Warning, En: en, Nb: nb, Check: f}
}

// onRoot runs test on the Invoice or CreditNote element and reports it
// when the test fails.
func (r *release) onRoot(test func(v *vars) bool) check {
	return func(c *rule.Context, ru *rule.Rule) {
		v := r.vars(c)
		if (v.invoice || v.credit) && !test(v) {
			c.Fail(ru, v.root)
		}
	}
}

var twoHundredths = decimal.New(2, -2)

// core are the document level PEPPOL-EN16931 rules.
func core(r *release) []rule.Rule {
	return []rule.Rule{
		fatal("PEPPOL-EN16931-R008",
			"This element is empty. Remove it, or give it a value.",
			"Elementet er tomt. Fjern det eller gi det en verdi.",
			func(c *rule.Context, ru *rule.Rule) {
				for _, n := range r.vars(c).t.ix.emptyLeaves() {
					c.Fail(ru, n)
				}
			}),
		fatal("PEPPOL-EN16931-R080",
			"A credit note may carry at most one project reference (additional document with type code 50).",
			"En kreditnota kan ha høyst én prosjektreferanse (tilleggsdokument med typekode 50).",
			func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				if !v.credit {
					return
				}
				n := 0
				for _, a := range v.t.kids(v.root, cacAdditionalDocumentReference) {
					if v.t.anyIs(a, "50", cbcDocumentTypeCode) {
						n++
					}
				}
				if n > 1 {
					c.Fail(ru, v.root)
				}
			}),
		fatal("PEPPOL-EN16931-R001",
			"The business process (cbc:ProfileID) is missing. Add it, such as urn:fdc:peppol.eu:2017:poacc:billing:01:1.0.",
			"Forretningsprosessen (cbc:ProfileID) mangler. Legg den til, for eksempel urn:fdc:peppol.eu:2017:poacc:billing:01:1.0.",
			r.onRoot(func(v *vars) bool { return v.t.has(v.root, cbcProfileID) })),
		fatal("PEPPOL-EN16931-R007", r.profileEn(), r.profileNb(),
			r.onRoot(func(v *vars) bool { return !v.profileMissing && v.profile != "Unknown" })),
		fatal("PEPPOL-EN16931-R002",
			"Only one note is allowed at document level, unless both seller and buyer are in Germany. Merge the notes into one.",
			"Bare én merknad er tillatt på dokumentnivå, med mindre både selger og kjøper er i Tyskland. Slå merknadene sammen til én.",
			r.onRoot(func(v *vars) bool {
				return len(v.t.kids(v.root, cbcNote)) <= 1 || v.supplierDE && v.customerDE
			})),
		fatal("PEPPOL-EN16931-R003",
			"Give either the buyer reference (cbc:BuyerReference) or the purchase order reference (cac:OrderReference/cbc:ID).",
			"Oppgi enten kjøpers referanse (cbc:BuyerReference) eller innkjøpsordrereferansen (cac:OrderReference/cbc:ID).",
			r.onRoot(func(v *vars) bool {
				return v.t.has(v.root, cbcBuyerReference) || v.t.has(v.root, cacOrderReference, cbcID)
			})),
		fatal("PEPPOL-EN16931-R004", r.customizationEn(), r.customizationNb(),
			r.onRoot(func(v *vars) bool {
				s := norm(textOnly(v.t, v.t.kid(v.root, cbcCustomizationID)))
				ok := strings.HasPrefix(s, "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0")
				if r.v2026 && strings.Contains(s, "::") {
					ok = false
				}
				return ok
			})),
		fatal("PEPPOL-EN16931-R053",
			"Give exactly one tax total (cac:TaxTotal) with a VAT breakdown (cac:TaxSubtotal).",
			"Oppgi nøyaktig én cac:TaxTotal med MVA-spesifikasjon (cac:TaxSubtotal).",
			r.onRoot(func(v *vars) bool {
				n := 0
				for _, tt := range v.t.kids(v.root, cacTaxTotal) {
					if v.t.has(tt, cacTaxSubtotal) {
						n++
					}
				}
				return n == 1
			})),
		fatal("PEPPOL-EN16931-R054",
			"Give one tax total without VAT breakdown (the VAT total in the accounting currency) when, and only when, the VAT accounting currency (cbc:TaxCurrencyCode) is given.",
			"Oppgi én cac:TaxTotal uten MVA-spesifikasjon (MVA-totalen i regnskapsvalutaen) når, og bare når, regnskapsvaluta for MVA (cbc:TaxCurrencyCode) er oppgitt.",
			r.onRoot(func(v *vars) bool {
				n := 0
				for _, tt := range v.t.kids(v.root, cacTaxTotal) {
					if !v.t.has(tt, cacTaxSubtotal) {
						n++
					}
				}
				want := 0
				if v.t.has(v.root, cbcTaxCurrencyCode) {
					want = 1
				}
				return n == want
			})),
		fatal("PEPPOL-EN16931-R055",
			"The total VAT amount and the total VAT amount in the accounting currency must have the same sign.",
			"Total MVA og total MVA i regnskapsvalutaen må ha samme fortegn.",
			r.onRoot(func(v *vars) bool {
				t := v.t
				if !t.has(v.root, cbcTaxCurrencyCode) {
					return true
				}
				taxCur := norm(t.val(v.root, cbcTaxCurrencyCode))
				docCur := norm(t.val(v.root, cbcDocumentCurrencyCode))
				var aLE, aGE, bLE, bGE bool
				for _, ta := range t.all(v.root, cacTaxTotal, cbcTaxAmount) {
					cur, _ := t.attr(ta, attrCurrencyID)
					f := number(t.text(ta))
					if cur == taxCur {
						aLE, aGE = aLE || f <= 0, aGE || f >= 0
					}
					if cur == docCur {
						bLE, bGE = bLE || f <= 0, bGE || f >= 0
					}
				}
				return aLE && bLE || aGE && bGE
			})),
		fatal("PEPPOL-EN16931-R005",
			"The VAT accounting currency must differ from the invoice currency. Leave cbc:TaxCurrencyCode out when they are the same.",
			"Regnskapsvalutaen for MVA må være en annen enn fakturavalutaen. Utelat cbc:TaxCurrencyCode når de er like.",
			func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				t := v.t
				t.each(func(n Node) {
					p := c.Doc.Parent(n)
					own := norm(textOnly(t, n))
					other := norm(textOnly(t, t.kid(p, cbcDocumentCurrencyCode)))
					if own == other {
						c.Fail(ru, n)
					}
				}, cbcTaxCurrencyCode)
			}),
		fatal("PEPPOL-EN16931-R010",
			"The buyer's electronic address (cbc:EndpointID) is missing. Add the buyer's Peppol address.",
			"Kjøpers elektroniske adresse (cbc:EndpointID) mangler. Legg til kjøpers Peppol-adresse.",
			r.partyCheck(cacAccountingCustomerParty)),
		fatal("PEPPOL-EN16931-R020",
			"The seller's electronic address (cbc:EndpointID) is missing. Add the seller's Peppol address.",
			"Selgers elektroniske adresse (cbc:EndpointID) mangler. Legg til selgers Peppol-adresse.",
			r.partyCheck(cacAccountingSupplierParty)),
		fatal("PEPPOL-EN16931-R061",
			"Direct debit (payment means 49 or 59) needs the mandate reference (cac:PaymentMandate/cbc:ID).",
			"Direkte debitering (betalingsmåte 49 eller 59) krever mandatreferansen (cac:PaymentMandate/cbc:ID).",
			func(c *rule.Context, ru *rule.Rule) {
				t := r.vars(c).t
				t.each(func(n Node) {
					codes := t.texts(n, cbcPaymentMeansCode)
					dd := len(codes) == 1 && (norm(codes[0]) == "49" || norm(codes[0]) == "59")
					if dd && !t.has(n, cacPaymentMandate, cbcID) {
						c.Fail(ru, n)
					}
				}, cacPaymentMeans)
			}),
		fatal("PEPPOL-EN16931-R051",
			"This amount is in a currency (%q) other than the invoice currency. Every amount except the VAT total in the accounting currency must be in the invoice currency.",
			"Beløpet er i en annen valuta (%q) enn fakturavalutaen. Alle beløp unntatt MVA-totalen i regnskapsvalutaen skal være i fakturavalutaen.",
			func(c *rule.Context, ru *rule.Rule) {
				v := r.vars(c)
				t := v.t
				taxAmount := t.id(cbcTaxAmount)
				v.eachAmount(func(n Node, cur string, hasCur bool) {
					if c.Doc.NameID(n) == taxAmount {
						p := c.Doc.Parent(n)
						if !(t.parentIs(n, cacTaxTotal) && t.has(p, cacTaxSubtotal) || t.parentIs(n, cacTaxSubtotal)) {
							return
						}
					}
					if !hasCur || !in(v.docCurrency, cur) {
						c.Fail(ru, n, cur)
					}
				})
			}),
	}
}

// eachAmount calls f for every element named one of amountNames, each
// name's in document order, with its currencyID (R051 and CL007).
func (v *vars) eachAmount(f func(n Node, cur string, hasCur bool)) {
	for _, s := range amountNames {
		for _, n := range v.t.d.Elements(v.t.id(s)) {
			cur, ok := v.t.attr(n, attrCurrencyID)
			f(n, cur, ok)
		}
	}
}

// amountNames are the amount elements R051 and CL007 look at.
var amountNames = []step{cbcAmount, cbcBaseAmount, cbcPriceAmount, cbcTaxAmount, cbcTaxableAmount,
	cbcLineExtensionAmount, cbcTaxExclusiveAmount, cbcTaxInclusiveAmount, cbcAllowanceTotalAmount,
	cbcChargeTotalAmount, cbcPrepaidAmount, cbcPayableRoundingAmount, cbcPayableAmount}

// textOnly is the text of n's own text nodes (XPath n/text()).
func textOnly(t tree, n Node) string {
	if n == none {
		return ""
	}
	// Almost always one text node: its text, without building a string.
	first, several := none, false
	for k := range t.d.Children(n) {
		if t.d.Kind(k) == xmltree.TextNode {
			if first != none {
				several = true
				break
			}
			first = k
		}
	}
	if first == none {
		return ""
	}
	if !several {
		return t.d.Text(first)
	}
	var b strings.Builder
	for k := range t.d.Children(n) {
		if t.d.Kind(k) == xmltree.TextNode {
			b.WriteString(t.d.Text(k))
		}
	}
	return b.String()
}

// hasText reports whether n has a text node child.
func hasText(t tree, n Node) bool {
	for k := range t.d.Children(n) {
		if t.d.Kind(k) == xmltree.TextNode {
			return true
		}
	}
	return false
}

// partyCheck is R010/R020: every role/cac:Party has a cbc:EndpointID.
func (r *release) partyCheck(role step) check {
	return func(c *rule.Context, ru *rule.Rule) {
		t := r.vars(c).t
		t.each(func(n Node) {
			if t.parentIs(n, role) && !t.has(n, cbcEndpointID) {
				c.Fail(ru, n)
			}
		}, cacParty)
	}
}

func (r *release) profileEn() string {
	if r.v2026 {
		return "The business process (cbc:ProfileID) is not one Peppol approves, such as urn:fdc:peppol.eu:2017:poacc:billing:01:1.0."
	}
	return "The business process (cbc:ProfileID) must be written urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0, where NN is the process number."
}

func (r *release) profileNb() string {
	if r.v2026 {
		return "Forretningsprosessen (cbc:ProfileID) er ikke en Peppol godkjenner, slik som urn:fdc:peppol.eu:2017:poacc:billing:01:1.0."
	}
	return "Forretningsprosessen (cbc:ProfileID) må skrives urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0, der NN er prosessnummeret."
}

func (r *release) customizationEn() string {
	s := "The specification identifier (cbc:CustomizationID) must start with urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	if r.v2026 {
		s += " and must not contain \"::\""
	}
	return s + "."
}

func (r *release) customizationNb() string {
	s := "Spesifikasjonsidentifikatoren (cbc:CustomizationID) må begynne med urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	if r.v2026 {
		s += " og kan ikke inneholde «::»"
	}
	return s + "."
}

const (
	fatalFlag   = report.Fatal
	warningFlag = report.Warning
)
