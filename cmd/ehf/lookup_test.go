package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/miekg/dns"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/ehf-project/ehf/elma"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/peppol"
)

// smpServer serves one signed metadata answer for any document type path
// and a service group listing docs; other paths answer 404.
func smpServer(t *testing.T, metadata []byte, participant peppol.ParticipantID, docs ...peppol.DocumentTypeID) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path // decoded
		switch {
		case strings.HasSuffix(path, "/services/"+docs[0].String()) && metadata != nil:
			w.Write(metadata)
		case !strings.Contains(path, "/services/") && strings.EqualFold(strings.TrimPrefix(path, "/"), participant.String()):
			var b strings.Builder
			b.WriteString(`<ServiceGroup xmlns="http://busdox.org/serviceMetadata/publishing/1.0/" xmlns:ids="http://busdox.org/transport/identifiers/1.0/">`)
			b.WriteString(`<ids:ParticipantIdentifier scheme="iso6523-actorid-upis">` + participant.Value + `</ids:ParticipantIdentifier><ServiceMetadataReferenceCollection>`)
			for _, d := range docs {
				href := "http://" + r.Host + "/" + pctEncode(participant.String()) + "/services/" + pctEncode(d.String())
				b.WriteString(`<ServiceMetadataReference href="` + href + `"/>`)
			}
			b.WriteString(`</ServiceMetadataReferenceCollection></ServiceGroup>`)
			w.Write([]byte(b.String()))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func pctEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
		}
	}
	return b.String()
}

// lookupPKI is a root, an SMP CA and an SMP certificate made at run time,
// with the CAs written to a PEM file for --ca.
type lookupPKI struct {
	leaf   *x509.Certificate
	key    crypto.Signer
	ap     *x509.Certificate
	caFile string
}

var (
	lookupPKIOnce sync.Once
	lookupPKIVal  lookupPKI
	lookupPKIErr  error
)

func getLookupPKI(t *testing.T) lookupPKI {
	t.Helper()
	lookupPKIOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ehf-lookup-pki")
		if err != nil {
			lookupPKIErr = err
			return
		}
		now := time.Now()
		mk := func(cn string, ca bool, parent *x509.Certificate, parentKey crypto.Signer, useRSA bool) (*x509.Certificate, crypto.Signer, error) {
			var key crypto.Signer
			if useRSA {
				key, err = rsa.GenerateKey(rand.Reader, 2048)
			} else {
				key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			}
			if err != nil {
				return nil, nil, err
			}
			serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
			tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: cn, Organization: []string{"ehf lookup test"}},
				NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: ca, BasicConstraintsValid: ca,
				KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign}
			if parent == nil {
				parent, parentKey = tmpl, key
			}
			der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
			if err != nil {
				return nil, nil, err
			}
			c, err := x509.ParseCertificate(der)
			return c, key, err
		}
		root, rootKey, err := mk("lookup test root", true, nil, nil, false)
		if err != nil {
			lookupPKIErr = err
			return
		}
		ca, caKey, err := mk("lookup test SMP CA", true, root, rootKey, false)
		if err != nil {
			lookupPKIErr = err
			return
		}
		leaf, leafKey, err := mk("PNO999999", false, ca, caKey, true)
		if err != nil {
			lookupPKIErr = err
			return
		}
		ap, _, err := mk("PNO999998 AP", false, ca, caKey, false)
		if err != nil {
			lookupPKIErr = err
			return
		}
		var pemData []byte
		for _, c := range []*x509.Certificate{root, ca} {
			pemData = append(pemData, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
		}
		caFile := filepath.Join(dir, "ca.pem")
		lookupPKIErr = os.WriteFile(caFile, pemData, 0o600)
		lookupPKIVal = lookupPKI{leaf: leaf, key: leafKey, ap: ap, caFile: caFile}
	})
	if lookupPKIErr != nil {
		t.Fatal(lookupPKIErr)
	}
	return lookupPKIVal
}

