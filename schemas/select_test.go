package schemas

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	invoiceNS    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	creditNoteNS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	billingPID   = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
)

func ublDoc(root, cid, pid string) DocInfo {
	return DocInfo{Namespace: ublNS + root + "-2", Local: root, CustomizationID: cid, ProfileID: pid}
}

var (
	beforeSwitch = day("2026-08-16") // the last day of Peppol BIS Billing 3.0.19
	afterSwitch  = day("2026-08-17") // the first day of the May 2026 release
)

// rels flattens a selection's rule files to install-folder paths.
func rels(sel Selection) []string {
	var out []string
	for _, r := range sel.Rules {
		for _, f := range r.Files {
			out = append(out, f.Rel())
		}
	}
	return out
}

func TestSelect(t *testing.T) {
	tests := []struct {
		name     string
		doc      DocInfo
		date     time.Time
		xsd      string
		rules    []string
		native   bool
		document string
		note     string
	}{{
		name: "billing invoice before the switch",
		doc:  ublDoc("Invoice", billingCID, billingPID), date: beforeSwitch,
		xsd:    "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
		rules:  []string{"peppol-billing-3.0.19/CEN-EN16931-UBL.sch", "peppol-billing-3.0.19/PEPPOL-EN16931-UBL.sch"},
		native: true, document: "Peppol BIS Billing 3.0 invoice",
	}, {
		name: "billing invoice on the switch day",
		doc:  ublDoc("Invoice", billingCID, billingPID), date: afterSwitch,
		xsd:    "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
		rules:  []string{"peppol-billing-2026.5/CEN-EN16931-UBL.sch", "peppol-billing-2026.5/PEPPOL-EN16931-UBL.sch"},
		native: true, document: "Peppol BIS Billing 3.0 invoice",
	}, {
		name:   "billing credit note, late in the evening before the switch in Oslo",
		doc:    ublDoc("CreditNote", billingCID, billingPID),
		date:   time.Date(2026, 8, 16, 23, 30, 0, 0, time.FixedZone("CEST", 2*3600)),
		xsd:    "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
		rules:  []string{"peppol-billing-3.0.19/CEN-EN16931-UBL.sch", "peppol-billing-3.0.19/PEPPOL-EN16931-UBL.sch"},
		native: true, document: "Peppol BIS Billing 3.0 credit note",
	}, {
		name: "billing credit note after the switch",
		doc:  ublDoc("CreditNote", billingCID, billingPID), date: day("2027-01-01"),
		xsd:    "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
		rules:  []string{"peppol-billing-2026.5/CEN-EN16931-UBL.sch", "peppol-billing-2026.5/PEPPOL-EN16931-UBL.sch"},
		native: true, document: "Peppol BIS Billing 3.0 credit note",
	}, {
		name: "self-billing invoice after the switch",
		doc:  ublDoc("Invoice", selfBillingCID, "urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0"), date: afterSwitch,
		xsd:      "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
		rules:    []string{"peppol-billing-2026.5/CEN-EN16931-UBL.sch", "peppol-billing-2026.5/PEPPOL-EN16931-UBL-SB.sch"},
		document: "Peppol BIS Self-Billing 3.0 invoice",
	}, {
		name: "self-billing credit note before the switch: only the 2026.5 rules exist",
		doc:  ublDoc("CreditNote", selfBillingCID, "urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0"), date: beforeSwitch,
		xsd:      "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
		rules:    []string{"peppol-billing-2026.5/CEN-EN16931-UBL.sch", "peppol-billing-2026.5/PEPPOL-EN16931-UBL-SB.sch"},
		document: "Peppol BIS Self-Billing 3.0 credit note",
		note:     "no release ehf knows was in force on 2026-08-16; used peppol-billing-2026.5",
	}, {
		name: "EHF G3 order",
		doc: ublDoc("Order", "urn:fdc:peppol.eu:poacc:trns:order:3:extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0",
			"urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:02:1.0"), date: afterSwitch,
		xsd:   "ubl-2.1/maindoc/UBL-Order-2.1.xsd",
		rules: []string{"ehf-g3/ordering-3.0/EHF-ORDER-3.0.sch"}, document: "EHF order 3.0",
	}, {
		name: "EHF G3 advanced order",
		doc: ublDoc("Order", "urn:fdc:peppol.eu:poacc:trns:order:3:extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0",
			"urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:09:1.0"), date: afterSwitch,
		xsd:   "ubl-2.1/maindoc/UBL-Order-2.1.xsd",
		rules: []string{"ehf-g3/advanced-ordering-3.0/EHF-P09-3.0-ORDER-INITIATION.sch"}, document: "EHF advanced order 3.0",
	}, {
		name: "EHF G3 catalogue",
		doc: ublDoc("Catalogue", "urn:fdc:peppol.eu:poacc:trns:catalogue:3:extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0",
			"urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:01:1.0"), date: beforeSwitch,
		xsd:   "ubl-2.1/maindoc/UBL-Catalogue-2.1.xsd",
		rules: []string{"ehf-g3/catalogue-3.0/EHF-CATALOGUE-3.0.sch"}, document: "EHF catalogue 3.0",
	}, {
		name: "EHF G3 order response under the Peppol CustomizationID",
		doc:  ublDoc("OrderResponse", "urn:fdc:peppol.eu:poacc:trns:order_response:3", "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:02:1.0"),
		xsd:  "ubl-2.1/maindoc/UBL-OrderResponse-2.1.xsd", date: afterSwitch,
		rules: []string{"ehf-g3/ordering-3.0/EHF-ORDER-RESPONSE-3.0.sch"}, document: "EHF order response 3.0",
	}, {
		name: "EHF forward billing credit note, known by its CustomizationID",
		doc:  ublDoc("CreditNote", billingCID+"#conformant#urn:fdc:anskaffelser.no:2019:ehf:forward-billing:3.0", billingPID),
		xsd:  "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd", date: afterSwitch,
		rules:    []string{"ehf-g3/forward-billing-3.0/FORWARD-BILLING-CEN-EN16931-UBL.sch", "ehf-g3/forward-billing-3.0/FORWARD-BILLING-PEPPOL-EN16931-UBL.sch"},
		document: "EHF forward billing credit note 3.0",
	}, {
		name: "EHF reminder",
		doc:  ublDoc("Invoice", billingCID+"#conformant#urn:fdc:anskaffelser.no:2019:ehf:reminder:3.0", "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:06:1.0"),
		xsd:  "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd", date: afterSwitch,
		rules:    []string{"ehf-g3/reminder-3.0/REMINDER-CEN-EN16931-UBL.sch", "ehf-g3/reminder-3.0/REMINDER-PEPPOL-EN16931-UBL.sch", "ehf-g3/reminder-3.0/EHF-P06-3.0-REMINDER.sch"},
		document: "EHF reminder 3.0",
	}, {
		name: "Peppol catalogue after the switch",
		doc:  ublDoc("Catalogue", "urn:fdc:peppol.eu:poacc:trns:catalogue:3", "urn:fdc:peppol.eu:poacc:bis:catalogue_only:3"), date: afterSwitch,
		xsd:   "ubl-2.1/maindoc/UBL-Catalogue-2.1.xsd",
		rules: []string{"peppol-2026.5/PEPPOLBIS-T19.sch"}, document: "Peppol catalogue (T19)",
	}, {
		name: "Peppol invoice response before the switch",
		doc:  ublDoc("ApplicationResponse", "urn:fdc:peppol.eu:poacc:trns:invoice_response:3", "urn:fdc:peppol.eu:poacc:bis:invoice_response:3"), date: beforeSwitch,
		xsd:   "ubl-2.1/maindoc/UBL-ApplicationResponse-2.1.xsd",
		rules: []string{"peppol-2026.5/PEPPOLBIS-T111.sch"}, document: "Peppol invoice response (T111)",
		note: "used peppol-2026.5",
	}, {
		name: "plain EN 16931 invoice",
		doc:  ublDoc("Invoice", cenCID, ""), date: afterSwitch,
		xsd:   "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
		rules: []string{"cen-en16931-ubl-1.3.16/preprocessed/EN16931-UBL-validation-preprocessed.sch"}, document: "EN 16931 invoice",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sel := Select(tc.doc, tc.date)
			if !sel.Recognised {
				t.Fatalf("not recognised: %s", sel.Reason)
			}
			if sel.XSD.Rel() != tc.xsd {
				t.Errorf("XSD %s, want %s", sel.XSD.Rel(), tc.xsd)
			}
			if got := rels(sel); !slices.Equal(got, tc.rules) {
				t.Errorf("rules %v, want %v", got, tc.rules)
			}
			if sel.Native != tc.native {
				t.Errorf("Native = %v", sel.Native)
			}
			if sel.Document != tc.document {
				t.Errorf("Document %q, want %q", sel.Document, tc.document)
			}
			notes := strings.Join(sel.Notes, "; ")
			if tc.note == "" && notes != "" || !strings.Contains(notes, tc.note) {
				t.Errorf("notes %q, want %q", notes, tc.note)
			}
			for _, f := range append([]FileRef{sel.XSD}, sel.Rules[0].Files...) {
				if _, ok := Lookup(f.Set, f.Path); !ok {
					t.Errorf("%s is not in the catalogue", f.Rel())
				}
			}
		})
	}
}

