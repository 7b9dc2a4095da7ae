package peppol

import (
	"strings"
)

// ParticipantID identifies a sender or receiver in the Peppol network, for
// example iso6523-actorid-upis::0192:987654321 (a Norwegian organisation
// number). Value is "ICD:identifier".
//
// The Peppol policy treats both scheme and value case-insensitively; Equal
// and Canonical apply that rule, String keeps the case it was given.
type ParticipantID struct {
	Scheme string
	Value  string
}

// ParseParticipantID parses "iso6523-actorid-upis::0192:987654321" or the
// short form "0192:987654321" (the scheme is then ParticipantScheme).
// Surrounding white space is ignored. It checks the syntax only; call
// Validate for the ICD and check digit rules.
func ParseParticipantID(s string) (ParticipantID, error) {
	in := strings.TrimSpace(s)
	scheme, value, hasScheme := splitScheme(in)
	if !hasScheme {
		scheme = ParticipantScheme
	} else if !strings.EqualFold(scheme, ParticipantScheme) {
		if !validScheme(scheme) {
			return ParticipantID{}, idErr(s, ErrSyntax,
				"the scheme before \"::\" is not a valid identifier scheme",
				"skjemaet foran \"::\" er ikke et gyldig identifikatorskjema")
		}
		return ParticipantID{}, idErr(s, ErrScheme,
			"Peppol participant identifiers use the scheme "+ParticipantScheme,
			"Peppol-deltakeridentifikatorer bruker skjemaet "+ParticipantScheme)
	} else {
		scheme = ParticipantScheme
	}
	p := ParticipantID{Scheme: scheme, Value: value}
	if err := p.checkSyntax(s); err != nil {
		return ParticipantID{}, err
	}
	return p, nil
}

// MustParseParticipantID is ParseParticipantID for identifiers known to be
// valid, such as constants in tests; it panics on error.
func MustParseParticipantID(s string) ParticipantID {
	p, err := ParseParticipantID(s)
	if err != nil {
		panic(err)
	}
	return p
}

// ParticipantFromEndpoint builds the participant identifier of an invoice
// party from its cbc:EndpointID: schemeID is the EAS code, which for Peppol
// participants is the ISO 6523 ICD (schemeID="0192" for a Norwegian
// organisation number), and value the identifier within it.
func ParticipantFromEndpoint(schemeID, value string) (ParticipantID, error) {
	eas := strings.TrimSpace(schemeID)
	v := strings.TrimSpace(value)
	if !isICD(eas) {
		return ParticipantID{}, idErr(schemeID, ErrScheme,
			"the endpoint's schemeID must be a four-digit EAS code such as 0192",
			"schemeID for endepunktet må være en firesifret EAS-kode, for eksempel 0192")
	}
	p := ParticipantID{Scheme: ParticipantScheme, Value: eas + ":" + v}
	if err := p.checkSyntax(p.Value); err != nil {
		return ParticipantID{}, err
	}
	return p, nil
}

// String returns "scheme::value", or "" for the zero ParticipantID.
func (p ParticipantID) String() string {
	if p == (ParticipantID{}) {
		return ""
	}
	return p.Scheme + schemeSeparator + p.Value
}

// Canonical returns p with scheme and value in lower case, the form the
// Peppol policy prescribes for comparison, DNS hashing and SMP URLs.
func (p ParticipantID) Canonical() ParticipantID {
	return ParticipantID{Scheme: asciiLower(p.Scheme), Value: asciiLower(p.Value)}
}

// Equal reports whether p and o name the same participant, ignoring case.
func (p ParticipantID) Equal(o ParticipantID) bool {
	return strings.EqualFold(p.Scheme, o.Scheme) && strings.EqualFold(p.Value, o.Value)
}

// IsZero reports whether p is the zero ParticipantID.
func (p ParticipantID) IsZero() bool { return p == ParticipantID{} }

// ICD returns the four-digit ICD prefix of the value ("0192"), or "" when
// the value has none.
func (p ParticipantID) ICD() string {
	if i := strings.IndexByte(p.Value, ':'); i == 4 && isICD(p.Value[:4]) {
		return p.Value[:4]
	}
	return ""
}

// LocalID returns the part of the value after the ICD ("987654321").
func (p ParticipantID) LocalID() string {
	if p.ICD() == "" {
		return p.Value
	}
	return p.Value[5:]
}

// Validate checks p against the Peppol policy: syntax, a known ICD and,
// where the ICD has one, its format and check digits. The error is an
// *IDError wrapping ErrSyntax, ErrScheme, ErrUnknownICD, ErrFormat or
// ErrCheckDigit.
func (p ParticipantID) Validate() error {
	if !strings.EqualFold(p.Scheme, ParticipantScheme) {
		return idErr(p.String(), ErrScheme,
			"Peppol participant identifiers use the scheme "+ParticipantScheme,
			"Peppol-deltakeridentifikatorer bruker skjemaet "+ParticipantScheme)
	}
	if err := p.checkSyntax(p.String()); err != nil {
		return err
	}
	return checkICDValue(p.String(), p.ICD(), p.LocalID())
}

// MarshalText implements encoding.TextMarshaler with the String form.
func (p ParticipantID) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseParticipantID.
func (p *ParticipantID) UnmarshalText(b []byte) error {
	v, err := ParseParticipantID(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// checkSyntax applies the rules every participant value must follow,
// whatever its ICD: "NNNN:" followed by 1 to 130 visible ASCII characters.
func (p ParticipantID) checkSyntax(input string) error {
	v := p.Value
	switch {
	case v == "":
		return idErr(input, ErrSyntax, "the identifier is empty", "identifikatoren er tom")
	case len(v) > MaxParticipantValueLength:
		return idErr(input, ErrSyntax,
			"the identifier is longer than 135 characters",
			"identifikatoren er lengre enn 135 tegn")
	case !printableASCII(v):
		return idErr(input, ErrSyntax,
			"the identifier may only contain visible US-ASCII characters, no spaces",
			"identifikatoren kan bare inneholde synlige US-ASCII-tegn, uten mellomrom")
	case len(v) < 6 || v[4] != ':' || !isICD(v[:4]):
		return idErr(input, ErrSyntax,
			"the identifier must start with a four-digit ICD and a colon, as in 0192:987654321",
			"identifikatoren må begynne med en firesifret ICD og et kolon, som i 0192:987654321")
	}
	return nil
}

// isICD reports whether s is four ASCII digits.
func isICD(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
