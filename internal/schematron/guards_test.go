package schematron_test

import (
	"reflect"
	"testing"

	"github.com/ehf-project/ehf/internal/schematron"
)

// Rules ruled out by an element's name remember that per name in the
// program; the answer must follow the prefix (name() shows it) and must
// not be kept for guards that read a variable.
func TestNameGuardsAcrossDocuments(t *testing.T) {
	sch := `<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="o" uri="urn:example:order"/>
  <let name="flag" value="string(/*/@flag)"/>
  <pattern>
    <rule context="//*[starts-with(name(), 'a:') and ends-with(local-name(), 'Amount')]">
      <report id="PREFIXED" test="true()">prefixed amount</report>
    </rule>
  </pattern>
  <pattern>
    <rule context="//*[local-name() = $flag]">
      <report id="FLAGGED" test="true()">flagged</report>
    </rule>
  </pattern>
</schema>`
	p, err := schematron.Compile("guards", writeSch(t, "guards.sch", sch))
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		doc  string
		want []string
	}{
		{`<b:Order xmlns:b="urn:example:order" flag="LineAmount"><b:ID>1</b:ID><b:LineAmount>1</b:LineAmount></b:Order>`,
			[]string{"FLAGGED fatal /b:Order/b:LineAmount"}},
		{`<a:Order xmlns:a="urn:example:order" flag="ID"><a:ID>1</a:ID><a:LineAmount>1</a:LineAmount></a:Order>`,
			[]string{"FLAGGED fatal /a:Order/a:ID", "PREFIXED fatal /a:Order/a:LineAmount"}},
		{`<a:Order xmlns:a="urn:example:order"><a:ID>1</a:ID><a:LineAmount>1</a:LineAmount></a:Order>`,
			[]string{"PREFIXED fatal /a:Order/a:LineAmount"}},
		{`<a:Order xmlns:a="urn:example:order" flag="Order"><a:ID>1</a:ID><a:LineAmount>1</a:LineAmount></a:Order>`,
			[]string{"FLAGGED fatal /a:Order", "PREFIXED fatal /a:Order/a:LineAmount"}},
	} {
		for range 2 {
			if got := summary(p.Validate(parse(t, tc.doc))); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("document %d: got %q, want %q", i, got, tc.want)
			}
		}
	}
}
