package xmltree

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/ehf-project/ehf/internal/sharedtest"
)

// elementsByScan is the obvious answer Elements must agree with.
func elementsByScan(d *Document, id NameID) []NodeID {
	var out []NodeID
	for n := NodeID(0); int(n) < d.Len(); n++ {
		if d.Kind(n) == ElementNode && d.NameID(n) == id {
			out = append(out, n)
		}
	}
	return out
}

func TestElements(t *testing.T) {
	const doc = "<r xmlns='u' xmlns:p='v'><a x='1'/>t<b><a>x</a><p:a/></b><p:b><p:a/><a/></p:b></r>"
	for _, c := range []struct {
		space, local string
		want         int // -1: the name is not in the document at all
	}{
		{"u", "r", 1},
		{"u", "a", 3},
		{"v", "a", 2},
		{"u", "b", 1},
		{"v", "b", 1},
		{"", "x", 0}, // an attribute's name: no element has it
		{"u", "zz", -1},
		{"", "a", -1},
	} {
		t.Run(c.space+":"+c.local, func(t *testing.T) {
			d, err := Parse([]byte(doc), nil)
			if err != nil {
				t.Fatal(err)
			}
			id := d.Lookup(c.space, c.local)
			if (id < 0) != (c.want < 0) {
				t.Fatalf("Lookup = %d", id)
			}
			got := d.Elements(id)
			if c.want < 0 {
				if got != nil {
					t.Fatalf("Elements(%d) = %v, want nil", id, got)
				}
				return
			}
			if len(got) != c.want {
				t.Fatalf("%d elements, want %d: %v", len(got), c.want, got)
			}
			if want := elementsByScan(d, id); !slices.Equal(got, want) {
				t.Errorf("Elements = %v, a scan finds %v", got, want)
			}
		})
	}
	d, err := Parse([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := d.ElementCount(); n != 8 {
		t.Errorf("ElementCount = %d, want 8", n)
	}
	if d.Elements(-1) != nil || d.Elements(NameID(d.Len()+100)) != nil {
		t.Error("an out-of-range NameID has elements")
	}
	// A subtree numbers its nodes afresh, so it has an index of its own.
	b := d.Elements(d.Lookup("v", "b"))[0]
	s := d.Subtree(b)
	if got := s.Elements(s.Lookup("v", "a")); len(got) != 1 || s.Name(got[0]) != (Name{"v", "a"}) {
		t.Errorf("subtree {v}a: %v", got)
	}
	if got, want := s.Elements(s.Lookup("u", "a")), elementsByScan(s, s.Lookup("u", "a")); len(got) != 1 || !slices.Equal(got, want) {
		t.Errorf("subtree {u}a: %v, want %v", got, want)
	}
	if s.ElementCount() != 3 {
		t.Errorf("subtree ElementCount = %d, want 3", s.ElementCount())
	}
}

// Every name of a real invoice, asked for from several goroutines at once
// (run with -race): the index is built once and agrees with a scan.
func TestElementsShared(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sharedtest.Dir(t), "examples/peppol-3.0.19/examples/base-example.xml"))
	if err != nil {
		t.Skip(err)
	}
	d, err := Parse(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(d.names))
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			total := 0
			for id := range NameID(len(d.names)) {
				got := d.Elements(id)
				total += len(got)
				if want := elementsByScan(d, id); !slices.Equal(got, want) {
					errs <- d.NameOf(id).Local
				}
			}
			if total != d.ElementCount() || total < 100 {
				errs <- "total"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("Elements disagrees with a scan for %s", e)
	}
}

// BenchmarkElements builds the element index of the Peppol base example
// (the first call's cost; later calls only slice it).
func BenchmarkElements(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(sharedtest.Dir(b), "examples/peppol-3.0.19/examples/base-example.xml"))
	if err != nil {
		b.Skip(err)
	}
	d, err := Parse(data, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var x elemIndex
		x.build(d)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(d.ElementCount()), "ns/element")
}
