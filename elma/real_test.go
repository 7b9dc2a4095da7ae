package elma

import (
	"bytes"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/peppol"
)

// The real signed answers in the shared kit (Peppol SMP 1, SHA-1, signed by
// production SMP certificates of the G2 PKI). Their certificates expired
// long ago, so they verify only with a clock inside the validity window.
type realResponse struct {
	file        string
	participant string
	docType     string
	validAt     time.Time // inside the signing certificate's validity
	notAfter    time.Time // the signing certificate's expiry
	valid       bool      // whether the signature itself is intact
	endpointURL string
}

var realResponses = []realResponse{
	{
		// The signature of this file does not verify: its content was
		// reformatted after signing. Peppol's own client rejects it too.
		file:        "signed-service-metadata1.xml",
		participant: "0088:5026744000002",
		docType:     "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##urn:www.cenbii.eu:transaction:biitrns014:ver2.0:extended:urn:www.peppol.eu:bis:peppol5a:ver2.0::2.1",
		validAt:     time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC),
		notAfter:    time.Date(2021, 2, 28, 23, 59, 59, 0, time.UTC),
	},
	{
		file:        "signed-service-metadata2.xml",
		participant: "0088:5060482240009",
		docType:     "urn:oasis:names:specification:ubl:schema:xsd:Order-2::Order##urn:www.cenbii.eu:transaction:biitrns001:ver2.0:extended:urn:www.peppol.eu:bis:peppol28a:ver1.0::2.1",
		validAt:     time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC),
		notAfter:    time.Date(2021, 2, 28, 23, 59, 59, 0, time.UTC),
		valid:       true,
		endpointURL: "https://peppol.netedi.com/receive.aspx",
	},
	{
		// Signed with inclusive canonicalization of the reference (no
		// canonicalization transform given, so the XML-DSig default).
		file:        "signed-service-metadata3-c14n-inclusive.xml",
		participant: "0106:55872255",
		docType:     "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##urn:www.cenbii.eu:transaction:biitrns010:ver2.0:extended:urn:www.peppol.eu:bis:peppol4a:ver2.0:extended:urn:www.simplerinvoicing.org:si:si-ubl:ver1.1.x::2.1",
		validAt:     time.Date(2020, 8, 1, 0, 0, 0, 0, time.UTC),
		notAfter:    time.Date(2020, 8, 4, 23, 59, 59, 0, time.UTC),
		valid:       true,
		endpointURL: "https://ap.econnect.eu/as4/v1",
	},
}

// today is the date the task was written against; every real certificate
// has expired by then.
var today = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func readReal(t *testing.T, name string) []byte { return readRealTB(t, name) }

func readRealTB(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedtest.Path(t, "smp", "signed"), name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestRealSignedResponses(t *testing.T) {
	for _, r := range realResponses {
		t.Run(r.file, func(t *testing.T) {
			data := readReal(t, r.file)
			p := peppol.MustParseParticipantID(r.participant)
			d := peppol.DocumentTypeID{Scheme: peppol.DocumentTypeScheme, Value: r.docType}
			opts := VerifyOptions{Time: r.validAt, AllowSHA1: true}

			m, err := VerifyServiceMetadata(data, p, d, opts)
			if !r.valid {
				if !errors.Is(err, ErrSignatureValue) {
					t.Fatalf("err = %v, want ErrSignatureValue", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("verify at %s: %v", r.validAt.Format("2006-01-02"), err)
			}
			if !m.Signature.Certificate.NotAfter.Equal(r.notAfter) {
				t.Errorf("signing certificate expires %s, want %s", m.Signature.Certificate.NotAfter, r.notAfter)
			}
			if m.Signature.SignatureMethod != algRSASHA1 || m.Signature.DigestMethod != algDigestSHA1 {
				t.Errorf("algorithms %s / %s", m.Signature.SignatureMethod, m.Signature.DigestMethod)
			}
			var urls []string
			for _, pr := range m.Processes {
				for _, e := range pr.Endpoints {
					urls = append(urls, e.URL)
					if e.Certificate == nil {
						t.Errorf("endpoint %s without certificate", e.URL)
					}
				}
			}
			found := false
			for _, u := range urls {
				found = found || u == r.endpointURL
			}
			if !found {
				t.Errorf("endpoints %v, want %s among them", urls, r.endpointURL)
			}

			// Today the certificate is long expired.
			if _, err := VerifyServiceMetadata(data, p, d, VerifyOptions{Time: today, AllowSHA1: true}); !errors.Is(err, ErrCertificateExpired) {
				t.Errorf("at %s: err = %v, want ErrCertificateExpired", today.Format("2006-01-02"), err)
			}
			// SHA-1 is refused unless allowed.
			if _, err := VerifyServiceMetadata(data, p, d, VerifyOptions{Time: r.validAt}); !errors.Is(err, ErrWeakAlgorithm) {
				t.Errorf("without AllowSHA1: err = %v, want ErrWeakAlgorithm", err)
			}
			// A production certificate does not verify against the test PKI.
			if _, err := VerifyServiceMetadata(data, p, d, VerifyOptions{Time: r.validAt, AllowSHA1: true, Trust: TestTrust()}); !errors.Is(err, ErrUntrustedCertificate) {
				t.Errorf("against the test PKI: err = %v, want ErrUntrustedCertificate", err)
			}
			// Asking about somebody else.
			if _, err := VerifyServiceMetadata(data, testParticipant, d, opts); !errors.Is(err, ErrIdentifierMismatch) {
				t.Errorf("other participant: err = %v, want ErrIdentifierMismatch", err)
			}
			// Any change to the signed content breaks the digest.
			tampered := bytes.Replace(data, []byte(r.endpointURL), []byte("https://evil.example/as4"), 1)
			if _, err := VerifyServiceMetadata(tampered, p, d, opts); !errors.Is(err, ErrDigestMismatch) {
				t.Errorf("tampered: err = %v, want ErrDigestMismatch", err)
			}
		})
	}
}

// Every signing certificate of the real answers has expired relative to
// today; this test documents it and fails if the kit gains a current one
// (then the tests above should use it without a clock).
func TestRealResponsesAllExpired(t *testing.T) {
	for _, r := range realResponses {
		data := readReal(t, r.file)
		cert, err := signingCertificateOf(data)
		if err != nil {
			t.Fatalf("%s: %v", r.file, err)
		}
		if !cert.NotAfter.Before(today) {
			t.Errorf("%s: certificate valid until %s, no longer expired", r.file, cert.NotAfter)
		}
		if !cert.NotAfter.Equal(r.notAfter) {
			t.Errorf("%s: certificate expires %s, table says %s", r.file, cert.NotAfter, r.notAfter)
		}
	}
}

func signingCertificateOf(data []byte) (*x509.Certificate, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, err
	}
	for _, c := range doc.Root().ChildElements() {
		if c.Tag == "Signature" {
			return signingCertificate(c)
		}
	}
	return nil, errors.New("no signature")
}
