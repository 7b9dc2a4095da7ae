package elma

import (
	"bytes"
	"crypto/x509"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/ehf-project/ehf/peppol"
)

var (
	testParticipant = peppol.MustParseParticipantID("0192:974760673")
	otherID         = peppol.MustParseParticipantID("0192:923609016")
)

func testVerify(p *testPKI) verifyOptions {
	return verifyOptions{trust: p.trust, now: testNow}
}

func TestVerifyOwnSignatures(t *testing.T) {
	p := getPKI(t)
	ep := testEndpoint{cert: p.ap.cert, from: testNow.Add(-time.Hour), to: testNow.Add(time.Hour)}
	smp1 := buildSMP1Metadata(testParticipant, peppol.BISBillingInvoice, ep)
	smp2 := buildSMP2Metadata(testParticipant, peppol.BISBillingInvoice, ep)
	tests := []struct {
		name    string
		data    []byte
		opts    func(*verifyOptions)
		want    error // nil: verifies
		format  string
		checkEP bool
	}{
		{name: "SMP 1, exclusive C14N, SHA-256", data: sign(t, smp1, p.smp, signOptions{}), format: FormatPeppolSMP1, checkEP: true},
		{name: "SMP 1, C14N 1.1", data: sign(t, smp1, p.smp, signOptions{inclusive: true}), format: FormatPeppolSMP1, checkEP: true},
		{name: "SMP 2.0", data: sign(t, smp2, p.smp, signOptions{}), format: FormatOASISSMP2, checkEP: true},
		{name: "expired certificate", data: sign(t, smp1, p.expired, signOptions{}), want: ErrCertificateExpired},
		{name: "not yet valid at the clock", data: sign(t, smp1, p.smp, signOptions{}),
			opts: func(o *verifyOptions) { o.now = p.smp.cert.NotBefore.Add(-time.Minute) }, want: ErrCertificateExpired},
		{name: "certificate from another PKI", data: sign(t, smp1, p.otherSMP, signOptions{}), want: ErrUntrustedCertificate},
		{name: "certificate from the access point CA", data: sign(t, smp1, p.apIssuedSMP, signOptions{}), want: ErrUntrustedCertificate},
		{name: "revoked certificate", data: sign(t, smp1, p.smp2, signOptions{}),
			opts: func(o *verifyOptions) { o.crls = []*x509.RevocationList{p.unrelatedCRL, p.revokedCRL} }, want: ErrCertificateRevoked},
		{name: "revoked after the clock", data: sign(t, smp1, p.smp2, signOptions{}),
			opts: func(o *verifyOptions) {
				o.crls = []*x509.RevocationList{p.revokedCRL}
				o.now = testNow.Add(-48 * time.Hour)
			}, format: FormatPeppolSMP1},
		{name: "revocation list of another CA is ignored", data: sign(t, smp1, p.smp, signOptions{}),
			opts: func(o *verifyOptions) { o.crls = []*x509.RevocationList{p.unrelatedCRL} }, format: FormatPeppolSMP1},
		{name: "SHA-1 refused by default", data: sign(t, smp1, p.smp, signOptions{sha1: true}), want: ErrWeakAlgorithm},
		{name: "SHA-1 when allowed", data: sign(t, smp1, p.smp, signOptions{sha1: true}),
			opts: func(o *verifyOptions) { o.allowSHA1 = true }, format: FormatPeppolSMP1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := testVerify(p)
			if tt.opts != nil {
				tt.opts(&o)
			}
			m, err := verifyMetadata(tt.data, testParticipant, peppol.BISBillingInvoice, o)
			if tt.want != nil {
				if !errors.Is(err, tt.want) || !errors.Is(err, ErrSignature) {
					t.Fatalf("err = %v, want %v (and ErrSignature)", err, tt.want)
				}
				var se *SignatureError
				if !errors.As(err, &se) || se.Detail == "" {
					t.Errorf("want a *SignatureError with detail, got %#v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if m.Format != tt.format || !m.Participant.Equal(testParticipant) || !m.DocumentType.Equal(peppol.BISBillingInvoice) {
				t.Errorf("metadata = %+v", m)
			}
			if m.Signature == nil || m.Signature.Certificate == nil {
				t.Fatal("no signature info")
			}
			if tt.checkEP {
				e, err := m.Endpoint(peppol.BillingProcess, TransportAS4, testNow)
				if err != nil {
					t.Fatal(err)
				}
				if e.URL != "https://ap.elma.test/as4" || e.Certificate == nil || !e.Certificate.Equal(p.ap.cert) ||
					!e.ActivationDate.Equal(testNow.Add(-time.Hour)) || !e.ExpirationDate.Equal(testNow.Add(time.Hour)) {
					t.Errorf("endpoint = %+v", e)
				}
			}
		})
	}
}

// Attacks on the signature: each must be refused with the right reason.
func TestVerifyRejectsTampering(t *testing.T) {
	p := getPKI(t)
	good := sign(t, buildSMP1Metadata(testParticipant, peppol.BISBillingInvoice, testEndpoint{}), p.smp, signOptions{})
	other := sign(t, buildSMP1Metadata(otherID, peppol.BISBillingInvoice, testEndpoint{url: "https://evil.example/as4"}), p.smp, signOptions{})
	sigStart := bytes.Index(good, []byte("<ds:Signature"))
	if sigStart < 0 {
		t.Fatalf("no signature in %s", good)
	}
	sigEnd := bytes.Index(good, []byte("</ds:Signature>")) + len("</ds:Signature>")
	signature := string(good[sigStart:sigEnd])
	content := string(good[:sigStart])
	rootEnd := string(good[sigEnd:])

	// The attacker's own unsigned content for the same participant, with
	// the genuine signed document tucked away inside it.
	evil := buildSMP1Metadata(testParticipant, peppol.BISBillingInvoice, testEndpoint{url: "https://evil.example/as4"})
	evilOuter := strings.TrimSuffix(evil, "</SignedServiceMetadata>")

	replace := func(old, new string) []byte {
		if !bytes.Contains(good, []byte(old)) {
			t.Fatalf("test setup: %q not in the signed document", old)
		}
		return bytes.Replace(good, []byte(old), []byte(new), 1)
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"changed endpoint address", replace("https://ap.elma.test/as4", "https://evil.example/as4"), ErrDigestMismatch},
		{"added element after the signature", []byte(content + signature + `<Extension xmlns="http://busdox.org/serviceMetadata/publishing/1.0/">x</Extension>` + rootEnd), ErrDigestMismatch},
		{"changed signature value", replace("<ds:SignatureValue>", "<ds:SignatureValue>AAAA"), ErrSignatureValue},
		{"changed digest value", replace("<ds:DigestValue>", "<ds:DigestValue>AAAA"), ErrSignatureValue},
		{"signature stripped", []byte(content + rootEnd), ErrSignatureMissing},
		{"signature of another document pasted in", []byte(string(other[:bytes.Index(other, []byte("<ds:Signature"))]) + signature + rootEnd), ErrDigestMismatch},
		{"second signature inside the content", []byte(strings.Replace(content, "<ServiceMetadata>", "<ServiceMetadata>"+signature, 1) + signature + rootEnd), ErrSignatureStructure},
		{"signed document wrapped in an evil one", []byte(evilOuter + `<Wrapper>` + string(good) + `</Wrapper></SignedServiceMetadata>`), ErrSignatureStructure},
		{"reference to a fragment", replace(`URI=""`, `URI="#content"`), ErrSignatureStructure},
		{"two references", replace("</ds:Reference>", `</ds:Reference><ds:Reference URI=""><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AA==</ds:DigestValue></ds:Reference>`), ErrSignatureStructure},
		{"XPath transform", replace(`<ds:Transforms>`, `<ds:Transforms><ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"/>`), ErrSignatureStructure},
		{"no enveloped transform", replace(`<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>`, ``), ErrSignatureStructure},
		{"MD5 digest", replace(`http://www.w3.org/2001/04/xmlenc#sha256`, `http://www.w3.org/2001/04/xmldsig-more#md5`), ErrWeakAlgorithm},
		{"unknown signature method", replace(`http://www.w3.org/2001/04/xmldsig-more#rsa-sha256`, `http://www.w3.org/2000/09/xmldsig#hmac-sha1`), ErrWeakAlgorithm},
		{"no certificate", []byte(regexpReplace(string(good), `<ds:X509Certificate>[^<]*</ds:X509Certificate>`, "")), ErrUntrustedCertificate},
		{"garbage certificate", []byte(regexpReplace(string(good), `<ds:X509Certificate>[^<]*</ds:X509Certificate>`, "<ds:X509Certificate>bm90IGEgY2VydA==</ds:X509Certificate>")), ErrUntrustedCertificate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := verifyMetadata(tt.data, testParticipant, peppol.BISBillingInvoice, testVerify(p))
			if !errors.Is(err, tt.want) || !errors.Is(err, ErrSignature) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}

	// Hostile XML is refused before any signature work.
	for name, data := range map[string]string{
		"doctype":         `<!DOCTYPE x [<!ENTITY a "aaaa">]>` + string(good),
		"second root":     string(good) + `<SignedServiceMetadata xmlns="http://busdox.org/serviceMetadata/publishing/1.0/"/>`,
		"text after root": string(good) + "trailing",
		"deep nesting":    strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100),
		"not XML":         "HTTP/1.1 200 OK",
		"empty":           "",
	} {
		if _, err := verifyMetadata([]byte(data), testParticipant, peppol.BISBillingInvoice, testVerify(p)); !errors.Is(err, ErrSMPResponse) {
			t.Errorf("%s: err = %v, want ErrSMPResponse", name, err)
		}
	}
}

