package elma

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/peppol"
)

// addRealSeeds adds the shared kit's signed answers to a fuzz corpus when
// the kit is there.
func addRealSeeds(f *testing.F) {
	dir, ok := sharedtest.Find()
	if !ok {
		return
	}
	files, _ := filepath.Glob(filepath.Join(dir, "smp", "signed", "*.xml"))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
}

// FuzzVerifyServiceMetadata feeds arbitrary answers through the whole
// verification and parsing path; it must never panic, and whatever it
// accepts must be complete.
func FuzzVerifyServiceMetadata(f *testing.F) {
	p := getPKI(f)
	ep := testEndpoint{cert: p.ap.cert, from: testNow.Add(-time.Hour), to: testNow.Add(time.Hour)}
	f.Add(sign(f, buildSMP1Metadata(testParticipant, peppol.BISBillingInvoice, ep), p.smp, signOptions{}))
	f.Add(sign(f, buildSMP2Metadata(testParticipant, peppol.BISBillingInvoice, ep), p.smp, signOptions{inclusive: true}))
	f.Add(sign(f, buildSMP1Redirect("https://other.elma.test/x", "PNO000002"), p.smp, signOptions{}))
	f.Add([]byte(buildSMP1Metadata(testParticipant, peppol.BISBillingInvoice, ep)))
	addRealSeeds(f)
	o := verifyOptions{trust: p.trust, now: testNow, allowSHA1: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := verifyMetadata(data, peppol.ParticipantID{}, peppol.DocumentTypeID{}, o)
		if err != nil {
			return
		}
		if m.Signature == nil || m.Signature.Certificate == nil {
			t.Fatal("accepted without signature info")
		}
		if m.Redirect == nil && (m.Participant.IsZero() || m.DocumentType.IsZero()) {
			t.Fatalf("accepted without identifiers: %+v", m)
		}
	})
}

// FuzzParseServiceMetadata fuzzes the readers of signed content directly
// (a fuzzer cannot produce valid signatures, so the path above rarely gets
// this far).
func FuzzParseServiceMetadata(f *testing.F) {
	ep := testEndpoint{from: testNow, to: testNow.Add(time.Hour)}
	f.Add([]byte(buildSMP1Metadata(testParticipant, peppol.BISBillingInvoice, ep)))
	f.Add([]byte(buildSMP2Metadata(testParticipant, peppol.BISBillingInvoice, ep)))
	f.Add([]byte(buildSMP1Redirect("https://other.elma.test/x", "PNO000002")))
	addRealSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, parse := range []func([]byte) (*parsedMetadata, error){parseSMP1Metadata, parseSMP2Metadata} {
			m, err := parse(data)
			if err != nil {
				continue
			}
			if m.redirect == nil {
				if err := m.documentType.Validate(); err != nil {
					t.Fatalf("accepted an invalid document type: %v", err)
				}
			}
			for _, p := range m.processes {
				for _, e := range p.Endpoints {
					if _, err := checkURL(e.URL); err != nil {
						t.Fatalf("accepted endpoint URL %q", e.URL)
					}
				}
			}
		}
	})
}

func FuzzParseServiceGroup(f *testing.F) {
	f.Add([]byte(buildSMP1Group("https://smp.elma.test", testParticipant, peppol.BISBillingInvoice, peppol.BISBillingCreditNote)))
	f.Add([]byte(`<ServiceGroup xmlns="http://docs.oasis-open.org/bdxr/ns/SMP/2/ServiceGroup" xmlns:cbc="http://docs.oasis-open.org/bdxr/ns/SMP/2/BasicComponents" xmlns:cac="http://docs.oasis-open.org/bdxr/ns/SMP/2/AggregateComponents"><cbc:ParticipantID schemeID="iso6523-actorid-upis">0192:974760673</cbc:ParticipantID><cac:ServiceReference><cbc:ID schemeID="busdox-docid-qns">` + peppol.BISBillingInvoiceValue + `</cbc:ID></cac:ServiceReference></ServiceGroup>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ParseServiceGroup(data)
		if err != nil {
			return
		}
		for _, d := range g.DocumentTypes {
			if err := d.Validate(); err != nil {
				t.Fatalf("accepted an invalid document type: %v", err)
			}
		}
	})
}

func FuzzApplyNAPTRRegexp(f *testing.F) {
	f.Add("!^.*$!https://smp.example.com!", "abc.zone")
	f.Add(`!^([a-z]+)\..*$!https://\1.example!i`, "abc.zone")
	f.Fuzz(func(t *testing.T, expr, aus string) {
		_, _ = applyNAPTRRegexp(expr, aus)
	})
}
