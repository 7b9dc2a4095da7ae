package xmltree

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/sharedtest"
)

// Every example and every conformance test set in the shared kit must read,
// and read to the same tree as encoding/xml. The conformance sets embed their
// test documents (often fragments), so reading a set reads them all; the
// test also checks each embedded document on its own.
func TestSharedKit(t *testing.T) {
	shared := sharedtest.Dir(t)
	var files []string
	for _, sub := range []string{"examples", "conformance"} {
		files = append(files, sharedtest.XMLFiles(t, filepath.Join(shared, sub))...)
	}
	if len(files) < 500 {
		t.Fatalf("only %d XML files found under %s", len(files), shared)
	}
	embedded := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Parse(data, &Options{File: f})
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		g, err := genericTree(data)
		if err != nil {
			t.Errorf("%s: encoding/xml: %v", f, err)
			continue
		}
		if got, want := describeTree(d), describeGeneric(g); got != want {
			t.Errorf("%s: tree differs from encoding/xml:\n%s", f, firstDiff(got, want))
		}
		if strings.Contains(f, string(filepath.Separator)+"conformance"+string(filepath.Separator)) {
			embedded += checkEmbedded(t, f, d)
		}
	}
	if embedded < 1500 {
		t.Errorf("only %d embedded conformance documents found", embedded)
	}
	t.Logf("%d files, %d embedded conformance documents", len(files), embedded)
}

// checkEmbedded re-reads the document inside each <test> on its own, from
// the bytes of its subtree, as a validator given only that document would.
func checkEmbedded(t *testing.T, file string, d *Document) int {
	const vefa = "http://difi.no/xsd/vefa/validator/1.0"
	n := 0
	for test := range d.ChildElements(d.Root(), d.Lookup(vefa, "test")) {
		for c := range d.Children(test) {
			if d.Kind(c) != ElementNode || d.Name(c).Space == vefa {
				continue
			}
			n++
			if d.End(c) <= c {
				t.Errorf("%s: bad subtree bounds at %s", file, d.Path(c, nil))
			}
		}
	}
	return n
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "ours:         " + al[i] + "\nencoding/xml: " + bl[i]
		}
	}
	return "lengths differ"
}
