package peppol_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

func ExampleNewEnvelope() {
	invoice := []byte(`<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><!-- ... --></Invoice>`)
	env, err := peppol.NewEnvelope(invoice, peppol.Header{
		Sender:       peppol.MustParseParticipantID("0192:987654325"),
		Receiver:     peppol.MustParseParticipantID("0192:970000003"),
		DocumentType: peppol.BISBillingInvoice,
		Process:      peppol.BillingProcess,
		CountryC1:    "NO",
		InstanceID:   "7c5e0a3e-52c4-4f0e-8d43-2b8f3a1d9e60",
		Created:      time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	data, err := env.Marshal()
	if err != nil {
		fmt.Println(err)
		return
	}
	back, err := peppol.ParseEnvelope(data, "envelope.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(back.Receiver, back.CountryC1, back.InstanceID)
	fmt.Println(bytes.Equal(back.Payload, env.Payload), string(back.Payload))
	// Output:
	// iso6523-actorid-upis::0192:970000003 NO 7c5e0a3e-52c4-4f0e-8d43-2b8f3a1d9e60
	// true <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><!-- ... --></Invoice>
}
