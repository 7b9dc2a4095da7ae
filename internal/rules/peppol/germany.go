package peppol

import (
	"math/big"
	"regexp"
	"strings"

	"github.com/ehf-project/ehf/internal/rule"
)

var (
	deSkonto3019  = regexp.MustCompile(`#(SKONTO)#TAGE=([0-9]+#PROZENT=[0-9]+\.[0-9]{2})(#BASISBETRAG=-?[0-9]+\.[0-9]{2})?#$`)
	deSkonto20265 = regexp.MustCompile(`(^|\r?\n)#(SKONTO)#TAGE=([0-9]+#PROZENT=[0-9]+\.[0-9]{2})(#BASISBETRAG=-?[0-9]+\.[0-9]{2})?#$`)
	deEmail3019   = regexp.MustCompile("^[a-zA-Z0-9!#\\$%&\"*+/=?^_`{|}~-]+(\\.[a-zA-Z0-9!#\\$%&\"*+/=?^_`{|}~-]+)*@([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?\\.)+[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$")
	deEmail20265  = regexp.MustCompile(`^[^@\s]+@([^@.\s]+\.)+[^@.\s]+$`)
	dePhone       = regexp.MustCompile(`.*([0-9].*){3,}.*`)
	deURL         = regexp.MustCompile(`^([a-zA-Z])([a-zA-Z0-9+.-])+:.*`)
	ibanShape     = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{0,30}$`)
	deLineBreak   = regexp.MustCompile(`\r?\n`)
	deSegment     = regexp.MustCompile(`#.+#`)
	deAfterLast   = regexp.MustCompile(`^\s*\n`)
	xmlSpaceRE    = regexp.MustCompile(`[ \n\r\t]`)
)

