package xpath

import (
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// Static errors carry the offset of the offending token, so that the
// Schematron compiler can point at the line and column in the rule file.
func TestCompileErrors(t *testing.T) {
	cases := []struct {
		expr string
		pos  int
		msg  string
	}{
		{"1 +", 3, "unexpected end of expression"},
		{"count(", 6, "unexpected end of expression"},
		{"(1, 2", 5, "expected ')'"},
		{"cbc:ID = 'x", 9, "not closed"},
		{"nope(1)", 0, "function nope() is not supported"},
		{"fn:count(1, 2)", 0, "does not take 2 arguments"},
		{"xs:decimal(1, 2)", 0, "takes one argument"},
		{"xs:frog('1')", 0, "unknown type constructor"},
		{"u:f(1)", 0, `prefix "u" is not declared`},
		{"cbc:ID = $missing", 9, "variable $missing is not declared"},
		{"zz:X", 0, `prefix "zz" is not declared`},
		{"a = b = c", 6, "cannot be chained"},
		{"namespace::x", 0, "namespace axis is not supported"},
		{"foo::x", 0, "unknown axis"},
		{"1 cast as xs:frog", 2, "xs:frog is not supported"},
		{"if (1) then 2", 13, "expected 'else'"},
		{"for $x in 1 return", 18, "unexpected end of expression"},
		{"some $x in (1) 2", 15, "expected 'satisfies'"},
		{"10div 3", 0, "followed by a space"},
		{"'a' #", 4, "unexpected character"},
		{"(: open", 0, "comment is not closed"},
		{"a/", 2, "unexpected end of expression"},
		{"matches(., '[a-z-[aeiou]]')", 0, "subtraction is not supported"},
		{"matches(., '\\p{IsBasicLatin}')", 0, "block IsBasicLatin is not supported"},
		{"matches(., '(a)\\1')", 0, "back-references are not supported"},
		{"key('nokey', 1)", 0, `key "nokey" is not declared`},
		{"typeswitch(1) case xs:integer return 1 default return 2", 0, "not supported"},
		{strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300), 66, "nested too deeply"},
	}
	_, s, _ := testContext(t)
	for _, tc := range cases {
		_, err := s.CompileStandalone(tc.expr)
		if err == nil {
			t.Errorf("%q compiled", tc.expr)
			continue
		}
		xe, ok := err.(*Error)
		if !ok {
			t.Errorf("%q: %T %v", tc.expr, err, err)
			continue
		}
		if xe.Pos != tc.pos || !strings.Contains(xe.Msg, tc.msg) {
			t.Errorf("%q: got offset %d %q, want offset %d and %q", tc.expr, xe.Pos, xe.Msg, tc.pos, tc.msg)
		}
	}
}

// Things that look like keywords are names where XPath says so.
func TestParseNames(t *testing.T) {
	d := `<r><div>4</div><mod>2</mod><if>1</if><for>x</for><text>t</text><and>y</and></r>`
	cases := []struct{ expr, want string }{
		{"/r/div div /r/mod", "double:2"},
		{"/r/mod mod 3", "double:2"},
		{"/r/if", "node:1"},
		{"/r/for", "node:x"},
		{"/r/text", "node:t"},
		{"/r/text/text()", "node:t"},
		{"/r/and and /r/div", "boolean:true"},
		{"- -2", "integer:2"},
		{"2-1", "integer:1"},
		{"(: comment (: nested :) :) 1", "integer:1"},
		{`"a""b"`, `string:a"b`},
		{`'it''s'`, "string:it's"},
		{"1.", "decimal:1"},
		{".5e1", "double:5"},
		{"/", "node:421xty"},
	}
	for _, tc := range cases {
		got := evalOn(t, d, tc.expr)
		if got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.expr, got, tc.want)
		}
	}
}

func evalOn(t *testing.T, doc, expr string) string {
	t.Helper()
	_, s, x := testContext(t)
	x.Reset(mustParse(t, doc))
	e, err := s.CompileStandalone(expr)
	if err != nil {
		return "compile:" + err.Error()
	}
	v, err := x.Eval(e, 0)
	if err != nil {
		return "error:" + err.(*Error).Code
	}
	return format(x, v)
}

func mustParse(t testing.TB, doc string) *xmltree.Document {
	t.Helper()
	d, err := xmltree.Parse([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