func TestSelectNotRecognised(t *testing.T) {
	tests := []struct {
		name    string
		doc     DocInfo
		xsd     bool // the UBL schema still applies
		reason  string
		reasonB string
	}{
		{"not UBL", DocInfo{Namespace: "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100", Local: "CrossIndustryInvoice", CustomizationID: billingCID}, false, "is not a UBL 2.1 document", "er ikke et UBL 2.1-dokument"},
		{"UBL 2.3 only document", ublDoc("WeightStatement", "urn:fdc:peppol.eu:logistics:trns:weight_statement:1", ""), false, "not a UBL 2.1 document", "UBL 2.1"},
		{"no CustomizationID", ublDoc("Invoice", "", ""), true, "no CustomizationID", "ingen CustomizationID"},
		{"EHF 2.0", ublDoc("Invoice", "urn:www.cenbii.eu:transaction:biitrns010:ver2.0:extended:urn:www.peppol.eu:bis:peppol5a:ver2.0", "urn:www.cenbii.eu:profile:bii05:ver2.0"), true, "is not a specification ehf has rules for", "er ikke en spesifikasjon"},
		{"billing order", ublDoc("Order", billingCID, billingPID), true, "does not allow a Order document", "tillater ikke"},
		{"Peppol order as invoice", ublDoc("Invoice", "urn:fdc:peppol.eu:poacc:trns:order:3", ""), true, "does not allow a Invoice document", "tillater ikke"},
		{"EHF process without that document", ublDoc("Invoice", "x", "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:02:1.0"), true, "EHF process 02 has no Invoice document", "har ikke dokumenttypen"},
		{"unknown EHF process", ublDoc("Order", "x", "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:42:1.0"), true, "EHF process \"42\"", "EHF-prosess"},
		{"unknown Peppol transaction", ublDoc("Order", "urn:fdc:peppol.eu:poacc:trns:teleport:3", ""), true, "not a specification ehf has rules for", "ikke en spesifikasjon"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sel := Select(tc.doc, afterSwitch)
			if sel.Recognised || len(sel.Rules) != 0 || sel.Native {
				t.Fatalf("recognised: %+v", sel)
			}
			if (sel.XSD.Set != "") != tc.xsd {
				t.Errorf("XSD %q", sel.XSD.Rel())
			}
			if !strings.Contains(sel.Reason, tc.reason) || !strings.Contains(sel.ReasonNB, tc.reasonB) {
				t.Errorf("reason %q / %q, want %q / %q", sel.Reason, sel.ReasonNB, tc.reason, tc.reasonB)
			}
		})
	}
}

