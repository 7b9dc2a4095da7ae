package peppol

import (
	"strings"
)

// UBL 2.1 root element namespaces and the Peppol BIS Billing 3.0 (and EHF
// Billing 3.0, which uses the same identifiers) customization and profile.
const (
	UBLInvoiceNamespace    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	UBLCreditNoteNamespace = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	UBLVersion             = "2.1"

	// BillingCustomizationID is cbc:CustomizationID of a Peppol BIS Billing
	// 3.0 / EHF Billing 3.0 invoice or credit note.
	BillingCustomizationID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	// BillingProfileID is cbc:ProfileID of the billing process, and the
	// value of its process identifier.
	BillingProfileID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

	// BISBillingInvoiceValue and BISBillingCreditNoteValue are the values
	// of the document type identifiers of a BIS Billing 3.0 invoice and
	// credit note (scheme DocumentTypeScheme).
	BISBillingInvoiceValue    = UBLInvoiceNamespace + "::Invoice##" + BillingCustomizationID + "::" + UBLVersion
	BISBillingCreditNoteValue = UBLCreditNoteNamespace + "::CreditNote##" + BillingCustomizationID + "::" + UBLVersion
)

// Identifiers of Peppol BIS Billing 3.0 (EHF Billing 3.0).
var (
	// BISBillingInvoice is the document type of a BIS Billing 3.0 invoice.
	BISBillingInvoice = DocumentTypeID{Scheme: DocumentTypeScheme, Value: BISBillingInvoiceValue}
	// BISBillingCreditNote is the document type of a BIS Billing 3.0
	// credit note.
	BISBillingCreditNote = DocumentTypeID{Scheme: DocumentTypeScheme, Value: BISBillingCreditNoteValue}
	// BillingProcess is the process of BIS Billing 3.0.
	BillingProcess = ProcessID{Scheme: ProcessScheme, Value: BillingProfileID}
	// NoProcess is the "no process" process identifier.
	NoProcess = ProcessID{Scheme: NoProcessScheme, Value: NoProcessValue}
)

// DocumentTypeID identifies a kind of business document, for example
// busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##<customization>::2.1.
// The scheme is case-insensitive, the value case-sensitive.
type DocumentTypeID struct {
	Scheme string
	Value  string
}

// DocumentTypeParts are the pieces of a busdox-docid-qns value.
type DocumentTypeParts struct {
	RootNamespace   string // namespace of the document's root element
	LocalName       string // local name of the root element
	CustomizationID string // cbc:CustomizationID
	Version         string // syntax version, "2.1" for UBL 2.1
}

// NewDocumentTypeID builds a busdox-docid-qns identifier from a document's
// root element, customization ID and syntax version ("2.1" for UBL 2.1).
func NewDocumentTypeID(rootNamespace, localName, customizationID, version string) DocumentTypeID {
	return DocumentTypeID{
		Scheme: DocumentTypeScheme,
		Value:  rootNamespace + "::" + localName + "##" + customizationID + "::" + version,
	}
}

// ParseDocumentTypeID parses "scheme::value". When the text has no scheme
// (it starts with the URN of the root namespace) the scheme is
// DocumentTypeScheme. Surrounding white space is ignored.
func ParseDocumentTypeID(s string) (DocumentTypeID, error) {
	in := strings.TrimSpace(s)
	scheme, value, ok := splitScheme(in)
	if !ok {
		scheme = DocumentTypeScheme
	}
	d := DocumentTypeID{Scheme: scheme, Value: value}
	if err := d.Validate(); err != nil {
		if e, ok := err.(*IDError); ok {
			e.Input = truncate(s)
		}
		return DocumentTypeID{}, err
	}
	return d, nil
}

