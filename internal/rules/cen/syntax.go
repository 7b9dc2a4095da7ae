package cen

import (
	"fmt"
	"strings"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// syntaxRules are the UBL-SR (cardinality in the syntax binding) and
// UBL-DT (data type) rules of the official UBL-syntax pattern.
func syntaxRules(rel string) []def {
	lines := under("cac:InvoiceLine", "cac:CreditNoteLine")
	once := func(id, what, whatNb, path string) def {
		return def{id, fatal,
			fmt.Sprintf("%s may be given only once; remove the extra ones.", what),
			fmt.Sprintf("%s kan bare oppgis én gang; fjern de overtallige.", whatNb),
			atRoot, atMost(path, 1)}
	}
	ds := []def{
		{"UBL-SR-51", fatal, "An address may have only one address line (cac:AddressLine); put the text in one.", "En adresse kan bare ha én adresselinje (cac:AddressLine); samle teksten i én.", under("cac:PostalAddress", "cac:Address"), atMost("cac:AddressLine", 1)},
		{"UBL-SR-42", fatal, "The seller may have at most two tax registrations (cac:PartyTaxScheme): the VAT identifier and one other.", "Selger kan ha høyst to skatteregistreringer (cac:PartyTaxScheme): mva-nummeret og én annen.", under("cac:AccountingSupplierParty/cac:Party"), atMost("cac:PartyTaxScheme", 2)},
		{"UBL-SR-33", fatal, "A supporting document may have only one description (BT-123).", "Et vedlegg kan bare ha én beskrivelse (BT-123).", under("cac:AdditionalDocumentReference"), atMost("cbc:DocumentDescription", 1)},
		{"UBL-SR-43", fatal, "A document reference with a scheme identifier or a type code must be the invoiced object identifier (type code 130), or in a credit note a tender or lot reference (type code 50).", "En dokumentreferanse med skjema eller typekode må være fakturert objekt (typekode 130), eller i en kreditnota anbud eller parti (typekode 50).", under("cac:AdditionalDocumentReference"),
			func(e *ev, n node) bool {
				for c := range e.each(n, pathDocumentTypeCode) {
					if v := e.str(c); v == "130" || (e.credit && v == "50") {
						return true
					}
				}
				for id := range e.each(n, pID) {
					if _, ok := e.attr(id, "schemeID"); ok {
						return false
					}
				}
				return !e.has(n, pathDocumentTypeCode)
			}},
		{"UBL-DT-01", fatal, "An amount has more than two decimals; round it to two.", "Et beløp har mer enn to desimaler; rund av til to.", dtAmounts, func(e *ev, n node) bool { return fracDigits(e.str(n)) <= 2 }},
		{"UBL-DT-06", fatal, "An attachment (binary object) has no MIME type (mimeCode); add it.", "Et vedlegg (binærobjekt) mangler MIME-type (mimeCode); legg den til.", binaryObjects, func(e *ev, n node) bool { _, ok := e.attr(n, "mimeCode"); return ok }},
		{"UBL-DT-07", fatal, "An attachment (binary object) has no file name (filename); add it.", "Et vedlegg (binærobjekt) mangler filnavn (filename); legg det til.", binaryObjects, func(e *ev, n node) bool { _, ok := e.attr(n, "filename"); return ok }},
		{"UBL-SR-25", fatal, "The deliver-to party may have only one name (BT-70).", "Leveringsmottaker kan bare ha ett navn (BT-70).", under("cac:Delivery"), atMost("cac:DeliveryParty/cac:PartyName/cbc:Name", 1)},
		{"UBL-SR-30", fatal, "An allowance may have only one reason text.", "En rabatt kan bare ha én årsakstekst.", where(under("cac:AllowanceCharge"), func(e *ev, n node) bool { return e.charge(n, false) }), atMost("cbc:AllowanceChargeReason", 1)},
		{"UBL-SR-31", fatal, "A charge may have only one reason text.", "Et gebyr kan bare ha én årsakstekst.", where(under("cac:AllowanceCharge"), func(e *ev, n node) bool { return e.chargeCtx(n, true) }), atMost("cbc:AllowanceChargeReason", 1)},
		{"UBL-SR-53", fatal, "A tax registration (cac:PartyTaxScheme) needs both the identifier (cbc:CompanyID) and the tax scheme (cac:TaxScheme/cbc:ID).", "En skatteregistrering (cac:PartyTaxScheme) må ha både identifikator (cbc:CompanyID) og skatteordning (cac:TaxScheme/cbc:ID).", under("cac:PartyTaxScheme"),
			func(e *ev, n node) bool { return e.has(n, pathTaxSchemeID) && e.has(n, pathCompanyID) }},
	}
	for _, a := range dtAttrs {
		a := a
		key := xmltree.NewNameKey("", a.name)
		ds = append(ds, def{a.id, warning,
			fmt.Sprintf("The attribute %s is not used in EN 16931 invoices; remove it.", a.name),
			fmt.Sprintf("Attributtet %s brukes ikke i EN 16931-fakturaer; fjern det.", a.name),
			atRoot, func(e *ev, n node) bool { return e.attrCount(key, nil) == 0 }})
		if a.id == "UBL-DT-17" {
			ds = append(ds, def{"UBL-DT-18", warning,
				"The attribute name is only used on the payment means code; remove it elsewhere.",
				"Attributtet name brukes bare på betalingsmåten; fjern det andre steder.",
				atRoot, func(e *ev, n node) bool {
					return e.attrCount(keyName, func(m node) bool { return e.is(m, pathPaymentMeansCode) }) == 0
				}})
		}
	}
	ds = append(ds, []def{
		once("UBL-SR-01", "The contract reference (BT-12)", "Kontraktsreferansen (BT-12)", "cac:ContractDocumentReference/cbc:ID"),
		once("UBL-SR-02", "The receiving advice reference (BT-15)", "Mottaksreferansen (BT-15)", "cac:ReceiptDocumentReference/cbc:ID"),
		once("UBL-SR-03", "The despatch advice reference (BT-16)", "Pakkseddelreferansen (BT-16)", "cac:DespatchDocumentReference/cbc:ID"),
		{"UBL-SR-04", fatal, "The invoiced object identifier (BT-18) may be given only once; remove the extra ones.", "Fakturert objekt (BT-18) kan bare oppgis én gang; fjern de overtallige.", atRoot,
			func(e *ev, n node) bool {
				c := 0
				for d := range e.each(n, pathAdditionalDocumentReference) {
					for t := range e.each(d, pathDocumentTypeCode) {
						if e.str(t) == "130" {
							c += e.count(d, pID)
							break
						}
					}
				}
				return c <= 1
			}},
		once("UBL-SR-05", "The payment terms (BT-20)", "Betalingsbetingelsene (BT-20)", "cac:PaymentTerms/cbc:Note"),
		once("UBL-SR-08", "The invoicing period (BG-14)", "Faktureringsperioden (BG-14)", "cac:InvoicePeriod"),
		once("UBL-SR-09", "The seller's name (BT-27)", "Selgers navn (BT-27)", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"),
		once("UBL-SR-10", "The seller's trading name (BT-28)", "Selgers handelsnavn (BT-28)", "cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name"),
		once("UBL-SR-11", "The seller's legal registration identifier (BT-30)", "Selgers organisasjonsnummer (BT-30)", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID"),
		{"UBL-SR-12", fatal, "The seller's VAT identifier (BT-31) may be given only once; remove the extra ones.", "Selgers mva-nummer (BT-31) kan bare oppgis én gang; fjern de overtallige.", atRoot, schemeIDs("cac:AccountingSupplierParty/cac:Party", true)},
		{"UBL-SR-13", fatal, "The seller's tax registration identifier (BT-32) may be given only once; remove the extra ones.", "Selgers skatteregistreringsnummer (BT-32) kan bare oppgis én gang; fjern de overtallige.", atRoot, schemeIDs("cac:AccountingSupplierParty/cac:Party", false)},
		once("UBL-SR-14", "The seller's additional legal information (BT-33)", "Selgers tilleggsopplysninger (BT-33)", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLegalForm"),
		once("UBL-SR-15", "The buyer's name (BT-44)", "Kjøpers navn (BT-44)", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"),
		once("UBL-SR-16", "The buyer identifier (BT-46)", "Kjøperidentifikatoren (BT-46)", "cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID"),
		once("UBL-SR-17", "The buyer's legal registration identifier (BT-47)", "Kjøpers organisasjonsnummer (BT-47)", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID"),
		{"UBL-SR-18", fatal, "The buyer's VAT identifier (BT-48) may be given only once; remove the extra ones.", "Kjøpers mva-nummer (BT-48) kan bare oppgis én gang; fjern de overtallige.", atRoot, schemeIDs("cac:AccountingCustomerParty/cac:Party", true)},
		once("UBL-SR-24", "The delivery information (BG-13)", "Leveringsinformasjonen (BG-13)", "cac:Delivery"),
		{"UBL-SR-29", fatal, "The bank assigned creditor identifier (BT-90, scheme SEPA) may be given only once.", "Kreditoridentifikatoren fra banken (BT-90, skjema SEPA) kan bare oppgis én gang.", atRoot,
			func(e *ev, n node) bool {
				c := 0
				for _, id := range e.under(pathPartyIdentificationID) {
					if v, ok := e.attr(id, "schemeID"); ok && strings.ToUpper(v) == "SEPA" {
						c++
					}
				}
				return c <= 1
			}},
		once("UBL-SR-39", "The project reference (BT-11)", "Prosjektreferansen (BT-11)", "cac:ProjectReference/cbc:ID"),
		once("UBL-SR-40", "The buyer's trading name (BT-45)", "Kjøpers handelsnavn (BT-45)", "cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name"),
		{"UBL-SR-44", fatal, "The remittance information (BT-83) must be the same in every payment instruction.", "Betalingsreferansen (BT-83) må være den samme i alle betalingsinstruksjoner.", atRoot, distinctAtMostOne("PaymentID")},
		once("UBL-SR-45", "The payment due date", "Forfallsdatoen", "cac:PaymentMeans/cbc:PaymentDueDate"),
		{"UBL-SR-46", fatal, "The payment means text (BT-82) may be given only once.", "Betalingsmåteteksten (BT-82) kan bare oppgis én gang.", atRoot,
			func(e *ev, n node) bool {
				c := 0
				for pm := range e.each(n, pathPaymentMeansPaymentMeansCode) {
					if _, ok := e.attr(pm, "name"); ok {
						c++
					}
				}
				return c <= 1
			}},
		{"UBL-SR-47", fatal, "All payment instructions must use the same payment means code (BT-81).", "Alle betalingsinstruksjoner må bruke samme betalingsmåte (BT-81).", atRoot, distinctAtMostOne("PaymentMeansCode")},
		once("UBL-SR-49", "The VAT point date code (BT-8)", "Koden for dato for merverdiavgiftsplikt (BT-8)", "cac:InvoicePeriod/cbc:DescriptionCode"),
	}...)
	if rel == R20265 {
		ds = append(ds,
			once("UBL-SR-54", "The payment card information (BG-18)", "Betalingskortinformasjonen (BG-18)", "cac:PaymentMeans/cac:CardAccount"),
			once("UBL-SR-55", "The direct debit mandate (BG-19)", "Direktedebetfullmakten (BG-19)", "cac:PaymentMeans/cac:PaymentMandate"),
			once("UBL-SR-56", "The tender or lot reference (BT-17)", "Anbuds- eller partireferansen (BT-17)", "cac:OriginatorDocumentReference/cbc:ID"))
	}
	lineOnce := func(id, what, whatNb, path string) def {
		return def{id, fatal, fmt.Sprintf("%s may be given only once on a line; remove the extra ones.", what), fmt.Sprintf("%s kan bare oppgis én gang per linje; fjern de overtallige.", whatNb), lines, atMost(path, 1)}
	}
	ds = append(ds,
		lineOnce("UBL-SR-34", "The line note (BT-127)", "Linjemerknaden (BT-127)", "cbc:Note"),
		lineOnce("UBL-SR-35", "The referenced purchase order line (BT-132)", "Referert ordrelinje (BT-132)", "cac:OrderLineReference/cbc:LineID"),
		lineOnce("UBL-SR-36", "The line period (BG-26)", "Linjeperioden (BG-26)", "cac:InvoicePeriod"),
		lineOnce("UBL-SR-37", "The item price discount (BT-147)", "Prisrabatten (BT-147)", "cac:Price/cac:AllowanceCharge/cbc:Amount"),
		def{"UBL-SR-48", fatal, "An invoice line must have exactly one VAT category (cac:Item/cac:ClassifiedTaxCategory).", "En fakturalinje må ha nøyaktig én mva-kategori (cac:Item/cac:ClassifiedTaxCategory).", lines, func(e *ev, n node) bool { return e.count(n, pItemCTC) == 1 }},
		lineOnce("UBL-SR-50", "The item description (BT-154)", "Varebeskrivelsen (BT-154)", "cac:Item/cbc:Description"),
		lineOnce("UBL-SR-52", "The invoice line object identifier (BT-128)", "Objektidentifikatoren på linjen (BT-128)", "cac:DocumentReference"),
	)
	payeeNameDiffers := func(e *ev, n node) bool {
		a := e.all(n, pathPartyNameName)
		b := e.all(e.d.Parent(n), pathAccountingSupplierPartyPartyPartyLegalEntityRegistrationName)
		for _, x := range a {
			for _, y := range b {
				if e.str(x) != e.str(y) {
					return true
				}
			}
		}
		return false
	}
	payee := under("cac:PayeeParty")
	ds = append(ds,
		def{"UBL-SR-19", fatal, "The payee may have only one name (BT-59), and it must differ from the seller's name.", "Betalingsmottaker kan bare ha ett navn (BT-59), og det må være forskjellig fra selgers navn.", payee,
			func(e *ev, n node) bool {
				return e.count(n, pathPartyNameName) <= 1 && payeeNameDiffers(e, n)
			}},
		def{"UBL-SR-20", fatal, "The payee may have only one identifier (BT-60) besides a SEPA creditor identifier, and its name must differ from the seller's.", "Betalingsmottaker kan bare ha én identifikator (BT-60) i tillegg til SEPA-kreditoridentifikator, og navnet må være forskjellig fra selgers.", payee,
			func(e *ev, n node) bool {
				c := 0
				for id := range e.each(n, pathPartyIdentificationID) {
					// upper-case of an absent schemeID is "", which is not SEPA.
					if v, _ := e.attr(id, "schemeID"); strings.ToUpper(v) != "SEPA" {
						c++
					}
				}
				return c <= 1 && payeeNameDiffers(e, n)
			}},
		def{"UBL-SR-21", fatal, "The payee may have only one legal registration identifier (BT-61), and its name must differ from the seller's.", "Betalingsmottaker kan bare ha ett organisasjonsnummer (BT-61), og navnet må være forskjellig fra selgers.", payee,
			func(e *ev, n node) bool {
				return e.count(n, pathPartyLegalEntityCompanyID) <= 1 && payeeNameDiffers(e, n)
			}},
		def{"UBL-SR-26", fatal, "A payment instruction may have only one remittance information (BT-83).", "En betalingsinstruksjon kan bare ha én betalingsreferanse (BT-83).", under("cac:PaymentMeans"), atMost("cbc:PaymentID", 1)},
		def{"UBL-SR-27", fatal, "A payment instruction may have only one payment means code (BT-81).", "En betalingsinstruksjon kan bare ha én betalingsmåte (BT-81).", under("cac:PaymentMeans"), atMost("cbc:PaymentMeansCode", 1)},
		def{"UBL-SR-28", fatal, "A payment instruction may have only one mandate reference (BT-89).", "En betalingsinstruksjon kan bare ha én fullmaktsreferanse (BT-89).", under("cac:PaymentMeans"), atMost("cac:PaymentMandate/cbc:ID", 1)},
		def{"UBL-SR-06", fatal, "A preceding invoice reference may name only one invoice.", "En referanse til tidligere faktura kan bare vise til én faktura.", under("cac:BillingReference"), atMost("cac:InvoiceDocumentReference", 1)},
		def{"UBL-SR-07", fatal, "A preceding invoice reference (BG-3) needs the invoice number (BT-25).", "En referanse til tidligere faktura (BG-3) må ha fakturanummeret (BT-25).", under("cac:BillingReference"), exists("cac:InvoiceDocumentReference/cbc:ID")},
		def{"UBL-SR-22", fatal, "The tax representative may have only one name (BT-62).", "Avgiftsrepresentanten kan bare ha ett navn (BT-62).", under("cac:TaxRepresentativeParty"), atMost("cac:PartyName/cbc:Name", 1)},
	)
	sr23 := "cac:PartyTaxScheme/cbc:CompanyID"
	if rel == R3019 {
		sr23 = "cac:Party/cac:PartyTaxScheme/cbc:CompanyID" // as the 3.0.19 file has it
	}
	ds = append(ds,
		def{"UBL-SR-23", fatal, "The tax representative's VAT identifier (BT-63) may be given only once.", "Avgiftsrepresentantens mva-nummer (BT-63) kan bare oppgis én gang.", under("cac:TaxRepresentativeParty"), atMost(sr23, 1)},
		def{"UBL-SR-32", fatal, "A VAT breakdown may have only one exemption reason text (BT-120).", "En mva-spesifikasjon kan bare ha én fritaksgrunn (BT-120).", under("cac:TaxSubtotal"), atMost("cac:TaxCategory/cbc:TaxExemptionReason", 1)},
	)
	return ds
}

// schemeIDs counts the party's tax registrations with (vat) or without
// the VAT scheme; at most one may have a CompanyID.
func schemeIDs(party string, vat bool) func(e *ev, n node) bool {
	pp := p(party + "/cac:PartyTaxScheme")
	return func(e *ev, n node) bool {
		c := 0
		for pts := range e.each(n, pp) {
			match := false
			// upper-case of an absent ID is "", which is not VAT.
			for ts := range e.each(pts, pTaxScheme) {
				if (strings.ToUpper(e.str(e.one(ts, pID))) == "VAT") == vat {
					match = true
				}
			}
			if match {
				c += e.count(pts, pathCompanyID)
			}
		}
		return c <= 1
	}
}

// distinctAtMostOne: the cbc elements named local anywhere hold at most
// one distinct value.
func distinctAtMostOne(local string) func(e *ev, n node) bool {
	q := mk(pID[0].space, local)
	return func(e *ev, n node) bool {
		seen := map[string]bool{}
		for _, m := range e.everywhere(q) {
			seen[e.str(m)] = true
		}
		return len(seen) <= 1
	}
}

// dtAmounts are the elements UBL-DT-01 looks at: every element whose name
// ends in Amount, except price amounts and amounts under a price that has
// an allowance.
var dtAmounts = shared("dtAmounts", func(e *ev) []node {
	price := e.nameID(pathPrice[0])
	acID := e.nameID(pAC[0])
	out := e.elementsOf(e.idx.amounts) // every name ending in Amount but PriceAmount
	keep := out[:0]
	for _, i := range out {
		skip := false
		for a := e.d.Parent(i); a != none && !skip; a = e.d.Parent(a) {
			if price >= 0 && e.d.Kind(a) == xmltree.ElementNode && e.d.NameID(a) == price {
				for range e.d.ChildElements(a, acID) {
					skip = true
					break
				}
			}
		}
		if !skip {
			keep = append(keep, i)
		}
	}
	return keep
})

var binaryObjects = shared("binaryObjects", func(e *ev) []node {
	return e.elementsOf(e.idx.binaries) // every name ending in BinaryObject
})

// attrCount counts the attributes (in no namespace) named name anywhere,
// leaving out those on elements for which skip holds.
func (e *ev) attrCount(name xmltree.NameKey, skip func(n node) bool) int {
	id := e.d.LookupKey(name)
	if id < 0 {
		return 0
	}
	// The elements name by name (the document's lists): no text node is
	// looked at.
	c := 0
	for nid := range e.d.NameCount() {
		for _, el := range e.d.Elements(xmltree.NameID(nid)) {
			for _, a := range e.d.Attrs(el) {
				if a.Name == id && (skip == nil || !skip(el)) {
					c++
				}
			}
		}
	}
	return c
}

var keyName = xmltree.NewNameKey("", "name")

// dtAttrs are the attributes UBL-DT-08 to -28 say are not used.
var dtAttrs = []struct{ id, name string }{
	{"UBL-DT-08", "schemeName"}, {"UBL-DT-09", "schemeAgencyName"}, {"UBL-DT-10", "schemeDataURI"},
	{"UBL-DT-11", "schemeURI"}, {"UBL-DT-12", "format"}, {"UBL-DT-13", "unitCodeListIdentifier"},
	{"UBL-DT-14", "unitCodeListAgencyIdentifier"}, {"UBL-DT-15", "unitCodeListAgencyName"},
	{"UBL-DT-16", "listAgencyName"}, {"UBL-DT-17", "listName"}, {"UBL-DT-19", "languageID"},
	{"UBL-DT-20", "listURI"}, {"UBL-DT-21", "listSchemeURI"}, {"UBL-DT-22", "languageLocaleID"},
	{"UBL-DT-23", "uri"}, {"UBL-DT-24", "currencyCodeListVersionID"}, {"UBL-DT-25", "characterSetCode"},
	{"UBL-DT-26", "encodingCode"}, {"UBL-DT-27", "schemeAgencyID"}, {"UBL-DT-28", "listAgencyID"},
}
