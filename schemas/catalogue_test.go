package schemas

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"go/format"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/sharedtest"
)

var update = flag.Bool("update", false, "regenerate catalogue_table.go from the shared kit")

// sharedDir returns the shared kit, or skips the test when it is absent.
func sharedDir(t testing.TB) string { sharedtest.Path(t, "rules"); return sharedtest.Dir(t) }

// member says which files of a kit folder belong to a set: the Peppol
// 2026.5 folder holds both the billing set and the other transactions.
func member(set, p string) bool {
	base := path.Base(p)
	switch set {
	case "ubl-2.1":
		return strings.HasSuffix(base, ".xsd")
	case "peppol-billing-2026.5":
		return strings.HasSuffix(base, ".sch") && !strings.HasPrefix(base, "PEPPOLBIS-T")
	case "peppol-2026.5":
		return strings.HasSuffix(base, ".sch") && strings.HasPrefix(base, "PEPPOLBIS-T")
	}
	return strings.HasSuffix(base, ".sch")
}

// docTypesOf says which document types a file applies to. It is the
// source of the DocTypes column of the generated table.
func docTypesOf(set, p string) []string {
	base := path.Base(p)
	billing := []string{"Invoice", "CreditNote"}
	switch {
	case set == "ubl-2.1" && strings.HasPrefix(p, "maindoc/"):
		return []string{strings.TrimSuffix(strings.TrimPrefix(base, "UBL-"), "-2.1.xsd")}
	case set == "ubl-2.1":
		return []string{"*"}
	case set == "cen-en16931-ubl-1.3.16", set == "peppol-billing-3.0.19", set == "peppol-billing-2026.5":
		return billing
	case set == "peppol-2026.5":
		t := map[string]string{
			"T01": "Order", "T16": "DespatchAdvice", "T19": "Catalogue", "T58": "ApplicationResponse",
			"T71": "ApplicationResponse", "T76": "OrderResponse", "T77": "Catalogue", "T110": "OrderResponse",
			"T111": "ApplicationResponse", "T114": "OrderChange", "T115": "OrderCancellation", "T116": "OrderResponse",
		}[strings.TrimSuffix(strings.TrimPrefix(base, "PEPPOLBIS-"), ".sch")]
		if t != "" {
			return []string{t}
		}
	case set == "ehf-g3":
		for _, r := range []struct{ key, doc string }{
			{"ORDER-CANCELLATION", "OrderCancellation"}, {"ORDER-CHANGE", "OrderChange"},
			{"ORDER-INITIATION", "Order"}, {"CATALOGUE-RESPONSE", "ApplicationResponse"},
			{"CATALOGUE", "Catalogue"}, {"DESPATCH-ADVICE", "DespatchAdvice"},
			{"ORDER-AGREEMENT", "OrderResponse"}, {"ORDER-RESPONSE", "OrderResponse"},
			{"EHF-ORDER-3.0", "Order"}, {"PAYMENT-REQUEST", "Invoice"}, {"PUNCH-OUT", "Catalogue"},
			{"REMINDER", "Invoice"},
		} {
			if strings.Contains(base, r.key) {
				return []string{r.doc}
			}
		}
		if strings.HasPrefix(base, "FORWARD-BILLING") {
			return billing
		}
	}
	return nil
}