// signedMetadata writes and signs Peppol SMP 1 metadata with one AS4
// endpoint.
func signedMetadata(t *testing.T, k lookupPKI, p peppol.ParticipantID, d peppol.DocumentTypeID) []byte {
	t.Helper()
	xml := `<SignedServiceMetadata xmlns="http://busdox.org/serviceMetadata/publishing/1.0/" xmlns:ids="http://busdox.org/transport/identifiers/1.0/" xmlns:wsa="http://www.w3.org/2005/08/addressing"><ServiceMetadata><ServiceInformation>` +
		`<ids:ParticipantIdentifier scheme="iso6523-actorid-upis">` + p.Value + `</ids:ParticipantIdentifier>` +
		`<ids:DocumentIdentifier scheme="busdox-docid-qns">` + d.Value + `</ids:DocumentIdentifier><ProcessList><Process>` +
		`<ids:ProcessIdentifier scheme="cenbii-procid-ubl">` + peppol.BillingProfileID + `</ids:ProcessIdentifier><ServiceEndpointList>` +
		`<Endpoint transportProfile="peppol-transport-as4-v2_0"><wsa:EndpointReference><wsa:Address>https://ap.lookup.test/as4</wsa:Address></wsa:EndpointReference>` +
		`<RequireBusinessLevelSignature>false</RequireBusinessLevelSignature><Certificate>` + base64.StdEncoding.EncodeToString(k.ap.Raw) + `</Certificate>` +
		`<ServiceDescription>x</ServiceDescription><TechnicalContactUrl>mailto:ap@lookup.test</TechnicalContactUrl></Endpoint></ServiceEndpointList></Process></ProcessList></ServiceInformation></ServiceMetadata></SignedServiceMetadata>`
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xml); err != nil {
		t.Fatal(err)
	}
	ctx, err := dsig.NewSigningContext(k.key, [][]byte{k.leaf.Raw})
	if err != nil {
		t.Fatal(err)
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
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

func TestLookupUsage(t *testing.T) {
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"lookup"}, exitUsage, "name the participant"},
		{[]string{"lookup", "987654321"}, exitUsage, "four-digit ICD"},
		{[]string{"lookup", "0192:974760673", "not a doctype"}, exitUsage, "busdox-docid-qns"},
		{[]string{"lookup", "--format", "xml", "0192:974760673"}, exitUsage, "unknown --format"},
		{[]string{"lookup", "--from", "x.xml", "0192:974760673"}, exitUsage, "not both"},
		{[]string{"lookup", "--from", "does-not-exist.xml"}, exitUsage, "does-not-exist.xml"},
		{[]string{"lookup", "--at", "tomorrow", "0192:974760673"}, exitUsage, "--at"},
		{[]string{"lookup", "--smp", "ftp://x", "0192:974760673"}, exitUsage, "SMP URL"},
		{[]string{"lookup", "--process", "", "--ca", "missing.pem", "0192:974760673"}, exitUsage, "missing.pem"},
		{[]string{"lookup", "-h"}, exitOK, "Usage: ehf lookup"},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(t, "", c.args...)
		if code != c.code || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, stderr, c.code, c.msg)
		}
	}
}

func TestLookupOwnSMP(t *testing.T) {
	k := getLookupPKI(t)
	p := peppol.MustParseParticipantID("0192:974760673")
	srv := smpServer(t, signedMetadata(t, k, p, peppol.BISBillingInvoice), p, peppol.BISBillingInvoice, peppol.BISBillingCreditNote)

	code, out, stderr := runCLI(t, "", "lookup", "--smp", srv.URL, "--ca", k.caFile, "0192:974760673")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{
		"iso6523-actorid-upis::0192:974760673 (identifier checks passed)",
		"2 document type(s)", peppol.BISBillingCreditNote.String(),
		"Signature      verified (rsa-sha256)", "CN=PNO999999",
		"Endpoint       https://ap.lookup.test/as4 (peppol-transport-as4-v2_0)", "CN=PNO999998 AP",
		"Result         OK",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// JSON carries the same facts.
	code, out, _ = runCLI(t, "", "lookup", "--smp", srv.URL, "--ca", k.caFile, "--format", "json", "iso6523-actorid-upis::0192:974760673")
	var res lookupResult
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != exitOK {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if res.Endpoint == nil || res.Endpoint.URL != "https://ap.lookup.test/as4" || !res.Signature.Verified ||
		res.Signature.Signer.Subject != k.leaf.Subject.String() || len(res.DocumentTypes) != 2 || res.SML != nil ||
		res.Endpoint.CertificateCheck != "ok" {
		t.Errorf("JSON result = %+v", res)
	}

	// Without --ca the test PKI is not trusted: exit 1, reason shown.
	code, out, _ = runCLI(t, "", "lookup", "--smp", srv.URL, "0192:974760673")
	if code != exitInvalid || !strings.Contains(out, "NOT verified") || !strings.Contains(out, "not issued by a trusted Peppol SMP CA") || !strings.Contains(out, "(signature)") {
		t.Errorf("untrusted: exit %d\n%s", code, out)
	}
	// A document type the receiver lacks.
	code, out, _ = runCLI(t, "", "lookup", "--smp", srv.URL, "--ca", k.caFile, "--format", "json", "0192:974760673", peppol.BISBillingCreditNote.String())
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != exitInvalid || res.ErrorKind != "no-such-document-type" {
		t.Errorf("credit note: exit %d, %+v", code, res)
	}
	// A bad check digit is a warning; the lookup still runs.
	_, out, _ = runCLI(t, "", "lookup", "--smp", srv.URL, "--ca", k.caFile, "0192:974760672")
	if !strings.Contains(out, "warning: the check digits") {
		t.Errorf("check digit warning missing:\n%s", out)
	}
}

// dnsServer is a loopback DNS server with NAPTR records.
func dnsServer(t *testing.T, records ...string) string {
	t.Helper()
	zone := map[string][]dns.RR{}
	for _, r := range records {
		rr, err := dns.NewRR(r)
		if err != nil {
			t.Fatal(err)
		}
		zone[strings.ToLower(rr.Header().Name)] = append(zone[strings.ToLower(rr.Header().Name)], rr)
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		rrs, ok := zone[strings.ToLower(r.Question[0].Name)]
		if !ok {
			m.Rcode = dns.RcodeNameError
		}
		m.Answer = rrs
		w.WriteMsg(m)
	})}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	return pc.LocalAddr().String()
}

