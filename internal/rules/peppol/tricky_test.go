package peppol

import "testing"

// Rules whose tests have arithmetic or XPath subtleties, on small
// documents of our own.
func TestTrickyRules(t *testing.T) {
	const head = `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">`
	line := func(qty, price, base, net, acs string) string {
		return `<cac:InvoiceLine><cbc:InvoicedQuantity unitCode="C62">` + qty + `</cbc:InvoicedQuantity>
<cbc:LineExtensionAmount currencyID="NOK">` + net + `</cbc:LineExtensionAmount>` + acs + `
<cac:Price><cbc:PriceAmount currencyID="NOK">` + price + `</cbc:PriceAmount><cbc:BaseQuantity unitCode="C62">` + base + `</cbc:BaseQuantity></cac:Price></cac:InvoiceLine>`
	}
	ac := func(charge, amount string) string {
		return `<cac:AllowanceCharge><cbc:ChargeIndicator>` + charge + `</cbc:ChargeIndicator><cbc:Amount currencyID="NOK">` + amount + `</cbc:Amount></cac:AllowanceCharge>`
	}
	for _, c := range []struct {
		name, body, id string
		want           int
	}{
		{"net amount exact", line("3", "10", "1", "30", ""), "PEPPOL-EN16931-R120", 0},
		{"net amount 0.02 off is accepted", line("3", "10", "1", "30.02", ""), "PEPPOL-EN16931-R120", 0},
		{"net amount 0.021 off is not", line("3", "10", "1", "30.021", ""), "PEPPOL-EN16931-R120", 1},
		{"price per base quantity of 3", line("2", "1", "3", "0.67", ""), "PEPPOL-EN16931-R120", 0},
		{"base quantity 0 counts as 1", line("2", "5", "0", "10", ""), "PEPPOL-EN16931-R120", 0},
		{"base quantity 0 is refused", line("2", "5", "0", "10", ""), "PEPPOL-EN16931-R121", 1},
		// line charges and allowances are summed, then rounded to two
		// decimals with halves going up: 0.015 becomes 0.02 (10.04 is then
		// within 0.02 of 10.02) and -0.015 becomes -0.01
		{"line charge rounded half up", line("1", "10", "1", "10.04", ac("true", "0.01")+ac("true", "0.005")), "PEPPOL-EN16931-R120", 0},
		{"negative line allowance rounded half up", line("1", "10", "1", "9.99", ac("false", "-0.015")), "PEPPOL-EN16931-R120", 0},
		{"negative line allowance beyond", line("1", "10", "1", "9.98", ac("false", "-0.015")), "PEPPOL-EN16931-R120", 1},
		{"negative quantity", line("-2", "10", "1", "-20", ""), "PEPPOL-EN16931-R120", 0},
		{"percentage allowance within 0.02", `<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:MultiplierFactorNumeric>2.5</cbc:MultiplierFactorNumeric><cbc:Amount currencyID="NOK">2.52</cbc:Amount><cbc:BaseAmount currencyID="NOK">100</cbc:BaseAmount></cac:AllowanceCharge>`, "PEPPOL-EN16931-R040", 0},
		{"percentage allowance beyond 0.02", `<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:MultiplierFactorNumeric>2.5</cbc:MultiplierFactorNumeric><cbc:Amount currencyID="NOK">2.53</cbc:Amount><cbc:BaseAmount currencyID="NOK">100</cbc:BaseAmount></cac:AllowanceCharge>`, "PEPPOL-EN16931-R040", 1},
		// a percentage without base is R041's; R043 does not look at it
		{"first rule of the pattern wins", `<cac:AllowanceCharge><cbc:ChargeIndicator>maybe</cbc:ChargeIndicator><cbc:MultiplierFactorNumeric>2.5</cbc:MultiplierFactorNumeric></cac:AllowanceCharge>`, "PEPPOL-EN16931-R043", 0},
		{"charge indicator", `<cac:AllowanceCharge><cbc:ChargeIndicator>maybe</cbc:ChargeIndicator></cac:AllowanceCharge>`, "PEPPOL-EN16931-R043", 1},
		// 2017-10-01+02:00 begins two hours before 2017-10-01 (UTC)
		{"line period in another time zone", `<cac:InvoicePeriod><cbc:StartDate>2017-10-01</cbc:StartDate></cac:InvoicePeriod><cac:InvoiceLine><cac:InvoicePeriod><cbc:StartDate>2017-10-01+02:00</cbc:StartDate></cac:InvoicePeriod></cac:InvoiceLine>`, "PEPPOL-EN16931-R110", 1},
		{"line period without text", `<cac:InvoicePeriod><cbc:StartDate>2017-10-01</cbc:StartDate></cac:InvoicePeriod><cac:InvoiceLine><cac:InvoicePeriod><cbc:StartDate/></cac:InvoicePeriod></cac:InvoiceLine>`, "PEPPOL-EN16931-R110", 1},
		{"empty element", `<cbc:Note> </cbc:Note><cbc:Note><x/></cbc:Note>`, "PEPPOL-EN16931-R008", 2},
		{"two exemption codes select nothing", `<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:TaxExemptionReasonCode>VATEX-EU-G</cbc:TaxExemptionReasonCode><cbc:TaxExemptionReasonCode>VATEX-EU-G</cbc:TaxExemptionReasonCode></cac:TaxCategory>`, "PEPPOL-EN16931-P0104", 0},
		{"exemption code in lower case", `<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:TaxExemptionReasonCode>vatex-eu-g</cbc:TaxExemptionReasonCode></cac:TaxCategory>`, "PEPPOL-EN16931-P0104", 1},
		{"Norwegian VAT number", `<cac:AccountingSupplierParty><cac:Party><cac:PartyTaxScheme><cbc:CompanyID>NO123456789MVA</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme></cac:Party></cac:AccountingSupplierParty>`, "NO-R-001", 1},
		{"Norwegian VAT number valid", `<cac:AccountingSupplierParty><cac:Party><cac:PartyTaxScheme><cbc:CompanyID>NO123456785MVA</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme></cac:Party></cac:AccountingSupplierParty>`, "NO-R-001", 0},
		{"Norway by address", `<cac:AccountingSupplierParty><cac:Party><cac:PostalAddress><cac:Country><cbc:IdentificationCode>no</cbc:IdentificationCode></cac:Country></cac:PostalAddress></cac:Party></cac:AccountingSupplierParty>`, "NO-R-002", 1},
		{"two supplier countries select nothing", `<cac:AccountingSupplierParty><cac:Party><cac:PostalAddress><cac:Country><cbc:IdentificationCode>NO</cbc:IdentificationCode><cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country></cac:PostalAddress></cac:Party></cac:AccountingSupplierParty>`, "NO-R-002", 0},
	} {
		n := 0
		for _, f := range checkDoc(t, []byte(head+c.body+`</Invoice>`), Release3019) {
			if f.ID == c.id {
				n++
			}
		}
		if n != c.want {
			t.Errorf("%s: %s reported %d times, want %d", c.name, c.id, n, c.want)
		}
	}
}
