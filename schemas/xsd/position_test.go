package xsd

import (
	"bytes"
	"encoding/xml"
	"testing"
)

func TestElementPositions(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want map[int64]position
	}{
		{"simple", "<a><b/>\n<c>t</c></a>", map[int64]position{1: {1, 1}, 2: {1, 4}, 3: {2, 1}}},
		{"prolog, comment, PI and CDATA hold no elements",
			"<?xml version=\"1.0\"?>\n<!-- <x> -->\n<a><?pi <y>?><![CDATA[<z>]]><b/></a>",
			map[int64]position{1: {3, 1}, 2: {3, 29}}},
		{"DOCTYPE with an internal subset holding '<' and '>'",
			"<!DOCTYPE a [<!ENTITY e '<q>'> <!-- it's ]> -->]>\n<a><b/></a>",
			map[int64]position{1: {2, 1}, 2: {2, 4}}},
		{"characters, not bytes", "<a>æøå<b/>\n  \u00e9<c/></a>", map[int64]position{2: {1, 7}, 3: {2, 4}}},
		{"byte order mark", "\xef\xbb\xbf<a><b/></a>", map[int64]position{1: {1, 1}, 2: {1, 4}}},
		{"attribute values may hold '>'", "<a x='>'><b y=\">>\"/></a>", map[int64]position{2: {1, 10}}},
		{"start tag over lines", "<a>\n<b\n  x='1'\n/></a>", map[int64]position{2: {2, 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var want []int64
			for id := range tc.want {
				want = append(want, id)
			}
			got := elementPositions([]byte(tc.doc), want)
			for id, p := range tc.want {
				if got[id] != p {
					t.Errorf("element %d at %v, want %v", id, got[id], p)
				}
			}
		})
	}
	if got := elementPositions([]byte("<a/>"), []int64{5}); len(got) != 0 {
		t.Errorf("an element past the end was placed: %v", got)
	}
	if got := elementPositions([]byte("<a/>"), nil); got != nil {
		t.Errorf("nothing wanted, got %v", got)
	}
}

// FuzzElementPositions checks the scanner against encoding/xml on whatever
// well-formed documents the fuzzer finds: the n-th start element Go's
// decoder reports must start where the scanner says.
func FuzzElementPositions(f *testing.F) {
	f.Add([]byte("<a><b/><!-- <c> --><c x='>'>t</c></a>"))
	f.Add([]byte("<?xml version='1.0'?><a><![CDATA[<b>]]><b/></a>"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		d := xml.NewDecoder(bytes.NewReader(doc))
		var offsets []int64
		for {
			off := d.InputOffset()
			tok, err := d.RawToken()
			if err != nil {
				break
			}
			if _, ok := tok.(xml.StartElement); ok {
				offsets = append(offsets, off)
			}
			if _, ok := tok.(xml.Directive); ok {
				return // Go and libxml2 differ on DOCTYPEs; not this scanner's concern
			}
		}
		if len(offsets) == 0 || !isWellFormed(doc) {
			return
		}
		want := make([]int64, len(offsets))
		for i := range want {
			want[i] = int64(i + 1)
		}
		got := elementPositions(doc, want)
		ref := offsetsToPositions(doc, func() map[int64]int {
			m := map[int64]int{}
			for i, o := range offsets {
				m[int64(i+1)] = int(o)
			}
			return m
		}())
		for id, p := range ref {
			if got[id] != p {
				t.Fatalf("element %d: scanner %v, encoding/xml %v", id, got[id], p)
			}
		}
	})
}

// isWellFormed asks encoding/xml, strictly, whether the whole document
// parses; the scanner is only promised well-formed input.
func isWellFormed(doc []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		_, err := d.Token()
		if err != nil {
			return err.Error() == "EOF"
		}
	}
}
