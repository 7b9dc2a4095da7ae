// Package sample writes invoices of any size for tests and benchmarks.
package sample

import (
	"fmt"
	"strings"
)

// Invoice is our own valid Peppol BIS Billing 3.0 invoice of n lines, all at
// 25 % VAT, for benchmarks and tests that need a document of a given size.
func Invoice(n int) []byte {
	var sb strings.Builder
	sb.WriteString(`<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
<cbc:ID>1</cbc:ID><cbc:IssueDate>2026-11-24</cbc:IssueDate><cbc:DueDate>2026-12-24</cbc:DueDate>
<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode><cbc:BuyerReference>x</cbc:BuyerReference>
<cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0192">999999999</cbc:EndpointID><cac:PostalAddress><cbc:CityName>Oslo</cbc:CityName><cac:Country><cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
<cac:PartyTaxScheme><cbc:CompanyID>NO999999999MVA</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
<cac:PartyLegalEntity><cbc:RegistrationName>Seller AS</cbc:RegistrationName><cbc:CompanyID>999999999</cbc:CompanyID></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
<cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="0192">888888888</cbc:EndpointID><cac:PostalAddress><cbc:CityName>Bergen</cbc:CityName><cac:Country><cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
<cac:PartyLegalEntity><cbc:RegistrationName>Buyer AS</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>
<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cac:PayeeFinancialAccount><cbc:ID>NO9386011117947</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>
`)
	total := fmt.Sprintf("%d.00", n*100)
	fmt.Fprintf(&sb, `<cac:TaxTotal><cbc:TaxAmount currencyID="NOK">%d.00</cbc:TaxAmount><cac:TaxSubtotal><cbc:TaxableAmount currencyID="NOK">%s</cbc:TaxableAmount><cbc:TaxAmount currencyID="NOK">%d.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>
<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="NOK">%s</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount currencyID="NOK">%s</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="NOK">%d.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="NOK">%d.00</cbc:PayableAmount></cac:LegalMonetaryTotal>
`, n*25, total, n*25, total, total, n*125, n*125)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, `<cac:InvoiceLine><cbc:ID>%d</cbc:ID><cbc:InvoicedQuantity unitCode="EA">2</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="NOK">100.00</cbc:LineExtensionAmount><cac:Item><cbc:Name>Item %d</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item><cac:Price><cbc:PriceAmount currencyID="NOK">50.00</cbc:PriceAmount></cac:Price></cac:InvoiceLine>
`, i, i)
	}
	sb.WriteString("</Invoice>\n")
	return []byte(sb.String())
}
