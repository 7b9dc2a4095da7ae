package cen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"github.com/ehf-project/ehf/internal/sharedtest"
)

var assertIDFlag = regexp.MustCompile(`<assert id="([^"]+)" flag="(\w+)"`)

// The pack has every rule of the official CEN file of each release, with
// the same flag, and no other.
func TestSameRulesAsOfficial(t *testing.T) {
	for _, c := range []struct{ rel, file string }{
		{R3019, "peppol-billing-3.0.19/CEN-EN16931-UBL.sch"},
		{R20265, "peppol-2026.5/CEN-EN16931-UBL.sch"},
		// The CEN unit tests are those of validation artefacts 1.3.16,
		// which the 2026.5 release carries.
		{R20265, "cen-en16931-ubl/preprocessed/EN16931-UBL-validation-preprocessed.sch"},
	} {
		rel := c.rel
		data, err := os.ReadFile(sharedtest.Path(t, "rules", c.file))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, m := range assertIDFlag.FindAllSubmatch(data, -1) {
			want[string(m[1])] = string(m[2])
		}
		got := map[string]string{}
		for _, r := range Rules(rel) {
			if _, dup := got[r.ID]; dup {
				t.Errorf("%s: %s twice", rel, r.ID)
			}
			got[r.ID] = r.Flag.String()
			if r.En == "" || r.Nb == "" {
				t.Errorf("%s: %s lacks a message", rel, r.ID)
			}
		}
		var diffs []string
		for id, f := range want {
			if got[id] != f {
				diffs = append(diffs, id+": official "+f+", pack "+got[id])
			}
		}
		for id := range got {
			if _, ok := want[id]; !ok {
				diffs = append(diffs, id+": not in the official file")
			}
		}
		sort.Strings(diffs)
		for _, d := range diffs {
			t.Errorf("%s: %s", rel, d)
		}
		t.Logf("%s: %d rules", rel, len(got))
	}
}

// The releases differ where the official files differ.
func TestReleaseDifferences(t *testing.T) {
	ids := func(rel string) map[string]bool {
		m := map[string]bool{}
		for _, r := range Rules(rel) {
			m[r.ID] = true
		}
		return m
	}
	a, b := ids(R3019), ids(R20265)
	for _, id := range []string{"BR-CO-25", "BR-66", "BR-67", "UBL-CR-631"} {
		if !a[id] || b[id] {
			t.Errorf("%s should be in 3.0.19 only", id)
		}
	}
	for _, id := range []string{"UBL-SR-54", "UBL-SR-55", "UBL-SR-56"} {
		if a[id] || !b[id] {
			t.Errorf("%s should be in 2026.5 only", id)
		}
	}
}

// cr_table.go is what the generator makes from the official files today.
func TestCRTableGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	shared := sharedtest.Dir(t)
	out := filepath.Join(t.TempDir(), "cr_table.go")
	cmd := exec.Command("go", "run", "./gen", "-shared", shared, "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, b)
	}
	got, _ := os.ReadFile(out)
	want, _ := os.ReadFile("cr_table.go")
	if !bytes.Equal(got, want) {
		t.Error("cr_table.go is stale: run go generate ./internal/rules/cen")
	}
}
