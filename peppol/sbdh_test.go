package peppol

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ehf-project/ehf/ehf"
)

// testInvoice is one of the project's own invoices.
func testInvoice(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "invoices", "plain.xml"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testHeader() Header {
	return Header{
		Sender:       MustParseParticipantID("0192:987654325"),
		Receiver:     MustParseParticipantID("0192:970000003"),
		DocumentType: BISBillingInvoice,
		Process:      BillingProcess,
		CountryC1:    "NO",
		InstanceID:   "5d8f9c2e-1b7a-4c3d-9e6f-0a1b2c3d4e5f",
		Created:      time.Date(2026, 11, 24, 10, 15, 30, 123_000_000, time.FixedZone("CET", 3600)),
	}
}

func TestEnvelopeRoundTrip(t *testing.T) {
	inv := testInvoice(t)
	e, err := NewEnvelope(inv, testHeader())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(e.Payload, []byte("<Invoice")) || !bytes.HasSuffix(e.Payload, []byte("</Invoice>")) {
		t.Fatalf("payload is not the root element: %.40q ... %.40q", e.Payload, e.Payload[len(e.Payload)-40:])
	}
	if !bytes.Contains(inv, e.Payload) {
		t.Fatal("the payload is not a byte-for-byte slice of the document")
	}
	if e.Standard != UBLInvoiceNamespace || e.Type != "Invoice" || e.TypeVersion != "2.1" {
		t.Errorf("document identification %q %q %q", e.Standard, e.Type, e.TypeVersion)
	}
	data, err := e.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseEnvelope(data, "env.xml")
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if !bytes.Equal(got.Payload, e.Payload) {
		t.Fatal("the parsed payload differs from the one wrapped")
	}
	if !got.Created.Equal(e.Created) {
		t.Errorf("created %v, want %v", got.Created, e.Created)
	}
	got.Created = e.Created
	if !reflect.DeepEqual(got, e) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got.Header, e.Header)
	}
	again, err := got.Marshal()
	if err != nil || !bytes.Equal(again, data) {
		t.Errorf("writing a parsed envelope gives different bytes (%v)", err)
	}
	// The project's document reader sees the same invoice inside.
	doc, err := ehf.Parse(data, &ehf.ParseOptions{Name: "env.xml"})
	if err != nil {
		t.Fatal(err)
	}
	if !doc.Wrapped || doc.Type.Name != "peppol-billing-invoice" || doc.Invoice.Seller.EndpointID.Value != "987654325" {
		t.Errorf("ehf.Parse of the envelope: wrapped=%v type=%s", doc.Wrapped, doc.Type.Name)
	}
	for _, want := range []string{
		`<sh:StandardBusinessDocument xmlns:sh="` + NSSBDH + `">`,
		`<sh:Identifier Authority="iso6523-actorid-upis">0192:970000003</sh:Identifier>`,
		`<sh:CreationDateAndTime>2026-11-24T10:15:30.123+01:00</sh:CreationDateAndTime>`,
		`<sh:Type>COUNTRY_C1</sh:Type>`,
		`<sh:Identifier>busdox-docid-qns</sh:Identifier>`,
	} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("envelope lacks %s", want)
		}
	}
}