// ibanOK is the official IBAN test of DE-R-019/-020: the shape, and the
// rearranged number mod 97 is 1.
func ibanOK(raw string) bool {
	s := norm(xmlSpaceRE.ReplaceAllString(raw, ""))
	if !ibanShape.MatchString(s) {
		return false
	}
	re := substr(s, 5, -1) + strings.ToUpper(substr(s, 1, 2)) + substr(s, 3, 2)
	var b strings.Builder
	for _, c := range re {
		if c > 64 {
			b.WriteString(itoa(int(c) - 55))
		} else {
			b.WriteString(itoa(int(c) - 48))
		}
	}
	n, ok := new(big.Int).SetString(b.String(), 10)
	if !ok {
		return false
	}
	return new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

func itoa(i int) string { return big.NewInt(int64(i)).String() }

// deCode compares a payment means code the way each release does: 3.0.19
// compares numerically (cbc:PaymentMeansCode = (30,58)), 2026.5 as
// trimmed text.
// An error (normalize-space of two codes; a code that is not a number
// in 3.0.19) makes the context select nothing.
func (r *release) deCode(t tree, pm Node, codes ...string) bool {
	all := t.texts(pm, cbcPaymentMeansCode)
	if r.v2026 {
		return len(all) == 1 && in(codes, norm(all[0]))
	}
	for _, s := range all {
		f := number(s)
		if !isNumber(s) || trim(s) == "INF" || trim(s) == "-INF" || trim(s) == "+INF" {
			return false
		}
		for _, c := range codes {
			if f == number(c) {
				return true
			}
		}
	}
	return false
}

// deIs is the test inside DE-R-019/-020 that the code is the one the
// IBAN check is for: as written in 3.0.19, trimmed in 2026.5.
func (r *release) deIs(t tree, pm Node, code string) bool {
	for _, s := range t.texts(pm, cbcPaymentMeansCode) {
		if r.v2026 {
			s = norm(s)
		}
		if s == code {
			return true
		}
	}
	return false
}

// germany are the DE-R rules (XRechnung): for documents where seller and
// buyer both have the postal country DE.
func germany(r *release) []rule.Rule {
	de := func(v *vars) bool { return (v.invoice || v.credit) && v.supplierDE && v.customerDE }
	onDoc := func(test func(v *vars) bool) check {
		return r.onRoot(func(v *vars) bool { return !de(v) || test(v) })
	}
	// at runs test on the nodes root/steps when seller and buyer are German.
	at := func(steps []step, test func(v *vars, n Node) bool) check {
		return func(c *rule.Context, ru *rule.Rule) {
			v := r.vars(c)
			if !de(v) {
				return
			}
			for _, n := range v.t.all(v.root, steps...) {
				if !test(v, n) {
					c.Fail(ru, n)
				}
			}
		}
	}
	filled := func(step step) func(v *vars, n Node) bool {
		return func(v *vars, n Node) bool {
			for _, k := range v.t.kids(n, step) {
				if norm(v.t.text(k)) != "" {
					return true
				}
			}
			return false
		}
	}
	supAddr := []step{cacAccountingSupplierParty, cacParty, cacPostalAddress}
	supContact := []step{cacAccountingSupplierParty, cacParty, cacContact}
	custAddr := []step{cacAccountingCustomerParty, cacParty, cacPostalAddress}
	delivAddr := []step{cacDelivery, cacDeliveryLocation, cacAddress}
	pmWith := func(codes []string, test func(v *vars, pm Node) bool) check {
		return at([]step{cacPaymentMeans}, func(v *vars, pm Node) bool {
			return !r.deCode(v.t, pm, codes...) || test(v, pm)
		})
	}
	credit := []string{"30", "58"}
	card := []string{"48", "54", "55"}
	debit := []string{"59"}
	typeCodes := []string{"326", "380", "384", "389", "381", "875", "876", "877"}
	vatCodes := []string{"S", "Z", "E", "AE", "K", "G", "L", "M"}
	skonto := deSkonto3019
	email := deEmail3019
	if r.v2026 {
		skonto, email = deSkonto20265, deEmail20265
	}

	out := []rule.Rule{
		fatal("DE-R-001",
			"Between German parties the payment instructions (cac:PaymentMeans, BG-16) must be given.",
			"Mellom tyske parter må betalingsinstruksjonene (cac:PaymentMeans, BG-16) oppgis.",
			onDoc(func(v *vars) bool { return v.t.has(v.root, cacPaymentMeans) })),
		fatal("DE-R-015",
			"Between German parties the buyer reference (cbc:BuyerReference, BT-10; the Leitweg-ID) must be given.",
			"Mellom tyske parter må kjøpers referanse (cbc:BuyerReference, BT-10; Leitweg-ID) oppgis.",
			onDoc(func(v *vars) bool { return filled(cbcBuyerReference)(v, v.root) })),
		fatal("DE-R-016",
			"When VAT category S, Z, E, AE, K, G, L or M is used, give the seller's VAT identifier or tax registration identifier, or a tax representative.",
			"Når MVA-kategori S, Z, E, AE, K, G, L eller M brukes, må selgers MVA-nummer eller skatteregistreringsnummer, eller en skatterepresentant, oppgis.",
			onDoc(func(v *vars) bool {
				t := v.t
				used := false
				for _, ac := range t.kids(v.root, cacAllowanceCharge) {
					if !t.anyIs(ac, "false", cbcChargeIndicator) && !t.anyIs(ac, "true", cbcChargeIndicator) {
						continue
					}
					for _, id := range t.texts(ac, cacTaxCategory, cbcID) {
						used = used || in(vatCodes, id)
					}
				}
				for _, line := range []step{cacInvoiceLine, cacCreditNoteLine} {
					for _, id := range t.texts(v.root, line, cacItem, cacClassifiedTaxCategory, cbcID) {
						used = used || in(vatCodes, id)
					}
				}
				if !used || t.has(v.root, cacTaxRepresentativeParty) {
					return true
				}
				for _, id := range t.texts(v.root, cacAccountingSupplierParty, cacParty, cacPartyTaxScheme, cbcCompanyID) {
					if norm(id) != "" {
						return true
					}
				}
				return false
			})),
		warning("DE-R-017",
			"Between German parties the document type should be 326, 380, 384, 389, 381, 875, 876 or 877.",
			"Mellom tyske parter bør dokumenttypen være 326, 380, 384, 389, 381, 875, 876 eller 877.",
			onDoc(func(v *vars) bool {
				for _, step := range []step{cbcInvoiceTypeCode, cbcCreditNoteTypeCode} {
					for _, s := range v.t.texts(v.root, step) {
						if r.v2026 {
							s = norm(s)
						}
						if in(typeCodes, s) {
							return true
						}
					}
				}
				return false
			})),
		fatal("DE-R-018",
			"Cash discount (Skonto) terms in the payment terms must be lines of the form #SKONTO#TAGE=14#PROZENT=2.00# (optionally #BASISBETRAG=100.00#), each ending with a line break.",
			"Kontantrabatt (Skonto) i betalingsbetingelsene må skrives som linjer på formen #SKONTO#TAGE=14#PROZENT=2.00# (eventuelt #BASISBETRAG=100.00#), hver avsluttet med linjeskift.",
			onDoc(func(v *vars) bool {
				t := v.t
				var notes []string
				for _, pt := range t.kids(v.root, cacPaymentTerms) {
					if n := t.kid(pt, cbcNote); n != none {
						notes = append(notes, t.text(n))
					}
				}
				for _, note := range notes {
					for _, line := range deLineBreak.Split(note, -1) {
						if !strings.HasPrefix(norm(line), "#") {
							continue
						}
						if !skonto.MatchString(norm(line)) {
							return false
						}
						// the text after the last #...# must begin with a line break
						parts := deSegment.Split(notes[0], -1)
						if !deAfterLast.MatchString(parts[len(parts)-1]) {
							return false
						}
					}
				}
				return true
			})),
		fatal("DE-R-022",
			"Between German parties, attached documents must have different file names.",
			"Mellom tyske parter må vedlagte dokumenter ha ulike filnavn.",
			onDoc(func(v *vars) bool {
				seen := map[string]bool{}
				for _, a := range v.t.kids(v.root, cacAdditionalDocumentReference) {
					var names []string
					for _, o := range v.t.all(a, cacAttachment, cbcEmbeddedDocumentBinaryObject) {
						if f, ok := v.t.attr(o, attrFilename); ok {
							names = append(names, f)
						}
					}
					for _, f := range names {
						if seen[f] {
							return false
						}
					}
					for _, f := range names {
						seen[f] = true
					}
				}
				return true
			})),
		warning("DE-R-026",
			"A corrected invoice (type 384) should refer to the invoice it corrects (cac:BillingReference).",
			"En korrigert faktura (type 384) bør vise til fakturaen den korrigerer (cac:BillingReference).",
			onDoc(func(v *vars) bool {
				is384 := false
				for _, step := range []step{cbcInvoiceTypeCode, cbcCreditNoteTypeCode} {
					for _, s := range v.t.texts(v.root, step) {
						if r.v2026 && norm(s) == "384" || !r.v2026 && number(s) == 384 {
							is384 = true
						}
					}
				}
				return !is384 || v.t.has(v.root, cacBillingReference, cacInvoiceDocumentReference)
			})),
		fatal("DE-R-030",
			"With direct debit (cac:PaymentMandate), give the creditor identifier: a party identifier with schemeID SEPA for the seller or the payee.",
			"Ved direkte debitering (cac:PaymentMandate) må kreditoridentifikatoren oppgis: en partsidentifikator med schemeID SEPA for selger eller betalingsmottaker.",
			onDoc(func(v *vars) bool {
				t := v.t
				if !t.has(v.root, cacPaymentMeans, cacPaymentMandate) {
					return true
				}
				for _, path := range [][]step{
					{cacAccountingSupplierParty, cacParty, cacPartyIdentification, cbcID},
					{cacPayeeParty, cacPartyIdentification, cbcID},
				} {
					for _, id := range t.all(v.root, path...) {
						if s, ok := t.attr(id, attrSchemeID); ok && s == "SEPA" {
							return true
						}
					}
				}
				return false
			})),
		fatal("DE-R-031",
			"With direct debit (cac:PaymentMandate), give the debited account (cac:PayerFinancialAccount/cbc:ID).",
			"Ved direkte debitering (cac:PaymentMandate) må kontoen som belastes (cac:PayerFinancialAccount/cbc:ID) oppgis.",
			onDoc(func(v *vars) bool {
				return !v.t.has(v.root, cacPaymentMeans, cacPaymentMandate) ||
					v.t.has(v.root, cacPaymentMeans, cacPaymentMandate, cacPayerFinancialAccount, cbcID)
			})),
		fatal("DE-R-002",
			"Between German parties the seller contact (cac:Contact, BG-6) must be given.",
			"Mellom tyske parter må selgers kontaktinformasjon (cac:Contact, BG-6) oppgis.",
			at([]step{cacAccountingSupplierParty}, func(v *vars, n Node) bool { return v.t.has(n, cacParty, cacContact) })),
		fatal("DE-R-003",
			"Between German parties the seller's city (cbc:CityName) must be given.",
			"Mellom tyske parter må selgers poststed (cbc:CityName) oppgis.",
			at(supAddr, filled(cbcCityName))),
		fatal("DE-R-004",
			"Between German parties the seller's post code (cbc:PostalZone) must be given.",
			"Mellom tyske parter må selgers postnummer (cbc:PostalZone) oppgis.",
			at(supAddr, filled(cbcPostalZone))),
		fatal("DE-R-005",
			"Between German parties the seller's contact point (cbc:Name) must be given.",
			"Mellom tyske parter må selgers kontaktperson (cbc:Name) oppgis.",
			at(supContact, filled(cbcName))),
		fatal("DE-R-006",
			"Between German parties the seller's contact telephone (cbc:Telephone) must be given.",
			"Mellom tyske parter må selgers telefonnummer (cbc:Telephone) oppgis.",
			at(supContact, filled(cbcTelephone))),
		fatal("DE-R-007",
			"Between German parties the seller's contact e-mail (cbc:ElectronicMail) must be given.",
			"Mellom tyske parter må selgers e-postadresse (cbc:ElectronicMail) oppgis.",
			at(supContact, filled(cbcElectronicMail))),
		warning("DE-R-027",
			"The seller's contact telephone number should have at least three digits.",
			"Selgers telefonnummer bør ha minst tre sifre.",
			at(supContact, func(v *vars, n Node) bool { return dePhone.MatchString(norm(v.t.val(n, cbcTelephone))) })),
		warning("DE-R-028",
			"The seller's contact e-mail should be a valid address: one @ with at least two characters on each side, and no dot first or last.",
			"Selgers e-postadresse bør være gyldig: én @ med minst to tegn på hver side, og ikke punktum først eller sist.",
			at(supContact, func(v *vars, n Node) bool { return email.MatchString(norm(v.t.val(n, cbcElectronicMail))) })),
		fatal("DE-R-008",
			"Between German parties the buyer's city (cbc:CityName) must be given.",
			"Mellom tyske parter må kjøpers poststed (cbc:CityName) oppgis.",
			at(custAddr, filled(cbcCityName))),
		fatal("DE-R-009",
			"Between German parties the buyer's post code (cbc:PostalZone) must be given.",
			"Mellom tyske parter må kjøpers postnummer (cbc:PostalZone) oppgis.",
			at(custAddr, filled(cbcPostalZone))),
		fatal("DE-R-010",
			"Between German parties a delivery address must have the city (cbc:CityName).",
			"Mellom tyske parter må en leveringsadresse ha poststed (cbc:CityName).",
			at(delivAddr, filled(cbcCityName))),
		fatal("DE-R-011",
			"Between German parties a delivery address must have the post code (cbc:PostalZone).",
			"Mellom tyske parter må en leveringsadresse ha postnummer (cbc:PostalZone).",
			at(delivAddr, filled(cbcPostalZone))),
		warning("DE-R-019",
			"With SEPA credit transfer (payment means 58) the payment account should be a valid IBAN.",
			"Ved SEPA-overføring (betalingsmåte 58) bør betalingskontoen være et gyldig IBAN.",
			pmWith(credit, func(v *vars, pm Node) bool {
				return !r.deIs(v.t, pm, "58") || ibanOK(v.t.val(pm, cacPayeeFinancialAccount, cbcID))
			})),
		fatal("DE-R-023-1",
			"With credit transfer (payment means 30 or 58) give the account to pay to (cac:PayeeFinancialAccount).",
			"Ved kontooverføring (betalingsmåte 30 eller 58) må kontoen det skal betales til (cac:PayeeFinancialAccount) oppgis.",
			pmWith(credit, func(v *vars, pm Node) bool { return v.t.has(pm, cacPayeeFinancialAccount) })),
		fatal("DE-R-023-2",
			"With credit transfer (payment means 30 or 58) leave out card details (cac:CardAccount) and direct debit (cac:PaymentMandate).",
			"Ved kontooverføring (betalingsmåte 30 eller 58) skal kortopplysninger (cac:CardAccount) og direkte debitering (cac:PaymentMandate) utelates.",
			pmWith(credit, func(v *vars, pm Node) bool {
				return !v.t.has(pm, cacCardAccount) && !v.t.has(pm, cacPaymentMandate)
			})),
		fatal("DE-R-024-1",
			"With card payment (payment means 48, 54 or 55) give the card details (cac:CardAccount).",
			"Ved kortbetaling (betalingsmåte 48, 54 eller 55) må kortopplysningene (cac:CardAccount) oppgis.",
			pmWith(card, func(v *vars, pm Node) bool { return v.t.has(pm, cacCardAccount) })),
		fatal("DE-R-024-2",
			"With card payment (payment means 48, 54 or 55) leave out the payee account (cac:PayeeFinancialAccount) and direct debit (cac:PaymentMandate).",
			"Ved kortbetaling (betalingsmåte 48, 54 eller 55) skal mottakers konto (cac:PayeeFinancialAccount) og direkte debitering (cac:PaymentMandate) utelates.",
			pmWith(card, func(v *vars, pm Node) bool {
				return !v.t.has(pm, cacPayeeFinancialAccount) && !v.t.has(pm, cacPaymentMandate)
			})),
		warning("DE-R-020",
			"With SEPA direct debit (payment means 59) the debited account should be a valid IBAN.",
			"Ved SEPA direkte debitering (betalingsmåte 59) bør kontoen som belastes være et gyldig IBAN.",
			pmWith(debit, func(v *vars, pm Node) bool {
				return !r.deIs(v.t, pm, "59") || ibanOK(v.t.val(pm, cacPaymentMandate, cacPayerFinancialAccount, cbcID))
			})),
		fatal("DE-R-025-1",
			"With direct debit (payment means 59) give the direct debit details (cac:PaymentMandate).",
			"Ved direkte debitering (betalingsmåte 59) må opplysningene om debiteringen (cac:PaymentMandate) oppgis.",
			pmWith(debit, func(v *vars, pm Node) bool { return v.t.has(pm, cacPaymentMandate) })),
		fatal("DE-R-025-2",
			"With direct debit (payment means 59) leave out the payee account (cac:PayeeFinancialAccount) and card details (cac:CardAccount).",
			"Ved direkte debitering (betalingsmåte 59) skal mottakers konto (cac:PayeeFinancialAccount) og kortopplysninger (cac:CardAccount) utelates.",
			pmWith(debit, func(v *vars, pm Node) bool {
				return !v.t.has(pm, cacPayeeFinancialAccount) && !v.t.has(pm, cacCardAccount)
			})),
		fatal("DE-R-014",
			"Between German parties each VAT breakdown must give the VAT rate (cbc:Percent).",
			"Mellom tyske parter må hver MVA-spesifikasjon ha MVA-satsen (cbc:Percent).",
			at([]step{cacTaxTotal, cacTaxSubtotal}, func(v *vars, n Node) bool {
				return filled(cbcPercent)(v, v.t.kid(n, cacTaxCategory))
			})),
	}
	if r.v2026 {
		out = append(out, warning("DE-R-T02",
			"The address of an external attachment (cbc:URI) should be an absolute URL with a scheme, such as https://.",
			"Adressen til et eksternt vedlegg (cbc:URI) bør være en absolutt URL med skjema, for eksempel https://.",
			at([]step{cacAdditionalDocumentReference, cacAttachment, cacExternalReference}, func(v *vars, n Node) bool {
				return deURL.MatchString(v.t.val(n, cbcURI))
			})))
	}
	return out
}
