package peppol

import (
	"sort"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/report"
)

// The rule sets of the two releases differ exactly as the official files
// do (PEPPOL-EN16931-UBL.sch of 3.0.19 against that of 2026.5).
func TestReleaseDifferences(t *testing.T) {
	flags := func(rel string) map[string]report.Flag {
		m := map[string]report.Flag{}
		for _, r := range Rules(rel) {
			if _, dup := m[r.ID]; dup {
				t.Errorf("%s: %s twice", rel, r.ID)
			}
			m[r.ID] = r.Flag
		}
		return m
	}
	old, cur := flags(Release3019), flags(Release20265)
	var diff []string
	for id, f := range cur {
		of, ok := old[id]
		switch {
		case !ok:
			diff = append(diff, "new "+id+" "+f.String())
		case of != f:
			diff = append(diff, "flag "+id+" "+of.String()+" -> "+f.String())
		}
	}
	for id := range old {
		if _, ok := cur[id]; !ok {
			diff = append(diff, "gone "+id)
		}
	}
	sort.Strings(diff)
	want := []string{
		"flag DK-R-003 warning -> fatal",
		"new DE-R-T02 warning",
		"new DK-R-017 fatal",
		"new PEPPOL-COMMON-R052 fatal",
		"new PEPPOL-COMMON-R053 fatal",
		"new PEPPOL-COMMON-R054 warning",
		"new PEPPOL-COMMON-R055 warning",
		"new PEPPOL-COMMON-R056-1 warning",
		"new PEPPOL-COMMON-R056-2 warning",
		"new PEPPOL-COMMON-R057 warning",
	}
	if strings.Join(diff, "\n") != strings.Join(want, "\n") {
		t.Errorf("differences between the releases:\n%s\nwant:\n%s", strings.Join(diff, "\n"), strings.Join(want, "\n"))
	}
	if Rules("3.0.18") != nil {
		t.Error("an unknown release has rules")
	}
}

// Rules whose test changed between the releases: one document each that
// the two releases judge differently.
func TestReleaseBehaviour(t *testing.T) {
	const head = `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">`
	const peppol = `<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>`
	const de = `<cac:AccountingSupplierParty><cac:Party><cac:PostalAddress><cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
<cac:Contact><cbc:Name>A</cbc:Name><cbc:Telephone>123</cbc:Telephone><cbc:ElectronicMail>%s</cbc:ElectronicMail></cac:Contact></cac:Party></cac:AccountingSupplierParty>
<cac:AccountingCustomerParty><cac:Party><cac:PostalAddress><cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country></cac:PostalAddress></cac:Party></cac:AccountingCustomerParty>`
	for _, c := range []struct {
		name, doc, id   string
		in3019, in20265 bool
	}{
		{"customization with ::", `<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::x</cbc:CustomizationID>`,
			"PEPPOL-EN16931-R004", false, true},
		{"billing with response", `<cbc:ProfileID>urn:peppol:bis:billing_with_response</cbc:ProfileID>`, "PEPPOL-EN16931-R007", true, false},
		{"French process", `<cbc:ProfileID>urn:peppol:france:billing:regulated</cbc:ProfileID>`, "PEPPOL-EN16931-R007", true, false},
		{"process 02 under the old pattern", `<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:02:1.0</cbc:ProfileID>`, "PEPPOL-EN16931-R007", false, true},
		{"type code in process 02", `<cbc:ProfileID>urn:peppol:bis:billing_with_response</cbc:ProfileID><cbc:InvoiceTypeCode>999</cbc:InvoiceTypeCode>`,
			"PEPPOL-EN16931-P0100", false, true},
		{"withdrawn currency", peppol + `<cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="ANG">1</cbc:PayableAmount></cac:LegalMonetaryTotal>`,
			"PEPPOL-EN16931-CL007", false, true},
		{"new currency", peppol + `<cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="XCG">1</cbc:PayableAmount></cac:LegalMonetaryTotal>`,
			"PEPPOL-EN16931-CL007", true, false},
		{"withdrawn address scheme", `<cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0037">1</cbc:EndpointID></cac:Party></cac:AccountingSupplierParty>`,
			"PEPPOL-EN16931-CL008", false, true},
		{"Danish P number", `<cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0096">123</cbc:EndpointID></cac:Party></cac:AccountingSupplierParty>`,
			"PEPPOL-COMMON-R052", false, true},
		{"Dutch VAT number", `<cac:AccountingSupplierParty><cac:Party><cac:PartyTaxScheme><cbc:CompanyID>NL12</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme></cac:Party></cac:AccountingSupplierParty>`,
			"PEPPOL-COMMON-R056-2", false, true},
		{"German e-mail with a non-ASCII letter", `<cbc:ID>1</cbc:ID>` + strings.Replace(de, "%s", "a@b.c&#xE6;", 1), "DE-R-028", true, false},
		{"German type code with spaces", `<cbc:InvoiceTypeCode> 380 </cbc:InvoiceTypeCode>` + strings.Replace(de, "%s", "ab@cd.ef", 1), "DE-R-017", true, false},
		{"Skonto after text", `<cac:PaymentTerms><cbc:Note>#x#SKONTO#TAGE=7#PROZENT=2.00#
</cbc:Note></cac:PaymentTerms>` + strings.Replace(de, "%s", "ab@cd.ef", 1), "DE-R-018", false, true},
	} {
		doc := []byte(head + c.doc + `</Invoice>`)
		for _, rel := range []struct {
			name string
			want bool
		}{{Release3019, c.in3019}, {Release20265, c.in20265}} {
			got := false
			for _, f := range checkDoc(t, doc, rel.name) {
				got = got || f.ID == c.id
			}
			if got != rel.want {
				t.Errorf("%s: %s in %s: reported %v, want %v", c.name, c.id, rel.name, got, rel.want)
			}
		}
	}
}
