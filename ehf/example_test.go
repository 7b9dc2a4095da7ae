package ehf_test

import (
	"fmt"

	"github.com/ehf-project/ehf/ehf"
)

func ExampleParseFile() {
	doc, err := ehf.ParseFile("../testdata/invoices/plain.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	inv := doc.Invoice
	fmt.Println(doc.Type.Name, inv.ID.Value, inv.Totals.Payable.Value.StringFixed(2), inv.Totals.Payable.Currency)
	fmt.Println(inv.Seller.Name.Value, "→", inv.Buyer.Name.Value)
	// Output:
	// peppol-billing-invoice FV-2026-1001 2500.00 NOK
	// Fjordvik Kontorrekvisita AS → Eksempel kommune
}

func ExampleParse_syntaxError() {
	_, err := ehf.Parse([]byte("<Invoice>\n  <ID>1</Invoice>"), &ehf.ParseOptions{Name: "in.xml"})
	fmt.Println(err)
	// Output:
	// in.xml:2:8: end tag </Invoice> does not match <ID> opened at 2:3
}

func ExampleValidator() {
	v, err := ehf.NewValidator(&ehf.Options{RuleSet: "peppol-billing-2026.5"})
	if err != nil {
		fmt.Println(err)
		return
	}
	doc, _ := ehf.ParseFile("../testdata/invoices/broken-values.xml")
	rep := v.Validate(doc)
	fmt.Println("valid:", rep.Valid())
	for _, f := range rep.Findings {
		if f.ID == "EHF-DATE" {
			fmt.Printf("%d:%d %s %s at %s\n", f.Line, f.Column, f.Flag, f.ID, f.Location)
		}
	}
	// Output:
	// valid: false
	// 8:3 fatal EHF-DATE at /Invoice/cbc:IssueDate
}

func ExampleComputeTotals() {
	doc, err := ehf.ParseFile("../testdata/invoices/broken-totals.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	t := ehf.ComputeTotals(doc.Invoice)
	fmt.Println("payable:", t.Payable.Rounded.StringFixed(2), "declared:", t.Payable.Declared.Value.StringFixed(2))
	if l := t.FirstWrongLine(); l != nil {
		fmt.Printf("line %d: %s = %s\n", l.Index, l.Net.How, l.Net.Rounded.StringFixed(2))
	}
	// Output:
	// payable: 2500.00 declared: 2499.00
	// line 2: quantity 2 × price 250.00 = 500.00
}
