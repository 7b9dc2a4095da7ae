package peppol

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ehf-project/ehf/internal/xmltree"
)

var (
	nameSBD       = xmltree.Name{Space: NSSBDH, Local: "StandardBusinessDocument"}
	nameSBDHeader = xmltree.Name{Space: NSSBDH, Local: "StandardBusinessDocumentHeader"}
)

// ParseEnvelope reads a Peppol Business Message Envelope. name labels the
// input in errors (a file name, or ""). The envelope must be UTF-8 (or
// US-ASCII). The returned Payload is a slice of data, the payload element's
// exact bytes: data must not be changed afterwards.
//
// Errors are *EnvelopeError with line and column.
func ParseEnvelope(data []byte, name string) (*Envelope, error) {
	src, d, err := readXML(data, name)
	if err != nil {
		return nil, err
	}
	r := envelopeReader{d: d, file: name}
	root := d.Root()
	if d.Name(root) != nameSBD {
		return nil, r.at(root, fmt.Sprintf("the root element is {%s}%s, not an SBDH StandardBusinessDocument", d.Name(root).Space, d.Local(root)),
			fmt.Sprintf("rotelementet er {%s}%s, ikke et SBDH StandardBusinessDocument", d.Name(root).Space, d.Local(root)))
	}
	var header, payload xmltree.NodeID = xmltree.None, xmltree.None
	for c := range d.Children(root) {
		switch {
		case d.Kind(c) == xmltree.TextNode:
			return nil, r.at(c, "text is not allowed between the envelope's elements", "tekst er ikke tillatt mellom konvoluttens elementer")
		case header == xmltree.None && d.Name(c) == nameSBDHeader:
			header = c
		case header == xmltree.None:
			return nil, r.at(c, "the envelope must start with a StandardBusinessDocumentHeader", "konvolutten må begynne med et StandardBusinessDocumentHeader")
		case payload != xmltree.None:
			return nil, r.at(c, "the envelope holds more than one document", "konvolutten inneholder mer enn ett dokument")
		case d.Name(c).Space == NSSBDH:
			return nil, r.at(c, "the payload must not be in the SBDH namespace", "dokumentet kan ikke ligge i SBDH-navnerommet")
		default:
			payload = c
		}
	}
	if header == xmltree.None {
		return nil, r.at(root, "the envelope has no StandardBusinessDocumentHeader", "konvolutten mangler StandardBusinessDocumentHeader")
	}
	if payload == xmltree.None {
		return nil, r.at(root, "the envelope holds no document after its header", "konvolutten har ikke noe dokument etter hodet")
	}
	e := &Envelope{}
	if err := r.header(header, e); err != nil {
		return nil, err
	}
	start := d.Offset(payload)
	end, err := elementEnd(src, d, payload)
	if err != nil {
		return nil, r.at(payload, err.Error(), err.Error())
	}
	e.Payload = src[start:end:end]
	if pn := d.Name(payload); pn.Space != e.Standard || pn.Local != e.Type {
		return nil, r.at(payload,
			fmt.Sprintf("the header says the document is {%s}%s, but it is {%s}%s", e.Standard, e.Type, pn.Space, pn.Local),
			fmt.Sprintf("hodet sier at dokumentet er {%s}%s, men det er {%s}%s", e.Standard, e.Type, pn.Space, pn.Local))
	}
	// What was read must also be writable: an envelope that parses is
	// one that Marshal accepts.
	if err := e.Validate(); err != nil {
		var ee *EnvelopeError
		if errors.As(err, &ee) {
			return nil, r.at(header, ee.Msg, ee.MsgNB)
		}
		return nil, err
	}
	return e, nil
}

