package elma

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	"github.com/ehf-project/ehf/peppol"
)

// What went wrong in a lookup. Every error the Client returns wraps exactly
// one of these, so that callers can tell an SMP outage from an unknown
// receiver with errors.Is.
var (
	// ErrDNS: the DNS lookup in the SML failed or timed out. Whether the
	// participant is registered is unknown.
	ErrDNS = errors.New("DNS lookup in the SML failed or timed out")
	// ErrNotRegistered: the SML has no entry for the participant.
	ErrNotRegistered = errors.New("participant is not registered in the SML")
	// ErrBadSMLRecord: the SML has an entry, but it does not lead to a
	// usable SMP address (malformed NAPTR rewrite, plain HTTP where HTTPS
	// is required, ...).
	ErrBadSMLRecord = errors.New("SML entry does not give a usable SMP address")
	// ErrSMPUnavailable: the SMP could not be reached, timed out or
	// answered with a server error (5xx). Whether the participant can
	// receive is unknown.
	ErrSMPUnavailable = errors.New("SMP unreachable or answered with a server error")
	// ErrSMPResponse: the SMP answered, but not with SMP metadata (an
	// unexpected status, malformed or hostile XML, missing fields).
	ErrSMPResponse = errors.New("SMP answered with something that is not valid SMP metadata")
	// ErrUnknownAtSMP: the SML points to an SMP that does not know the
	// participant (its service group answers 404).
	ErrUnknownAtSMP = errors.New("the SMP does not know the participant")
	// ErrNoSuchDocumentType: the participant does not accept the document
	// type.
	ErrNoSuchDocumentType = errors.New("participant does not accept this document type")
	// ErrNoEndpoint: the participant accepts the document type, but not in
	// the requested process, over the requested transport, or not now.
	ErrNoEndpoint = errors.New("no active endpoint for this process and transport profile")
	// ErrIdentifierMismatch: the signed answer is about a different
	// participant or document type than the one asked for.
	ErrIdentifierMismatch = errors.New("SMP answered for a different participant or document type")
	// ErrSignature: the signature of the SMP answer is missing or invalid.
	// The *SignatureError says why; its reason is one of the
	// ErrSignature... / ErrCertificate... errors below, which errors.Is
	// also matches.
	ErrSignature = errors.New("SMP signature invalid")
)

// Reasons for ErrSignature.
var (
	// ErrSignatureMissing: the answer carries no XML signature.
	ErrSignatureMissing = errors.New("the answer is not signed")
	// ErrSignatureStructure: the signature does not cover exactly the whole
	// answer: more than one Signature, a Reference to something other than
	// the document, unexpected transforms (wrapping attacks).
	ErrSignatureStructure = errors.New("the signature does not cover exactly the whole answer")
	// ErrDigestMismatch: the signed content was changed after signing.
	ErrDigestMismatch = errors.New("the signed content was changed (digest mismatch)")
	// ErrSignatureValue: the signature value does not match the signed
	// info (tampered SignedInfo or a key that did not make the signature).
	ErrSignatureValue = errors.New("the signature value does not verify with the signing certificate")
	// ErrWeakAlgorithm: a signature, digest or canonicalization algorithm
	// that is not allowed (SHA-1 unless the caller allows it).
	ErrWeakAlgorithm = errors.New("the signature uses an algorithm that is not allowed")
	// ErrUntrustedCertificate: the signing certificate does not chain to a
	// trusted Peppol SMP CA.
	ErrUntrustedCertificate = errors.New("the signing certificate is not issued by a trusted Peppol SMP CA")
	// ErrCertificateExpired: the signing certificate is not valid at the
	// verification time (expired or not yet valid).
	ErrCertificateExpired = errors.New("the signing certificate is expired or not yet valid")
	// ErrCertificateRevoked: the signing certificate is on a revocation
	// list given to the Client.
	ErrCertificateRevoked = errors.New("the signing certificate is revoked")
)

// SignatureError says why the signature of an SMP answer was not accepted.
// errors.Is matches both ErrSignature and its Reason.
type SignatureError struct {
	// Reason is one of the signature reason errors above.
	Reason error
	// Detail adds what was found, for people.
	Detail string
	// Certificate is the signing certificate when it could be read.
	Certificate *x509.Certificate
}

// Error implements error.
func (e *SignatureError) Error() string {
	s := ErrSignature.Error() + ": " + e.Reason.Error()
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Is makes errors.Is(err, ErrSignature) true.
func (e *SignatureError) Is(target error) bool { return target == ErrSignature }

// Unwrap returns the reason.
func (e *SignatureError) Unwrap() error { return e.Reason }

func sigErr(reason error, cert *x509.Certificate, format string, args ...any) *SignatureError {
	return &SignatureError{Reason: reason, Detail: fmt.Sprintf(format, args...), Certificate: cert}
}

// LookupError is the error of a Client call: what was being looked up and
// where, and what went wrong (Err wraps one of the sentinel errors).
type LookupError struct {
	// Op is the step that failed: "sml", "service group", "service
	// metadata" or "endpoint".
	Op           string
	Participant  peppol.ParticipantID
	DocumentType peppol.DocumentTypeID
	// Where is the DNS name or URL that was asked.
	Where string
	Err   error
}

// Error implements error.
func (e *LookupError) Error() string {
	var b strings.Builder
	b.WriteString("elma: ")
	b.WriteString(e.Op)
	if !e.Participant.IsZero() {
		b.WriteString(" for ")
		b.WriteString(e.Participant.String())
	}
	if !e.DocumentType.IsZero() {
		b.WriteString(", document type ")
		b.WriteString(e.DocumentType.Value)
	}
	if e.Where != "" {
		b.WriteString(" (")
		b.WriteString(e.Where)
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error.
func (e *LookupError) Unwrap() error { return e.Err }

// wrap joins a sentinel with a cause so that errors.Is finds both.
func wrap(sentinel error, cause error) error {
	if cause == nil {
		return sentinel
	}
	return fmt.Errorf("%w: %w", sentinel, cause)
}

// wrapf joins a sentinel with a formatted detail.
func wrapf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}