// A comment inside signed text does not change the digest (comments are
// not signed); the answer must then be read from the canonical signed
// content, where the text is whole, not from the raw tree.
func TestVerifyReadsSignedContentOnly(t *testing.T) {
	p := getPKI(t)
	good := sign(t, buildSMP1Metadata(testParticipant, peppol.BISBillingInvoice, testEndpoint{url: "https://ap.elma.test/as4"}), p.smp, signOptions{})
	commented := bytes.Replace(good, []byte("https://ap.elma.test/as4"), []byte("https://ap.elma<!-- x -->.test/as4"), 1)
	m, err := verifyMetadata(commented, testParticipant, peppol.BISBillingInvoice, testVerify(p))
	if err != nil {
		t.Fatalf("comment inside signed text: %v", err)
	}
	if u := m.Processes[0].Endpoints[0].URL; u != "https://ap.elma.test/as4" {
		t.Errorf("endpoint URL read as %q", u)
	}
}

func TestVerifyIdentifierMismatch(t *testing.T) {
	p := getPKI(t)
	data := sign(t, buildSMP1Metadata(otherID, peppol.BISBillingInvoice, testEndpoint{}), p.smp, signOptions{})
	if _, err := verifyMetadata(data, testParticipant, peppol.BISBillingInvoice, testVerify(p)); !errors.Is(err, ErrIdentifierMismatch) {
		t.Errorf("other participant: %v", err)
	}
	if _, err := verifyMetadata(data, otherID, peppol.BISBillingCreditNote, testVerify(p)); !errors.Is(err, ErrIdentifierMismatch) {
		t.Errorf("other document type: %v", err)
	}
	// Participant identifiers compare without case.
	upper := peppol.ParticipantID{Scheme: "ISO6523-ACTORID-UPIS", Value: strings.ToUpper(otherID.Value)}
	if _, err := verifyMetadata(data, upper, peppol.BISBillingInvoice, testVerify(p)); err != nil {
		t.Errorf("upper-case participant: %v", err)
	}
}

