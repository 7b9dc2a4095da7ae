package peppol

import (
	"testing"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// FuzzRules: no document, however broken, makes a rule panic.
func FuzzRules(f *testing.F) {
	const ns = ` xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"`
	for _, s := range []string{
		`<Invoice` + ns + `/>`,
		`<Invoice` + ns + `><cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID><cac:InvoiceLine><cbc:InvoicedQuantity>1</cbc:InvoicedQuantity><cbc:LineExtensionAmount>1</cbc:LineExtensionAmount><cac:Price><cbc:PriceAmount>1</cbc:PriceAmount><cbc:BaseQuantity unitCode="C62">0</cbc:BaseQuantity><cac:AllowanceCharge><cbc:BaseAmount>2</cbc:BaseAmount></cac:AllowanceCharge></cac:Price></cac:InvoiceLine></Invoice>`,
		`<Invoice` + ns + `><cbc:ID>|||</cbc:ID><cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0211">IT+1</cbc:EndpointID><cac:PartyTaxScheme><cbc:CompanyID>EL</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme><cac:PostalAddress><cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress></cac:Party></cac:AccountingSupplierParty></Invoice>`,
		`<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"><x/></CreditNote>`,
		`<a/>`,
	} {
		f.Add([]byte(s))
	}
	rules := [][]rule.Rule{Rules(Release3019), Rules(Release20265)}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := xmltree.Parse(data, nil)
		if err != nil || d.Root() == xmltree.None {
			return
		}
		inv, _ := invoice.Read(d, d.Root())
		for _, rs := range rules {
			c := &rule.Context{Doc: d, Inv: inv}
			rule.Run(c, rs)
			c.Close()
			// rule.Run turns a panic into a finding: that is the failure
			for _, f := range c.Findings() {
				if f.ID == rule.RuleInternal {
					t.Fatalf("%s", f.Message)
				}
			}
		}
	})
}
