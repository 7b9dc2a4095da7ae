package elma

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/ehf-project/ehf/peppol"
)

// testNow is the clock of the tests that use generated certificates.
var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// keyPair is a certificate with its private key.
type keyPair struct {
	cert *x509.Certificate
	key  crypto.Signer
}

// testPKI is a small Peppol-like PKI generated at run time: a root with an
// SMP CA and an access point CA below it, and a second, unrelated PKI.
type testPKI struct {
	root, smpCA, apCA        keyPair
	smp, smp2, expired, ap   keyPair
	apIssuedSMP              keyPair // an SMP-looking certificate from the AP CA
	otherRoot, otherCA       keyPair
	otherSMP                 keyPair
	tlsServer                tls.Certificate
	trust                    *TrustStore
	tlsRoots                 *x509.CertPool
	revokedCRL, unrelatedCRL *x509.RevocationList
}

var (
	pkiOnce sync.Once
	pki     *testPKI
	pkiErr  error
)

// getPKI builds the test PKI once per test binary (RSA key generation is
// the slow part).
func getPKI(t testing.TB) *testPKI {
	t.Helper()
	pkiOnce.Do(func() { pki, pkiErr = buildPKI() })
	if pkiErr != nil {
		t.Fatal(pkiErr)
	}
	return pki
}

var serial int64 = 1000

func newCert(tmpl *x509.Certificate, parent *keyPair, rsaKey bool) (keyPair, error) {
	var key crypto.Signer
	var err error
	if rsaKey {
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		return keyPair{}, err
	}
	serial++
	tmpl.SerialNumber = big.NewInt(serial)
	signerCert, signerKey := tmpl, key
	if parent != nil {
		signerCert, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signerCert, key.Public(), signerKey)
	if err != nil {
		return keyPair{}, err
	}
	c, err := x509.ParseCertificate(der)
	return keyPair{cert: c, key: key}, err
}

func caTemplate(cn string, from, to time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject:               pkix.Name{Country: []string{"NO"}, Organization: []string{"ehf test PKI"}, CommonName: cn},
		NotBefore:             from,
		NotAfter:              to,
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
}

func leafTemplate(cn string, from, to time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject:     pkix.Name{Country: []string{"NO"}, Organization: []string{"ehf test"}, OrganizationalUnit: []string{"PEPPOL TEST SMP"}, CommonName: cn},
		NotBefore:   from,
		NotAfter:    to,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
}

func buildPKI() (*testPKI, error) {
	p := &testPKI{}
	year := 365 * 24 * time.Hour
	from, to := testNow.Add(-2*year), testNow.Add(8*year)
	steps := []struct {
		dst    *keyPair
		tmpl   *x509.Certificate
		parent *keyPair
		rsa    bool
	}{
		{&p.root, caTemplate("ehf TEST Root CA", from, to), nil, false},
		{&p.smpCA, caTemplate("ehf TEST SERVICE METADATA PUBLISHER CA", from, to), &p.root, false},
		{&p.apCA, caTemplate("ehf TEST ACCESS POINT CA", from, to), &p.root, false},
		{&p.smp, leafTemplate("PNO000001", testNow.Add(-year), testNow.Add(year)), &p.smpCA, true},
		{&p.smp2, leafTemplate("PNO000002", testNow.Add(-year), testNow.Add(year)), &p.smpCA, true},
		{&p.expired, leafTemplate("PNO000003", testNow.Add(-2*year), testNow.Add(-24*time.Hour)), &p.smpCA, true},
		{&p.ap, leafTemplate("PNO000004 AP", testNow.Add(-year), testNow.Add(year)), &p.apCA, false},
		{&p.apIssuedSMP, leafTemplate("PNO000005", testNow.Add(-year), testNow.Add(year)), &p.apCA, true},
		{&p.otherRoot, caTemplate("Somebody else's Root CA", from, to), nil, false},
		{&p.otherCA, caTemplate("Somebody else's SMP CA", from, to), &p.otherRoot, false},
		{&p.otherSMP, leafTemplate("PNO000006", testNow.Add(-year), testNow.Add(year)), &p.otherCA, true},
	}
	for _, s := range steps {
		kp, err := newCert(s.tmpl, s.parent, s.rsa)
		if err != nil {
			return nil, err
		}
		*s.dst = kp
	}
	var err error
	p.trust, err = NewTrustStore([]*x509.Certificate{p.root.cert}, []*x509.Certificate{p.smpCA.cert}, []*x509.Certificate{p.apCA.cert})
	if err != nil {
		return nil, err
	}

	// The HTTPS server's certificate is checked with the real clock.
	now := time.Now()
	tlsTmpl := &x509.Certificate{
		Subject:     pkix.Name{CommonName: "smp.elma.test"},
		NotBefore:   now.Add(-time.Hour),
		NotAfter:    now.Add(year),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    []string{"smp.elma.test", "other-smp.elma.test"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	tlsCA, err := newCert(caTemplate("ehf TEST TLS CA", now.Add(-time.Hour), now.Add(year)), nil, false)
	if err != nil {
		return nil, err
	}
	srv, err := newCert(tlsTmpl, &tlsCA, false)
	if err != nil {
		return nil, err
	}
	p.tlsServer = tls.Certificate{Certificate: [][]byte{srv.cert.Raw}, PrivateKey: srv.key}
	p.tlsRoots = x509.NewCertPool()
	p.tlsRoots.AddCert(tlsCA.cert)

	// A revocation list from the SMP CA naming p.smp2, and one from the
	// other CA naming p.smp (which it did not issue, so it must not count).
	crl := func(issuer keyPair, revoked *x509.Certificate) (*x509.RevocationList, error) {
		der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
			Number:     big.NewInt(1),
			ThisUpdate: testNow.Add(-48 * time.Hour),
			NextUpdate: testNow.Add(48 * time.Hour),
			RevokedCertificateEntries: []x509.RevocationListEntry{
				{SerialNumber: revoked.SerialNumber, RevocationTime: testNow.Add(-24 * time.Hour)},
			},
		}, issuer.cert, issuer.key)
		if err != nil {
			return nil, err
		}
		return x509.ParseRevocationList(der)
	}
	if p.revokedCRL, err = crl(p.smpCA, p.smp2.cert); err != nil {
		return nil, err
	}
	if p.unrelatedCRL, err = crl(p.otherCA, p.smp.cert); err != nil {
		return nil, err
	}
	return p, nil
}

