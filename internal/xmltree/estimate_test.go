package xmltree

import (
	"bytes"
	"testing"

	"github.com/ehf-project/ehf/internal/sample"
)

// The node array is allocated once from nodeEstimate: it should hold the
// whole tree of a large invoice, compact or indented, with little to spare.
func TestNodeEstimate(t *testing.T) {
	compact := sample.Invoice(2000)
	indented := bytes.ReplaceAll(compact, []byte("><"), []byte(">\n    <"))
	mixed := bytes.ReplaceAll(compact, []byte("<cbc:ID>"), []byte("x <b/> y<cbc:ID>"))
	for _, c := range []struct {
		name string
		data []byte
	}{{"compact", compact}, {"indented", indented}, {"mixed", mixed}} {
		d, err := Parse(c.data, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		est := estimateSizes(c.data, true).nodes
		if est < d.Len() || est > d.Len()+d.Len()/50+16 {
			t.Errorf("%s: estimate %d for %d nodes", c.name, est, d.Len())
		}
	}
}
