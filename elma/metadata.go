package elma

import (
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

// Transport profiles of Peppol endpoints.
const (
	// TransportAS4 is the Peppol AS4 profile, the one Peppol uses today.
	TransportAS4 = "peppol-transport-as4-v2_0"
	// TransportAS2 is the retired Peppol AS2 profile; old SMP answers
	// still list it.
	TransportAS2 = "busdox-transport-as2-ver1p0"
)

// Formats of SMP answers.
const (
	FormatPeppolSMP1 = "peppol-smp-1"     // Peppol SMP 1.x (busdox namespaces)
	FormatOASISSMP2  = "oasis-bdxr-smp-2" // OASIS BDXR SMP 2.0
)

// ServiceMetadata is a verified SMP answer: how a participant receives one
// document type.
type ServiceMetadata struct {
	Participant  peppol.ParticipantID
	DocumentType peppol.DocumentTypeID
	Processes    []Process
	// URL is where the answer was fetched (after any SMP redirect).
	URL string
	// RedirectedFrom is the URL of the first SMP when it redirected to
	// another one, else "".
	RedirectedFrom string
	// Format is FormatPeppolSMP1 or FormatOASISSMP2.
	Format string
	// Signature describes the verified signature.
	Signature *SignatureInfo
	// Redirect is set when the verified answer only says that another SMP
	// holds the metadata. The Client follows it; VerifyServiceMetadata
	// returns it.
	Redirect *Redirect
}

// Redirect is a signed pointer to another SMP.
type Redirect struct {
	// URL is the service metadata URL at the other SMP.
	URL string
	// CertificateUID (SMP 1) identifies the certificate the other SMP signs
	// with: its subject, common name or serial number.
	CertificateUID string
	// Certificate (SMP 2) is the certificate the other SMP signs with.
	Certificate *x509.Certificate
}

// Process lists the endpoints for one process. A zero ID (from an SMP 2.0
// answer without process) matches every process.
type Process struct {
	ID        peppol.ProcessID
	Endpoints []Endpoint
}

// Endpoint is one access point address of a participant.
type Endpoint struct {
	TransportProfile string
	URL              string
	// Certificate is the access point's certificate; encrypt to it and
	// check the receipt's signature with it.
	Certificate *x509.Certificate
	// ActivationDate and ExpirationDate bound when the endpoint may be
	// used; zero when the SMP does not say.
	ActivationDate time.Time
	ExpirationDate time.Time

	RequireBusinessLevelSignature bool
	Description                   string
	TechnicalContact              string
	TechnicalInformation          string
}

// ActiveAt reports whether the endpoint may be used at t.
func (e *Endpoint) ActiveAt(t time.Time) bool {
	if !e.ActivationDate.IsZero() && t.Before(e.ActivationDate) {
		return false
	}
	if !e.ExpirationDate.IsZero() && t.After(e.ExpirationDate) {
		return false
	}
	return true
}

// Endpoint returns the endpoint for the process and transport profile that
// is active at time at. The error wraps ErrNoEndpoint and says what the
// answer offers instead.
func (m *ServiceMetadata) Endpoint(proc peppol.ProcessID, transport string, at time.Time) (*Endpoint, error) {
	var offered []string
	var inactive *Endpoint
	for i := range m.Processes {
		p := &m.Processes[i]
		if !p.ID.IsZero() && !p.ID.Equal(proc) {
			offered = append(offered, p.ID.Value)
			continue
		}
		for j := range p.Endpoints {
			e := &p.Endpoints[j]
			if e.TransportProfile != transport {
				offered = append(offered, e.TransportProfile)
				continue
			}
			if !e.ActiveAt(at) {
				inactive = e
				continue
			}
			return e, nil
		}
	}
	if inactive != nil {
		return nil, wrapf(ErrNoEndpoint, "the %s endpoint %s is only valid from %s to %s", transport, inactive.URL,
			formatDate(inactive.ActivationDate), formatDate(inactive.ExpirationDate))
	}
	if len(offered) == 0 {
		return nil, wrapf(ErrNoEndpoint, "the answer lists no endpoints")
	}
	return nil, wrapf(ErrNoEndpoint, "want process %s over %s, the SMP offers %s", proc.Value, transport, strings.Join(dedupe(offered), ", "))
}

// ServiceGroup is the list of document types a participant accepts, as its
// SMP publishes it. Peppol SMPs do not sign this list; the metadata of each
// document type is signed.
type ServiceGroup struct {
	Participant   peppol.ParticipantID
	DocumentTypes []peppol.DocumentTypeID
	// URL is where the list was fetched.
	URL string
	// Format is FormatPeppolSMP1 or FormatOASISSMP2.
	Format string
}

// Accepts reports whether the list contains the document type.
func (g *ServiceGroup) Accepts(d peppol.DocumentTypeID) bool {
	for _, x := range g.DocumentTypes {
		if x.Equal(d) {
			return true
		}
	}
	return false
}

// parsedMetadata is a service metadata answer read from signed XML, before
// it is checked against the question.
type parsedMetadata struct {
	participant  peppol.ParticipantID
	documentType peppol.DocumentTypeID
	processes    []Process
	redirect     *Redirect
	format       string
}

// parseDate reads an xs:dateTime or xs:date; a value without time zone is
// taken as UTC.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02")
}

// parseCertificate reads a base64 DER certificate as SMPs publish it,
// tolerating line breaks and PEM armour.
func parseCertificate(s string) (*x509.Certificate, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "-----BEGIN CERTIFICATE-----")
	s = strings.TrimSuffix(s, "-----END CERTIFICATE-----")
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		return nil, fmt.Errorf("certificate is not base64: %w", err)
	}
	return x509.ParseCertificate(der)
}

// checkURL accepts absolute http and https URLs without user information.
func checkURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return "", fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return s, nil
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	out := list[:0:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