// kitFiles lists, from the shared kit, the files of every set with their
// hash and size, sorted as the table is.
func kitFiles(t *testing.T) []Artefact {
	shared := sharedDir(t)
	var out []Artefact
	for _, s := range Sets {
		root := filepath.Join(shared, filepath.FromSlash(s.KitDir))
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			rel = filepath.ToSlash(rel)
			if !member(s.Name, rel) {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			out = append(out, Artefact{
				Set: s.Name, Path: rel,
				Repo: s.Repo, RepoPath: s.RepoDir + "/" + rel, Commit: s.Commit,
				SHA256: hex.EncodeToString(sum[:]), Size: int64(len(b)),
				DocTypes: docTypesOf(s.Name, rel),
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestCatalogue checks every catalogue entry against the copy in the shared
// kit (which came from the pinned commits), and that the catalogue lists
// every file of every set. With -update it rewrites the table instead.
func TestCatalogue(t *testing.T) {
	kit := kitFiles(t)
	if *update {
		writeTable(t, kit)
		return
	}
	if len(kit) != len(Catalogue) {
		t.Errorf("the kit has %d files in the catalogued sets, the catalogue %d (run go test -run TestCatalogue -update)", len(kit), len(Catalogue))
	}
	byKey := map[string]Artefact{}
	for _, a := range Catalogue {
		k := a.Set + "/" + a.Path
		if _, dup := byKey[k]; dup {
			t.Errorf("%s is listed twice", k)
		}
		byKey[k] = a
	}
	for _, want := range kit {
		got, ok := byKey[want.Set+"/"+want.Path]
		switch {
		case !ok:
			t.Errorf("%s/%s is in the kit but not in the catalogue", want.Set, want.Path)
		case got.SHA256 != want.SHA256 || got.Size != want.Size:
			t.Errorf("%s/%s: catalogue says %s (%d bytes), the kit has %s (%d bytes)", want.Set, want.Path, got.SHA256, got.Size, want.SHA256, want.Size)
		case got.Repo != want.Repo || got.RepoPath != want.RepoPath || got.Commit != want.Commit:
			t.Errorf("%s/%s: source %s %s@%s, want %s %s@%s", want.Set, want.Path, got.Repo, got.RepoPath, got.Commit, want.Repo, want.RepoPath, want.Commit)
		case !slices.Equal(got.DocTypes, want.DocTypes):
			t.Errorf("%s/%s: document types %v, want %v", want.Set, want.Path, got.DocTypes, want.DocTypes)
		}
	}
}

// TestCatalogueShape checks what must hold without the kit: every entry
// belongs to a known set, has a hash, a source URL at a pinned commit and
// document types; every set has files.
func TestCatalogueShape(t *testing.T) {
	perSet := map[string]int{}
	for _, a := range Catalogue {
		s, ok := LookupSet(a.Set)
		if !ok {
			t.Errorf("%s: unknown set %q", a.Path, a.Set)
			continue
		}
		perSet[a.Set]++
		if len(a.SHA256) != 64 || a.Size <= 0 || len(a.DocTypes) == 0 {
			t.Errorf("%s/%s: incomplete entry %+v", a.Set, a.Path, a)
		}
		wantURL := "https://raw.githubusercontent.com/" + s.Repo + "/" + s.Commit + "/" + s.RepoDir + "/" + a.Path
		if a.URL() != wantURL {
			t.Errorf("%s/%s: URL %s, want %s", a.Set, a.Path, a.URL(), wantURL)
		}
		if a.KitPath() != s.KitDir+"/"+a.Path {
			t.Errorf("%s/%s: kit path %s", a.Set, a.Path, a.KitPath())
		}
		if strings.Contains(a.Path, "..") || strings.HasPrefix(a.Path, "/") {
			t.Errorf("%s/%s: path escapes the set folder", a.Set, a.Path)
		}
	}
	for _, s := range Sets {
		if perSet[s.Name] == 0 {
			t.Errorf("set %s has no files", s.Name)
		}
		if !s.Until.IsZero() && !s.Until.After(s.From) {
			t.Errorf("set %s ends before it starts", s.Name)
		}
	}
	billing, _ := LookupSet("peppol-billing-2026.5")
	old, _ := LookupSet("peppol-billing-3.0.19")
	if !billing.From.Equal(old.Until) || billing.From.Format("2006-01-02") != "2026-08-17" {
		t.Errorf("Peppol billing releases do not hand over on 2026-08-17: %v / %v", old.Until, billing.From)
	}
}

func writeTable(t *testing.T, kit []Artefact) {
	var b bytes.Buffer
	b.WriteString("// Code generated by \"go test -run TestCatalogue -update\" from the shared kit; DO NOT EDIT.\n\n")
	b.WriteString("package schemas\n\n")
	b.WriteString("// Catalogue lists every official file ehf can install: which set it\n")
	b.WriteString("// belongs to, where it comes from (repository, path, pinned commit), its\n")
	b.WriteString("// SHA-256 and size, and the document types it applies to. The in-force\n")
	b.WriteString("// dates are those of its set (see Sets).\n")
	b.WriteString("var Catalogue = []Artefact{\n")
	for _, a := range kit {
		fmt.Fprintf(&b, "\t{Set: %q, Path: %q, Repo: %q, RepoPath: %q, Commit: %q, SHA256: %q, Size: %d, DocTypes: %#v},\n",
			a.Set, a.Path, a.Repo, a.RepoPath, a.Commit, a.SHA256, a.Size, a.DocTypes)
	}
	b.WriteString("}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("catalogue_table.go", src, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote catalogue_table.go with %d entries", len(kit))
}
