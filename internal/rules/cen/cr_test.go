package cen

import (
	"os"
	"testing"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// The UBL-CR table's paths are answered by one walk over a tree of steps;
// each path evaluated on its own must give the same answer, on every
// invoice and credit note of the examples and the conformance sets.
func TestCRWalkAgrees(t *testing.T) {
	var files []string
	for _, dir := range []string{"examples", "conformance"} {
		files = append(files, sharedtest.XMLFiles(t, sharedtest.Path(t, dir))...)
	}
	docs, found := 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := xmltree.Parse(data, nil)
		if err != nil {
			continue
		}
		for n := xmltree.NodeID(0); int(n) < d.Len(); n++ {
			nm := d.Name(n)
			if nm != (xmltree.Name{Space: invoice.NSInvoice, Local: "Invoice"}) && nm != (xmltree.Name{Space: invoice.NSCreditNote, Local: "CreditNote"}) {
				continue
			}
			e := makeEv(d.Subtree(n))
			if e.root == none {
				t.Fatalf("%s: node %d is no document element of its subtree", f, n)
			}
			docs++
			for i, c := range crPaths {
				want := c.exists(e)
				if want {
					found++
				}
				if e.cr[i] != want {
					t.Errorf("%s (element %d): %s %s: the walk says %v, the path alone %v", f, n, crTable[i].id, crTable[i].path, e.cr[i], want)
				}
			}
		}
	}
	if docs < 100 || found < 100 {
		t.Fatalf("only %d documents and %d paths found in them: is ../shared complete?", docs, found)
	}
	t.Logf("%d documents, %d paths found", docs, found)
}
