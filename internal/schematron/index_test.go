package schematron_test

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/schematron"
)

// Rules whose context tests a code ("o:Line[normalize-space(o:Cat) =
// 'A']") are answered from an index on documents with many such elements,
// and left out for the whole document when no element has the code. The
// findings must be those of evaluating every context as written.
func TestIndexedContexts(t *testing.T) {
	sch := `<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="o" uri="urn:example:order"/>
  <pattern>
    <rule context="o:Line[normalize-space(o:Cat) = 'Z']"><report id="Z" test="true()">z</report></rule>
    <rule context="o:Line[normalize-space(o:Cat) = 'A'][o:Qty > 1]"><report id="A" test="true()">a</report></rule>
    <rule context="o:Line[normalize-space(o:Cat) = 'B'] | o:Extra/o:Line[normalize-space(o:Cat) = 'Y']"><report id="B" test="true()">b</report></rule>
    <rule context="o:Line"><report id="OTHER" test="true()">other</report></rule>
  </pattern>
  <pattern>
    <rule context="/o:Order">
      <report id="COUNT-A" test="true()"><value-of select="count(//o:Line[normalize-space(o:Cat) = 'A'])"/></report>
      <assert id="NO-Z" test="not(//o:Line[normalize-space(o:Cat) = 'Z'])">z</assert>
    </rule>
  </pattern>
</schema>`
	p, err := schematron.Compile("indexed", writeSch(t, "indexed.sch", sch))
	if err != nil {
		t.Fatal(err)
	}
	doc := func(lines int, odd bool) (string, []string) {
		var b strings.Builder
		var want []string
		b.WriteString(`<Order xmlns="urn:example:order">`)
		countA := 0
		for i := 1; i <= lines; i++ {
			cat, qty := []string{"A", " B ", "C"}[i%3], i%4
			fmt.Fprintf(&b, "<Line><Cat>%s</Cat><Qty>%d</Qty></Line>", cat, qty)
			where := fmt.Sprintf("/Order/Line[%d]", i)
			switch {
			case cat == "A" && qty > 1:
				want = append(want, "A fatal "+where)
			case cat == " B ":
				want = append(want, "B fatal "+where)
			default:
				want = append(want, "OTHER fatal "+where)
			}
			if cat == "A" {
				countA++
			}
		}
		if odd {
			// Two codes: normalize-space fails, so the coded contexts do
			// not match this line and the document-level count fails.
			b.WriteString("<Line><Cat>Z</Cat><Cat>Z</Cat><Qty>5</Qty></Line>")
			want = append(want, fmt.Sprintf("OTHER fatal /Order/Line[%d]", lines+1), "COUNT-A fatal /Order", "NO-Z fatal /Order")
		} else {
			want = append(want, "COUNT-A fatal /Order")
		}
		b.WriteString("</Order>")
		return b.String(), want
	}
	for _, n := range []int{5, 40, 100} {
		for _, odd := range []bool{false, true} {
			d, want := doc(n, odd)
			got := summary(p.Validate(parse(t, d)))
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%d lines, odd %v:\n got  %q\n want %q", n, odd, got, want)
			}
		}
	}
}

// A context predicate that depends on no focus ("[$flag = 'on']") has one
// value per document: when it is false the rule is left out, when it is a
// number it still selects by position.
func TestDocumentGuards(t *testing.T) {
	sch := `<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="o" uri="urn:example:order"/>
  <let name="flag" value="string(/*/@flag)"/>
  <let name="n" value="if (/*/@n) then xs:integer(/*/@n) else false()"/>
  <pattern>
    <rule context="o:Line[$flag = 'on']"><report id="ON" test="true()">on</report></rule>
    <rule context="o:Line[$n]"><report id="NTH" test="true()">nth</report></rule>
    <rule context="o:Order/o:Line[1][$flag = 'first'] | o:Line[o:Qty = '3'][$flag = 'first']"><report id="FIRST" test="true()">first</report></rule>
  </pattern>
</schema>`
	p, err := schematron.Compile("docguards", writeSch(t, "docguards.sch", sch))
	if err != nil {
		t.Fatal(err)
	}
	lines := "<Line><Qty>1</Qty></Line><Line><Qty>2</Qty></Line><Line><Qty>3</Qty></Line>"
	for _, tc := range []struct {
		attrs string
		want  []string
	}{
		{``, nil},
		{`flag="on"`, []string{"ON fatal /Order/Line[1]", "ON fatal /Order/Line[2]", "ON fatal /Order/Line[3]"}},
		{`n="2"`, []string{"NTH fatal /Order/Line[2]"}},
		{`n="7"`, nil},
		{`flag="first"`, []string{"FIRST fatal /Order/Line[1]", "FIRST fatal /Order/Line[3]"}},
		{`flag="first" n="3"`, []string{"FIRST fatal /Order/Line[1]", "NTH fatal /Order/Line[3]"}},
	} {
		d := `<Order xmlns="urn:example:order" ` + tc.attrs + `>` + lines + `</Order>`
		if got := summary(p.Validate(parse(t, d))); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.attrs, got, tc.want)
		}
	}
}