func TestLookupViaDNS(t *testing.T) {
	k := getLookupPKI(t)
	p := peppol.MustParseParticipantID("0192:974760673")
	srv := smpServer(t, signedMetadata(t, k, p, peppol.BISBillingInvoice), p, peppol.BISBillingInvoice)
	const zone = "sml.lookup.test"
	addr := dnsServer(t, elma.NAPTRName(p, zone)+`. 60 IN NAPTR 100 10 "U" "Meta:SMP" "!^.*$!`+srv.URL+`!" .`)

	code, out, stderr := runCLI(t, "", "lookup", "--dns", addr, "--sml-zone", zone, "--ca", k.caFile, "0192:974760673")
	if code != exitOK || !strings.Contains(out, "SML            NAPTR "+elma.NAPTRName(p, zone)) || !strings.Contains(out, "SMP            "+srv.URL) {
		t.Errorf("exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, _ = runCLI(t, "", "lookup", "--dns", addr, "--sml-zone", zone, "--ca", k.caFile, "0192:923609016")
	if code != exitInvalid || !strings.Contains(out, "FAILED (not-registered)") {
		t.Errorf("unregistered: exit %d\n%s", code, out)
	}
}

// The real signed answers of the shared kit, served by a loopback SMP.
func TestLookupRealSignedResponse(t *testing.T) {
	data, err := os.ReadFile(sharedtest.Path(t, "smp", "signed", "signed-service-metadata2.xml"))
	if err != nil {
		t.Fatal(err)
	}
	p := peppol.MustParseParticipantID("0088:5060482240009")
	order := peppol.DocumentTypeID{Scheme: peppol.DocumentTypeScheme, Value: "urn:oasis:names:specification:ubl:schema:xsd:Order-2::Order##urn:www.cenbii.eu:transaction:biitrns001:ver2.0:extended:urn:www.peppol.eu:bis:peppol28a:ver1.0::2.1"}
	srv := smpServer(t, data, p, order)
	args := []string{"lookup", "--smp", srv.URL, "--allow-sha1", "--transport", elma.TransportAS2,
		"--process", "cenbii-procid-ubl::urn:www.cenbii.eu:profile:bii28:ver2.0", p.String(), order.String()}

	code, out, _ := runCLI(t, "", append([]string{args[0], "--at", "2021-01-01"}, args[1:]...)...)
	if code != exitOK || !strings.Contains(out, "https://peppol.netedi.com/receive.aspx") || !strings.Contains(out, "verified (rsa-sha1)") ||
		!strings.Contains(out, "CN=PNO000070") || !strings.Contains(out, "warning      the access point certificate is expired") {
		t.Errorf("as of 2021-01-01: exit %d\n%s", code, out)
	}
	// Today the signing certificate has expired.
	code, out, _ = runCLI(t, "", args...)
	if code != exitInvalid || !strings.Contains(out, "NOT verified: the signing certificate is expired") {
		t.Errorf("today: exit %d\n%s", code, out)
	}
}

// A minimal invoice of our own, for --from.
const fromInvoice = `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
 <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
 <cbc:ID>LOOKUP-1</cbc:ID>
 <cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0192">923609016</cbc:EndpointID></cac:Party></cac:AccountingSupplierParty>
 <cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="0192"> 974760673 </cbc:EndpointID></cac:Party></cac:AccountingCustomerParty>
</Invoice>`

func TestLookupFrom(t *testing.T) {
	k := getLookupPKI(t)
	p := peppol.MustParseParticipantID("0192:974760673")
	srv := smpServer(t, signedMetadata(t, k, p, peppol.BISBillingInvoice), p, peppol.BISBillingInvoice)
	dir := t.TempDir()
	write := func(name, content string) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	sbdh := `<StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader">` +
		`<StandardBusinessDocumentHeader><HeaderVersion>1.0</HeaderVersion></StandardBusinessDocumentHeader>` +
		strings.TrimPrefix(fromInvoice, `<?xml version="1.0" encoding="UTF-8"?>`) + `</StandardBusinessDocument>`
	for name, content := range map[string]string{"bare.xml": fromInvoice, "sbdh.xml": sbdh} {
		code, out, stderr := runCLI(t, "", "lookup", "--smp", srv.URL, "--ca", k.caFile, "--from", write(name, content))
		if code != exitOK || !strings.Contains(out, "Participant    iso6523-actorid-upis::0192:974760673") ||
			!strings.Contains(out, "Sender         iso6523-actorid-upis::0192:923609016") ||
			!strings.Contains(out, "Document type  "+peppol.BISBillingInvoice.String()) {
			t.Errorf("%s: exit %d\n%s\n%s", name, code, out, stderr)
		}
	}
	// From standard input.
	if code, out, _ := runCLI(t, fromInvoice, "lookup", "--smp", srv.URL, "--ca", k.caFile, "--from", "-"); code != exitOK {
		t.Errorf("stdin: exit %d\n%s", code, out)
	}
	// A credit note gives the credit note document type.
	credit := strings.NewReplacer("Invoice-2", "CreditNote-2", "<Invoice ", "<CreditNote ", "</Invoice>", "</CreditNote>").Replace(fromInvoice)
	_, out, _ := runCLI(t, "", "lookup", "--smp", srv.URL, "--ca", k.caFile, "--from", write("credit.xml", credit))
	if !strings.Contains(out, "Document type  "+peppol.BISBillingCreditNote.String()) || !strings.Contains(out, "no-such-document-type") {
		t.Errorf("credit note:\n%s", out)
	}

	bad := []struct {
		name, content, msg string
	}{
		{"doctype.xml", `<!DOCTYPE Invoice [<!ENTITY x "y">]>` + strings.TrimPrefix(fromInvoice, `<?xml version="1.0" encoding="UTF-8"?>`), "doctype.xml:1:"},
		{"order.xml", `<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>`, "order.xml:1:1: {urn:oasis:names:specification:ubl:schema:xsd:Order-2}Order is not a UBL Invoice or CreditNote"},
		{"noendpoint.xml", strings.Replace(fromInvoice, `<cbc:EndpointID schemeID="0192"> 974760673 </cbc:EndpointID>`, ``, 1), "noendpoint.xml:9:"},
		{"badscheme.xml", strings.Replace(fromInvoice, `schemeID="0192"> 974760673`, `schemeID="NO:ORGNR"> 974760673`, 1), "badscheme.xml:9:"},
		{"nocustomization.xml", strings.NewReplacer("<cbc:CustomizationID>", "<cbc:Note>", "</cbc:CustomizationID>", "</cbc:Note>").Replace(fromInvoice), "CustomizationID"},
		{"emptysbdh.xml", `<StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"><StandardBusinessDocumentHeader/></StandardBusinessDocument>`, "holds no business document"},
		{"truncated.xml", fromInvoice[:200], "truncated.xml:"},
	}
	for _, b := range bad {
		code, _, stderr := runCLI(t, "", "lookup", "--smp", srv.URL, "--from", write(b.name, b.content))
		if code != exitUsage || !strings.Contains(stderr, b.msg) {
			t.Errorf("%s: exit %d, stderr %q; want %q", b.name, code, stderr, b.msg)
		}
	}
}

// The Norwegian example invoice of the Peppol kit names its parties with
// organisation numbers.
func TestLookupFromPeppolExample(t *testing.T) {
	path := sharedtest.Path(t, "examples", "peppol-3.0.19", "national-examples", "NO", "Norwegian-example-1.xml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := readInvoiceParties(path, data)
	if err != nil {
		t.Fatal(err)
	}
	if inv.receiver.ICD() != "0192" || inv.receiver.Validate() != nil || inv.sender.IsZero() || !inv.docType.Equal(peppol.BISBillingInvoice) || !inv.process.Equal(peppol.BillingProcess) {
		t.Errorf("parties = %+v", inv)
	}
}
