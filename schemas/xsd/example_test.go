package xsd_test

import (
	"fmt"
	"log"
	"os"

	"github.com/ehf-project/ehf/schemas/xsd"
)

// Compile a UBL schema once, then check documents with it, from as many
// goroutines as you like.
func ExampleCompile() {
	if !xsd.Available() {
		fmt.Println(xsd.ErrUnavailable)
		return
	}
	schema, err := xsd.Cached("schemas/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd")
	if err != nil {
		log.Fatal(err)
	}
	doc, err := os.ReadFile("invoice.xml")
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range schema.Validate(doc) {
		fmt.Printf("invoice.xml:%s\n", e) // invoice.xml:8:5: cbc:IssueDate: '2017-13-45' is not a valid date (YYYY-MM-DD)
	}
}
