package outbox_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ehf-project/ehf/outbox"
	"github.com/ehf-project/ehf/peppol"
)

func Example() {
	dir, _ := os.MkdirTemp("", "outbox")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	// In production: &peppol.HTTPSender{URL: ...} and a database path or
	// postgres:// URL that outlives the process.
	ap := &peppol.TestSender{}
	ob, err := outbox.Open(ctx, filepath.Join(dir, "outbox.db"), outbox.Options{Sender: ap})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ob.Close()

	// Deliver in the background for as long as the program runs.
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- ob.Run(runCtx) }()

	env, err := peppol.NewEnvelope([]byte(`<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>`), peppol.Header{
		Sender:       peppol.MustParseParticipantID("0192:987654325"),
		Receiver:     peppol.MustParseParticipantID("0192:970000003"),
		DocumentType: peppol.BISBillingInvoice,
		Process:      peppol.BillingProcess,
		CountryC1:    "NO",
		InstanceID:   "0b8e5b2a-7a51-4d0c-9a43-1f6f0d6f3c10",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// When Send returns, the envelope is on disk: it will be delivered
	// even if the program dies now.
	it, _, err := ob.Send(ctx, env, "invoice-1001.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(it.State)

	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	items, err := ob.Wait(wctx, it.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(items[0].State, items[0].Attempts, ap.Delivered(it.ID))
	stop()
	<-done
	// Output:
	// queued
	// delivered 1 1
}
