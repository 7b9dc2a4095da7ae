package xsd

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode/utf8"
)

// ublSchema compiles (once per test binary) the UBL 2.1 main schema for a
// document type from the shared kit.
func ublSchema(t testing.TB, docType string) *Schema {
	t.Helper()
	needLibxml2(t)
	s, err := Cached(filepath.Join(sharedDir(t), "ubl-2.1", "xsd", "maindoc", "UBL-"+docType+"-2.1.xsd"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readShared(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedDir(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rootName returns the local name of a document's root element.
func rootName(doc []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		tok, err := d.RawToken()
		if err != nil {
			return "", err
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local, nil
		}
	}
}

// knownInvalid lists published examples that the UBL 2.1 schema refuses,
// with the element libxml2 stops at. They are checked to fail exactly so:
// if one starts to pass, or fails differently, the list must be revisited.
var knownInvalid = map[string]string{
	// The Greek national examples put cac:AdditionalDocumentReference after
	// the customer party, where UBL 2.1 does not allow it.
	"peppol-3.0.19/national-examples/GR/GR-base-example-TaxRepresentative.xml": "cac:AdditionalDocumentReference is not allowed here",
	"peppol-3.0.19/national-examples/GR/GR-base-example-correct.xml":           "cac:AdditionalDocumentReference is not allowed here",
	// Advanced ordering uses cac:OrderChangeDocumentReference, added to the
	// order response in UBL 2.3.
	"phive-2026.5/OrderResponseAdvanced_Example.xml":                                       "cac:OrderChangeDocumentReference is not allowed here",
	"phive-2026.5/Advanced Ordering scenarios/advanced_ordering_sc2/OrderResponse_sc2.xml": "cac:OrderChangeDocumentReference is not allowed here",
	// The logistics examples (Peppol logistics BIS 1.x) are written against
	// UBL 2.2 / 2.3.
	"ehf-g3/src/transport-execution-plan-request-1.2/rules/example/TransportExecutionPlan_Example_Full.xml":         "cbc:FunctionCode is not allowed here",
	"ehf-g3/src/transportation-status-request-1.2/rules/example/TransportationStatusRequest_Example_UseCase_04.xml": "cbc:Description is not allowed here",
}

// TestExamples validates every XML example in the shared kit against the
// UBL 2.1 schema for its root element. Invoices and credit notes published
// as valid must be valid; so must every other document, except the few in
// knownInvalid.
func TestExamples(t *testing.T) {
	needLibxml2(t)
	root := filepath.Join(sharedDir(t), "examples")
	var checked, billing int
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.EqualFold(filepath.Ext(path), ".xml") {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		doc, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		name, err := rootName(doc)
		if err != nil {
			t.Errorf("%s: cannot find the root element: %v", rel, err)
			return nil
		}
		xsdPath := filepath.Join(sharedDir(t), "ubl-2.1", "xsd", "maindoc", "UBL-"+name+"-2.1.xsd")
		if _, err := os.Stat(xsdPath); err != nil {
			t.Logf("%s: UBL 2.1 has no %s document; not checked", rel, name)
			return nil
		}
		s, err := Cached(xsdPath)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		if name == "Invoice" || name == "CreditNote" {
			billing++
		}
		errs := s.Validate(doc)
		want, known := knownInvalid[rel]
		switch {
		case known && len(errs) == 0:
			t.Errorf("%s: listed as invalid but is now valid", rel)
		case known && !strings.Contains(errs[0].Message, want):
			t.Errorf("%s: first error %q, want one containing %q", rel, errs[0], want)
		case !known && len(errs) > 0:
			t.Errorf("%s (%s): published as valid but %d XSD errors, first %s", rel, name, len(errs), errs[0])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 170 || billing < 90 {
		t.Errorf("checked %d examples (%d invoices and credit notes); the kit has more", checked, billing)
	}
	t.Logf("checked %d examples, %d of them invoices or credit notes", checked, billing)
}

// positionOf returns the 1-based line and character column at which the
// first occurrence of marker starts in doc: the independent oracle for
// where a finding must be placed.
func positionOf(t *testing.T, doc, marker string) (int, int) {
	t.Helper()
	i := strings.Index(doc, marker)
	if i < 0 {
		t.Fatalf("marker %q not in document", marker)
	}
	if strings.Contains(doc[i+1:], marker) {
		t.Fatalf("marker %q is not unique", marker)
	}
	line := strings.Count(doc[:i], "\n") + 1
	col := utf8.RuneCountInString(doc[strings.LastIndex(doc[:i], "\n")+1:i]) + 1
	return line, col
}

// TestBrokenDocuments breaks published documents on purpose and checks
// that each break is reported once, at the start tag concerned, in words
// that name the element and what was expected.
func TestBrokenDocuments(t *testing.T) {
	invoice := string(readShared(t, "examples/peppol-3.0.19/examples/base-example.xml"))
	credit := string(readShared(t, "examples/peppol-3.0.19/examples/base-creditnote-correction.xml"))
	tests := []struct {
		name     string
		docType  string
		base     string
		old, new string
		at       string // marker in the broken document where the finding belongs
		want     []string
		wantNB   []string
	}{{
		name: "wrong element order", docType: "Invoice", base: invoice,
		old: "<cbc:DueDate>2017-12-01</cbc:DueDate>\n    <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
		new: "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>\n    <cbc:DueDate>2017-12-01</cbc:DueDate>",
		at:  "<cbc:DueDate>", want: []string{"cbc:DueDate is not allowed here", "cbc:Note"},
		wantNB: []string{"cbc:DueDate er ikke tillatt her", "forventet"},
	}, {
		name: "missing mandatory element (next sibling refused)", docType: "Invoice", base: invoice,
		old: "<cbc:IssueDate>2017-11-13</cbc:IssueDate>", new: "",
		at: "<cbc:DueDate>", want: []string{"cbc:DueDate is not allowed here", "cbc:IssueDate"},
		wantNB: []string{"cbc:DueDate er ikke tillatt her", "cbc:IssueDate"},
	}, {
		name: "missing mandatory element (parent incomplete)", docType: "Invoice", base: invoice,
		old: `<cbc:PayableAmount currencyID="EUR">1656.25</cbc:PayableAmount>`, new: "",
		at: "<cac:LegalMonetaryTotal>", want: []string{"cac:LegalMonetaryTotal is incomplete", "cbc:PayableAmount is missing"},
		wantNB: []string{"cac:LegalMonetaryTotal er ufullstendig", "cbc:PayableAmount mangler"},
	}, {
		name: "impossible date", docType: "Invoice", base: invoice,
		old: "<cbc:IssueDate>2017-11-13</cbc:IssueDate>", new: "<cbc:IssueDate>2017-13-45</cbc:IssueDate>",
		at: "<cbc:IssueDate>", want: []string{"cbc:IssueDate: '2017-13-45' is not a valid date (YYYY-MM-DD)"},
		wantNB: []string{"'2017-13-45' er ikke en gyldig dato (ÅÅÅÅ-MM-DD)"},
	}, {
		name: "Norwegian date format", docType: "CreditNote", base: credit,
		old: "<cbc:IssueDate>2017-11-13</cbc:IssueDate>", new: "<cbc:IssueDate>13.11.2017</cbc:IssueDate>",
		at: "<cbc:IssueDate>", want: []string{"cbc:IssueDate: '13.11.2017' is not a valid date"},
		wantNB: []string{"er ikke en gyldig dato"},
	}, {
		name: "decimal comma", docType: "Invoice", base: invoice,
		old: `<cbc:PayableAmount currencyID="EUR">1656.25</cbc:PayableAmount>`, new: `<cbc:PayableAmount currencyID="EUR">1656,25</cbc:PayableAmount>`,
		at: "<cbc:PayableAmount", want: []string{"cbc:PayableAmount: '1656,25' is not a valid decimal number"},
		wantNB: []string{"er ikke et gyldig desimaltall"},
	}, {
		name: "missing attribute", docType: "Invoice", base: invoice,
		old: `<cbc:PayableAmount currencyID="EUR">`, new: `<cbc:PayableAmount>`,
		at: "<cbc:PayableAmount>", want: []string{"cbc:PayableAmount: the required attribute currencyID is missing"},
		wantNB: []string{"det påkrevde attributtet currencyID mangler"},
	}, {
		name: "unknown element in credit note line", docType: "CreditNote", base: credit,
		old: "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>", new: "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode><cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
		at: "<cbc:InvoiceTypeCode>", want: []string{"cbc:InvoiceTypeCode is not allowed here"},
		wantNB: []string{"cbc:InvoiceTypeCode er ikke tillatt her"},
	}, {
		name: "text in an element-only element", docType: "Invoice", base: invoice,
		old: "<cac:AccountingSupplierParty>", new: "<cac:AccountingSupplierParty>Acme",
		at: "<cac:AccountingSupplierParty>", want: []string{"cac:AccountingSupplierParty must not contain text"},
		wantNB: []string{"skal ikke inneholde tekst"},
	}, {
		name: "start tag over several lines", docType: "Invoice", base: invoice,
		old: `<cbc:PayableAmount currencyID="EUR">1656.25</cbc:PayableAmount>`, new: "<cbc:PayableAmount\n   currencyID=\"EUR\"\n   >x</cbc:PayableAmount>",
		at: "<cbc:PayableAmount", want: []string{"'x' is not a valid decimal number"},
		wantNB: []string{"'x' er ikke et gyldig desimaltall"},
	}, {
		name: "invoice checked against the credit note schema", docType: "CreditNote", base: invoice,
		at: "<Invoice", want: []string{"Invoice is not a document this schema describes"},
		wantNB: []string{"Invoice er ikke et dokument dette skjemaet beskriver"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.base
			if tc.old != "" {
				doc = strings.Replace(tc.base, tc.old, tc.new, 1)
				if doc == tc.base {
					t.Fatalf("the example no longer contains %q", tc.old)
				}
			}
			s := ublSchema(t, tc.docType)
			if errs := s.Validate([]byte(tc.base)); tc.docType == mustRoot(t, tc.base) && errs != nil {
				t.Fatalf("the unbroken document is already invalid: %v", errs)
			}
			errs := s.Validate([]byte(doc))
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want 1: %v", len(errs), errs)
			}
			e := errs[0]
			line, col := positionOf(t, doc, tc.at)
			if e.Line != line || e.Column != col {
				t.Errorf("finding at %d:%d, want %d:%d (%s)", e.Line, e.Column, line, col, e.Message)
			}
			for _, w := range tc.want {
				if !strings.Contains(e.Message, w) {
					t.Errorf("message %q lacks %q", e.Message, w)
				}
			}
			for _, w := range tc.wantNB {
				if !strings.Contains(e.MessageNB, w) {
					t.Errorf("Norwegian message %q lacks %q", e.MessageNB, w)
				}
			}
			if strings.Contains(e.Message, "{urn:") || strings.Contains(e.Message, "\n") {
				t.Errorf("libxml2 noise left in %q", e.Message)
			}
		})
	}
}

func mustRoot(t *testing.T, doc string) string {
	t.Helper()
	name, err := rootName([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return name
}

func TestNotWellFormed(t *testing.T) {
	s := ublSchema(t, "Invoice")
	tests := []struct {
		name, doc string
		line      int
		want      string
	}{
		{"mismatched tag", "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">\n  <a></b>\n</Invoice>", 2, "not well-formed XML: Opening and ending tag mismatch"},
		{"truncated", "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">\n<cbc:ID", 2, "not well-formed XML"},
		{"not XML at all", "%PDF-1.7", 1, "not well-formed XML"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := s.Validate([]byte(tc.doc))
			if len(errs) != 1 {
				t.Fatalf("got %v, want one error", errs)
			}
			if errs[0].Line != tc.line || !strings.HasPrefix(errs[0].Message, tc.want) || !strings.HasPrefix(errs[0].MessageNB, "ikke velformet XML") {
				t.Errorf("got %+v, want line %d and %q", errs[0], tc.line, tc.want)
			}
		})
	}
	for _, empty := range []string{"", "  \n"} {
		if errs := s.Validate([]byte(empty)); len(errs) != 1 || errs[0].Message != "the document is empty" {
			t.Errorf("empty document %q: %v", empty, errs)
		}
	}
}

// TestLongDocument puts an error past line 65,535, where libxml2 stops
// counting lines in its nodes, and checks it is still placed exactly.
func TestLongDocument(t *testing.T) {
	s := ublSchema(t, "Invoice")
	base := string(readShared(t, "examples/peppol-3.0.19/examples/base-example.xml"))
	start := strings.Index(base, "<cac:InvoiceLine>")
	end := strings.LastIndex(base, "</Invoice>")
	line := base[start:end]
	var b strings.Builder
	b.WriteString(base[:start])
	for b.Len() < 4<<20 {
		b.WriteString(line)
	}
	b.WriteString(strings.Replace(line, "<cbc:ID>1</cbc:ID>", "<cbc:ID>1</cbc:ID><cbc:Bogus/>", 1))
	b.WriteString(base[end:])
	doc := b.String()
	errs := s.Validate([]byte(doc))
	if len(errs) != 1 {
		t.Fatalf("got %d errors, want 1: %v", len(errs), errs)
	}
	wantLine, wantCol := positionOf(t, doc, "<cbc:Bogus/>")
	if wantLine < 70000 {
		t.Fatalf("test document too short: error on line %d", wantLine)
	}
	if errs[0].Line != wantLine || errs[0].Column != wantCol {
		t.Errorf("error at %d:%d, want %d:%d", errs[0].Line, errs[0].Column, wantLine, wantCol)
	}
}

// TestLargeAttachment checks that a text node over libxml2's default 10 MB
// limit (an embedded PDF, say) is accepted.
func TestLargeAttachment(t *testing.T) {
	s := ublSchema(t, "Invoice")
	base := string(readShared(t, "examples/peppol-3.0.19/examples/base-example.xml"))
	attachment := `<cac:AdditionalDocumentReference><cbc:ID>att</cbc:ID><cac:Attachment>` +
		`<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="a.pdf">` +
		strings.Repeat("QUJD", 3<<20) + `</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>`
	doc := strings.Replace(base, "<cac:AccountingSupplierParty>", attachment+"<cac:AccountingSupplierParty>", 1)
	if errs := s.Validate([]byte(doc)); errs != nil {
		t.Errorf("document with a 12 MB attachment: %v", errs)
	}
}

// TestNoNetwork serves schemas and DTDs on loopback and checks that neither
// compiling nor validating ever asks for them.
func TestNoNetwork(t *testing.T) {
	needLibxml2(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:remote"><xs:element name="r" type="xs:string"/></xs:schema>`))
	}))
	defer srv.Close()

	dir := t.TempDir()
	importing := filepath.Join(dir, "importing.xsd")
	os.WriteFile(importing, []byte(fmt.Sprintf(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:r="urn:remote" targetNamespace="urn:local" elementFormDefault="qualified">
  <xs:import namespace="urn:remote" schemaLocation="%s/remote.xsd"/>
  <xs:element name="doc"><xs:complexType><xs:sequence><xs:element ref="r:r"/></xs:sequence></xs:complexType></xs:element>
</xs:schema>`, srv.URL)), 0o644)
	if s, err := Compile(importing); err == nil {
		// libxml2 may skip an import it cannot load and fail later, at the
		// reference; either way it must not have fetched it.
		s.Close()
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("compiling made %d requests to the network", n)
	}

	s := ublSchema(t, "Invoice")
	base := string(readShared(t, "examples/peppol-3.0.19/examples/base-example.xml"))
	doc := strings.Replace(base, "<Invoice ", fmt.Sprintf(`<!DOCTYPE Invoice SYSTEM "%s/invoice.dtd"><Invoice xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 %s/other.xsd" `, srv.URL, srv.URL), 1)
	s.Validate([]byte(doc))
	if n := hits.Load(); n != 0 {
		t.Fatalf("validating made %d requests to the network", n)
	}
}

// TestConcurrent validates valid and broken documents from many goroutines
// with one compiled schema and checks every result equals the one-at-a-time
// result. Run it with -race to let the detector see the Go side as well.
func TestConcurrent(t *testing.T) {
	s := ublSchema(t, "Invoice")
	base := string(readShared(t, "examples/peppol-3.0.19/examples/base-example.xml"))
	docs := [][]byte{
		[]byte(base),
		[]byte(strings.Replace(base, "2017-11-13", "2017-11-31", 1)),
		[]byte(strings.Replace(base, "<cbc:ID>Snippet1</cbc:ID>", "", 1)),
		[]byte(strings.Replace(base, "</Invoice>", "", 1)),
	}
	want := make([][]Error, len(docs))
	for i, d := range docs {
		want[i] = s.Validate(d)
	}
	if want[0] != nil || want[1] == nil || want[2] == nil || want[3] == nil {
		t.Fatalf("unexpected sequential results: %v", want)
	}
	var wg sync.WaitGroup
	var bad atomic.Int32
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				k := (g + i) % len(docs)
				if got := s.Validate(docs[k]); !slices.Equal(got, want[k]) {
					bad.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if n := bad.Load(); n != 0 {
		t.Errorf("%d concurrent validations differ from the sequential result", n)
	}
}

func TestCachedAndClose(t *testing.T) {
	needLibxml2(t)
	path := filepath.Join(sharedDir(t), "ubl-2.1", "xsd", "maindoc", "UBL-Order-2.1.xsd")
	a, err := Cached(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Cached(path)
	if a != b {
		t.Error("Cached compiled the same schema twice")
	}
	// A schema that is missing at first is found once it is there.
	missing := filepath.Join(t.TempDir(), "later.xsd")
	if _, err := Cached(missing); err == nil {
		t.Error("Cached of a missing file succeeded")
	}
	os.WriteFile(missing, []byte(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="xs:string"/></xs:schema>`), 0o644)
	if s, err := Cached(missing); err != nil {
		t.Errorf("Cached after the file appeared: %v", err)
	} else if errs := s.Validate([]byte("<a>x</a>")); errs != nil {
		t.Errorf("tiny schema: %v", errs)
	}

	s, err := Compile(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != path {
		t.Errorf("Path() = %s, want %s", s.Path(), path)
	}
	s.Close()
	s.Close() // twice is fine
	errs := s.Validate([]byte("<Order/>"))
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "closed") {
		t.Errorf("Validate after Close: %v", errs)
	}
}

func TestCompileErrors(t *testing.T) {
	needLibxml2(t)
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.xsd")
	os.WriteFile(broken, []byte(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="nope"/></xs:schema>`), 0o644)
	_, err := Compile(broken)
	if err == nil || !strings.Contains(err.Error(), "broken.xsd") {
		t.Errorf("Compile of a broken schema: %v", err)
	}
	if _, err := Compile(filepath.Join(dir, "absent.xsd")); err == nil {
		t.Error("Compile of a missing file succeeded")
	}
}

// FuzzValidate feeds arbitrary bytes to the parser and validator: nothing
// may crash, and every error must carry a message and a sane position.
func FuzzValidate(f *testing.F) {
	if !Available() {
		f.Skip("built without cgo: the XSD layer is not available")
	}
	s := ublSchema(f, "Invoice")
	base := readShared(f, "examples/peppol-3.0.19/examples/base-example.xml")
	f.Add(base)
	f.Add(bytes.Replace(base, []byte("2017-11-13"), []byte("x"), 1))
	f.Add([]byte("<Invoice/>"))
	f.Add([]byte("<!DOCTYPE a [<!ENTITY x '<b/>'>]><a>&x;</a>"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		for _, e := range s.Validate(doc) {
			if e.Message == "" || e.MessageNB == "" || e.Line < 0 || e.Column < 0 {
				t.Fatalf("bad error %+v", e)
			}
		}
	})
}

// BenchmarkValidate measures XSD validation of the Peppol base example with
// the schema compiled once, one document at a time and on every core.
func BenchmarkValidate(b *testing.B) {
	s := ublSchema(b, "Invoice")
	doc := readShared(b, "examples/peppol-3.0.19/examples/base-example.xml")
	b.Run("serial", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			if errs := s.Validate(doc); errs != nil {
				b.Fatal(errs)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if errs := s.Validate(doc); errs != nil {
					b.Error(errs)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	})
}

// BenchmarkCompile measures compiling the UBL 2.1 invoice schema, which
// happens once per process.
func BenchmarkCompile(b *testing.B) {
	needLibxml2(b)
	path := filepath.Join(sharedDir(b), "ubl-2.1", "xsd", "maindoc", "UBL-Invoice-2.1.xsd")
	for b.Loop() {
		s, err := Compile(path)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
