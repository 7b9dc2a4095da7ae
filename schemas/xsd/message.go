package xsd

import (
	"fmt"
	"regexp"
	"strings"
)

// Levels of libxml2's xmlErrorLevel.
const (
	levelWarning = 1
	levelError   = 2
)

// rawError is one problem as libxml2 reported it.
type rawError struct {
	line, col, level int
	elem             int64 // document-order number of the element, 0 if none
	msg              string
}

// buildErrors turns libxml2's reports into Errors: placed at the start tag
// of the element concerned, in our words, in English and Norwegian.
func buildErrors(doc []byte, raw []rawError, dropped int) []Error {
	var want []int64
	for _, r := range raw {
		if r.elem > 0 {
			want = append(want, r.elem)
		}
	}
	pos := elementPositions(doc, want)
	out := make([]Error, 0, len(raw)+1)
	var prevElem int64 = -1
	for _, r := range raw {
		if r.level < levelError {
			continue
		}
		// After a facet failure libxml2 also says the value is not valid
		// for the type as a whole, which adds nothing.
		if r.elem == prevElem && r.elem != 0 && localTypeFollowUp.MatchString(strings.TrimSpace(r.msg)) {
			continue
		}
		prevElem = r.elem
		line, col := r.line, r.col
		if p, ok := pos[r.elem]; ok {
			line, col = p.line, p.col
		}
		en, nb := translate(r.msg)
		out = append(out, Error{Line: line, Column: col, Message: en, MessageNB: nb})
	}
	if dropped > 0 {
		out = append(out, Error{
			Message:   fmt.Sprintf("%d more schema errors not shown", dropped),
			MessageNB: fmt.Sprintf("%d flere skjemafeil er ikke vist", dropped),
		})
	}
	if len(out) == 0 {
		out = append(out, Error{
			Message:   "the document does not conform to the schema (libxml2 gave no detail)",
			MessageNB: "dokumentet følger ikke skjemaet (libxml2 oppga ingen detaljer)",
		})
	}
	return out
}

var localTypeFollowUp = regexp.MustCompile(`^Element '[^']*'(?:, attribute '[^']*')?: '.*' is not a valid value of the (?:local )?(?:atomic|list|union) type`)

// notWellFormed reports the first parse error: later ones usually follow
// from it.
func notWellFormed(raw []rawError) Error {
	for _, r := range raw {
		if r.level >= levelError {
			msg := tidy(r.msg)
			return Error{
				Line:      r.line,
				Column:    r.col,
				Message:   "not well-formed XML: " + msg,
				MessageNB: "ikke velformet XML: " + msg,
			}
		}
	}
	return Error{Message: "not well-formed XML", MessageNB: "ikke velformet XML"}
}

func emptyDocument() Error {
	return Error{Message: "the document is empty", MessageNB: "dokumentet er tomt"}
}

func tooLarge() Error {
	return Error{Message: "the document is larger than 2 GB and cannot be checked", MessageNB: "dokumentet er større enn 2 GB og kan ikke kontrolleres"}
}

// prefixes are the prefixes UBL's own documentation uses; messages name
// elements the way a reader of an invoice sees them, not in libxml2's
// {namespace}name notation.
var prefixes = map[string]string{
	"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2":        "cbc",
	"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2":    "cac",
	"urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2":    "ext",
	"urn:oasis:names:specification:ubl:schema:xsd:UnqualifiedDataTypes-2":         "udt",
	"urn:oasis:names:specification:ubl:schema:xsd:QualifiedDataTypes-2":           "qdt",
	"urn:oasis:names:specification:ubl:schema:xsd:CommonSignatureComponents-2":    "sig",
	"urn:oasis:names:specification:ubl:schema:xsd:SignatureAggregateComponents-2": "sac",
	"urn:oasis:names:specification:ubl:schema:xsd:SignatureBasicComponents-2":     "sbc",
	"urn:un:unece:uncefact:data:specification:CoreComponentTypeSchemaModule:2":    "cct",
	"http://www.w3.org/2000/09/xmldsig#":                                          "ds",
	"http://uri.etsi.org/01903/v1.3.2#":                                           "xades",
	"http://uri.etsi.org/01903/v1.4.1#":                                           "xades141",
	"http://www.w3.org/2001/XMLSchema":                                            "xs",
}

const ublMainPrefix = "urn:oasis:names:specification:ubl:schema:xsd:"

var clark = regexp.MustCompile(`\{([^{}]*)\}([\p{L}_][\p{L}\p{N}_.\-]*|\*)`)

// shortName rewrites {namespace}local to prefix:local. The root element of
// a UBL document (its own namespace, conventionally the default one) keeps
// no prefix.
func shortName(ns, local string) string {
	if p, ok := prefixes[ns]; ok {
		return p + ":" + local
	}
	if strings.HasPrefix(ns, ublMainPrefix) && strings.HasSuffix(ns, "-2") {
		return local
	}
	return "{" + ns + "}" + local
}

