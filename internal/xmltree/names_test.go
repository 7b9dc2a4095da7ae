package xmltree

import "testing"

// LookupKey finds what Lookup finds, for names present and absent, also in
// a document with more names than the initial hash table holds.
func TestLookupKey(t *testing.T) {
	doc := "<r xmlns='u' xmlns:p='v' p:at='1'>"
	for i := range 300 {
		doc += "<e" + itoa(i) + "/>"
	}
	doc += "</r>"
	d, err := Parse([]byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := d.NameCount(); n != 302 { // r, at and e0 ... e299
		t.Errorf("NameCount = %d, want 302", n)
	}
	for id := range NameID(d.NameCount()) {
		if nm := d.NameOf(id); d.Lookup(nm.Space, nm.Local) != id {
			t.Errorf("name %d %v looks up as %d", id, nm, d.Lookup(nm.Space, nm.Local))
		}
	}
	for _, c := range []struct {
		space, local string
		present      bool
	}{
		{"u", "r", true}, {"v", "at", true}, {"u", "e0", true}, {"u", "e299", true},
		{"", "r", false}, {"v", "r", false}, {"u", "e300", false}, {"u", "", false},
	} {
		got, want := d.LookupKey(NewNameKey(c.space, c.local)), d.Lookup(c.space, c.local)
		if got != want || (got >= 0) != c.present {
			t.Errorf("{%s}%s: LookupKey %d, Lookup %d, want present=%v", c.space, c.local, got, want, c.present)
		}
		if got >= 0 && d.NameOf(got) != (Name{c.space, c.local}) {
			t.Errorf("{%s}%s: found %v", c.space, c.local, d.NameOf(got))
		}
	}
}

// Names are kept as spans: of the input for local names and prefixes, of
// decoded text for a namespace written with a reference, and the xml
// prefix's namespace, which is in neither.
func TestNameSpans(t *testing.T) {
	d, err := Parse([]byte("<p:r xmlns:p='urn:a&amp;b' xmlns='d' xml:lang='no'><e q:x='1' xmlns:q='&#x75;'/><p:e/></p:r>"), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name   Name
		prefix string
	}{
		{Name{"urn:a&b", "r"}, "p"},
		{Name{xmlNamespace, "lang"}, "xml"},
		{Name{"d", "e"}, ""},
		{Name{"u", "x"}, "q"},
		{Name{"urn:a&b", "e"}, "p"},
	}
	if d.NameCount() != len(want) {
		t.Fatalf("NameCount = %d, want %d", d.NameCount(), len(want))
	}
	for id, w := range want {
		if got := d.NameOf(NameID(id)); got != w.name || d.Prefix(NameID(id)) != w.prefix {
			t.Errorf("name %d = %v prefix %q, want %v prefix %q", id, got, d.Prefix(NameID(id)), w.name, w.prefix)
		}
		if d.Lookup(w.name.Space, w.name.Local) != NameID(id) {
			t.Errorf("Lookup(%v) = %d, want %d", w.name, d.Lookup(w.name.Space, w.name.Local), id)
		}
	}
}

// name, the fast scan, ends where nameSlow ends and fails where it fails,
// for every string of up to six characters from a set that has each kind
// of byte a name may meet (a colon, start and other name characters,
// non-ASCII, a stop), followed by '>'.
func TestNameAgreesWithSlow(t *testing.T) {
	alphabet := []string{"a", ":", "-", "1", ".", "_", "é", " ", "=", "\xff"}
	var walk func(s string, depth int)
	walk = func(s string, depth int) {
		if s != "" {
			src := []byte(s + ">")
			p := &parser{src: src}
			errFast := p.name("element")
			fast := p.pos
			p.pos = 0
			errSlow := p.nameSlow("element")
			if (errFast == nil) != (errSlow == nil) || (errFast == nil && fast != p.pos) {
				t.Fatalf("%q: name ends at %d (%v), nameSlow at %d (%v)", s, fast, errFast, p.pos, errSlow)
			}
		}
		if depth == 6 {
			return
		}
		for _, c := range alphabet {
			walk(s+c, depth+1)
		}
	}
	walk("", 0)
}

// sameBytes finds a difference at any position of spans of any length up
// to 40 (the two-word case, the loop and the byte loop), and none where
// there is none.
func TestSameBytes(t *testing.T) {
	src := make([]byte, 100)
	for i := range src {
		src[i] = byte('a' + i%7)
	}
	for n := 0; n <= 40; n++ {
		a, b := 3, 3+7*8 // equal spans: the pattern repeats every 7 bytes
		if !sameBytes(src, a, b, n) {
			t.Fatalf("n=%d: equal spans differ", n)
		}
		for pos := range n {
			src[b+pos] ^= 0x20
			if sameBytes(src, a, b, n) {
				t.Fatalf("n=%d: a difference at %d is not seen", n, pos)
			}
			src[b+pos] ^= 0x20
		}
	}
}
