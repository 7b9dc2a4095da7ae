package cen

import (
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// inv wraps body in an Invoice element with the UBL namespaces.
func inv(body string) string {
	return `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">` + body + `</Invoice>`
}

func subtotal(taxable, tax, cat, pct string) string {
	s := `<cac:TaxTotal><cac:TaxSubtotal><cbc:TaxableAmount>` + taxable + `</cbc:TaxableAmount><cbc:TaxAmount>` + tax + `</cbc:TaxAmount><cac:TaxCategory><cbc:ID>` + cat + `</cbc:ID>`
	if pct != "" {
		s += `<cbc:Percent>` + pct + `</cbc:Percent>`
	}
	return s + `<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>`
}

// Tricky rules, each on a document of our own: the official arithmetic
// (XPath round half towards positive infinity, the ±1 tolerances, the
// xs:double step of BR-S-08), and the official tests' quirks.
func TestTrickyRules(t *testing.T) {
	cases := []struct {
		name, rule, release string
		doc                 string
		fires               bool
	}{
		{"BR-CO-17 within the ±1 tolerance", "BR-CO-17", R20265, inv(subtotal("1000", "250.99", "S", "25")), false},
		{"BR-CO-17 one whole unit off", "BR-CO-17", R20265, inv(subtotal("1000", "251", "S", "25")), true},
		{"BR-CO-17 a negative half-cent rounds up: round(-0.125 × 100) = -12", "BR-CO-17", R20265, inv(subtotal("-1.25", "-0.13", "S", "10")), false},
		{"BR-CO-17 rate rounding to 0 needs VAT rounding to 0", "BR-CO-17", R20265, inv(subtotal("100", "0.4", "S", "0.4")), false},
		{"BR-CO-17 rate rounding to 0 with VAT", "BR-CO-17", R20265, inv(subtotal("100", "1", "S", "0.4")), true},
		{"BR-CO-17 no rate and no VAT", "BR-CO-17", R20265, inv(subtotal("100", "0", "O", "")), false},
		{"BR-CO-10 sums lines, rounded half up", "BR-CO-10", R20265,
			inv(`<cac:LegalMonetaryTotal><cbc:LineExtensionAmount>0.01</cbc:LineExtensionAmount></cac:LegalMonetaryTotal><cac:InvoiceLine><cbc:LineExtensionAmount>0.004</cbc:LineExtensionAmount></cac:InvoiceLine><cac:InvoiceLine><cbc:LineExtensionAmount>0.001</cbc:LineExtensionAmount></cac:InvoiceLine>`), false},
		{"BR-CO-10 fires when BT-106 is missing", "BR-CO-10", R20265,
			inv(`<cac:LegalMonetaryTotal/><cac:InvoiceLine><cbc:LineExtensionAmount>1</cbc:LineExtensionAmount></cac:InvoiceLine>`), true},
		{"BR-CO-13 without allowances and charges compares unrounded", "BR-CO-13", R20265,
			inv(`<cac:LegalMonetaryTotal><cbc:LineExtensionAmount>10.001</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount>10.00</cbc:TaxExclusiveAmount></cac:LegalMonetaryTotal>`), true},
		{"BR-CO-16 with rounding", "BR-CO-16", R20265,
			inv(`<cac:LegalMonetaryTotal><cbc:TaxInclusiveAmount>99.60</cbc:TaxInclusiveAmount><cbc:PayableRoundingAmount>0.40</cbc:PayableRoundingAmount><cbc:PayableAmount>100.00</cbc:PayableAmount></cac:LegalMonetaryTotal>`), false},
		{"BR-DEC-13 never fires, as the official test is written", "BR-DEC-13", R20265,
			inv(`<cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode><cac:TaxTotal><cbc:TaxAmount currencyID="NOK">1.234</cbc:TaxAmount></cac:TaxTotal>`), false},
		{"UBL-DT-01 counts decimals of any amount", "UBL-DT-01", R20265,
			inv(`<cac:TaxTotal><cbc:TaxAmount currencyID="NOK">1.234</cbc:TaxAmount></cac:TaxTotal>`), true},
		{"UBL-DT-01 leaves price amounts alone", "UBL-DT-01", R20265,
			inv(`<cac:InvoiceLine><cac:Price><cbc:PriceAmount>1.2345</cbc:PriceAmount></cac:Price></cac:InvoiceLine>`), false},
		{"BR-CL-08 takes a code found inside the list string", "BR-CL-08", R20265, inv(`<cbc:Note>#A A#text</cbc:Note>`), false},
		{"BR-CL-08 unknown subject code", "BR-CL-08", R20265, inv(`<cbc:Note>#QQQ#text</cbc:Note>`), true},
		{"BR-CO-09 a one-letter VAT number passes as the official test reads it", "BR-CO-09", R20265,
			inv(`<cac:AccountingSupplierParty><cac:Party><cac:PartyTaxScheme><cbc:CompanyID>N</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme></cac:Party></cac:AccountingSupplierParty>`), false},
		{"BR-CO-09 without country prefix", "BR-CO-09", R20265,
			inv(`<cac:AccountingSupplierParty><cac:Party><cac:PartyTaxScheme><cbc:CompanyID>999999999MVA</cbc:CompanyID><cac:TaxScheme><cbc:ID>vat</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme></cac:Party></cac:AccountingSupplierParty>`), true},
		{"BR-CL-03 an amount without currency", "BR-CL-03", R20265, inv(`<cac:TaxTotal><cbc:TaxAmount>1</cbc:TaxAmount></cac:TaxTotal>`), true},
		{"BR-CL-04 ANG is withdrawn in 2026.5", "BR-CL-04", R20265, inv(`<cbc:DocumentCurrencyCode>ANG</cbc:DocumentCurrencyCode>`), true},
		{"BR-CL-04 ANG is still listed in 3.0.19", "BR-CL-04", R3019, inv(`<cbc:DocumentCurrencyCode>ANG</cbc:DocumentCurrencyCode>`), false},
		{"BR-CO-26 a SEPA identifier does not identify the seller in 2026.5", "BR-CO-26", R20265,
			inv(`<cac:AccountingSupplierParty><cac:Party><cac:PartyIdentification><cbc:ID schemeID="SEPA">X</cbc:ID></cac:PartyIdentification></cac:Party></cac:AccountingSupplierParty>`), true},
		{"BR-CO-26 it did in 3.0.19", "BR-CO-26", R3019,
			inv(`<cac:AccountingSupplierParty><cac:Party><cac:PartyIdentification><cbc:ID schemeID="SEPA">X</cbc:ID></cac:PartyIdentification></cac:Party></cac:AccountingSupplierParty>`), false},
		{"BR-S-08 ±1 tolerance per rate", "BR-S-08", R20265,
			inv(subtotal("100.99", "25.25", "S", "25") + `<cac:InvoiceLine><cbc:LineExtensionAmount>100</cbc:LineExtensionAmount><cac:Item><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item></cac:InvoiceLine>`), false},
		{"BR-S-08 no line at the breakdown's rate", "BR-S-08", R20265,
			inv(subtotal("100", "15", "S", "15") + `<cac:InvoiceLine><cbc:LineExtensionAmount>100</cbc:LineExtensionAmount><cac:Item><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item></cac:InvoiceLine>`), true},
		{"BR-E-08 is exact", "BR-E-08", R20265,
			inv(subtotal("100.01", "0", "E", "0") + `<cac:InvoiceLine><cbc:LineExtensionAmount>100</cbc:LineExtensionAmount><cac:Item><cac:ClassifiedTaxCategory><cbc:ID>E</cbc:ID><cbc:Percent>0</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item></cac:InvoiceLine>`), true},
		{"BR-29 applies to the document period, BR-30 to line periods", "BR-29", R20265,
			inv(`<cac:InvoiceLine><cac:InvoicePeriod><cbc:StartDate>2026-02-01</cbc:StartDate><cbc:EndDate>2026-01-01</cbc:EndDate></cac:InvoicePeriod></cac:InvoiceLine>`), false},
		{"BR-30 line period backwards", "BR-30", R20265,
			inv(`<cac:InvoiceLine><cac:InvoicePeriod><cbc:StartDate>2026-02-01</cbc:StartDate><cbc:EndDate>2026-01-01</cbc:EndDate></cac:InvoicePeriod></cac:InvoiceLine>`), true},
		{"UBL-CR-412 a credit note may give PaymentDueDate", "UBL-CR-412", R20265,
			strings.ReplaceAll(inv(`<cac:PaymentMeans><cbc:PaymentDueDate>2026-01-01</cbc:PaymentDueDate></cac:PaymentMeans>`), "Invoice", "CreditNote"), false},
		{"UBL-CR-412 an invoice may not", "UBL-CR-412", R20265, inv(`<cac:PaymentMeans><cbc:PaymentDueDate>2026-01-01</cbc:PaymentDueDate></cac:PaymentMeans>`), true},
		{"UBL-SR-20 an identifier without scheme counts", "UBL-SR-20", R20265,
			inv(`<cac:AccountingSupplierParty><cac:Party><cac:PartyLegalEntity><cbc:RegistrationName>S</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty><cac:PayeeParty><cac:PartyIdentification><cbc:ID>1</cbc:ID><cbc:ID>2</cbc:ID></cac:PartyIdentification><cac:PartyName><cbc:Name>P</cbc:Name></cac:PartyName></cac:PayeeParty>`), true},
		{"an allowance/charge saying both is an allowance to the context rules (first rule wins)", "BR-36", R20265,
			inv(`<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator><cbc:ChargeIndicator>false</cbc:ChargeIndicator></cac:AllowanceCharge>`), false},
		{"... and the allowance rules apply", "BR-31", R20265,
			inv(`<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator><cbc:ChargeIndicator>false</cbc:ChargeIndicator></cac:AllowanceCharge>`), true},
		{"BR-27 negative price", "BR-27", R20265, inv(`<cac:InvoiceLine><cac:Price><cbc:PriceAmount>-1</cbc:PriceAmount></cac:Price></cac:InvoiceLine>`), true},
		{"BR-27 unreadable price is the reader's to report", "BR-27", R20265, inv(`<cac:InvoiceLine><cac:Price><cbc:PriceAmount>1,5</cbc:PriceAmount></cac:Price></cac:InvoiceLine>`), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := xmltree.Parse([]byte(c.doc), nil)
			if err != nil {
				t.Fatal(err)
			}
			fired := false
			for _, f := range check(d, Rules(c.release)) {
				if f.ID == c.rule {
					fired = true
				}
			}
			if fired != c.fires {
				t.Errorf("%s fired: %v, want %v", c.rule, fired, c.fires)
			}
		})
	}
}