// tidy trims libxml2's trailing newline and rewrites qualified names.
func tidy(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return clark.ReplaceAllStringFunc(s, func(m string) string {
		sm := clark.FindStringSubmatch(m)
		return shortName(sm[1], sm[2])
	})
}

var (
	reSubject     = regexp.MustCompile(`^Element '([^']*)'(?:, attribute '([^']*)')?: (.*)$`)
	reNotExpected = regexp.MustCompile(`^This element is not expected\.(?: Expected is (one of )?\( (.*) \)\.)?$`)
	reMissing     = regexp.MustCompile(`^Missing child element\(s\)\. Expected is (one of )?\( (.*) \)\.$`)
	reAtomic      = regexp.MustCompile(`^'(.*)' is not a valid value of the (?:local )?atomic type(?: '([^']*)')?\.$`)
	reOtherType   = regexp.MustCompile(`^'(.*)' is not a valid value of the (?:local )?(?:list|union) type(?: '([^']*)')?\.$`)
	reFacet       = regexp.MustCompile(`^\[facet '(\w+)'\] (.*)$`)
	reMinLength   = regexp.MustCompile(`length of '(\d+)'; this underruns the allowed minimum length of '(\d+)'`)
	reMaxLength   = regexp.MustCompile(`length of '(\d+)'; this exceeds the allowed maximum length of '(\d+)'`)
	rePattern     = regexp.MustCompile(`^The value '(.*)' is not accepted by the pattern '(.*)'\.$`)
	reEnum        = regexp.MustCompile(`^The value '(.*)' is not an element of the set \{(.*)\}\.$`)
	reAttrBad     = regexp.MustCompile(`^The attribute '([^']*)' is not allowed\.$`)
	reAttrMissing = regexp.MustCompile(`^The attribute '([^']*)' is required but missing\.$`)
)

// typeWords names XML Schema's built-in types the way a user would, with
// the form the value must have.
var typeWords = map[string][2]string{
	"xs:date":               {"a valid date (YYYY-MM-DD)", "en gyldig dato (ÅÅÅÅ-MM-DD)"},
	"xs:time":               {"a valid time (hh:mm:ss)", "et gyldig klokkeslett (tt:mm:ss)"},
	"xs:dateTime":           {"a valid date and time (YYYY-MM-DDThh:mm:ss)", "et gyldig tidspunkt (ÅÅÅÅ-MM-DDTtt:mm:ss)"},
	"xs:decimal":            {"a valid decimal number (such as 1234.50)", "et gyldig desimaltall (som 1234.50)"},
	"xs:integer":            {"a whole number", "et heltall"},
	"xs:nonNegativeInteger": {"a whole number of 0 or more", "et heltall på 0 eller mer"},
	"xs:positiveInteger":    {"a whole number of 1 or more", "et heltall på 1 eller mer"},
	"xs:boolean":            {"a valid indicator (true or false)", "en gyldig sannhetsverdi (true eller false)"},
	"xs:base64Binary":       {"valid base64-encoded content", "gyldig base64-kodet innhold"},
	"xs:anyURI":             {"a valid URI", "en gyldig URI"},
	"xs:language":           {"a valid language code", "en gyldig språkkode"},
}

// representationTerms maps the last word of a UBL element name (its CCTS
// representation term) to the built-in type its value has. libxml2 names no
// type for the value of an amount, whose type UBL derives locally.
var representationTerms = []struct{ suffix, xsType string }{
	{"Amount", "xs:decimal"}, {"Quantity", "xs:decimal"}, {"Measure", "xs:decimal"},
	{"Numeric", "xs:decimal"}, {"Percent", "xs:decimal"}, {"Rate", "xs:decimal"},
	{"Date", "xs:date"}, {"Time", "xs:time"}, {"Indicator", "xs:boolean"},
	{"BinaryObject", "xs:base64Binary"},
}

func representationType(element string) string {
	for _, rt := range representationTerms {
		if strings.HasSuffix(element, rt.suffix) {
			return rt.xsType
		}
	}
	return ""
}