// readXML parses data with the hardened reader, first making sure that
// its offsets are offsets into data: the reader converts ISO-8859-1 input
// to UTF-8, and bytes copied out of the converted text would not be the
// bytes that were sent.
func readXML(data []byte, name string) ([]byte, *xmltree.Document, error) {
	src := bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if enc, ok := declaredEncoding(src); ok {
		switch strings.ToLower(enc) {
		case "utf-8", "utf8", "us-ascii", "ascii":
		default:
			return nil, nil, &EnvelopeError{File: name, Line: 1, Col: 1,
				Msg:   fmt.Sprintf("the document is encoded as %s; Peppol messages are UTF-8: save it as UTF-8", enc),
				MsgNB: fmt.Sprintf("dokumentet er kodet som %s; Peppol-meldinger er UTF-8: lagre det som UTF-8", enc)}
		}
	}
	d, err := xmltree.Parse(src, &xmltree.Options{File: name})
	if err != nil {
		var se *xmltree.SyntaxError
		if errors.As(err, &se) {
			return nil, nil, &EnvelopeError{File: se.File, Line: se.Line, Col: se.Col, Msg: se.Msg, MsgNB: se.Msg}
		}
		return nil, nil, err
	}
	if d.Root() == xmltree.None {
		return nil, nil, &EnvelopeError{File: name, Line: 1, Col: 1, Msg: "the document has no root element", MsgNB: "dokumentet har ikke noe rotelement"}
	}
	return src, d, nil
}

// rootElement returns the bytes of a document's root element and its
// name.
func rootElement(doc []byte) ([]byte, xmltree.Name, error) {
	src, d, err := readXML(doc, "")
	if err != nil {
		return nil, xmltree.Name{}, err
	}
	root := d.Root()
	end, err := elementEnd(src, d, root)
	if err != nil {
		return nil, xmltree.Name{}, err
	}
	return src[d.Offset(root):end:end], d.Name(root), nil
}

// declaredEncoding returns the encoding named in an XML declaration.
func declaredEncoding(b []byte) (string, bool) {
	if !bytes.HasPrefix(b, []byte("<?xml")) {
		return "", false
	}
	end := bytes.Index(b, []byte("?>"))
	if end < 0 {
		return "", false
	}
	decl := string(b[5:end])
	i := strings.Index(decl, "encoding")
	if i < 0 {
		return "", false
	}
	rest := strings.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if !strings.HasPrefix(rest, "=") {
		return "", false
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return "", false
	}
	j := strings.IndexByte(rest[1:], rest[0])
	if j < 0 {
		return "", false
	}
	return rest[1 : 1+j], true
}

// elementEnd finds the offset just past the tag that closes element n. The
// tree knows where every node starts but not where an element ends, so
// this starts at the last node inside n and reads forward over what can
// follow it (the rest of that node, comments, processing instructions,
// CDATA, text) counting end tags. The document is already known to be
// well formed, so the scan needs no more of XML than that.
func elementEnd(src []byte, d *xmltree.Document, n xmltree.NodeID) (int, error) {
	last := d.End(n) - 1
	need := 0 // end tags still to pass
	if last != n {
		for p := d.Parent(last); ; p = d.Parent(p) {
			need++
			if p == n {
				break
			}
		}
	}
	i := d.Offset(last)
	fail := errors.New("cannot find where the document's root element ends")
	if d.Kind(last) == xmltree.ElementNode {
		end, selfClosing, ok := skipStartTag(src, i)
		if !ok {
			return 0, fail
		}
		i = end
		if !selfClosing {
			need++
		}
	}
	for need > 0 {
		j := bytes.IndexByte(src[i:], '<')
		if j < 0 {
			return 0, fail
		}
		i += j
		var stop string
		switch rest := src[i:]; {
		case bytes.HasPrefix(rest, []byte("<!--")):
			stop = "-->"
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			stop = "]]>"
		case bytes.HasPrefix(rest, []byte("<?")):
			stop = "?>"
		case bytes.HasPrefix(rest, []byte("</")):
			stop = ">"
			need--
		default:
			return 0, fail
		}
		k := bytes.Index(src[i:], []byte(stop))
		if k < 0 {
			return 0, fail
		}
		i += k + len(stop)
	}
	return i, nil
}

