// Command validate shows the library in an ERP's shoes: read an invoice,
// validate it before sending, and print what to fix.
//
//	go run ./examples/validate testdata/invoices/broken-totals.xml
package main

import (
	"fmt"
	"os"

	"github.com/ehf-project/ehf/ehf"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: validate FILE.xml")
		os.Exit(2)
	}
	doc, err := ehf.ParseFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // file:line:col: what is wrong
		os.Exit(2)
	}
	// Build the validator once and reuse it for every invoice.
	v, err := ehf.NewValidator(nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	rep := v.Validate(doc)
	if inv := doc.Invoice; inv != nil {
		fmt.Printf("%s %s from %s to %s, payable %s %s\n", doc.Type.Name, inv.ID.Value,
			inv.Seller.Name.Value, inv.Buyer.Name.Value, inv.Totals.Payable.Value, inv.Totals.Payable.Currency)
	}
	for _, f := range rep.Findings {
		fmt.Printf("%d:%d %s %s: %s\n", f.Line, f.Column, f.Flag, f.ID, f.Message)
	}
	if !rep.Valid() {
		os.Exit(1)
	}
}