// Payloads that a naive reader would cut in the wrong place or rewrite.
func TestEnvelopePayloadBytes(t *testing.T) {
	const ns = `xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"`
	cases := []struct{ name, doc, want string }{
		{"bare", `<Invoice ` + ns + `><a>1</a></Invoice>`, ""},
		{"declaration and comments outside", "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- before -->\n<Invoice " + ns + "><a/></Invoice>\n<!-- after -->\n",
			"<Invoice " + ns + "><a/></Invoice>"},
		{"self-closing root", `<Invoice ` + ns + `/>`, ""},
		{"empty root", `<Invoice ` + ns + `></Invoice >`, ""},
		{"CRLF and entities", "<Invoice " + ns + ">\r\n  <a>&lt;b&gt; &amp; &#x41;</a>\r\n</Invoice>", ""},
		{"quotes hide angle brackets", `<Invoice ` + ns + ` x="a>b" y='/>'><a z=">"/></Invoice>`, ""},
		{"CDATA with tags", `<Invoice ` + ns + `><a><![CDATA[</Invoice>]]></a></Invoice>`, ""},
		{"trailing text in CDATA", `<Invoice ` + ns + `><a/>x<![CDATA[</Invoice>]]></Invoice>`, ""},
		{"comment and PI at the end", `<Invoice ` + ns + `><a/><!-- </Invoice> --><?pi </Invoice>?></Invoice>`, ""},
		{"names ending in dashes", `<Invoice ` + ns + `><a-->x</a--></Invoice>`, ""},
		{"prefixed root", `<u:Invoice xmlns:u="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><u:a/></u:Invoice>`, ""},
		{"no-namespace children stay unqualified", `<Invoice ` + ns + `><ext xmlns=""><plain/></ext></Invoice>`, ""},
		{"non-ASCII", `<Invoice ` + ns + `><a>Blåbærsyltetøy – «Ærlig»</a></Invoice>`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := c.want
			if want == "" {
				want = c.doc
			}
			e, err := NewEnvelope([]byte(c.doc), testHeader())
			if err != nil {
				t.Fatal(err)
			}
			if string(e.Payload) != want {
				t.Fatalf("payload %q, want %q", e.Payload, want)
			}
			data, err := e.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseEnvelope(data, "")
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			if string(got.Payload) != want {
				t.Fatalf("parsed payload %q, want %q", got.Payload, want)
			}
			// The payload in the envelope means what it meant alone.
			doc, err := ehf.Parse(data, nil)
			if err != nil || !doc.Wrapped || doc.Type.Namespace != UBLInvoiceNamespace {
				t.Fatalf("ehf.Parse: %v %+v", err, doc)
			}
		})
	}
}

func TestNewEnvelopeDefaults(t *testing.T) {
	h := testHeader()
	h.InstanceID, h.Created = "", time.Time{}
	before := time.Now().Add(-time.Second)
	a, err := NewEnvelope(testInvoice(t), h)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewEnvelope(testInvoice(t), h)
	if err != nil {
		t.Fatal(err)
	}
	if a.InstanceID == b.InstanceID || len(a.InstanceID) != 36 || a.InstanceID[14] != '4' {
		t.Errorf("instance identifiers %s and %s: want distinct version 4 UUIDs", a.InstanceID, b.InstanceID)
	}
	if a.Created.Before(before) || a.Created.After(time.Now()) {
		t.Errorf("created %v is not now", a.Created)
	}
	c1 := ContentInstanceID(h, a.Payload)
	if c1 != ContentInstanceID(h, b.Payload) || c1[14] != '8' {
		t.Errorf("content instance id %s is not stable or not version 8", c1)
	}
	h2 := h
	h2.Receiver = MustParseParticipantID("0192:974760673")
	if ContentInstanceID(h2, a.Payload) == c1 || ContentInstanceID(h, append([]byte(" "), a.Payload...)) == c1 {
		t.Error("content instance id ignores the receiver or the payload")
	}
	// Case does not make a participant someone else.
	h3 := h
	h3.Sender = ParticipantID{Scheme: "ISO6523-ACTORID-UPIS", Value: h.Sender.Value}
	if ContentInstanceID(h3, a.Payload) != c1 {
		t.Error("content instance id depends on the case of the scheme")
	}
}

