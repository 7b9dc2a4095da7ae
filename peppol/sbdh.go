package peppol

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// The Peppol Business Message Envelope is a UN/CEFACT Standard Business
// Document Header (SBDH 1.3) profiled by OpenPeppol. These are the fixed
// values of that profile.
const (
	// NSSBDH is the namespace of the Standard Business Document Header.
	NSSBDH = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
	// SBDHHeaderVersion is the only HeaderVersion Peppol uses.
	SBDHHeaderVersion = "1.0"
	// ScopeDocumentID, ScopeProcessID and ScopeCountryC1 are the
	// BusinessScope types Peppol requires: the document type identifier,
	// the process identifier and the country of the sending end user (C1).
	ScopeDocumentID = "DOCUMENTID"
	ScopeProcessID  = "PROCESSID"
	ScopeCountryC1  = "COUNTRY_C1"
)

// sbdhPrefix is the prefix the envelope's own elements are written with.
// A prefix rather than a default namespace declaration: the payload is
// embedded as it was written, and an element in no namespace inside it
// must not suddenly land in the SBDH namespace.
const sbdhPrefix = "sh"

// Header is what the envelope says about its payload: who sends it to
// whom, what it is and which message it is.
type Header struct {
	// Sender and Receiver are the Peppol participants C1 and C4.
	Sender   ParticipantID
	Receiver ParticipantID
	// DocumentType and Process route the message; the receiver must be
	// registered for both.
	DocumentType DocumentTypeID
	Process      ProcessID
	// CountryC1 is the ISO 3166-1 alpha-2 code of the sender's country.
	CountryC1 string
	// InstanceID identifies this message; access points and ehf's outbox
	// use it as the idempotency key. NewEnvelope makes one when empty.
	InstanceID string
	// Created is the envelope's CreationDateAndTime; NewEnvelope uses the
	// current time when it is zero.
	Created time.Time
}

// Scope is a BusinessScope entry other than the three Peppol requires
// (such as MLS_TO or MLS_TYPE); ParseEnvelope keeps them so that an
// envelope written back says what it said.
type Scope struct {
	Type               string
	InstanceIdentifier string
	Identifier         string // empty when absent
}

// Envelope is a Peppol Business Message Envelope: an SBDH and the UBL
// document it carries.
type Envelope struct {
	Header
	// Standard, TypeVersion and Type are the DocumentIdentification of the
	// payload: its root element's namespace, the syntax version ("2.1")
	// and the root element's local name.
	Standard    string
	TypeVersion string
	Type        string
	// Scopes are the extra BusinessScope entries, in order.
	Scopes []Scope
	// Payload is the payload's root element exactly as written, from its
	// '<' to the '>' that closes it: Marshal embeds these bytes unchanged
	// and ParseEnvelope gives the same bytes back.
	Payload []byte
}

// ErrEnvelope is wrapped by every error about an envelope's content.
var ErrEnvelope = errors.New("invalid Peppol envelope")

// EnvelopeError says what is wrong with an envelope or its payload, and
// where when it was read from a file.
type EnvelopeError struct {
	File      string // as given to ParseEnvelope; "" otherwise
	Line, Col int    // 0 when the problem has no place in the input
	Msg       string // English
	MsgNB     string // Norwegian bokmål
}