// skipStartTag reads the start tag at src[i] ('<'), returning the offset
// past its '>' and whether it was an empty-element tag.
func skipStartTag(src []byte, i int) (end int, selfClosing, ok bool) {
	if i >= len(src) || src[i] != '<' {
		return 0, false, false
	}
	for j := i + 1; j < len(src); j++ {
		switch c := src[j]; c {
		case '"', '\'':
			k := bytes.IndexByte(src[j+1:], c)
			if k < 0 {
				return 0, false, false
			}
			j += k + 1
		case '>':
			return j + 1, src[j-1] == '/', true
		case '<':
			return 0, false, false
		}
	}
	return 0, false, false
}

// envelopeReader reads the header elements, reporting problems at their
// place in the file.
type envelopeReader struct {
	d    *xmltree.Document
	file string
}

func (r *envelopeReader) at(n xmltree.NodeID, en, nb string) *EnvelopeError {
	line, col := r.d.Pos(n)
	return &EnvelopeError{File: r.file, Line: line, Col: col, Msg: en, MsgNB: nb}
}

// children returns n's child elements, refusing text, elements outside
// the SBDH namespace and any name not in allowed.
func (r *envelopeReader) children(n xmltree.NodeID, allowed ...string) ([]xmltree.NodeID, error) {
	var out []xmltree.NodeID
	for c := range r.d.Children(n) {
		if r.d.Kind(c) == xmltree.TextNode {
			return nil, r.at(c, fmt.Sprintf("text is not allowed in %s", r.d.Local(n)), fmt.Sprintf("tekst er ikke tillatt i %s", r.d.Local(n)))
		}
		nm := r.d.Name(c)
		ok := nm.Space == NSSBDH
		if ok {
			ok = false
			for _, a := range allowed {
				ok = ok || nm.Local == a
			}
		}
		if !ok {
			return nil, r.at(c, fmt.Sprintf("%s is not allowed in %s; expected one of %s", nm.Local, r.d.Local(n), strings.Join(allowed, ", ")),
				fmt.Sprintf("%s er ikke tillatt i %s; forventet en av %s", nm.Local, r.d.Local(n), strings.Join(allowed, ", ")))
		}
		out = append(out, c)
	}
	return out, nil
}

// sequence checks that the children of n come in the order of names, each
// present once (or, for names in optional, at most once), and returns them
// by name.
func (r *envelopeReader) sequence(n xmltree.NodeID, names []string, optional map[string]bool, repeatable map[string]bool) (map[string][]xmltree.NodeID, error) {
	kids, err := r.children(n, names...)
	if err != nil {
		return nil, err
	}
	got := map[string][]xmltree.NodeID{}
	pos := 0
	for _, c := range kids {
		local := r.d.Local(c)
		for pos < len(names) && names[pos] != local {
			if !optional[names[pos]] && len(got[names[pos]]) == 0 {
				return nil, r.at(c, fmt.Sprintf("%s is missing before %s in %s", names[pos], local, r.d.Local(n)),
					fmt.Sprintf("%s mangler foran %s i %s", names[pos], local, r.d.Local(n)))
			}
			pos++
		}
		if pos == len(names) {
			return nil, r.at(c, fmt.Sprintf("%s is out of order in %s; the order is %s", local, r.d.Local(n), strings.Join(names, ", ")),
				fmt.Sprintf("%s står i feil rekkefølge i %s; rekkefølgen er %s", local, r.d.Local(n), strings.Join(names, ", ")))
		}
		if len(got[local]) > 0 && !repeatable[local] {
			return nil, r.at(c, fmt.Sprintf("%s appears more than once in %s", local, r.d.Local(n)),
				fmt.Sprintf("%s forekommer mer enn én gang i %s", local, r.d.Local(n)))
		}
		got[local] = append(got[local], c)
	}
	for _, nm := range names[pos:] {
		if !optional[nm] && len(got[nm]) == 0 {
			return nil, r.at(n, fmt.Sprintf("%s has no %s", r.d.Local(n), nm), fmt.Sprintf("%s mangler %s", r.d.Local(n), nm))
		}
	}
	return got, nil
}

