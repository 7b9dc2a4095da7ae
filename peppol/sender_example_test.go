package peppol_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

func exampleEnvelope() *peppol.Envelope {
	env, err := peppol.NewEnvelope([]byte(`<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>`), peppol.Header{
		Sender:       peppol.MustParseParticipantID("0192:987654325"),
		Receiver:     peppol.MustParseParticipantID("0192:970000003"),
		DocumentType: peppol.BISBillingInvoice,
		Process:      peppol.BillingProcess,
		CountryC1:    "NO",
		InstanceID:   "3f2a9c1e-0d4b-4e8f-a6c7-5b1d2e3f4a5b",
	})
	if err != nil {
		panic(err)
	}
	return env
}

// A Sender for an access point with its own API is one method. This one
// maps the API's answers onto the three outcomes ehf's outbox knows:
// accepted, refused for good (Reject), or try again (any other error).
func ExampleSender() {
	var ap peppol.Sender = peppol.SenderFunc(func(ctx context.Context, env *peppol.Envelope) (peppol.Receipt, error) {
		data, err := env.Marshal()
		if err != nil {
			return peppol.Receipt{}, err
		}
		status := myAccessPointUpload(ctx, env.InstanceID, data)
		switch {
		case status == "ok":
			return peppol.Receipt{InstanceID: env.InstanceID, At: time.Now()}, nil
		case status == "invalid":
			return peppol.Receipt{}, peppol.Reject("the access point refused the document")
		default:
			return peppol.Receipt{}, errors.New("access point unavailable: " + status)
		}
	})
	rc, err := ap.Send(context.Background(), exampleEnvelope())
	fmt.Println(rc.InstanceID, err)
	// Output: 3f2a9c1e-0d4b-4e8f-a6c7-5b1d2e3f4a5b <nil>
}

func myAccessPointUpload(ctx context.Context, key string, data []byte) string { return "ok" }

func ExampleHTTPSender() {
	// An access point's API; here a stand-in on loopback.
	ap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("access point got", r.Header.Get(peppol.IdempotencyHeader))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"messageId": "AP-1"}`)
	}))
	defer ap.Close()

	s := &peppol.HTTPSender{
		URL:     ap.URL,
		Header:  http.Header{"Authorization": {"Bearer " + os.Getenv("AP_TOKEN")}},
		Timeout: 10 * time.Second,
	}
	rc, err := s.Send(context.Background(), exampleEnvelope())
	fmt.Println(rc.MessageID, err)
	// Output:
	// access point got 3f2a9c1e-0d4b-4e8f-a6c7-5b1d2e3f4a5b
	// AP-1 <nil>
}

func ExampleTestSender() {
	s := &peppol.TestSender{Fail: func(env *peppol.Envelope, attempt int) error {
		if attempt == 1 {
			return errors.New("busy")
		}
		return nil
	}}
	env := exampleEnvelope()
	_, err := s.Send(context.Background(), env)
	fmt.Println(err, peppol.IsPermanent(err))
	_, err = s.Send(context.Background(), env)
	fmt.Println(err, s.Attempts(env.InstanceID), s.Delivered(env.InstanceID))
	// Output:
	// busy false
	// <nil> 2 1
}