// Error implements error in the file:line:col: message form.
func (e *EnvelopeError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:%d:", e.Line, e.Col)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap lets errors.Is(err, ErrEnvelope) hold.
func (e *EnvelopeError) Unwrap() error { return ErrEnvelope }

func envErr(en, nb string) *EnvelopeError { return &EnvelopeError{Msg: en, MsgNB: nb} }

// NewEnvelope wraps a UBL document. payload is a whole XML document in
// UTF-8 (a byte order mark, the XML declaration and anything outside the
// root element are left out, since an envelope can only hold the element);
// the root element's bytes are kept exactly. Standard, Type and
// TypeVersion come from h.DocumentType, which must name the payload's root
// element. An empty h.InstanceID gets a random UUID, a zero h.Created the
// current time.
func NewEnvelope(payload []byte, h Header) (*Envelope, error) {
	elem, root, err := rootElement(payload)
	if err != nil {
		return nil, err
	}
	e := &Envelope{Header: h, Payload: elem}
	if root == (xmltree.Name{Space: NSSBDH, Local: "StandardBusinessDocument"}) {
		return nil, envErr("the document is already in an SBDH envelope; read it with ParseEnvelope instead of wrapping it again",
			"dokumentet ligger allerede i en SBDH-konvolutt; les det med ParseEnvelope i stedet for å pakke det inn på nytt")
	}
	if parts, ok := h.DocumentType.Parts(); ok {
		e.Standard, e.Type, e.TypeVersion = parts.RootNamespace, parts.LocalName, parts.Version
		if parts.RootNamespace != root.Space || parts.LocalName != root.Local {
			return nil, envErr(
				fmt.Sprintf("the document type %s is for {%s}%s, but the document is {%s}%s", h.DocumentType, parts.RootNamespace, parts.LocalName, root.Space, root.Local),
				fmt.Sprintf("dokumenttypen %s gjelder {%s}%s, men dokumentet er {%s}%s", h.DocumentType, parts.RootNamespace, parts.LocalName, root.Space, root.Local))
		}
	} else {
		e.Standard, e.Type, e.TypeVersion = root.Space, root.Local, UBLVersion
	}
	if e.InstanceID == "" {
		e.InstanceID = NewInstanceID()
	}
	if e.Created.IsZero() {
		e.Created = time.Now().UTC()
	}
	// Milliseconds are plenty for a creation time and keep the written
	// form short; truncating here makes a parsed envelope equal this one.
	e.Created = e.Created.Truncate(time.Millisecond)
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return e, nil
}

// Validate checks what Marshal would write: identifiers that parse, a
// country code, an instance identifier, a creation time, and a payload.
func (e *Envelope) Validate() error {
	check := func(what string, err error) error {
		if err == nil {
			return nil
		}
		var ie *IDError
		if errors.As(err, &ie) {
			return envErr(what+": "+ie.Reason, what+": "+ie.ReasonNB)
		}
		return envErr(what+": "+err.Error(), what+": "+err.Error())
	}
	if e.Sender.IsZero() || e.Receiver.IsZero() {
		return envErr("the envelope needs both a sender and a receiver participant identifier",
			"konvolutten trenger både avsenderens og mottakerens deltakeridentifikator")
	}
	if _, err := ParseParticipantID(e.Sender.String()); err != nil {
		return check("sender", err)
	}
	if _, err := ParseParticipantID(e.Receiver.String()); err != nil {
		return check("receiver", err)
	}
	if err := check("document type", e.DocumentType.Validate()); err != nil {
		return err
	}
	if err := check("process", e.Process.Validate()); err != nil {
		return err
	}
	if !isCountryCode(e.CountryC1) {
		return envErr(fmt.Sprintf("COUNTRY_C1 must be a two-letter ISO 3166 country code such as NO, not %q", e.CountryC1),
			fmt.Sprintf("COUNTRY_C1 må være en landkode på to bokstaver etter ISO 3166, for eksempel NO, ikke %q", e.CountryC1))
	}
	if !validToken(e.InstanceID, 200) {
		return envErr("the instance identifier must be 1 to 200 visible characters without spaces",
			"instansidentifikatoren må være 1 til 200 synlige tegn uten mellomrom")
	}
	if e.Created.IsZero() {
		return envErr("the envelope has no creation time", "konvolutten mangler opprettelsestidspunkt")
	}
	for _, s := range []string{e.Standard, e.TypeVersion, e.Type} {
		if !validToken(s, MaxDocumentTypeLength) {
			return envErr("the document identification (Standard, TypeVersion, Type) is incomplete",
				"dokumentidentifikasjonen (Standard, TypeVersion, Type) er ufullstendig")
		}
	}
	for _, s := range e.Scopes {
		if s.Type == "" || s.InstanceIdentifier == "" || !noControl(s.Type+s.InstanceIdentifier+s.Identifier) {
			return envErr("every business scope needs a type and an instance identifier",
				"hvert forretningsomfang (Scope) trenger type og instansidentifikator")
		}
	}
	if len(bytes.TrimSpace(e.Payload)) == 0 || e.Payload[0] != '<' || e.Payload[len(e.Payload)-1] != '>' {
		return envErr("the envelope has no payload element", "konvolutten har ikke noe dokument")
	}
	return nil
}

// Marshal writes the envelope as an XML document in UTF-8, with the
// payload's bytes embedded unchanged.
func (e *Envelope) Marshal() ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	sbd := doc.CreateElement(sbdhPrefix + ":StandardBusinessDocument")
	sbd.CreateAttr("xmlns:"+sbdhPrefix, NSSBDH)
	h := sbd.CreateElement(sbdhPrefix + ":StandardBusinessDocumentHeader")
	text := func(parent *etree.Element, local, value string) *etree.Element {
		el := parent.CreateElement(sbdhPrefix + ":" + local)
		el.SetText(value)
		return el
	}
	text(h, "HeaderVersion", SBDHHeaderVersion)
	for _, p := range []struct {
		local string
		id    ParticipantID
	}{{"Sender", e.Sender}, {"Receiver", e.Receiver}} {
		id := text(h.CreateElement(sbdhPrefix+":"+p.local), "Identifier", p.id.Value)
		id.CreateAttr("Authority", p.id.Scheme)
	}
	di := h.CreateElement(sbdhPrefix + ":DocumentIdentification")
	text(di, "Standard", e.Standard)
	text(di, "TypeVersion", e.TypeVersion)
	text(di, "InstanceIdentifier", e.InstanceID)
	text(di, "Type", e.Type)
	text(di, "CreationDateAndTime", e.Created.Format(time.RFC3339Nano))
	bs := h.CreateElement(sbdhPrefix + ":BusinessScope")
	scopes := append([]Scope{
		{ScopeDocumentID, e.DocumentType.Value, e.DocumentType.Scheme},
		{ScopeProcessID, e.Process.Value, e.Process.Scheme},
		{ScopeCountryC1, e.CountryC1, ""},
	}, e.Scopes...)
	for _, s := range scopes {
		sc := bs.CreateElement(sbdhPrefix + ":Scope")
		text(sc, "Type", s.Type)
		text(sc, "InstanceIdentifier", s.InstanceIdentifier)
		if s.Identifier != "" {
			text(sc, "Identifier", s.Identifier)
		}
	}
	doc.Indent(2)
	head, err := doc.WriteToBytes()
	if err != nil {
		return nil, err
	}
	// etree cannot hold bytes it did not parse, so the payload goes in
	// as bytes: before the closing tag of the envelope it just wrote.
	closing := []byte("</" + sbdhPrefix + ":StandardBusinessDocument>")
	i := bytes.LastIndex(head, closing)
	if i < 0 {
		return nil, errors.New("peppol: envelope writer lost its closing tag")
	}
	out := make([]byte, 0, len(head)+len(e.Payload)+1)
	out = append(out, head[:i]...)
	out = append(out, e.Payload...)
	out = append(out, '\n')
	out = append(out, head[i:]...)
	return out, nil
}

// NewInstanceID returns a random (version 4) UUID for an envelope.
func NewInstanceID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return formatUUID(b, 4)
}

// ContentInstanceID returns a UUID derived from the envelope's routing and
// payload: the same document sent to the same receiver gets the same
// instance identifier, so sending it again is recognised as a repeat by
// an outbox or an access point instead of reaching the receiver twice.
func ContentInstanceID(h Header, payload []byte) string {
	s := sha256.New()
	for _, part := range []string{h.Sender.Canonical().String(), h.Receiver.Canonical().String(), h.DocumentType.Canonical().String(), h.Process.Canonical().String()} {
		s.Write([]byte(part))
		s.Write([]byte{0})
	}
	s.Write(payload)
	var b [16]byte
	copy(b[:], s.Sum(nil))
	return formatUUID(b, 8)
}

// formatUUID sets the version and RFC 9562 variant bits and prints b.
func formatUUID(b [16]byte, version byte) string {
	b[6] = b[6]&0x0f | version<<4
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// validToken reports whether s is 1 to max characters with no white space
// or control characters at its ends or inside.
func validToken(s string, max int) bool {
	if s == "" || len(s) > max || !noControl(s) {
		return false
	}
	return !strings.ContainsAny(s, " \t\r\n")
}