func TestTrustStores(t *testing.T) {
	for name, ts := range map[string]*TrustStore{"production": ProductionTrust(), "test": TestTrust()} {
		cas := ts.SMPCAs()
		if len(cas) != 2 {
			t.Errorf("%s: %d SMP CAs, want G2 and G3", name, len(cas))
		}
		for _, c := range cas {
			if !strings.Contains(c.Subject.CommonName, "SERVICE METADATA PUBLISHER") {
				t.Errorf("%s: %s is not an SMP CA", name, c.Subject)
			}
			if (name == "test") != strings.Contains(c.Subject.CommonName, "TEST") {
				t.Errorf("%s store holds %s", name, c.Subject)
			}
			// Each SMP CA chains to a root of its own store.
			if _, err := c.Verify(x509.VerifyOptions{Roots: ts.roots, CurrentTime: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
				t.Errorf("%s: %s: %v", name, c.Subject, err)
			}
		}
	}
	if _, err := NewTrustStore(nil, nil, nil); err == nil {
		t.Error("empty trust store accepted")
	}
}

func regexpReplace(s, expr, repl string) string {
	return regexp.MustCompile(expr).ReplaceAllString(s, repl)
}

// What goxmldsig checks on its own, pinned so that an upgrade that changes
// it is noticed: it finds a signature anywhere in the tree, and accepts it
// when the document minus that signature has the signed digest; it accepts
// SHA-1; it compares the KeyInfo certificate with its store and builds no
// chain. verifyEnveloped adds: exactly one signature, a child of the root,
// one Reference with URI="", allowed transforms and algorithms only, and
// the Peppol PKI chain.
func TestGoxmldsigAloneAndOurChecks(t *testing.T) {
	p := getPKI(t)
	good := sign(t, buildSMP1Metadata(testParticipant, peppol.BISBillingInvoice, testEndpoint{}), p.smp, signOptions{})
	sigStart := bytes.Index(good, []byte("<ds:Signature"))
	sigEnd := bytes.Index(good, []byte("</ds:Signature>")) + len("</ds:Signature>")
	signature := string(good[sigStart:sigEnd])
	withoutSig := string(good[:sigStart]) + string(good[sigEnd:])
	moved := []byte(strings.Replace(withoutSig, "<ServiceMetadata>", "<ServiceMetadata>"+signature, 1))

	validate := func(data []byte) error {
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(data); err != nil {
			return err
		}
		ctx := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{p.smp.cert}})
		ctx.Clock = dsig.NewFakeClockAt(testNow)
		_, err := ctx.Validate(doc.Root())
		return err
	}
	if err := validate(moved); err != nil {
		t.Errorf("goxmldsig now refuses a signature moved inside the content (%v): revisit verifyEnveloped's comments", err)
	}
	if _, err := verifyMetadata(moved, testParticipant, peppol.BISBillingInvoice, testVerify(p)); !errors.Is(err, ErrSignatureStructure) {
		t.Errorf("moved signature: err = %v, want ErrSignatureStructure", err)
	}
	sha1 := sign(t, buildSMP1Metadata(testParticipant, peppol.BISBillingInvoice, testEndpoint{}), p.smp, signOptions{sha1: true})
	if err := validate(sha1); err != nil {
		t.Errorf("goxmldsig refuses SHA-1 itself now: %v", err)
	}
}
