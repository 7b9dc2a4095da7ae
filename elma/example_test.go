package elma_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/ehf-project/ehf/elma"
	"github.com/ehf-project/ehf/peppol"
)

func ExampleNAPTRName() {
	p := peppol.MustParseParticipantID("9915:test")
	fmt.Println(elma.NAPTRName(p, elma.ZoneECTest))
	fmt.Println(elma.CNAMEName(p, elma.ZoneECTest))
	// Output:
	// eh5boavaktmbgzyh2a63dz4qov33fvp5nsdvqklucfraayoodw6a.iso6523-actorid-upis.acc.edelivery.tech.ec.europa.eu
	// b-85008b8279e07ab0392da75fa55856a2.iso6523-actorid-upis.acc.edelivery.tech.ec.europa.eu
}

func ExampleVerifyServiceMetadata() {
	// An answer without a signature is refused, and the error says so.
	unsigned := []byte(`<SignedServiceMetadata xmlns="http://busdox.org/serviceMetadata/publishing/1.0/"><ServiceMetadata/></SignedServiceMetadata>`)
	_, err := elma.VerifyServiceMetadata(unsigned, peppol.ParticipantID{}, peppol.DocumentTypeID{}, elma.VerifyOptions{})
	fmt.Println(errors.Is(err, elma.ErrSignature), errors.Is(err, elma.ErrSignatureMissing))
	// Output:
	// true true
}

// A sender asks where to deliver an invoice. The errors tell an outage
// apart from a receiver that is not in Peppol.
func ExampleClient_Endpoint() {
	c, err := elma.New(elma.Options{Zone: elma.ZonePeppolProduction, RequireHTTPS: true})
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	receiver := peppol.MustParseParticipantID("0192:974760673")
	ep, err := c.Endpoint(ctx, receiver, peppol.BISBillingInvoice, peppol.BillingProcess)
	switch {
	case errors.Is(err, elma.ErrNotRegistered), errors.Is(err, elma.ErrNoSuchDocumentType):
		fmt.Println("the receiver cannot get invoices through Peppol; send another way")
	case errors.Is(err, elma.ErrDNS), errors.Is(err, elma.ErrSMPUnavailable):
		fmt.Println("lookup failed, try again later:", err)
	case errors.Is(err, elma.ErrSignature):
		fmt.Println("the SMP's answer cannot be trusted:", err)
	case err != nil:
		fmt.Println(err)
	default:
		fmt.Println("deliver to", ep.URL, "encrypting for", ep.Certificate.Subject)
	}
}

func ExampleClient_CanReceive() {
	c, err := elma.New(elma.Options{})
	if err != nil {
		log.Fatal(err)
	}
	ok, err := c.CanReceive(context.Background(), peppol.MustParseParticipantID("0192:974760673"), peppol.BISBillingCreditNote)
	if err != nil {
		fmt.Println("unknown, the lookup failed:", err)
		return
	}
	fmt.Println("accepts credit notes:", ok)
}
