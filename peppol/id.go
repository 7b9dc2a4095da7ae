// Package peppol holds the Peppol network's vocabulary: participant,
// document type and process identifiers with the rules of the Peppol Policy
// for use of Identifiers (syntax, case, check digits per ICD), and the
// constants for EHF / Peppol BIS Billing 3.0.
package peppol

import (
	"errors"
	"fmt"
	"strings"
)

// Identifier schemes used in the Peppol network.
const (
	// ParticipantScheme is the only participant identifier scheme Peppol
	// allows: an ISO 6523 ICD, a colon and the identifier within that ICD.
	ParticipantScheme = "iso6523-actorid-upis"
	// DocumentTypeScheme is the scheme of document type identifiers that
	// name a root element, a customization and a syntax version.
	DocumentTypeScheme = "busdox-docid-qns"
	// WildcardDocumentTypeScheme is the scheme Peppol added for document
	// type identifiers that match every customization starting with the
	// given one.
	WildcardDocumentTypeScheme = "peppol-doctype-wildcard"
	// ProcessScheme is the scheme of Peppol process identifiers.
	ProcessScheme = "cenbii-procid-ubl"
	// NoProcessScheme and NoProcessValue name "no process"; SMPs use them
	// for document types that are exchanged outside a business process.
	NoProcessScheme = "busdox-procid-transport"
	NoProcessValue  = "busdox:noprocess"
)

// Length limits from the Peppol Policy for use of Identifiers.
const (
	MaxSchemeLength           = 25
	MaxParticipantValueLength = 135 // 4-digit ICD, ':' and up to 130 characters
	MaxDocumentTypeLength     = 500
	MaxProcessLength          = 200
)

// schemeSeparator separates an identifier's scheme from its value in the
// string form "scheme::value".
const schemeSeparator = "::"

// Sentinel errors; every identifier error wraps exactly one of them so that
// callers can tell them apart with errors.Is.
var (
	// ErrSyntax: the text is not an identifier at all (empty, bad
	// characters, too long, missing ICD prefix, ...).
	ErrSyntax = errors.New("malformed identifier")
	// ErrScheme: the identifier scheme is not one Peppol uses for this kind
	// of identifier.
	ErrScheme = errors.New("unsupported identifier scheme")
	// ErrUnknownICD: the ICD / EAS code is not in the Peppol code list this
	// package knows. The identifier may still be routable if the list has
	// grown since.
	ErrUnknownICD = errors.New("unknown ICD")
	// ErrFormat: the value does not have the shape its ICD prescribes.
	ErrFormat = errors.New("wrong format for its ICD")
	// ErrCheckDigit: the value has the right shape but its check digits are
	// wrong.
	ErrCheckDigit = errors.New("check digit does not match")
)

// IDError reports why a text is not a valid identifier, in English and in
// Norwegian bokmål.
type IDError struct {
	// Input is the offending text (truncated when very long).
	Input string
	// Err is one of the sentinel errors of this package.
	Err error
	// Reason says what is wrong, in English.
	Reason string
	// ReasonNB says the same in Norwegian bokmål.
	ReasonNB string
}

// Error implements error.
func (e *IDError) Error() string {
	return fmt.Sprintf("peppol: %s %q: %s", e.Err, e.Input, e.Reason)
}

// Unwrap returns the sentinel error.
func (e *IDError) Unwrap() error { return e.Err }

func idErr(input string, sentinel error, en, nb string) *IDError {
	return &IDError{Input: truncate(input), Err: sentinel, Reason: en, ReasonNB: nb}
}

// splitScheme splits "scheme::value". ok is false when s has no scheme
// prefix. A scheme never contains a single colon, which tells a scheme apart
// from the start of a URN value such as "urn:oasis:...::Invoice".
func splitScheme(s string) (scheme, value string, ok bool) {
	i := strings.Index(s, schemeSeparator)
	if i < 0 {
		return "", s, false
	}
	if strings.ContainsRune(s[:i], ':') {
		return "", s, false
	}
	return s[:i], s[i+len(schemeSeparator):], true
}

// validScheme reports whether s is a syntactically valid identifier scheme:
// 1 to 25 characters of lower- or upper-case letters, digits, '-' and '_'.
func validScheme(s string) bool {
	if s == "" || len(s) > MaxSchemeLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// printableASCII reports whether s consists of visible US-ASCII characters
// only (no spaces, no control characters).
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// noControl reports whether s has no control characters. Document type and
// process identifiers may contain spaces in principle, never control bytes.
func noControl(s string) bool {
	for _, r := range s {
		if r < ' ' || r == 0x7f || r == '\uFFFD' {
			return false
		}
	}
	return true
}

// asciiLower lower-cases ASCII letters only. The Peppol policy defines case
// folding on US-ASCII; using strings.ToLower would also fold non-ASCII
// letters and could change the length of the string.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
