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

// The groups a line seldom has are nil when it does not have them.
func ExampleLine() {
	for _, file := range []string{"plain.xml", "allowances-charges.xml"} {
		doc, err := ehf.ParseFile("../testdata/invoices/" + file)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, l := range doc.Invoice.Lines {
			fmt.Printf("%s line %s: %s × %s at %s", file, l.ID.Value, l.Quantity.Value, l.Item.Name.Value, l.Price.NetPrice.Value.StringFixed(2))
			if a := l.Price.Allowance; a != nil {
				fmt.Printf(" (%s less %s)", a.GrossPrice.Value.StringFixed(2), a.Discount.Value.StringFixed(2))
			}
			if d := l.Item.Details; d != nil && d.SellerID.Present() {
				fmt.Printf(", seller's item %s", d.SellerID.Value)
			}
			fmt.Println()
		}
	}
	// Output:
	// plain.xml line 1: 10 × Skrivebordslampe LED at 150.00, seller's item LAMP-01
	// plain.xml line 2: 2 × Kontorstol, ergonomisk at 250.00, seller's item STOL-22
	// allowances-charges.xml line 1: 4 × Printer, laser at 200.00
	// allowances-charges.xml line 2: 10 × Kopipapir A4 at 45.00 (50.00 less 5.00)
}