// signOptions vary the signatures the test SMP makes.
type signOptions struct {
	sha1      bool
	inclusive bool // C14N 1.1 instead of exclusive C14N
}

// sign returns xmlText with an enveloped signature by kp.
func sign(t testing.TB, xmlText string, kp keyPair, o signOptions) []byte {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xmlText); err != nil {
		t.Fatalf("test document: %v", err)
	}
	ctx, err := dsig.NewSigningContext(kp.key, [][]byte{kp.cert.Raw})
	if err != nil {
		t.Fatal(err)
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	if o.inclusive {
		ctx.Canonicalizer = dsig.MakeC14N11Canonicalizer()
	}
	if o.sha1 {
		ctx.Hash = crypto.SHA1
	}
	signed, err := ctx.SignEnveloped(doc.Root())
	if err != nil {
		t.Fatal(err)
	}
	out := etree.NewDocument()
	out.SetRoot(signed)
	b, err := out.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testEndpoint describes an endpoint for the metadata builders.
type testEndpoint struct {
	transport, url string
	cert           *x509.Certificate
	from, to       time.Time
	process        peppol.ProcessID
}

func (e testEndpoint) withDefaults() testEndpoint {
	if e.transport == "" {
		e.transport = TransportAS4
	}
	if e.url == "" {
		e.url = "https://ap.elma.test/as4"
	}
	if e.process.IsZero() {
		e.process = peppol.BillingProcess
	}
	return e
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xmlEscapeTo(&b, s)
	return b.String()
}

func xmlEscapeTo(b *strings.Builder, s string) error {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	_, err := b.WriteString(r.Replace(s))
	return err
}

func dateOrEmpty(tag string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fmt.Sprintf("<%s>%s</%s>", tag, t.UTC().Format(time.RFC3339), tag)
}

// buildSMP1Metadata writes an unsigned Peppol SMP 1 SignedServiceMetadata.
func buildSMP1Metadata(p peppol.ParticipantID, d peppol.DocumentTypeID, eps ...testEndpoint) string {
	var b strings.Builder
	b.WriteString(`<SignedServiceMetadata xmlns="http://busdox.org/serviceMetadata/publishing/1.0/" xmlns:ids="http://busdox.org/transport/identifiers/1.0/" xmlns:wsa="http://www.w3.org/2005/08/addressing">`)
	fmt.Fprintf(&b, `<ServiceMetadata><ServiceInformation><ids:ParticipantIdentifier scheme="%s">%s</ids:ParticipantIdentifier>`, xmlEscape(p.Scheme), xmlEscape(p.Value))
	fmt.Fprintf(&b, `<ids:DocumentIdentifier scheme="%s">%s</ids:DocumentIdentifier><ProcessList>`, xmlEscape(d.Scheme), xmlEscape(d.Value))
	for _, e := range eps {
		e = e.withDefaults()
		fmt.Fprintf(&b, `<Process><ids:ProcessIdentifier scheme="%s">%s</ids:ProcessIdentifier><ServiceEndpointList>`, xmlEscape(e.process.Scheme), xmlEscape(e.process.Value))
		fmt.Fprintf(&b, `<Endpoint transportProfile="%s"><wsa:EndpointReference><wsa:Address>%s</wsa:Address></wsa:EndpointReference>`, xmlEscape(e.transport), xmlEscape(e.url))
		b.WriteString(`<RequireBusinessLevelSignature>false</RequireBusinessLevelSignature>`)
		b.WriteString(dateOrEmpty("ServiceActivationDate", e.from))
		b.WriteString(dateOrEmpty("ServiceExpirationDate", e.to))
		if e.cert != nil {
			fmt.Fprintf(&b, `<Certificate>%s</Certificate>`, base64.StdEncoding.EncodeToString(e.cert.Raw))
		}
		b.WriteString(`<ServiceDescription>test access point</ServiceDescription><TechnicalContactUrl>mailto:drift@elma.test</TechnicalContactUrl>`)
		b.WriteString(`</Endpoint></ServiceEndpointList></Process>`)
	}
	b.WriteString(`</ProcessList></ServiceInformation></ServiceMetadata></SignedServiceMetadata>`)
	return b.String()
}

// buildSMP1Redirect writes an unsigned Peppol SMP 1 redirect.
func buildSMP1Redirect(href, certUID string) string {
	return `<SignedServiceMetadata xmlns="http://busdox.org/serviceMetadata/publishing/1.0/"><ServiceMetadata><Redirect href="` +
		xmlEscape(href) + `"><CertificateUID>` + xmlEscape(certUID) + `</CertificateUID></Redirect></ServiceMetadata></SignedServiceMetadata>`
}

// buildSMP2Metadata writes an unsigned OASIS SMP 2.0 ServiceMetadata.
func buildSMP2Metadata(p peppol.ParticipantID, d peppol.DocumentTypeID, eps ...testEndpoint) string {
	var b strings.Builder
	b.WriteString(`<ServiceMetadata xmlns="http://docs.oasis-open.org/bdxr/ns/SMP/2/ServiceMetadata" xmlns:cbc="http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents" xmlns:cac="http://docs.oasis-open.org/bdxr/ns/SMP/2/AggregateComponents">`)
	fmt.Fprintf(&b, `<cbc:SMPVersionID>2.0</cbc:SMPVersionID><cbc:ID schemeID="%s">%s</cbc:ID><cbc:ParticipantID schemeID="%s">%s</cbc:ParticipantID>`,
		xmlEscape(d.Scheme), xmlEscape(d.Value), xmlEscape(p.Scheme), xmlEscape(p.Value))
	for _, e := range eps {
		e = e.withDefaults()
		fmt.Fprintf(&b, `<cac:ProcessMetadata><cac:Process><cbc:ID schemeID="%s">%s</cbc:ID></cac:Process>`, xmlEscape(e.process.Scheme), xmlEscape(e.process.Value))
		fmt.Fprintf(&b, `<cac:Endpoint><cbc:TransportProfileID>%s</cbc:TransportProfileID><cbc:AddressURI>%s</cbc:AddressURI>`, xmlEscape(e.transport), xmlEscape(e.url))
		b.WriteString(dateOrEmpty("cbc:ActivationDate", e.from))
		b.WriteString(dateOrEmpty("cbc:ExpirationDate", e.to))
		if e.cert != nil {
			fmt.Fprintf(&b, `<cac:Certificate><cbc:TypeCode>signing</cbc:TypeCode><cbc:ContentBinaryObject mimeCode="application/base64">%s</cbc:ContentBinaryObject></cac:Certificate>`,
				base64.StdEncoding.EncodeToString(e.cert.Raw))
		}
		b.WriteString(`</cac:Endpoint></cac:ProcessMetadata>`)
	}
	b.WriteString(`</ServiceMetadata>`)
	return b.String()
}

// buildSMP1Group writes a Peppol SMP 1 ServiceGroup listing the document types
// under base.
func buildSMP1Group(base string, p peppol.ParticipantID, docs ...peppol.DocumentTypeID) string {
	var b strings.Builder
	b.WriteString(`<ServiceGroup xmlns="http://busdox.org/serviceMetadata/publishing/1.0/" xmlns:ids="http://busdox.org/transport/identifiers/1.0/">`)
	fmt.Fprintf(&b, `<ids:ParticipantIdentifier scheme="%s">%s</ids:ParticipantIdentifier><ServiceMetadataReferenceCollection>`, xmlEscape(p.Scheme), xmlEscape(p.Value))
	for _, d := range docs {
		fmt.Fprintf(&b, `<ServiceMetadataReference href="%s"/>`, xmlEscape(strings.TrimSuffix(base, "/")+"/"+escapeID(p.String())+"/services/"+escapeID(d.String())))
	}
	b.WriteString(`</ServiceMetadataReferenceCollection></ServiceGroup>`)
	return b.String()
}
