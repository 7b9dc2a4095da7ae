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