// text returns the trimmed text of a simple element, which must have no
// child elements and must not be empty.
func (r *envelopeReader) text(n xmltree.NodeID) (string, error) {
	for c := range r.d.Children(n) {
		if r.d.Kind(c) == xmltree.ElementNode {
			return "", r.at(c, fmt.Sprintf("%s must hold text, not elements", r.d.Local(n)), fmt.Sprintf("%s skal inneholde tekst, ikke elementer", r.d.Local(n)))
		}
	}
	s := strings.TrimSpace(r.d.Text(n))
	if s == "" {
		return "", r.at(n, fmt.Sprintf("%s is empty", r.d.Local(n)), fmt.Sprintf("%s er tomt", r.d.Local(n)))
	}
	return s, nil
}

func (r *envelopeReader) header(h xmltree.NodeID, e *Envelope) error {
	kids, err := r.sequence(h,
		[]string{"HeaderVersion", "Sender", "Receiver", "DocumentIdentification", "Manifest", "BusinessScope"},
		map[string]bool{"Manifest": true}, nil)
	if err != nil {
		return err
	}
	hv := kids["HeaderVersion"][0]
	if v, err := r.text(hv); err != nil {
		return err
	} else if v != SBDHHeaderVersion {
		return r.at(hv, fmt.Sprintf("HeaderVersion is %q; Peppol envelopes use %q", v, SBDHHeaderVersion),
			fmt.Sprintf("HeaderVersion er %q; Peppol-konvolutter bruker %q", v, SBDHHeaderVersion))
	}
	if e.Sender, err = r.partner(kids["Sender"][0]); err != nil {
		return err
	}
	if e.Receiver, err = r.partner(kids["Receiver"][0]); err != nil {
		return err
	}
	if err := r.identification(kids["DocumentIdentification"][0], e); err != nil {
		return err
	}
	return r.scopes(kids["BusinessScope"][0], e)
}

func (r *envelopeReader) partner(n xmltree.NodeID) (ParticipantID, error) {
	kids, err := r.sequence(n, []string{"Identifier", "ContactInformation"},
		map[string]bool{"ContactInformation": true}, map[string]bool{"ContactInformation": true})
	if err != nil {
		return ParticipantID{}, err
	}
	idn := kids["Identifier"][0]
	v, err := r.text(idn)
	if err != nil {
		return ParticipantID{}, err
	}
	auth, ok := r.d.Attr(idn, "", "Authority")
	if !ok || !strings.EqualFold(strings.TrimSpace(auth), ParticipantScheme) {
		return ParticipantID{}, r.at(idn, fmt.Sprintf("the %s identifier needs Authority=%q", r.d.Local(n), ParticipantScheme),
			fmt.Sprintf("identifikatoren i %s trenger Authority=%q", r.d.Local(n), ParticipantScheme))
	}
	p, err := ParseParticipantID(strings.TrimSpace(auth) + schemeSeparator + v)
	if err != nil {
		var ie *IDError
		if errors.As(err, &ie) {
			return ParticipantID{}, r.at(idn, r.d.Local(n)+": "+ie.Reason, r.d.Local(n)+": "+ie.ReasonNB)
		}
		return ParticipantID{}, r.at(idn, err.Error(), err.Error())
	}
	return p, nil
}

