package peppol_test

import (
	"errors"
	"fmt"

	"github.com/ehf-project/ehf/peppol"
)

func ExampleParseParticipantID() {
	p, err := peppol.ParseParticipantID("0192:974760673")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p)
	fmt.Println(p.ICD(), p.LocalID())
	fmt.Println(p.Validate() == nil)
	// Output:
	// iso6523-actorid-upis::0192:974760673
	// 0192 974760673
	// true
}

func ExampleParticipantID_Validate() {
	p := peppol.MustParseParticipantID("0192:974760672")
	err := p.Validate()
	fmt.Println(errors.Is(err, peppol.ErrCheckDigit))
	var ie *peppol.IDError
	if errors.As(err, &ie) {
		fmt.Println(ie.Reason)
		fmt.Println(ie.ReasonNB)
	}
	// Output:
	// true
	// the check digits of this Norwegian organisation number (0192) are wrong
	// kontrollsifrene i dette nummeret (Norwegian organisation number (0192)) er feil
}

func ExampleParticipantID_Canonical() {
	p := peppol.MustParseParticipantID("iso6523-actorid-upis::0088:123ABC")
	fmt.Println(p.Canonical())
	fmt.Println(p.Equal(peppol.MustParseParticipantID("0088:123abc")))
	// Output:
	// iso6523-actorid-upis::0088:123abc
	// true
}

func ExampleParticipantFromEndpoint() {
	// <cbc:EndpointID schemeID="0192">974760673</cbc:EndpointID>
	p, err := peppol.ParticipantFromEndpoint("0192", "974760673")
	fmt.Println(p, err)
	// Output:
	// iso6523-actorid-upis::0192:974760673 <nil>
}

func ExampleDocumentTypeID_Parts() {
	parts, _ := peppol.BISBillingInvoice.Parts()
	fmt.Println(parts.LocalName)
	fmt.Println(parts.CustomizationID)
	fmt.Println(parts.Version)
	// Output:
	// Invoice
	// urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0
	// 2.1
}