func TestSelectDefaultsToToday(t *testing.T) {
	sel := Select(ublDoc("Invoice", billingCID, billingPID), time.Time{})
	if !sel.Date.Equal(truncateDay(time.Now())) {
		t.Errorf("date %v", sel.Date)
	}
}

// TestSelectExamples sniffs every example in the shared kit and checks that
// the billing, self-billing and EHF examples are recognised and given rule
// files that mention their document type.
func TestSelectExamples(t *testing.T) {
	root := filepath.Join(sharedDir(t), "examples")
	counts := map[string]int{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.EqualFold(filepath.Ext(p), ".xml") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		info, err := Sniff(bytes.NewReader(b))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		sel := Select(info, afterSwitch)
		switch {
		case strings.Contains(info.CustomizationID, "poacc:billing:3.0") && !strings.Contains(info.CustomizationID, "anskaffelser"):
			counts["billing"]++
			if !sel.Native || sel.Rules[0].Set != "peppol-billing-2026.5" {
				t.Errorf("%s: billing example selected as %+v", rel, sel)
			}
		case strings.Contains(info.CustomizationID, "selfbilling"):
			counts["self-billing"]++
			if !sel.Recognised || !strings.HasSuffix(rels(sel)[1], "PEPPOL-EN16931-UBL-SB.sch") {
				t.Errorf("%s: self-billing example selected as %+v", rel, sel)
			}
		case strings.HasPrefix(info.ProfileID, ehfProfile):
			counts["ehf"]++
			if !sel.Recognised || sel.Rules[0].Set != "ehf-g3" {
				t.Errorf("%s: EHF example selected as %+v", rel, sel)
			}
		case strings.HasPrefix(info.CustomizationID, "urn:fdc:peppol.eu:poacc:trns:"):
			counts["peppol"]++
			if !sel.Recognised || sel.Rules[0].Set != "peppol-2026.5" {
				t.Errorf("%s: Peppol example selected as %+v", rel, sel)
			}
		default:
			counts["other"]++
		}
		if sel.Recognised {
			for _, f := range rels(sel) {
				set, path, _ := strings.Cut(f, "/")
				a, _ := Lookup(set, path)
				if !slices.Contains(a.DocTypes, info.Local) {
					t.Errorf("%s: %s is for %v, not %s", rel, f, a.DocTypes, info.Local)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if counts["billing"] < 50 || counts["self-billing"] < 10 || counts["ehf"] < 15 || counts["peppol"] < 30 {
		t.Errorf("fewer examples than the kit holds: %v", counts)
	}
	t.Logf("examples by kind: %v", counts)
}

// TestResolve installs two sets and resolves selections against them.
func TestResolve(t *testing.T) {
	home := t.TempDir()
	if _, err := (&Installer{Home: home, From: sharedDir(t)}).Install(context.Background(), "ubl-2.1", "peppol-billing-2026.5"); err != nil {
		t.Fatal(err)
	}
	in := installed(t, home)
	r, err := in.Resolve(Select(ublDoc("Invoice", billingCID, billingPID), afterSwitch))
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(Dir(home), "ubl-2.1", "maindoc", "UBL-Invoice-2.1.xsd")
	if r.XSD != want {
		t.Errorf("XSD %s, want %s", r.XSD, want)
	}
	if len(r.Rules) != 1 || len(r.Rules[0].Files) != 2 {
		t.Fatalf("rules %+v", r.Rules)
	}
	for _, f := range append([]string{r.XSD}, r.Rules[0].Files...) {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
	// The same path, relative to the install folder, as the selection gives.
	if got := filepath.Join(Dir(home), filepath.FromSlash(Select(ublDoc("Invoice", billingCID, billingPID), afterSwitch).Rules[0].Files[1].Rel())); got != r.Rules[0].Files[1] {
		t.Errorf("relative path resolves to %s, not %s", got, r.Rules[0].Files[1])
	}

	// An older invoice needs 3.0.19, which is not installed.
	r, err = in.Resolve(Select(ublDoc("Invoice", billingCID, billingPID), beforeSwitch))
	var nie *NotInstalledError
	if !errors.As(err, &nie) || !slices.Equal(nie.Sets, []string{"peppol-billing-3.0.19"}) {
		t.Fatalf("missing set: %v", err)
	}
	if nie.Command() != "ehf schemas install peppol-billing-3.0.19" || !strings.Contains(err.Error(), "run: ehf schemas install peppol-billing-3.0.19") || !strings.Contains(nie.MessageNB(), "kjør: ehf schemas install") {
		t.Errorf("message %q / %q", err, nie.MessageNB())
	}
	if r.XSD == "" || len(r.Rules) != 0 {
		t.Errorf("partial resolution %+v", r)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name, doc string
		want      DocInfo
		err       string
	}{
		{"UBL header", `<?xml version="1.0"?><Invoice xmlns="` + invoiceNS + `" xmlns:cbc="` + cbcNS + `"><cbc:CustomizationID> A </cbc:CustomizationID><cbc:ProfileID>B</cbc:ProfileID><cbc:ID>1</cbc:ID></Invoice>`,
			DocInfo{Namespace: invoiceNS, Local: "Invoice", CustomizationID: "A", ProfileID: "B"}, ""},
		{"extensions first, prefixed root", `<ubl:CreditNote xmlns:ubl="` + creditNoteNS + `" xmlns:cbc="` + cbcNS + `" xmlns:ext="x"><ext:UBLExtensions><ext:E><cbc:CustomizationID>no</cbc:CustomizationID></ext:E></ext:UBLExtensions><cbc:UBLVersionID>2.1</cbc:UBLVersionID><cbc:CustomizationID>A</cbc:CustomizationID></ubl:CreditNote>`,
			DocInfo{Namespace: creditNoteNS, Local: "CreditNote", CustomizationID: "A"}, ""},
		{"stops after the header", `<Invoice xmlns="` + invoiceNS + `" xmlns:cbc="` + cbcNS + `"><cbc:ID>1</cbc:ID><cbc:CustomizationID>late</cbc:CustomizationID>`,
			DocInfo{Namespace: invoiceNS, Local: "Invoice"}, ""},
		{"latin-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Invoice xmlns=\"" + invoiceNS + "\" xmlns:cbc=\"" + cbcNS + "\"><cbc:CustomizationID>\xe6\xf8\xe5</cbc:CustomizationID></Invoice>",
			DocInfo{Namespace: invoiceNS, Local: "Invoice", CustomizationID: "æøå"}, ""},
		{"empty", "", DocInfo{}, "no root element"},
		{"not XML", "%PDF-1.7\n", DocInfo{}, "no root element"},
		{"broken", "<a><b></a>", DocInfo{Local: "a"}, ""},
		{"garbage before root", "<<<", DocInfo{}, "1:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Sniff(strings.NewReader(tc.doc))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func FuzzSniff(f *testing.F) {
	f.Add([]byte(`<Invoice xmlns="` + invoiceNS + `" xmlns:cbc="` + cbcNS + `"><cbc:CustomizationID>` + billingCID + `</cbc:CustomizationID></Invoice>`))
	f.Add([]byte("<a>"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		info, err := Sniff(bytes.NewReader(doc))
		if err == nil && info.Local == "" {
			t.Fatal("no error and no root")
		}
		Select(info, afterSwitch) // must not panic, whatever it was given
	})
}

func ExampleSelect() {
	doc := DocInfo{
		Namespace:       "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
		Local:           "Invoice",
		CustomizationID: "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
		ProfileID:       "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",
	}
	for _, date := range []string{"2026-06-01", "2026-09-01"} {
		d, _ := time.Parse(time.DateOnly, date)
		sel := Select(doc, d)
		fmt.Println(date, sel.Document, sel.XSD.Rel())
		for _, r := range sel.Rules {
			for _, f := range r.Files {
				fmt.Println("  ", f.Rel())
			}
		}
	}
	// Output:
	// 2026-06-01 Peppol BIS Billing 3.0 invoice ubl-2.1/maindoc/UBL-Invoice-2.1.xsd
	//    peppol-billing-3.0.19/CEN-EN16931-UBL.sch
	//    peppol-billing-3.0.19/PEPPOL-EN16931-UBL.sch
	// 2026-09-01 Peppol BIS Billing 3.0 invoice ubl-2.1/maindoc/UBL-Invoice-2.1.xsd
	//    peppol-billing-2026.5/CEN-EN16931-UBL.sch
	//    peppol-billing-2026.5/PEPPOL-EN16931-UBL.sch
}
