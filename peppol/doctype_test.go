package peppol

import (
	"errors"
	"strings"
	"testing"
)

func TestBillingConstants(t *testing.T) {
	// The values are fixed by Peppol BIS Billing 3.0; a typo here would
	// make every lookup fail, so they are spelled out once more.
	if got, want := BISBillingInvoice.String(), "busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1"; got != want {
		t.Errorf("BISBillingInvoice = %s", got)
	}
	if got, want := BISBillingCreditNote.String(), "busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1"; got != want {
		t.Errorf("BISBillingCreditNote = %s", got)
	}
	if got, want := BillingProcess.String(), "cenbii-procid-ubl::urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"; got != want {
		t.Errorf("BillingProcess = %s", got)
	}
	for _, d := range []DocumentTypeID{BISBillingInvoice, BISBillingCreditNote} {
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", d, err)
		}
	}
	if err := BillingProcess.Validate(); err != nil {
		t.Error(err)
	}
	if NewDocumentTypeID(UBLInvoiceNamespace, "Invoice", BillingCustomizationID, "2.1") != BISBillingInvoice {
		t.Error("NewDocumentTypeID does not rebuild the invoice identifier")
	}
}

func TestParseDocumentTypeID(t *testing.T) {
	tests := []struct {
		in      string
		want    DocumentTypeID
		wantErr error
	}{
		{BISBillingInvoice.String(), BISBillingInvoice, nil},
		{BISBillingInvoiceValue, BISBillingInvoice, nil}, // no scheme: busdox-docid-qns
		{"  " + BISBillingCreditNote.String() + "\t", BISBillingCreditNote, nil},
		{"BUSDOX-DOCID-QNS::" + BISBillingInvoiceValue, DocumentTypeID{"BUSDOX-DOCID-QNS", BISBillingInvoiceValue}, nil},
		{"peppol-doctype-wildcard::urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##urn:peppol:pint:billing-1::2.1",
			DocumentTypeID{WildcardDocumentTypeScheme, "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##urn:peppol:pint:billing-1::2.1"}, nil},
		{"other-scheme::free text", DocumentTypeID{"other-scheme", "free text"}, nil},
		{"", DocumentTypeID{}, ErrSyntax},
		{"busdox-docid-qns::", DocumentTypeID{}, ErrSyntax},
		{"busdox-docid-qns::urn:x::Invoice", DocumentTypeID{}, ErrSyntax},               // no customization
		{"busdox-docid-qns::urn:x::Invoice##urn:y", DocumentTypeID{}, ErrSyntax},        // no version
		{"busdox-docid-qns::##urn:y::2.1", DocumentTypeID{}, ErrSyntax},                 // no root
		{"busdox-docid-qns::urn:x::Invoice##urn:y::", DocumentTypeID{}, ErrSyntax},      // empty version
		{"busdox-docid-qns::urn:x::Invoice\n##urn:y::2.1", DocumentTypeID{}, ErrSyntax}, // control character
		{"bad scheme::urn:x::Invoice##urn:y::2.1", DocumentTypeID{}, ErrSyntax},
		{"busdox-docid-qns::urn:x::I##urn:" + strings.Repeat("y", 500) + "::2.1", DocumentTypeID{}, ErrSyntax},
	}
	for _, tt := range tests {
		got, err := ParseDocumentTypeID(tt.in)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("ParseDocumentTypeID(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDocumentTypeID(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestDocumentTypeParts(t *testing.T) {
	p, ok := BISBillingCreditNote.Parts()
	if !ok {
		t.Fatal("Parts failed on the credit note identifier")
	}
	want := DocumentTypeParts{UBLCreditNoteNamespace, "CreditNote", BillingCustomizationID, "2.1"}
	if p != want {
		t.Errorf("Parts = %+v, want %+v", p, want)
	}
	if _, ok := (DocumentTypeID{Scheme: "x", Value: "no parts"}).Parts(); ok {
		t.Error("Parts accepted a value without ##")
	}
}

func TestDocumentTypeCase(t *testing.T) {
	upper := DocumentTypeID{"BUSDOX-DOCID-QNS", BISBillingInvoiceValue}
	if !upper.Equal(BISBillingInvoice) || upper.Canonical() != BISBillingInvoice {
		t.Error("document type schemes must compare without case")
	}
	changed := DocumentTypeID{DocumentTypeScheme, strings.Replace(BISBillingInvoiceValue, "Invoice##", "INVOICE##", 1)}
	if changed.Equal(BISBillingInvoice) || changed.Canonical().Value != changed.Value {
		t.Error("document type values are case-sensitive")
	}
	if (DocumentTypeID{}).String() != "" || !(DocumentTypeID{}).IsZero() {
		t.Error("zero DocumentTypeID must print as empty")
	}
}

func TestParseProcessID(t *testing.T) {
	tests := []struct {
		in      string
		want    ProcessID
		wantErr error
	}{
		{"cenbii-procid-ubl::urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", BillingProcess, nil},
		{"urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", BillingProcess, nil},
		{"busdox-procid-transport::busdox:noprocess", NoProcess, nil},
		{"", ProcessID{}, ErrSyntax},
		{"cenbii-procid-ubl::", ProcessID{}, ErrSyntax},
		{"cenbii-procid-ubl::" + strings.Repeat("x", 201), ProcessID{}, ErrSyntax},
		{"cenbii-procid-ubl::a\x01b", ProcessID{}, ErrSyntax},
	}
	for _, tt := range tests {
		got, err := ParseProcessID(tt.in)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("ParseProcessID(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseProcessID(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	up := ProcessID{"CENBII-PROCID-UBL", BillingProfileID}
	if !up.Equal(BillingProcess) || up.Canonical() != BillingProcess {
		t.Error("process schemes must compare without case")
	}
	var p ProcessID
	if err := p.UnmarshalText([]byte(BillingProcess.String())); err != nil || p != BillingProcess {
		t.Errorf("UnmarshalText: %v, %v", p, err)
	}
	var d DocumentTypeID
	if err := d.UnmarshalText([]byte("nonsense")); err == nil {
		t.Error("UnmarshalText accepted a bad document type")
	}
}
