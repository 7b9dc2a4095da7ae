package peppol

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseParticipantID(t *testing.T) {
	tests := []struct {
		in      string
		want    ParticipantID
		wantErr error
	}{
		{"iso6523-actorid-upis::0192:987654321", ParticipantID{ParticipantScheme, "0192:987654321"}, nil},
		{"0192:987654321", ParticipantID{ParticipantScheme, "0192:987654321"}, nil},
		{"  0192:987654321\n", ParticipantID{ParticipantScheme, "0192:987654321"}, nil},
		{"ISO6523-ACTORID-UPIS::0088:5026744000002", ParticipantID{ParticipantScheme, "0088:5026744000002"}, nil},
		{"iso6523-actorid-upis::9915:TeSt", ParticipantID{ParticipantScheme, "9915:TeSt"}, nil},
		{"0211:IT02985591201", ParticipantID{ParticipantScheme, "0211:IT02985591201"}, nil},
		{"0204:991-33333TEST-33", ParticipantID{ParticipantScheme, "0204:991-33333TEST-33"}, nil},
		{"", ParticipantID{}, ErrSyntax},
		{"   ", ParticipantID{}, ErrSyntax},
		{"iso6523-actorid-upis::", ParticipantID{}, ErrSyntax},
		{"987654321", ParticipantID{}, ErrSyntax},
		{"192:987654321", ParticipantID{}, ErrSyntax},
		{"01920:987654321", ParticipantID{}, ErrSyntax},
		{"0192:", ParticipantID{}, ErrSyntax},
		{"0192-987654321", ParticipantID{}, ErrSyntax},
		{"ABCD:987654321", ParticipantID{}, ErrSyntax},
		{"0192:9876 54321", ParticipantID{}, ErrSyntax},
		{"0192:98765432\x00", ParticipantID{}, ErrSyntax},
		{"0192:æøå", ParticipantID{}, ErrSyntax},
		{"0192:" + strings.Repeat("1", 131), ParticipantID{}, ErrSyntax},
		{"busdox-actorid-upis::0192:987654321", ParticipantID{}, ErrScheme},
		{"bad scheme::0192:987654321", ParticipantID{}, ErrSyntax},
		{"::0192:987654321", ParticipantID{}, ErrSyntax},
	}
	for _, tt := range tests {
		got, err := ParseParticipantID(tt.in)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("ParseParticipantID(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			var ie *IDError
			if !errors.As(err, &ie) || ie.Reason == "" || ie.ReasonNB == "" {
				t.Errorf("ParseParticipantID(%q): want an *IDError with reasons in both languages, got %#v", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseParticipantID(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParticipantMaxLength(t *testing.T) {
	v := "9915:" + strings.Repeat("a", MaxParticipantValueLength-5)
	if _, err := ParseParticipantID(v); err != nil {
		t.Errorf("value of exactly %d characters rejected: %v", MaxParticipantValueLength, err)
	}
	if _, err := ParseParticipantID(v + "a"); !errors.Is(err, ErrSyntax) {
		t.Errorf("value of %d characters: err = %v, want ErrSyntax", MaxParticipantValueLength+1, err)
	}
}

func TestParticipantStringCanonicalEqual(t *testing.T) {
	p := MustParseParticipantID("ISO6523-ACTORID-UPIS::0088:123ABC")
	if got, want := p.String(), "iso6523-actorid-upis::0088:123ABC"; got != want {
		t.Errorf("String() = %q, want %q (scheme normalised, value as given)", got, want)
	}
	if got, want := p.Canonical().String(), "iso6523-actorid-upis::0088:123abc"; got != want {
		t.Errorf("Canonical() = %q, want %q", got, want)
	}
	if !p.Equal(MustParseParticipantID("0088:123abc")) {
		t.Error("Equal must ignore case of the value")
	}
	if p.Equal(MustParseParticipantID("0088:123abd")) {
		t.Error("Equal matched different values")
	}
	if p.ICD() != "0088" || p.LocalID() != "123ABC" {
		t.Errorf("ICD/LocalID = %q/%q", p.ICD(), p.LocalID())
	}
	if (ParticipantID{}).String() != "" || !(ParticipantID{}).IsZero() {
		t.Error("zero ParticipantID must print as empty string")
	}
	// The round trip through text keeps the identifier.
	b, err := json.Marshal(struct{ P ParticipantID }{p})
	if err != nil {
		t.Fatal(err)
	}
	var back struct{ P ParticipantID }
	if err := json.Unmarshal(b, &back); err != nil || back.P != p {
		t.Errorf("JSON round trip: %s -> %v, %v", b, back.P, err)
	}
	if err := json.Unmarshal([]byte(`{"P":"nonsense"}`), &back); err == nil {
		t.Error("unmarshalling a bad identifier must fail")
	}
}

func TestParticipantFromEndpoint(t *testing.T) {
	tests := []struct {
		scheme, value string
		want          string
		wantErr       error
	}{
		{"0192", "974760673", "iso6523-actorid-upis::0192:974760673", nil},
		{" 0192 ", " 974760673\n", "iso6523-actorid-upis::0192:974760673", nil},
		{"0088", "5026744000002", "iso6523-actorid-upis::0088:5026744000002", nil},
		{"9908", "974760673", "iso6523-actorid-upis::9908:974760673", nil}, // syntax only: old code, Validate rejects it
		{"NO:ORGNR", "974760673", "", ErrScheme},
		{"EM", "post@example.com", "", ErrScheme},
		{"", "974760673", "", ErrScheme},
		{"0192", "", "", ErrSyntax},
		{"0192", "974 760 673", "", ErrSyntax},
	}
	for _, tt := range tests {
		got, err := ParticipantFromEndpoint(tt.scheme, tt.value)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("ParticipantFromEndpoint(%q, %q) error = %v, want %v", tt.scheme, tt.value, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("ParticipantFromEndpoint(%q, %q) = %v, %v; want %s", tt.scheme, tt.value, got, err, tt.want)
		}
	}
	p, _ := ParticipantFromEndpoint("9908", "974760673")
	if err := p.Validate(); !errors.Is(err, ErrUnknownICD) {
		t.Errorf("Validate of withdrawn code 9908: %v, want ErrUnknownICD", err)
	}
}

func TestParticipantValidateScheme(t *testing.T) {
	p := ParticipantID{Scheme: "other-scheme", Value: "0192:974760673"}
	if err := p.Validate(); !errors.Is(err, ErrScheme) {
		t.Errorf("Validate with foreign scheme = %v, want ErrScheme", err)
	}
	p = ParticipantID{Scheme: ParticipantScheme, Value: "0192 974760673"}
	if err := p.Validate(); !errors.Is(err, ErrSyntax) {
		t.Errorf("Validate of hand-built bad value = %v, want ErrSyntax", err)
	}
}
