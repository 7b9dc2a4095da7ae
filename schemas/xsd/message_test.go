package xsd

import (
	"strings"
	"testing"
)

// TestTranslate rewrites libxml2's messages (as libxml2 2.9 to 2.13 word
// them) in our words.
func TestTranslate(t *testing.T) {
	const cbc = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
	const cac = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
	tests := []struct{ raw, en, nb string }{
		{"Element '" + cbc + "DueDate': This element is not expected. Expected is ( " + cbc + "IssueDate ).\n",
			"cbc:DueDate is not allowed here; expected cbc:IssueDate",
			"cbc:DueDate er ikke tillatt her; forventet cbc:IssueDate"},
		{"Element '" + cbc + "Note': This element is not expected.",
			"cbc:Note is not allowed here", "cbc:Note er ikke tillatt her"},
		{"Element '" + cac + "Party': Missing child element(s). Expected is one of ( " + cbc + "A, " + cbc + "B ).",
			"cac:Party is incomplete: one of cbc:A, cbc:B is missing",
			"cac:Party er ufullstendig: ett av cbc:A, cbc:B mangler"},
		{"Element '" + cbc + "IssueDate': '2017-02-30' is not a valid value of the atomic type 'xs:date'.",
			"cbc:IssueDate: '2017-02-30' is not a valid date (YYYY-MM-DD)",
			"cbc:IssueDate: '2017-02-30' er ikke en gyldig dato (ÅÅÅÅ-MM-DD)"},
		{"Element '" + cbc + "TaxAmount': '' is not a valid value of the local atomic type.",
			"cbc:TaxAmount: '' is not a valid decimal number (such as 1234.50)",
			"cbc:TaxAmount: '' er ikke et gyldig desimaltall (som 1234.50)"},
		{"Element '" + cbc + "Foo': 'x' is not a valid value of the atomic type '{urn:x}FooType'.",
			"cbc:Foo: 'x' is not a valid value", "cbc:Foo: 'x' er ikke en gyldig verdi"},
		{"Element '" + cbc + "ID', attribute 'schemeID': [facet 'minLength'] The value has a length of '0'; this underruns the allowed minimum length of '1'.",
			"cbc:ID/@schemeID must not be empty", "cbc:ID/@schemeID skal ikke være tom"},
		{"Element '" + cbc + "X': [facet 'maxLength'] The value has a length of '5'; this exceeds the allowed maximum length of '3'.",
			"cbc:X is too long: 5 characters, at most 3 allowed", "cbc:X er for lang: 5 tegn, høyst 3 tillatt"},
		{"Element '" + cbc + "X': [facet 'pattern'] The value 'ab' is not accepted by the pattern '[0-9]+'.",
			"cbc:X: 'ab' does not have the required form ([0-9]+)", "cbc:X: 'ab' har ikke påkrevd form ([0-9]+)"},
		{"Element '" + cbc + "X': [facet 'enumeration'] The value 'Q' is not an element of the set {'A', 'B'}.",
			"cbc:X: 'Q' is not one of the allowed values 'A', 'B'", "cbc:X: 'Q' er ikke en av de tillatte verdiene 'A', 'B'"},
		{"Element '" + cbc + "X': [facet 'totalDigits'] The value '123456' has more digits than are allowed ('5').",
			"cbc:X: The value '123456' has more digits than are allowed ('5').", "cbc:X: The value '123456' has more digits than are allowed ('5')."},
		{"Element '" + cbc + "Amount': The attribute 'currencyID' is required but missing.",
			"cbc:Amount: the required attribute currencyID is missing", "cbc:Amount: det påkrevde attributtet currencyID mangler"},
		{"Element '" + cbc + "Amount', attribute 'x': The attribute 'x' is not allowed.",
			"cbc:Amount/@x: attribute x is not allowed", "cbc:Amount/@x: attributtet x er ikke tillatt"},
		{"Element '" + cac + "Party': Character content other than whitespace is not allowed because the content type is 'element-only'.",
			"cac:Party must not contain text, only elements", "cac:Party skal ikke inneholde tekst, bare elementer"},
		{"Element '" + cbc + "Name': Element content is not allowed, because the content type is a simple type definition.",
			"cbc:Name must hold a value, not elements", "cbc:Name skal inneholde en verdi, ikke elementer"},
		{"Element 'Invoice': No matching global declaration available for the validation root.",
			"Invoice is not a document this schema describes (wrong root element or namespace)",
			"Invoice er ikke et dokument dette skjemaet beskriver (feil rotelement eller navnerom)"},
		{"Element '{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice': This element is not expected. Expected is ( ##other{urn:x}* ).",
			"Invoice is not allowed here; expected an element of another namespace",
			"Invoice er ikke tillatt her; forventet et element fra et annet navnerom"},
		{"Element '{urn:other}Thing': Something new in libxml2 3.0.",
			"{urn:other}Thing: Something new in libxml2 3.0.", "{urn:other}Thing: Something new in libxml2 3.0."},
		{"Some message\nwithout an element\n", "Some message without an element", "Some message without an element"},
	}
	for _, tc := range tests {
		en, nb := translate(tc.raw)
		if en != tc.en || nb != tc.nb {
			t.Errorf("translate(%q)\n got %q / %q\nwant %q / %q", tc.raw, en, nb, tc.en, tc.nb)
		}
	}
}

func TestExpectedListIsCapped(t *testing.T) {
	var items []string
	for _, n := range strings.Fields("A B C D E F G H I J K") {
		items = append(items, "cbc:"+n)
	}
	en, nb := expectedList(strings.Join(items, ", "))
	if en != nb || !strings.HasSuffix(en, "cbc:H, … (+3)") {
		t.Errorf("got %q / %q", en, nb)
	}
}

// TestBuildErrors covers what the cgo layer hands over: element numbers to
// place, follow-up messages to drop, warnings to skip and a cap.
func TestBuildErrors(t *testing.T) {
	doc := []byte("<a>\n  <b/><c>x</c>\n</a>")
	raw := []rawError{
		{line: 2, level: levelError, elem: 3, msg: "Element 'c': [facet 'pattern'] The value 'x' is not accepted by the pattern 'y'."},
		{line: 2, level: levelError, elem: 3, msg: "Element 'c': 'x' is not a valid value of the local atomic type."},
		{line: 2, level: levelWarning, elem: 2, msg: "Element 'b': a warning"},
		{line: 9, col: 4, level: levelError, msg: "Element 'z': no element number"},
	}
	got := buildErrors(doc, raw, 2)
	if len(got) != 3 {
		t.Fatalf("got %d errors: %v", len(got), got)
	}
	if got[0].Line != 2 || got[0].Column != 7 || !strings.Contains(got[0].Message, "required form") {
		t.Errorf("first: %+v", got[0])
	}
	if got[1].Line != 9 || got[1].Column != 4 {
		t.Errorf("second: %+v", got[1])
	}
	if got[2].Message != "2 more schema errors not shown" || got[2].MessageNB != "2 flere skjemafeil er ikke vist" {
		t.Errorf("cap: %+v", got[2])
	}
	if e := buildErrors(doc, nil, 0); len(e) != 1 || !strings.Contains(e[0].Message, "does not conform") {
		t.Errorf("no detail: %v", e)
	}
}

func TestErrorString(t *testing.T) {
	for _, tc := range []struct {
		e    Error
		want string
	}{
		{Error{Line: 3, Column: 7, Message: "m"}, "3:7: m"},
		{Error{Line: 3, Message: "m"}, "3: m"},
		{Error{Message: "m"}, "m"},
	} {
		if got := tc.e.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.e, got, tc.want)
		}
	}
}