// MustParseDocumentTypeID is ParseDocumentTypeID for identifiers known to
// be valid; it panics on error.
func MustParseDocumentTypeID(s string) DocumentTypeID {
	d, err := ParseDocumentTypeID(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String returns "scheme::value", or "" for the zero DocumentTypeID.
func (d DocumentTypeID) String() string {
	if d == (DocumentTypeID{}) {
		return ""
	}
	return d.Scheme + schemeSeparator + d.Value
}

// Canonical returns d with the scheme in lower case; the value is
// case-sensitive and kept as it is.
func (d DocumentTypeID) Canonical() DocumentTypeID {
	return DocumentTypeID{Scheme: asciiLower(d.Scheme), Value: d.Value}
}

// Equal reports whether d and o are the same document type: scheme
// compared without case, value exactly.
func (d DocumentTypeID) Equal(o DocumentTypeID) bool {
	return strings.EqualFold(d.Scheme, o.Scheme) && d.Value == o.Value
}

// IsZero reports whether d is the zero DocumentTypeID.
func (d DocumentTypeID) IsZero() bool { return d == DocumentTypeID{} }

// Parts splits a busdox-docid-qns (or wildcard) value into its pieces. ok
// is false when the value does not have the form
// rootNamespace::localName##customizationID::version.
func (d DocumentTypeID) Parts() (DocumentTypeParts, bool) {
	left, right, ok := strings.Cut(d.Value, "##")
	if !ok {
		return DocumentTypeParts{}, false
	}
	i := strings.LastIndex(left, "::")
	j := strings.LastIndex(right, "::")
	if i <= 0 || j <= 0 || i+2 >= len(left) || j+2 >= len(right) {
		return DocumentTypeParts{}, false
	}
	return DocumentTypeParts{
		RootNamespace:   left[:i],
		LocalName:       left[i+2:],
		CustomizationID: right[:j],
		Version:         right[j+2:],
	}, true
}

// Validate checks the scheme and value syntax. For the busdox-docid-qns
// and wildcard schemes the value must have all four parts.
func (d DocumentTypeID) Validate() error {
	s := d.String()
	switch {
	case !validScheme(d.Scheme):
		return idErr(s, ErrSyntax, "the document type scheme is missing or malformed",
			"skjemaet for dokumenttypen mangler eller er feil")
	case d.Value == "":
		return idErr(s, ErrSyntax, "the document type value is empty", "dokumenttypeverdien er tom")
	case len(d.Value) > MaxDocumentTypeLength:
		return idErr(s, ErrSyntax, "the document type value is longer than 500 characters",
			"dokumenttypeverdien er lengre enn 500 tegn")
	case !noControl(d.Value):
		return idErr(s, ErrSyntax, "the document type value contains control characters",
			"dokumenttypeverdien inneholder kontrolltegn")
	}
	if strings.EqualFold(d.Scheme, DocumentTypeScheme) || strings.EqualFold(d.Scheme, WildcardDocumentTypeScheme) {
		if _, ok := d.Parts(); !ok {
			return idErr(s, ErrSyntax,
				"a busdox-docid-qns value has the form rootNamespace::localName##customizationID::version",
				"en busdox-docid-qns-verdi har formen rotnavnerom::lokaltnavn##tilpasnings-ID::versjon")
		}
	}
	return nil
}

// MarshalText implements encoding.TextMarshaler with the String form.
func (d DocumentTypeID) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with
// ParseDocumentTypeID.
func (d *DocumentTypeID) UnmarshalText(b []byte) error {
	v, err := ParseDocumentTypeID(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ProcessID identifies the business process a document belongs to, for
// example cenbii-procid-ubl::urn:fdc:peppol.eu:2017:poacc:billing:01:1.0.
// The scheme is case-insensitive, the value case-sensitive.
type ProcessID struct {
	Scheme string
	Value  string
}

// ParseProcessID parses "scheme::value" or a bare value (the scheme is then
// ProcessScheme).
func ParseProcessID(s string) (ProcessID, error) {
	in := strings.TrimSpace(s)
	scheme, value, ok := splitScheme(in)
	if !ok {
		scheme = ProcessScheme
	}
	p := ProcessID{Scheme: scheme, Value: value}
	if err := p.Validate(); err != nil {
		if e, ok := err.(*IDError); ok {
			e.Input = truncate(s)
		}
		return ProcessID{}, err
	}
	return p, nil
}

// String returns "scheme::value", or "" for the zero ProcessID.
func (p ProcessID) String() string {
	if p == (ProcessID{}) {
		return ""
	}
	return p.Scheme + schemeSeparator + p.Value
}

// Canonical returns p with the scheme in lower case.
func (p ProcessID) Canonical() ProcessID {
	return ProcessID{Scheme: asciiLower(p.Scheme), Value: p.Value}
}

// Equal reports whether p and o are the same process: scheme compared
// without case, value exactly.
func (p ProcessID) Equal(o ProcessID) bool {
	return strings.EqualFold(p.Scheme, o.Scheme) && p.Value == o.Value
}

// IsZero reports whether p is the zero ProcessID.
func (p ProcessID) IsZero() bool { return p == ProcessID{} }

// Validate checks the scheme and value syntax.
func (p ProcessID) Validate() error {
	s := p.String()
	switch {
	case !validScheme(p.Scheme):
		return idErr(s, ErrSyntax, "the process scheme is missing or malformed",
			"skjemaet for prosessen mangler eller er feil")
	case p.Value == "":
		return idErr(s, ErrSyntax, "the process value is empty", "prosessverdien er tom")
	case len(p.Value) > MaxProcessLength:
		return idErr(s, ErrSyntax, "the process value is longer than 200 characters",
			"prosessverdien er lengre enn 200 tegn")
	case !noControl(p.Value):
		return idErr(s, ErrSyntax, "the process value contains control characters",
			"prosessverdien inneholder kontrolltegn")
	}
	return nil
}

// MarshalText implements encoding.TextMarshaler with the String form.
func (p ProcessID) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseProcessID.
func (p *ProcessID) UnmarshalText(b []byte) error {
	v, err := ParseProcessID(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

func truncate(s string) string {
	const max = 80
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
