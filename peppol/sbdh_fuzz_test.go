package peppol

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// payloadOracle finds the bytes of the first element child of the root
// that is not in the SBDH namespace (or of the root itself when payloadOf
// is false) with encoding/xml, an independent reader that knows exact
// offsets. ok is false when encoding/xml cannot read the document.
func payloadOracle(data []byte, inEnvelope bool) (payload []byte, ok bool) {
	d := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	for {
		start := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			return nil, false
		}
		if err != nil {
			return nil, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !inEnvelope || (depth == 1 && t.Name.Space != NSSBDH) {
				if err := d.Skip(); err != nil {
					return nil, false
				}
				return data[start:d.InputOffset()], true
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
}

func sbdhSeeds(f *testing.F) {
	for _, p := range []string{
		filepath.Join("..", "testdata", "invoices", "plain.xml"),
		filepath.Join("..", "testdata", "invoices", "creditnote.xml"),
		filepath.Join("..", "testdata", "invoices", "sbdh-wrapped-broken.xml"),
	} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
			h := testHeader()
			if bytes.Contains(b, []byte("<CreditNote")) {
				h.DocumentType = BISBillingCreditNote
			}
			if e, err := NewEnvelope(b, h); err == nil {
				if data, err := e.Marshal(); err == nil {
					f.Add(data)
				}
			}
		}
	}
	// A small envelope gives the mutator a header to work on rather than
	// an invoice.
	if e, err := NewEnvelope([]byte(`<Invoice xmlns="`+UBLInvoiceNamespace+`"><a/></Invoice>`), testHeader()); err == nil {
		e.Scopes = []Scope{{Type: "MLS_TO", InstanceIdentifier: "0192:987654325"}}
		if data, err := e.Marshal(); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`<Invoice xmlns="` + UBLInvoiceNamespace + `"><a-->x<![CDATA[</Invoice>]]></a--><!-- > --></Invoice>`))
	f.Add([]byte(`<Invoice xmlns="` + UBLInvoiceNamespace + `" a=">"/>`))
}

func FuzzParseEnvelope(f *testing.F) {
	sbdhSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := ParseEnvelope(data, "fuzz.xml")
		if err != nil {
			if e != nil {
				t.Fatal("error with an envelope")
			}
			return
		}
		if want, ok := payloadOracle(bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}), true); ok && !bytes.Equal(e.Payload, want) {
			t.Fatalf("payload %q, encoding/xml says %q", e.Payload, want)
		}
		out, err := e.Marshal()
		if err != nil {
			t.Fatalf("a parsed envelope does not marshal: %v", err)
		}
		back, err := ParseEnvelope(out, "")
		if err != nil {
			t.Fatalf("a marshalled envelope does not parse: %v\n%s", err, out)
		}
		if !bytes.Equal(back.Payload, e.Payload) || back.Header.InstanceID != e.InstanceID ||
			!back.Created.Equal(e.Created) || back.Sender != e.Sender || back.Receiver != e.Receiver ||
			back.DocumentType != e.DocumentType || back.Process != e.Process || back.CountryC1 != e.CountryC1 ||
			len(back.Scopes) != len(e.Scopes) {
			t.Fatalf("round trip changed the envelope:\n%+v\n%+v", e.Header, back.Header)
		}
	})
}

func FuzzEnvelopePayload(f *testing.F) {
	sbdhSeeds(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		h := testHeader()
		h.DocumentType = DocumentTypeID{Scheme: "fuzz", Value: "x"} // no parts: the root element names itself
		e, err := NewEnvelope(doc, h)
		if err != nil {
			return
		}
		if want, ok := payloadOracle(bytes.TrimPrefix(doc, []byte{0xEF, 0xBB, 0xBF}), false); ok && !bytes.Equal(e.Payload, want) {
			t.Fatalf("payload %q, encoding/xml says %q", e.Payload, want)
		}
		out, err := e.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseEnvelope(out, "")
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if !bytes.Equal(back.Payload, e.Payload) {
			t.Fatalf("payload changed: %q -> %q", e.Payload, back.Payload)
		}
	})
}
