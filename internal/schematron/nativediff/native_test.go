package nativediff

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/rules"
	"github.com/ehf-project/ehf/internal/schematron/schtest"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// TestNativeAgrees runs the native rule pack (internal/rules) and this
// engine with the official files of the same release over every billing
// example and documents derived from them by mutation, and requires the
// same (rule ID, flag, location) findings from both, for every rule ID
// that both define. Documents on which an official test cannot be
// evaluated (the reference engine would stop) are left out: the two
// engines report such values differently by design.
func TestNativeAgrees(t *testing.T) {
	shared := sharedtest.Dir(t)
	mutations := 12
	if testing.Short() {
		mutations = 2
	}
	if v, err := strconv.Atoi(os.Getenv("EHF_MUTATIONS")); err == nil {
		mutations = v // more for a local run
	}
	type release struct {
		files  []string
		native *rules.Set
		day    time.Time
		ids    map[string]bool // rule IDs both engines define
	}
	releases := map[string]*release{}
	for name, r := range map[string]struct {
		files []string
		set   string
		day   time.Time
	}{
		"3.0.19": {schtest.Billing3019, rules.Billing3019, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)},
		"2026.5": {schtest.Billing20265, rules.Billing20265, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)},
	} {
		set := rules.Lookup(r.set)
		if set == nil || len(set.Rules()) == 0 {
			t.Skipf("the native rule set %s is not built", r.set)
		}
		rel := &release{files: r.files, native: set, day: r.day, ids: map[string]bool{}}
		native := map[string]bool{}
		for _, nr := range set.Rules() {
			native[nr.ID] = true
		}
		for _, sr := range schtest.Program(t, r.files).Rules() {
			if native[sr.ID] {
				rel.ids[sr.ID] = true
			}
		}
		if len(rel.ids) < 100 {
			t.Fatalf("release %s: only %d rule IDs in common", name, len(rel.ids))
		}
		releases[name] = rel
	}
	rng := rand.New(rand.NewSource(7))
	compared, skipped := 0, 0
	byRule := map[string][]string{}
	for _, ex := range schtest.Examples(t) {
		var rel *release
		switch key := strings.Join(ex.Rules, ","); key {
		case strings.Join(schtest.Billing3019, ","), strings.Join(schtest.CENOnly, ","):
			rel = releases["3.0.19"]
		case strings.Join(schtest.Billing20265, ","):
			rel = releases["2026.5"]
		default:
			continue
		}
		data, err := os.ReadFile(ex.Path)
		if err != nil {
			t.Fatal(err)
		}
		name, _ := filepath.Rel(shared, ex.Path)
		docs := [][]byte{data}
		docs = append(docs, schtest.Mutate(data, rng, mutations)...)
		for i, b := range docs {
			label := name
			if i > 0 {
				label = fmt.Sprintf("%s (mutation %d)", name, i)
			}
			d, err := xmltree.Parse(b, &xmltree.Options{File: label})
			if err != nil {
				skipped++
				continue
			}
			ours := schtest.Program(t, rel.files).Validate(d)
			if schtest.HasEvalError(ours) {
				skipped++
				continue
			}
			theirs := native(d, rel.native, rel.day)
			compared++
			for _, df := range diffFindings(rel.ids, ours, theirs) {
				byRule[df.id] = append(byRule[df.id], label+": "+df.text)
			}
		}
	}
	ids := make([]string, 0, len(byRule))
	for id := range byRule {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		l := byRule[id]
		t.Errorf("rule %s: the engines disagree on %d documents, e.g. %s", id, len(l), l[0])
	}
	t.Logf("%d documents compared, %d left out (not well-formed, or an official test cannot be evaluated)", compared, skipped)
}

func native(d *xmltree.Document, set *rules.Set, day time.Time) []report.Finding {
	root := d.Root()
	if root == xmltree.None {
		return nil
	}
	inv, _ := invoice.Read(d, root)
	return set.Check(d, inv, day)
}

type diff struct{ id, text string }

// diffFindings compares two engines' findings on the rule IDs in ids.
func diffFindings(ids map[string]bool, ours, theirs []report.Finding) []diff {
	count := func(fs []report.Finding) map[string]int {
		m := map[string]int{}
		for _, f := range fs {
			if ids[f.ID] {
				m[f.ID+"\x00"+f.Flag.String()+"\x00"+f.Location]++
			}
		}
		return m
	}
	a, b := count(ours), count(theirs)
	var out []diff
	for k, n := range a {
		if b[k] != n {
			p := strings.Split(k, "\x00")
			out = append(out, diff{p[0], fmt.Sprintf("%s at %s: schematron %d×, native %d×", p[1], p[2], n, b[k])})
		}
	}
	for k, n := range b {
		if _, ok := a[k]; !ok {
			p := strings.Split(k, "\x00")
			out = append(out, diff{p[0], fmt.Sprintf("%s at %s: schematron 0×, native %d×", p[1], p[2], n)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].text < out[j].text })
	return out
}
