package xpath

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/xmltree"
)

// TestUpPath compares paths read from their end (uppath.go) with the
// forward walk, on a document whose lines have the names of the paths in
// the right places, in wrong places (a cac:Delivery under cac:Item) and
// not at all, from the document element, a line and a leaf.
func TestUpPath(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<Invoice xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">`)
	b.WriteString(`<cac:Delivery><cbc:ID>d</cbc:ID></cac:Delivery>`)
	for i := range 300 {
		line := "InvoiceLine"
		if i%7 == 3 {
			line = "CreditNoteLine"
		}
		fmt.Fprintf(&b, `<cac:%s><cbc:ID>%d</cbc:ID><cac:Item><cbc:Name>n</cbc:Name>`, line, i)
		if i == 150 {
			b.WriteString(`<cac:Delivery><cbc:ID>wrong place</cbc:ID></cac:Delivery>`)
		}
		b.WriteString(`</cac:Item>`)
		if i == 299 {
			b.WriteString(`<cac:Price><cac:AllowanceCharge><cbc:ID>a</cbc:ID></cac:AllowanceCharge></cac:Price>`)
		}
		fmt.Fprintf(&b, `</cac:%s>`, line)
	}
	b.WriteString(`</Invoice>`)
	d, err := xmltree.Parse([]byte(b.String()), nil)
	if err != nil {
		t.Fatal(err)
	}
	exprs := []string{
		"exists((cac:InvoiceLine|cac:CreditNoteLine)/cac:Delivery)",
		"exists((cac:InvoiceLine|cac:CreditNoteLine)/cac:Item/cac:Delivery)",
		"exists((cac:InvoiceLine|cac:CreditNoteLine)/cac:Item/cac:Delivery/cbc:ID)",
		"exists(cac:CreditNoteLine/cac:Item/cac:Delivery)",
		"exists(cac:InvoiceLine/cac:Item/cac:Delivery)",
		"not((cac:InvoiceLine|cac:CreditNoteLine)/cac:Price/cac:AllowanceCharge/cbc:ID)",
		"not(cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cbc:ID)",
		"boolean((cac:InvoiceLine|cac:CreditNoteLine)/cac:Item/cbc:Name)",
		"boolean(cac:Delivery/cbc:ID)",
		"exists(cac:Item/cbc:Name)",
		"exists(cbc:ID/cbc:ID)",
		"exists((cac:Nothing|cac:InvoiceLine)/cac:Nothing)",
	}
	c := NewCompiler()
	s := c.NewScope(testNS)
	var compiled []*Expr
	for _, src := range exprs {
		e, err := s.CompileStandalone(src)
		if err != nil {
			t.Fatal(err)
		}
		compiled = append(compiled, e)
	}
	root := d.Root()
	contexts := []xmltree.NodeID{root, d.FirstChild(root), root + 4}
	run := func(min int) []string {
		defer func(n int) { upMinNodes = n }(upMinNodes)
		upMinNodes = min
		x := c.NewContext(d)
		var out []string
		for _, n := range contexts {
			for _, e := range compiled {
				v, err := x.Eval(e, n)
				out = append(out, fmt.Sprintf("%s at %d: %s %v", e.Source(), n, format(x, v), err))
			}
		}
		return out
	}
	up, forward := run(0), run(1<<30)
	for i := range up {
		if up[i] != forward[i] {
			t.Errorf("read from the end: %s\nforward: %s", up[i], forward[i])
		}
	}
	want := []string{"boolean:false", "boolean:true", "boolean:true", "boolean:true", "boolean:false", "boolean:false",
		"boolean:true", "boolean:true", "boolean:true", "boolean:false", "boolean:false", "boolean:false"}
	for i, w := range want {
		if !strings.Contains(up[i], ": "+w+" ") {
			t.Errorf("%s, want %s", up[i], w)
		}
	}
}