// translate rewrites one libxml2 schema message in our words, in English
// and Norwegian. A message it does not recognise is kept, tidied, in both.
func translate(msg string) (en, nb string) {
	msg = tidy(msg)
	m := reSubject.FindStringSubmatch(msg)
	if m == nil {
		return msg, msg
	}
	subject, body := m[1], m[3]
	if m[2] != "" {
		subject += "/@" + m[2]
	}
	if sm := reNotExpected.FindStringSubmatch(body); sm != nil {
		if sm[2] == "" {
			return subject + " is not allowed here",
				subject + " er ikke tillatt her"
		}
		list, listNB := expectedList(sm[2])
		if sm[1] != "" {
			return subject + " is not allowed here; expected one of " + list,
				subject + " er ikke tillatt her; forventet ett av " + listNB
		}
		return subject + " is not allowed here; expected " + list,
			subject + " er ikke tillatt her; forventet " + listNB
	}
	if sm := reMissing.FindStringSubmatch(body); sm != nil {
		list, listNB := expectedList(sm[2])
		if sm[1] != "" {
			return subject + " is incomplete: one of " + list + " is missing",
				subject + " er ufullstendig: ett av " + listNB + " mangler"
		}
		return subject + " is incomplete: " + list + " is missing",
			subject + " er ufullstendig: " + listNB + " mangler"
	}
	if sm := reAtomic.FindStringSubmatch(body); sm != nil {
		w, ok := typeWords[sm[2]]
		if !ok {
			w, ok = typeWords[representationType(m[1])]
		}
		if ok {
			return fmt.Sprintf("%s: '%s' is not %s", subject, sm[1], w[0]),
				fmt.Sprintf("%s: '%s' er ikke %s", subject, sm[1], w[1])
		}
		return fmt.Sprintf("%s: '%s' is not a valid value", subject, sm[1]),
			fmt.Sprintf("%s: '%s' er ikke en gyldig verdi", subject, sm[1])
	}
	if sm := reOtherType.FindStringSubmatch(body); sm != nil {
		return fmt.Sprintf("%s: '%s' is not a valid value", subject, sm[1]),
			fmt.Sprintf("%s: '%s' er ikke en gyldig verdi", subject, sm[1])
	}
	if sm := reFacet.FindStringSubmatch(body); sm != nil {
		return facet(subject, sm[1], sm[2])
	}
	if strings.HasPrefix(body, "Character content other than whitespace is not allowed") {
		return subject + " must not contain text, only elements",
			subject + " skal ikke inneholde tekst, bare elementer"
	}
	if strings.HasPrefix(body, "Element content is not allowed") {
		return subject + " must hold a value, not elements",
			subject + " skal inneholde en verdi, ikke elementer"
	}
	if sm := reAttrBad.FindStringSubmatch(body); sm != nil {
		return fmt.Sprintf("%s: attribute %s is not allowed", subject, sm[1]),
			fmt.Sprintf("%s: attributtet %s er ikke tillatt", subject, sm[1])
	}
	if sm := reAttrMissing.FindStringSubmatch(body); sm != nil {
		return fmt.Sprintf("%s: the required attribute %s is missing", subject, sm[1]),
			fmt.Sprintf("%s: det påkrevde attributtet %s mangler", subject, sm[1])
	}
	if strings.HasPrefix(body, "No matching global declaration available for the validation root") {
		return subject + " is not a document this schema describes (wrong root element or namespace)",
			subject + " er ikke et dokument dette skjemaet beskriver (feil rotelement eller navnerom)"
	}
	return subject + ": " + body, subject + ": " + body
}

func facet(subject, kind, text string) (en, nb string) {
	switch kind {
	case "minLength":
		if sm := reMinLength.FindStringSubmatch(text); sm != nil {
			if sm[1] == "0" {
				return subject + " must not be empty", subject + " skal ikke være tom"
			}
			return fmt.Sprintf("%s is too short: %s characters, at least %s required", subject, sm[1], sm[2]),
				fmt.Sprintf("%s er for kort: %s tegn, minst %s kreves", subject, sm[1], sm[2])
		}
	case "maxLength":
		if sm := reMaxLength.FindStringSubmatch(text); sm != nil {
			return fmt.Sprintf("%s is too long: %s characters, at most %s allowed", subject, sm[1], sm[2]),
				fmt.Sprintf("%s er for lang: %s tegn, høyst %s tillatt", subject, sm[1], sm[2])
		}
	case "pattern":
		if sm := rePattern.FindStringSubmatch(text); sm != nil {
			return fmt.Sprintf("%s: '%s' does not have the required form (%s)", subject, sm[1], sm[2]),
				fmt.Sprintf("%s: '%s' har ikke påkrevd form (%s)", subject, sm[1], sm[2])
		}
	case "enumeration":
		if sm := reEnum.FindStringSubmatch(text); sm != nil {
			return fmt.Sprintf("%s: '%s' is not one of the allowed values %s", subject, sm[1], sm[2]),
				fmt.Sprintf("%s: '%s' er ikke en av de tillatte verdiene %s", subject, sm[1], sm[2])
		}
	}
	return subject + ": " + text, subject + ": " + text
}

// maxExpected is how many alternatives a message lists before it sums up
// the rest: some UBL positions allow dozens of elements.
const maxExpected = 8

// expectedList formats libxml2's "A, B, C" list of expected elements, in
// English and Norwegian, with wildcards ("##other{ns}*") stated plainly.
func expectedList(s string) (en, nb string) {
	items := strings.Split(s, ", ")
	itemsNB := make([]string, len(items))
	for i, it := range items {
		itemsNB[i] = it
		if strings.HasPrefix(it, "##other") {
			items[i] = "an element of another namespace"
			itemsNB[i] = "et element fra et annet navnerom"
		}
	}
	if len(items) > maxExpected {
		more := fmt.Sprintf("… (+%d)", len(items)-maxExpected)
		items = append(items[:maxExpected:maxExpected], more)
		itemsNB = append(itemsNB[:maxExpected:maxExpected], more)
	}
	return strings.Join(items, ", "), strings.Join(itemsNB, ", ")
}
