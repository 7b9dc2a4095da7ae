package cen

import (
	"slices"
	"strings"

	"github.com/ehf-project/ehf/internal/codelist"
)

// inList is the official list test: the normalised value has no space and
// is one of the list's codes. An empty value is not in any list.
func inList(rel string, id codelist.ID, v string) bool {
	v = norm(v)
	return v != "" && !strings.Contains(v, " ") && codelist.HasIn(rel, id, v)
}

// inVersion is inList with the list's version found beforehand.
func inVersion(ver *codelist.Version, v string) bool {
	v = norm(v)
	return v != "" && !strings.Contains(v, " ") && ver.Has(v)
}

// inVersion is inVersion, remembering the last few answers of the check:
// a document gives the same currency on every amount, the same unit and
// scheme on many elements.
func (e *ev) inVersion(ver *codelist.Version, v string) bool {
	for i := range e.codes {
		if m := &e.codes[i]; m.ver == ver && m.v == v {
			return m.ok
		}
	}
	ok := inVersion(ver, v)
	e.codes[e.codeAt%uint8(len(e.codes))] = codeMemo{ver: ver, v: v, ok: ok}
	e.codeAt++
	return ok
}

// codeMemo is one remembered inVersion.
type codeMemo struct {
	ver *codelist.Version
	v   string
	ok  bool
}

// codeOf tests the element's value against a list.
func codeOf(rel string, id codelist.ID) func(e *ev, n node) bool {
	if l := codelist.Get(id); l != nil {
		ver := l.Version(rel)
		return func(e *ev, n node) bool { return e.inVersion(ver, e.str(n)) }
	}
	return func(e *ev, n node) bool { return inList(rel, id, e.str(n)) }
}

// attrCode tests an attribute's value against a list (absent = "").
func attrCode(rel string, id codelist.ID, attr string) func(e *ev, n node) bool {
	if l := codelist.Get(id); l != nil {
		ver := l.Version(rel)
		return func(e *ev, n node) bool {
			v, _ := e.attr(n, attr)
			return e.inVersion(ver, v)
		}
	}
	return func(e *ev, n node) bool {
		v, _ := e.attr(n, attr)
		return inList(rel, id, v)
	}
}

// withAttr keeps the nodes that have the attribute (the [@x] of a context).
func withAttr(ctx *ctxT, attr string) *ctxT {
	return where(ctx, func(e *ev, n node) bool { _, ok := e.attr(n, attr); return ok })
}

var amountNames = []string{"Amount", "BaseAmount", "PriceAmount", "TaxAmount", "TaxableAmount", "LineExtensionAmount",
	"TaxExclusiveAmount", "TaxInclusiveAmount", "AllowanceTotalAmount", "ChargeTotalAmount", "PrepaidAmount",
	"PayableRoundingAmount", "PayableAmount"}

