package peppol

import (
	"strings"
	"testing"
)

func FuzzParseParticipantID(f *testing.F) {
	for _, s := range []string{
		"iso6523-actorid-upis::0192:974760673", "0192:974760673", "0088:5026744000002",
		"0204:991-33333TEST-33", "0184:DK24256790", "::", "0192:", "x::y", "0192:\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseParticipantID(s)
		if err != nil {
			if !p.IsZero() {
				t.Fatalf("error with non-zero result %v", p)
			}
			return
		}
		// A parsed identifier prints to something that parses back to it.
		q, err := ParseParticipantID(p.String())
		if err != nil || q != p {
			t.Fatalf("round trip %q -> %v -> %v, %v", s, p, q, err)
		}
		if !p.Equal(p.Canonical()) || p.Canonical().Value != strings.ToLower(p.Value) {
			t.Fatalf("canonical form of %v is %v", p, p.Canonical())
		}
		_ = p.Validate() // must not panic
	})
}

func FuzzParseDocumentTypeID(f *testing.F) {
	f.Add(BISBillingInvoice.String())
	f.Add(BISBillingCreditNoteValue)
	f.Add("a::b##c::d")
	f.Add("::##::")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDocumentTypeID(s)
		if err != nil {
			return
		}
		e, err := ParseDocumentTypeID(d.String())
		if err != nil || e != d {
			t.Fatalf("round trip %q -> %v -> %v, %v", s, d, e, err)
		}
		_, _ = d.Parts()
	})
}

func FuzzParseProcessID(f *testing.F) {
	f.Add(BillingProcess.String())
	f.Add("x")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseProcessID(s)
		if err != nil {
			return
		}
		q, err := ParseProcessID(p.String())
		if err != nil || q != p {
			t.Fatalf("round trip %q -> %v -> %v, %v", s, p, q, err)
		}
	})
}