func TestNewEnvelopeErrors(t *testing.T) {
	inv := testInvoice(t)
	wrapped, err := (&Envelope{}).Marshal()
	if err == nil {
		t.Fatalf("an empty envelope marshalled: %s", wrapped)
	}
	good, _ := NewEnvelope(inv, testHeader())
	goodData, _ := good.Marshal()
	cases := []struct {
		name string
		doc  []byte
		edit func(*Header)
		want string
	}{
		{"no sender", inv, func(h *Header) { h.Sender = ParticipantID{} }, "sender and a receiver"},
		{"bad receiver", inv, func(h *Header) { h.Receiver = ParticipantID{Scheme: ParticipantScheme, Value: "x"} }, "receiver: "},
		{"country", inv, func(h *Header) { h.CountryC1 = "no" }, "COUNTRY_C1"},
		{"no process", inv, func(h *Header) { h.Process = ProcessID{} }, "process: "},
		{"instance id with space", inv, func(h *Header) { h.InstanceID = "a b" }, "instance identifier"},
		{"credit note type for invoice", inv, func(h *Header) { h.DocumentType = BISBillingCreditNote }, "but the document is"},
		{"already wrapped", goodData, nil, "already in an SBDH envelope"},
		{"latin-1", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><Invoice xmlns="` + UBLInvoiceNamespace + `"/>`), nil, "save it as UTF-8"},
		{"not XML", []byte("%PDF-1.7"), nil, ""},
		{"empty", nil, nil, ""},
		{"DTD", []byte(`<!DOCTYPE x [<!ENTITY a "b">]><Invoice xmlns="` + UBLInvoiceNamespace + `"/>`), nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := testHeader()
			if c.edit != nil {
				c.edit(&h)
			}
			e, err := NewEnvelope(c.doc, h)
			if err == nil {
				t.Fatalf("accepted: %+v", e.Header)
			}
			if !errors.Is(err, ErrEnvelope) {
				t.Errorf("error %v does not wrap ErrEnvelope", err)
			}
			var ee *EnvelopeError
			if !errors.As(err, &ee) || ee.MsgNB == "" {
				t.Errorf("error %v has no bokmål message", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
}

func TestParseEnvelopeErrors(t *testing.T) {
	e, err := NewEnvelope(testInvoice(t), testHeader())
	if err != nil {
		t.Fatal(err)
	}
	data, err := e.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	good := string(data)
	lineOf := func(s, marker string) int { return strings.Count(s[:strings.Index(s, marker)], "\n") + 1 }
	cases := []struct {
		name, old, new string
		want           string
		line           string // the error must point at the line holding this text in the edited document
	}{
		{"header version", "<sh:HeaderVersion>1.0<", "<sh:HeaderVersion>1.1<", `HeaderVersion is "1.1"`, "<sh:HeaderVersion>"},
		{"no authority", ` Authority="iso6523-actorid-upis">0192:987654325`, `>0192:987654325`, "Authority", "0192:987654325"},
		{"bad participant", ">0192:970000003<", ">0192 970000003<", "Receiver: ", "0192 970000003"},
		{"missing receiver", "sh:Receiver>", "sh:Receiverx>", "Receiverx is not allowed", "<sh:Receiverx>"},
		{"out of order", "<sh:Standard>", "<sh:Type>Invoice</sh:Type><sh:Standard>", "Standard is missing before Type", "<sh:Type>Invoice</sh:Type><sh:Standard>"},
		{"no time zone", "2026-11-24T10:15:30.123+01:00", "2026-11-24T10:15:30", "time zone", "<sh:CreationDateAndTime>"},
		{"no country", "<sh:Type>COUNTRY_C1</sh:Type>", "<sh:Type>COUNTRY_X</sh:Type>", "no COUNTRY_C1 scope", "<sh:BusinessScope>"},
		{"twice document id", "<sh:Type>PROCESSID</sh:Type>", "<sh:Type>DOCUMENTID</sh:Type>", "DOCUMENTID scope appears more than once", ""},
		{"bad document type", "Invoice##urn:cen.eu", "Invoice#urn:cen.eu", "DOCUMENTID: ", ""},
		{"type mismatch", "<sh:Type>Invoice</sh:Type>", "<sh:Type>CreditNote</sh:Type>", "the header says the document is", "<Invoice"},
		{"text in envelope", "</sh:StandardBusinessDocumentHeader>", "</sh:StandardBusinessDocumentHeader>hello", "text is not allowed", ""},
		{"two payloads", "</sh:StandardBusinessDocument>", "<x/></sh:StandardBusinessDocument>", "more than one document", "<x/>"},
		{"payload in SBDH namespace", "<Invoice xmlns=", "<sh:Foo/><Invoice xmlns=", "SBDH namespace", "<sh:Foo/>"},
		{"unknown header element", "<sh:BusinessScope>", "<sh:Extra/><sh:BusinessScope>", "Extra is not allowed", "<sh:Extra/>"},
		{"wrong root", "sh:StandardBusinessDocument", "sh:StandardBusinessDoc", "not an SBDH StandardBusinessDocument", "<sh:StandardBusinessDoc "},
		{"broken XML", "</sh:HeaderVersion>", "</sh:HeaderVersio>", "", "</sh:HeaderVersio>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := strings.ReplaceAll(good, c.old, c.new)
			if doc == good {
				t.Fatalf("edit %q did not apply", c.old)
			}
			_, err := ParseEnvelope([]byte(doc), "in.xml")
			if err == nil {
				t.Fatalf("accepted:\n%s", doc)
			}
			var ee *EnvelopeError
			if !errors.As(err, &ee) {
				t.Fatalf("error %T %v is not an *EnvelopeError", err, err)
			}
			if !strings.Contains(ee.Msg, c.want) || ee.MsgNB == "" {
				t.Errorf("message %q (nb %q) does not say %q", ee.Msg, ee.MsgNB, c.want)
			}
			if !strings.HasPrefix(err.Error(), "in.xml:") {
				t.Errorf("error %q does not name the file", err)
			}
			if c.line != "" {
				if want := lineOf(doc, c.line); ee.Line != want {
					t.Errorf("error at line %d, want %d: %v", ee.Line, want, err)
				}
			}
		})
	}
}

func TestParseEnvelopeNoPayload(t *testing.T) {
	e, _ := NewEnvelope(testInvoice(t), testHeader())
	data, _ := e.Marshal()
	end := []byte("</sh:StandardBusinessDocumentHeader>")
	i := bytes.Index(data, end) + len(end)
	doc := string(data[:i]) + "\n<!-- nothing here -->\n</sh:StandardBusinessDocument>\n"
	_, err := ParseEnvelope([]byte(doc), "")
	if err == nil || !strings.Contains(err.Error(), "no document after its header") || !strings.HasPrefix(err.Error(), "2:1:") {
		t.Errorf("error %v", err)
	}
}

// The project's own SBDH test document, written by hand with a default
// namespace rather than a prefix, reads too.
func TestParseHandWrittenEnvelope(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "invoices", "sbdh-wrapped-broken.xml"))
	if err != nil {
		t.Skip(err)
	}
	e, err := ParseEnvelope(data, "sbdh-wrapped-broken.xml")
	if err != nil {
		t.Fatal(err)
	}
	if !e.Receiver.Equal(MustParseParticipantID("0192:970000003")) || !e.DocumentType.Equal(BISBillingInvoice) ||
		!e.Process.Equal(BillingProcess) || e.CountryC1 != "NO" || e.InstanceID != "2f0c6f0e-6a55-4c1e-9a57-4d1f8e0c2b11" {
		t.Errorf("header %+v", e.Header)
	}
	if !bytes.HasPrefix(e.Payload, []byte("<Invoice")) || !bytes.HasSuffix(e.Payload, []byte("</Invoice>")) {
		t.Errorf("payload %.30q...", e.Payload)
	}
	_, zone := e.Created.Zone()
	if zone != 3600 {
		t.Errorf("created %v lost its zone", e.Created)
	}
}