func codeRules(rel string) []def {
	cbcAny := func(local string) *ctxT {
		q := mk(pID[0].space, local)
		return keyed("any:"+local, func(int32) func(e *ev) []node {
			return func(e *ev) []node { return e.everywhere(q) }
		})
	}
	amountCtxs := make([]*ctxT, len(amountNames))
	for i, l := range amountNames {
		amountCtxs[i] = cbcAny(l)
	}
	amounts := shared("amounts", func(e *ev) []node {
		out := e.gather(func(out []node) []node {
			for _, ctx := range amountCtxs {
				out = append(out, ctx.find(e)...) // the document's lists, found without the arena
			}
			return out
		})
		sortNodes(out)
		return out
	})
	typeCodes := []*ctxT{cbcAny("InvoiceTypeCode"), cbcAny("CreditNoteTypeCode")}
	var quantities []*ctxT
	for _, l := range []string{"InvoicedQuantity", "BaseQuantity", "CreditedQuantity"} {
		quantities = append(quantities, withAttr(cbcAny(l), "unitCode"))
	}
	acReason := func(charge bool) *ctxT {
		return where(under("cac:AllowanceCharge/cbc:AllowanceChargeReasonCode"), func(e *ev, n node) bool { return e.chargeCtx(e.d.Parent(n), charge) })
	}
	doc130 := where(under("cac:AdditionalDocumentReference/cbc:ID", "cac:DocumentReference/cbc:ID"), func(e *ev, n node) bool {
		if _, ok := e.attr(n, "schemeID"); !ok {
			return false
		}
		for c := range e.each(e.d.Parent(n), pathDocumentTypeCode) {
			if e.str(c) == "130" {
				return true
			}
		}
		return false
	})
	icd := attrCode(rel, codelist.ICD, "schemeID")
	return []def{
		{"BR-CL-01", fatal, "The invoice type code (BT-3) is not a UNTDID 1001 code allowed for this document; use one such as 380 for an invoice or 381 for a credit note.", "Fakturatypekoden (BT-3) er ikke en UNTDID 1001-kode som er tillatt for dokumentet; bruk for eksempel 380 for faktura eller 381 for kreditnota.",
			ctxFunc(func(e *ev) []node {
				out := append(typeCodes[0].find(e), typeCodes[1].find(e)...)
				sortNodes(out)
				return out
			}),
			func(e *ev, n node) bool {
				if e.d.Local(n) == "InvoiceTypeCode" {
					return inList(rel, codelist.UNCL1001Invoice, e.str(n))
				}
				return inList(rel, codelist.UNCL1001CreditNote, e.str(n))
			}},
		{"BR-CL-03", fatal, "The currency (currencyID) of an amount is not an ISO 4217 code; write a code such as NOK or EUR.", "Valutaen (currencyID) til et beløp er ikke en ISO 4217-kode; skriv en kode som NOK eller EUR.", amounts, attrCode(rel, codelist.ISO4217, "currencyID")},
		{"BR-CL-04", fatal, "The invoice currency code (BT-5) is not an ISO 4217 code; write a code such as NOK or EUR.", "Fakturavalutakoden (BT-5) er ikke en ISO 4217-kode; skriv en kode som NOK eller EUR.", cbcAny("DocumentCurrencyCode"), codeOf(rel, codelist.ISO4217)},
		{"BR-CL-05", fatal, "The VAT accounting currency code (BT-6) is not an ISO 4217 code; write a code such as NOK or EUR.", "Valutakoden for mva-regnskap (BT-6) er ikke en ISO 4217-kode; skriv en kode som NOK eller EUR.", cbcAny("TaxCurrencyCode"), codeOf(rel, codelist.ISO4217)},
		{"BR-CL-06", fatal, "The VAT point date code (BT-8) must be 3, 35 or 432 (UNTDID 2005).", "Koden for dato for merverdiavgiftsplikt (BT-8) må være 3, 35 eller 432 (UNTDID 2005).", under("cac:InvoicePeriod/cbc:DescriptionCode"), codeOf(rel, codelist.UNCL2005)},
		{"BR-CL-07", fatal, "The scheme of the invoiced object identifier (BT-18) is not a UNTDID 1153 code; use a code from that list.", "Skjemaet for fakturert objekt (BT-18) er ikke en UNTDID 1153-kode; bruk en kode fra den listen.", doc130, attrCode(rel, codelist.UNCL1153, "schemeID")},
		{"BR-CL-10", fatal, "The scheme of a party identifier is not an ISO 6523 ICD code; use one such as 0192 (or SEPA for a seller or payee creditor identifier).", "Skjemaet for en partsidentifikator er ikke en ISO 6523 ICD-kode; bruk en som 0192 (eller SEPA for kreditoridentifikator hos selger eller betalingsmottaker).",
			withAttr(under("cac:PartyIdentification/cbc:ID"), "schemeID"),
			func(e *ev, n node) bool {
				if icd(e, n) {
					return true
				}
				v, _ := e.attr(n, "schemeID")
				if norm(v) != "SEPA" {
					return false
				}
				for a := e.d.Parent(n); a != none; a = e.d.Parent(a) {
					if e.d.Kind(a) == 1 && e.d.Name(a).Space == pAC[0].space && (e.d.Local(a) == "AccountingSupplierParty" || e.d.Local(a) == "PayeeParty") {
						return true
					}
				}
				return false
			}},
		{"BR-CL-11", fatal, "The scheme of a legal registration identifier is not an ISO 6523 ICD code; use one such as 0192.", "Skjemaet for et organisasjonsnummer er ikke en ISO 6523 ICD-kode; bruk en som 0192.", withAttr(under("cac:PartyLegalEntity/cbc:CompanyID"), "schemeID"), icd},
		{"BR-CL-13", fatal, "The scheme (listID) of an item classification code is not a UNTDID 7143 code; use one such as STI or HS.", "Skjemaet (listID) for en varekategorikode er ikke en UNTDID 7143-kode; bruk en som STI eller HS.", withAttr(under("cac:CommodityClassification/cbc:ItemClassificationCode"), "listID"), attrCode(rel, codelist.UNCL7143, "listID")},
		{"BR-CL-14", fatal, "A country code is not an ISO 3166-1 alpha-2 code; write it as two capital letters, such as NO.", "En landkode er ikke en ISO 3166-1 alfa-2-kode; skriv den med to store bokstaver, for eksempel NO.", under("cac:Country/cbc:IdentificationCode"), codeOf(rel, codelist.ISO3166)},
		{"BR-CL-15", fatal, "The item's country of origin (BT-159) is not an ISO 3166-1 alpha-2 code; write it as two capital letters.", "Varens opprinnelsesland (BT-159) er ikke en ISO 3166-1 alfa-2-kode; skriv den med to store bokstaver.", under("cac:OriginCountry/cbc:IdentificationCode"), codeOf(rel, codelist.ISO3166)},
		{"BR-CL-16", fatal, "The payment means code (BT-81) is not a UNTDID 4461 code; use one such as 30, 31 or 58.", "Betalingsmåten (BT-81) er ikke en UNTDID 4461-kode; bruk en som 30, 31 eller 58.", under("cac:PaymentMeans/cbc:PaymentMeansCode"), codeOf(rel, codelist.UNCL4461)},
		{"BR-CL-17", fatal, "A VAT category code is not one of S, Z, E, AE, K, G, O, L, M or B (UNTDID 5305).", "En mva-kategorikode er ikke en av S, Z, E, AE, K, G, O, L, M eller B (UNTDID 5305).", under("cac:TaxCategory/cbc:ID"), codeOf(rel, codelist.UNCL5305)},
		{"BR-CL-18", fatal, "An invoice line VAT category code (BT-151) is not one of S, Z, E, AE, K, G, O, L, M or B (UNTDID 5305).", "Mva-kategorikoden på en fakturalinje (BT-151) er ikke en av S, Z, E, AE, K, G, O, L, M eller B (UNTDID 5305).", under("cac:ClassifiedTaxCategory/cbc:ID"), codeOf(rel, codelist.UNCL5305)},
		{"BR-CL-19", fatal, "An allowance reason code is not a UNTDID 5189 code; use a code from that list or give the reason as text only.", "En rabattårsakskode er ikke en UNTDID 5189-kode; bruk en kode fra listen eller oppgi årsaken bare som tekst.", acReason(false), codeOf(rel, codelist.UNCL5189)},
		{"BR-CL-20", fatal, "A charge reason code is not a UNTDID 7161 code; use a code from that list or give the reason as text only.", "En gebyrårsakskode er ikke en UNTDID 7161-kode; bruk en kode fra listen eller oppgi årsaken bare som tekst.", acReason(true), codeOf(rel, codelist.UNCL7161)},
		{"BR-CL-21", fatal, "The scheme of an item standard identifier (BT-157) is not an ISO 6523 ICD code; use one such as 0160 for GTIN.", "Skjemaet for en standard vareidentifikator (BT-157) er ikke en ISO 6523 ICD-kode; bruk en som 0160 for GTIN.", withAttr(under("cac:StandardItemIdentification/cbc:ID"), "schemeID"), icd},
		{"BR-CL-22", fatal, "A VAT exemption reason code (BT-121) is not a VATEX code; use a code from the VATEX list.", "En kode for mva-fritak (BT-121) er ikke en VATEX-kode; bruk en kode fra VATEX-listen.", cbcAny("TaxExemptionReasonCode"),
			func(e *ev, n node) bool {
				v := norm(e.str(n))
				return v != "" && !strings.Contains(v, " ") && codelist.HasIn(rel, codelist.VATEX, strings.ToUpper(v))
			}},
		{"BR-CL-23", fatal, "A unit of measure (unitCode) is not a UN/ECE Recommendation 20 or 21 code; use one such as EA, C62, HUR or KGM.", "En måleenhet (unitCode) er ikke en kode fra UN/ECE anbefaling 20 eller 21; bruk en som EA, C62, HUR eller KGM.",
			ctxFunc(func(e *ev) []node {
				var out []node
				for _, q := range quantities {
					out = append(out, q.find(e)...)
				}
				sortNodes(out)
				return out
			}), attrCode(rel, codelist.UNECERec20, "unitCode")},
		{"BR-CL-24", fatal, "An attachment's MIME type (mimeCode) is not allowed; use application/pdf, image/png, image/jpeg, text/csv or a spreadsheet type.", "MIME-typen (mimeCode) til et vedlegg er ikke tillatt; bruk application/pdf, image/png, image/jpeg, text/csv eller en regnearktype.",
			withAttr(cbcAny("EmbeddedDocumentBinaryObject"), "mimeCode"),
			func(e *ev, n node) bool { v, _ := e.attr(n, "mimeCode"); return codelist.HasIn(rel, codelist.MIME, v) }},
		{"BR-CL-25", fatal, "The scheme of an electronic address (schemeID) is not an EAS code; use one such as 0192 or 0088.", "Skjemaet for en elektronisk adresse (schemeID) er ikke en EAS-kode; bruk en som 0192 eller 0088.", withAttr(cbcAny("EndpointID"), "schemeID"), attrCode(rel, codelist.EAS, "schemeID")},
		{"BR-CL-26", fatal, "The scheme of the delivery location identifier (BT-71) is not an ISO 6523 ICD code; use one such as 0088 for GLN.", "Skjemaet for leveringssted (BT-71) er ikke en ISO 6523 ICD-kode; bruk en som 0088 for GLN.", withAttr(under("cac:DeliveryLocation/cbc:ID"), "schemeID"), icd},
	}
}

func sortNodes(ns []node) { slices.Sort(ns) }
