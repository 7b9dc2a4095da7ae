package cen

import (
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/codelist"
)

// shortSubs answers as strings.Contains does for every string of up to two
// ASCII bytes, and declines any other.
func TestShortSubs(t *testing.T) {
	for _, rel := range []string{R3019, R20265} {
		list := listString(rel, codelist.VATPrefix)
		s := newShortSubs(list)
		found := 0
		check := func(sub string) {
			ok, known := s.has(sub)
			if !known {
				t.Fatalf("%q: not answered", sub)
			}
			if want := strings.Contains(list, sub); ok != want {
				t.Errorf("%s: %q: %v, want %v", rel, sub, ok, want)
			}
			if ok {
				found++
			}
		}
		check("")
		for a := range 128 {
			check(string(rune(a)))
			for b := range 128 {
				check(string([]byte{byte(a), byte(b)}))
			}
		}
		if found < 100 {
			t.Errorf("%s: only %d found: is the list empty?", rel, found)
		}
		for _, sub := range []string{"Ø", "NOR", "\xff", "N\xff"} {
			if _, known := s.has(sub); known {
				t.Errorf("%q: answered", sub)
			}
		}
	}
}