// Totals findings say what the value should have been.
func TestWantInMessages(t *testing.T) {
	for _, c := range []struct{ doc, rule, en, nb string }{
		{inv(subtotal("101.00", "25.25", "S", "25") + `<cac:InvoiceLine><cbc:LineExtensionAmount>99.99</cbc:LineExtensionAmount><cac:Item><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item></cac:InvoiceLine>`),
			"BR-S-08", "It should be 99.99.", "Det skal være 99.99."},
		{inv(subtotal("-1000", "-260", "S", "25")), "BR-CO-17", "It should be -250.00.", "Det skal være -250.00."},
		{inv(subtotal("100", "1", "E", "0")), "BR-E-09", "It should be 0.00.", "Det skal være 0.00."},
	} {
		d, err := xmltree.Parse([]byte(c.doc), nil)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range check(d, Rules(R20265)) {
			if f.ID == c.rule {
				found = true
				if !strings.HasSuffix(f.Message, c.en) || !strings.HasSuffix(f.Norsk, c.nb) {
					t.Errorf("%s: %q / %q", c.rule, f.Message, f.Norsk)
				}
			}
		}
		if !found {
			t.Errorf("%s did not fire", c.rule)
		}
	}
}

// normalize-space and the casts know only XML's four space characters: a
// no-break space or an ideographic space is part of the value. A value of
// only such spaces is not empty to the official rules.
func TestNormKeepsOtherSpaces(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  \u00a0  ", "\u00a0"},
		{"a \u00a0\tb", "a \u00a0 b"},
		{"\u3000x\u3000", "\u3000x\u3000"},
		{" \t a\r\n  b ", "a b"},
		{"plain", "plain"},
		{"", ""},
	} {
		if got := norm(tc.in); got != tc.want {
			t.Errorf("norm(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
