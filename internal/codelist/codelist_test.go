package codelist

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ehf-project/ehf/internal/sharedtest"
)

func TestHas(t *testing.T) {
	for _, c := range []struct {
		release string
		id      ID
		code    string
		want    bool
	}{
		{"2026.5", UNCL4461, "30", true},
		{"2026.5", UNCL4461, "999", false},
		{"3.0.19", ISO4217, "ANG", true}, // withdrawn in the 2026.5 lists
		{"2026.5", ISO4217, "ANG", false},
		{"2026.5", ISO4217, "XCG", true},
		{"3.0.19", ISO4217, "XCG", false},
		{"2026.5", ISO4217, "nok", false}, // exact match; the rules do not fold case
		{"3.0.19", UNCL1001CreditNote, "502", false},
		{"2026.5", UNCL1001CreditNote, "502", true},
		{"2026.5", UNCL5305, "S", true},
		{"2026.5", UNECERec20, "C62", true},
		{"2026.5", MIME, "application/pdf", true},
		{"2026.5", MIME, "application/zip", false},
		{"2026.5", ISO3166, "NO", true},
		{"2026.5", VATPrefix, "EL", true},
		{"2026.5", EAS, "0192", true},
		{"unknown", EAS, "0192", true},
	} {
		if got := HasIn(c.release, c.id, c.code); got != c.want {
			t.Errorf("HasIn(%s, %s, %q) = %v, want %v", c.release, Get(c.id).Name, c.code, got, c.want)
		}
	}
	if !Has(UNCL4461, "58") || Has(ID(-1), "58") || Get(count) != nil {
		t.Error("Has or Get on the edges")
	}
}

// Every list is sorted, non-empty and names where it came from.
func TestTables(t *testing.T) {
	for id := ID(0); id < count; id++ {
		l := Get(id)
		if l.Name == "" || len(l.Versions) == 0 {
			t.Errorf("list %d: empty", id)
			continue
		}
		for i := range l.Versions {
			v := &l.Versions[i]
			if len(v.Codes) == 0 || v.Source == "" || len(v.Releases) == 0 {
				t.Errorf("%s: version %v lacks codes or source", l.Name, v.Releases)
			}
			for _, c := range v.Codes {
				if !v.Has(c) || v.Has(" "+c) || v.Has(c+"\x00") {
					t.Errorf("%s: Has(%q) is wrong", l.Name, c)
				}
			}
			for i := 1; i < len(v.Codes); i++ {
				if v.Codes[i-1] >= v.Codes[i] {
					t.Errorf("%s: %q before %q", l.Name, v.Codes[i-1], v.Codes[i])
				}
			}
		}
	}
}

// The committed tables are what the generator makes from the official
// files today.
func TestGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	shared := sharedtest.Path(t, "rules", "peppol-2026.5")
	out := filepath.Join(t.TempDir(), "tables_gen.go")
	cmd := exec.Command("go", "run", "./gen", "-shared", filepath.Dir(filepath.Dir(shared)), "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, b)
	}
	got, _ := os.ReadFile(out)
	want, _ := os.ReadFile("tables_gen.go")
	if !bytes.Equal(got, want) {
		t.Error("tables_gen.go is stale: run go generate ./internal/codelist")
	}
}

func BenchmarkHas(b *testing.B) {
	for b.Loop() {
		HasIn("2026.5", UNECERec20, "XPP")
	}
}
