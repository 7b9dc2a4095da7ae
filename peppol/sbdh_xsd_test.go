package peppol

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/schemas/xsd"
)

// xsdCase is an envelope and whether a schema must accept it.
type xsdCase struct {
	name  string
	doc   []byte
	valid bool
}

// xsdCases are envelopes ehf writes (valid) and envelopes broken in ways
// every SBDH schema refuses. profileOnly adds breaks that only the Peppol
// profile refuses.
func xsdCases(t *testing.T, profileOnly bool) []xsdCase {
	t.Helper()
	var cases []xsdCase
	for _, f := range []struct {
		file string
		dt   DocumentTypeID
	}{{"plain.xml", BISBillingInvoice}, {"creditnote.xml", BISBillingCreditNote}} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "invoices", f.file))
		if err != nil {
			t.Fatal(err)
		}
		h := testHeader()
		h.DocumentType = f.dt
		e, err := NewEnvelope(b, h)
		if err != nil {
			t.Fatal(err)
		}
		e.Scopes = []Scope{{Type: "MLS_TO", InstanceIdentifier: "0192:987654325", Identifier: ParticipantScheme}}
		data, err := e.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, xsdCase{f.file, data, true})
	}
	good := string(cases[0].doc)
	broken := func(name, old, new string) {
		if !strings.Contains(good, old) {
			t.Fatalf("%s: %q is not in the envelope", name, old)
		}
		cases = append(cases, xsdCase{name, []byte(strings.Replace(good, old, new, 1)), false})
	}
	broken("receiver before sender", "<sh:Sender>", "<sh:Receiver><sh:Identifier Authority=\"iso6523-actorid-upis\">0192:1</sh:Identifier></sh:Receiver><sh:Sender>")
	broken("no header version", "<sh:HeaderVersion>1.0</sh:HeaderVersion>", "")
	broken("type before standard", "<sh:Standard>", "<sh:Type>Invoice</sh:Type><sh:Standard>")
	broken("creation time not a time", "2026-11-24T10:15:30.123+01:00", "24.11.2026")
	broken("unknown header element", "<sh:BusinessScope>", "<sh:Routing/><sh:BusinessScope>")
	if profileOnly {
		broken("no time zone", "2026-11-24T10:15:30.123+01:00", "2026-11-24T10:15:30.123")
		broken("wrong authority", `Authority="iso6523-actorid-upis">0192:970000003`, `Authority="GLN">0192:970000003`)
		broken("scope type twice", "<sh:Type>PROCESSID</sh:Type>", "<sh:Type>DOCUMENTID</sh:Type>")
		broken("header version 2", "<sh:HeaderVersion>1.0<", "<sh:HeaderVersion>2.0<")
	}
	return cases
}

func checkXSD(t *testing.T, s *xsd.Schema, cases []xsdCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := s.Validate(c.doc)
			switch {
			case c.valid && len(errs) > 0:
				for _, e := range errs {
					t.Errorf("%s", e)
				}
			case !c.valid && len(errs) == 0:
				t.Error("the schema accepted a broken envelope")
			}
			// ehf's own reader agrees with the schema.
			_, err := ParseEnvelope(c.doc, "")
			if (err == nil) != c.valid {
				t.Errorf("ParseEnvelope: %v, schema valid %v", err, c.valid)
			}
		})
	}
}

// TestEnvelopeProfileXSD checks the envelopes ehf writes with libxml2
// against our own statement of the Peppol profile (testdata).
func TestEnvelopeProfileXSD(t *testing.T) {
	if !xsd.Available() {
		t.Skip("the XSD layer is not built in (needs cgo and libxml2-dev): envelopes checked by ParseEnvelope only")
	}
	s, err := xsd.Compile(filepath.Join("testdata", "sbdh-profile.xsd"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkXSD(t, s, xsdCases(t, true))
}

// TestEnvelopeOfficialXSD checks the envelopes against the UN/CEFACT SBDH
// schema in the shared kit (../shared/smp/xsd).
func TestEnvelopeOfficialXSD(t *testing.T) {
	dir := sharedtest.Path(t, "smp", "xsd")
	if !xsd.Available() {
		t.Skip("the XSD layer is not built in (needs cgo and libxml2-dev)")
	}
	path := findSBDHSchema(t, dir)
	if path == "" {
		t.Skipf("no schema for the SBDH namespace %s in %s (the kit has only the Peppol envelope extension for binary and text payloads): add StandardBusinessDocumentHeader.xsd and the schemas it includes to run this test", NSSBDH, dir)
	}
	s, err := xsd.Compile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkXSD(t, s, xsdCases(t, false))
}

// findSBDHSchema returns the schema under dir that declares the
// StandardBusinessDocument element in the SBDH namespace.
func findSBDHSchema(t *testing.T, dir string) string {
	found := ""
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || filepath.Ext(p) != ".xsd" || found != "" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(`targetNamespace="`+NSSBDH+`"`)) && bytes.Contains(b, []byte(`name="StandardBusinessDocument"`)) {
			found = p
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}