func (r *envelopeReader) identification(n xmltree.NodeID, e *Envelope) error {
	names := []string{"Standard", "TypeVersion", "InstanceIdentifier", "Type", "MultipleType", "CreationDateAndTime"}
	kids, err := r.sequence(n, names, map[string]bool{"MultipleType": true}, nil)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"Standard", &e.Standard}, {"TypeVersion", &e.TypeVersion}, {"InstanceIdentifier", &e.InstanceID}, {"Type", &e.Type}} {
		if *f.dst, err = r.text(kids[f.name][0]); err != nil {
			return err
		}
	}
	cn := kids["CreationDateAndTime"][0]
	s, err := r.text(cn)
	if err != nil {
		return err
	}
	if e.Created, err = time.Parse(time.RFC3339Nano, s); err != nil {
		return r.at(cn, fmt.Sprintf("CreationDateAndTime %q is not a date and time with a time zone, such as 2026-11-24T10:15:00Z", s),
			fmt.Sprintf("CreationDateAndTime %q er ikke et tidspunkt med tidssone, for eksempel 2026-11-24T10:15:00Z", s))
	}
	return nil
}

func (r *envelopeReader) scopes(n xmltree.NodeID, e *Envelope) error {
	scopes, err := r.children(n, "Scope")
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, sc := range scopes {
		kids, err := r.sequence(sc, []string{"Type", "InstanceIdentifier", "Identifier", "ScopeInformation"},
			map[string]bool{"Identifier": true, "ScopeInformation": true}, map[string]bool{"ScopeInformation": true})
		if err != nil {
			return err
		}
		var s Scope
		if s.Type, err = r.text(kids["Type"][0]); err != nil {
			return err
		}
		if s.InstanceIdentifier, err = r.text(kids["InstanceIdentifier"][0]); err != nil {
			return err
		}
		if ids := kids["Identifier"]; len(ids) > 0 {
			if s.Identifier, err = r.text(ids[0]); err != nil {
				return err
			}
		}
		switch s.Type {
		case ScopeDocumentID, ScopeProcessID, ScopeCountryC1:
			if seen[s.Type] {
				return r.at(sc, fmt.Sprintf("the %s scope appears more than once", s.Type), fmt.Sprintf("omfanget %s forekommer mer enn én gang", s.Type))
			}
			seen[s.Type] = true
		}
		switch s.Type {
		case ScopeDocumentID:
			scheme := s.Identifier
			if scheme == "" {
				scheme = DocumentTypeScheme
			}
			e.DocumentType = DocumentTypeID{Scheme: scheme, Value: s.InstanceIdentifier}
			if err := e.DocumentType.Validate(); err != nil {
				return r.idAt(sc, "DOCUMENTID", err)
			}
		case ScopeProcessID:
			scheme := s.Identifier
			if scheme == "" {
				scheme = ProcessScheme
			}
			e.Process = ProcessID{Scheme: scheme, Value: s.InstanceIdentifier}
			if err := e.Process.Validate(); err != nil {
				return r.idAt(sc, "PROCESSID", err)
			}
		case ScopeCountryC1:
			if !isCountryCode(s.InstanceIdentifier) {
				return r.at(sc, fmt.Sprintf("COUNTRY_C1 must be a two-letter ISO 3166 country code such as NO, not %q", s.InstanceIdentifier),
					fmt.Sprintf("COUNTRY_C1 må være en landkode på to bokstaver etter ISO 3166, for eksempel NO, ikke %q", s.InstanceIdentifier))
			}
			e.CountryC1 = s.InstanceIdentifier
		default:
			e.Scopes = append(e.Scopes, s)
		}
	}
	for _, t := range []string{ScopeDocumentID, ScopeProcessID, ScopeCountryC1} {
		if !seen[t] {
			return r.at(n, fmt.Sprintf("the BusinessScope has no %s scope", t), fmt.Sprintf("BusinessScope mangler omfanget %s", t))
		}
	}
	return nil
}

func (r *envelopeReader) idAt(n xmltree.NodeID, what string, err error) error {
	var ie *IDError
	if errors.As(err, &ie) {
		return r.at(n, what+": "+ie.Reason, what+": "+ie.ReasonNB)
	}
	return r.at(n, what+": "+err.Error(), what+": "+err.Error())
}
