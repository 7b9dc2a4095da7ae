package elma

import (
	"crypto/x509"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

// VerifyOptions control VerifyServiceMetadata.
type VerifyOptions struct {
	// Trust holds the accepted SMP CAs; nil means ProductionTrust().
	Trust *TrustStore
	// Time is when the signing certificate must be valid; zero means now.
	Time time.Time
	// AllowSHA1 accepts SHA-1 signatures and digests, which older SMPs
	// still produce.
	AllowSHA1 bool
	// Revoked lists revocation lists; a signing certificate on one of them
	// is rejected.
	Revoked []*x509.RevocationList
}

// VerifyServiceMetadata checks a signed service metadata answer (Peppol
// SMP 1 SignedServiceMetadata or OASIS SMP 2.0 ServiceMetadata) and reads
// it. When participant or docType are non-zero, the answer must be about
// them. Only signed content is read. An answer that redirects to another
// SMP is returned with Redirect set and no processes.
func VerifyServiceMetadata(data []byte, participant peppol.ParticipantID, docType peppol.DocumentTypeID, o VerifyOptions) (*ServiceMetadata, error) {
	if o.Trust == nil {
		o.Trust = ProductionTrust()
	}
	if o.Time.IsZero() {
		o.Time = time.Now()
	}
	return verifyMetadata(data, participant, docType, verifyOptions{trust: o.Trust, now: o.Time, allowSHA1: o.AllowSHA1, crls: o.Revoked})
}

func verifyMetadata(data []byte, participant peppol.ParticipantID, docType peppol.DocumentTypeID, o verifyOptions) (*ServiceMetadata, error) {
	verified, info, err := verifyEnveloped(data, o)
	if err != nil {
		return nil, err
	}
	signed, err := elementBytes(verified.Copy())
	if err != nil {
		return nil, wrap(ErrSMPResponse, err)
	}
	var pm *parsedMetadata
	switch ns := verified.NamespaceURI(); ns {
	case nsSMP1:
		pm, err = parseSMP1Metadata(signed)
	case nsSMP2Metadata:
		pm, err = parseSMP2Metadata(signed)
	default:
		err = fmt.Errorf("root element {%s}%s is not service metadata", ns, verified.Tag)
	}
	if err != nil {
		return nil, wrap(ErrSMPResponse, err)
	}
	m := &ServiceMetadata{
		Participant:  pm.participant,
		DocumentType: pm.documentType,
		Processes:    pm.processes,
		Format:       pm.format,
		Signature:    info,
		Redirect:     pm.redirect,
	}
	if m.Redirect != nil {
		return m, nil
	}
	if !participant.IsZero() && !m.Participant.Equal(participant) {
		return nil, wrapf(ErrIdentifierMismatch, "asked for participant %s, the signed answer is for %s", participant, m.Participant)
	}
	if !docType.IsZero() && !m.DocumentType.Equal(docType) {
		return nil, wrapf(ErrIdentifierMismatch, "asked for document type %s, the signed answer is for %s", docType.Value, m.DocumentType.Value)
	}
	return m, nil
}

// ParseServiceGroup reads a service group answer (Peppol SMP 1 or OASIS SMP
// 2.0). Service groups are not signed in Peppol; use the signed service
// metadata of a document type before sending.
func ParseServiceGroup(data []byte) (*ServiceGroup, error) {
	root, err := guardXML(data)
	if err != nil {
		return nil, wrap(ErrSMPResponse, err)
	}
	var g *ServiceGroup
	switch root.Space {
	case nsSMP1:
		g, err = parseSMP1Group(data)
	case nsSMP2Group:
		g, err = parseSMP2Group(data)
	default:
		err = fmt.Errorf("root element {%s}%s is not a service group", root.Space, root.Local)
	}
	if err != nil {
		return nil, wrap(ErrSMPResponse, err)
	}
	return g, nil
}

// redirectCertificateMatches reports whether the certificate that signed
// the redirect's target is the one the redirect names.
func redirectCertificateMatches(r *Redirect, cert *x509.Certificate) bool {
	if r.Certificate != nil {
		return r.Certificate.Equal(cert)
	}
	uid := strings.TrimSpace(r.CertificateUID)
	if uid == "" {
		return true // SMP 1 makes the element mandatory, but an empty one names nothing to compare
	}
	candidates := []string{cert.Subject.String(), cert.Subject.CommonName, cert.Subject.SerialNumber, cert.SerialNumber.String(), cert.SerialNumber.Text(16)}
	for _, c := range candidates {
		if c != "" && strings.EqualFold(c, uid) {
			return true
		}
	}
	if n, ok := new(big.Int).SetString(strings.TrimPrefix(strings.ToLower(uid), "0x"), 16); ok && n.Cmp(cert.SerialNumber) == 0 {
		return true
	}
	return false
}
