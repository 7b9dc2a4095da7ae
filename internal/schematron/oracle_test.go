package schematron_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/schematron/schtest"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// The oracle test compares this engine with the reference engine (the
// official rules compiled to XSLT, run by Saxon-HE, in ../shared/oracle)
// on the billing examples and on documents derived from them by mutation.
// It needs Java, so it runs only when EHF_ORACLE is set; CI has no Java.
// EHF_ORACLE_KEEP=dir keeps the generated documents there.

// oracleSets maps rule file sets to the compiled XSLT the oracle runs.
var oracleSets = map[string][]string{
	strings.Join(schtest.Billing3019, ","):  {"3.0.19-CEN.xsl", "3.0.19-PEPPOL.xsl"},
	strings.Join(schtest.Billing20265, ","): {"2026.5-CEN.xsl", "2026.5-PEPPOL.xsl"},
	strings.Join(schtest.CENOnly, ","):      {"cen-1.3.16.xsl"},
}

type oracleFinding struct {
	ID       string `json:"id"`
	Flag     string `json:"flag"`
	Location string `json:"location"`
}

type oracleResult struct {
	File     string          `json:"file"`
	Findings []oracleFinding `json:"findings"`
	Error    string          `json:"error"`
}

func TestOracle(t *testing.T) {
	if os.Getenv("EHF_ORACLE") == "" {
		t.Skip("set EHF_ORACLE=1 to compare with the reference engine (needs Java and Saxon-HE)")
	}
	shared := sharedtest.Dir(t)
	oracle := filepath.Join(shared, "oracle", "oracle")
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("java is not installed")
	}
	dir := os.Getenv("EHF_ORACLE_KEEP")
	if dir == "" {
		dir = t.TempDir()
	}
	mutations := 6
	if v, err := strconv.Atoi(os.Getenv("EHF_ORACLE_MUTATIONS")); err == nil {
		mutations = v
	}
	type doc struct {
		name  string
		data  []byte
		rules []string
	}
	groups := map[string][]doc{}
	rng := rand.New(rand.NewSource(1))
	for _, ex := range schtest.Examples(t) {
		key := strings.Join(ex.Rules, ",")
		if _, ok := oracleSets[key]; !ok {
			continue
		}
		data, err := os.ReadFile(ex.Path)
		if err != nil {
			t.Fatal(err)
		}
		base := strings.ReplaceAll(strings.TrimSuffix(filepath.Base(ex.Path), ".xml"), " ", "_")
		groups[key] = append(groups[key], doc{base + ".xml", data, ex.Rules})
		for i, m := range schtest.Mutate(data, rng, mutations) {
			groups[key] = append(groups[key], doc{fmt.Sprintf("%s.m%d.xml", base, i), m, ex.Rules})
		}
	}
	for key, docs := range groups {
		var files []string
		byFile := map[string]doc{}
		for _, d := range docs {
			f := filepath.Join(dir, d.name)
			if err := os.WriteFile(f, d.data, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
			byFile[f] = d
		}
		var xslt []string
		for _, x := range oracleSets[key] {
			xslt = append(xslt, filepath.Join(shared, "oracle", "xslt", x))
		}
		cmd := exec.Command(oracle, append([]string{strings.Join(xslt, ",")}, files...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("oracle: %v\n%s", err, stderr.String())
		}
		prog := schtest.Program(t, docs[0].rules)
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		compared, skipped := 0, 0
		for sc.Scan() {
			var r oracleResult
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("oracle output: %v: %s", err, sc.Text())
			}
			d := byFile[r.File]
			doc, err := xmltree.Parse(d.data, &xmltree.Options{File: r.File})
			if err != nil {
				skipped++
				continue
			}
			ours := prog.Validate(doc)
			if r.Error != "" {
				// The reference engine stopped the document; ours must
				// have reported a rule it could not evaluate.
				found := false
				for _, f := range ours {
					found = found || schtest.IsEvalError(f)
				}
				if !found {
					t.Errorf("%s: the oracle failed (%s) but this engine evaluated every rule", d.name, r.Error)
				}
				skipped++
				continue
			}
			compared++
			want := map[string]int{}
			for _, f := range r.Findings {
				want[f.ID+" "+f.Flag+" "+oracleLocation(doc, f.Location)]++
			}
			got := map[string]int{}
			for _, f := range ours {
				got[f.ID+" "+f.Flag.String()+" "+f.Location]++
			}
			var diffs []string
			for k, n := range want {
				if got[k] != n {
					diffs = append(diffs, fmt.Sprintf("oracle %d× / ours %d×: %s", n, got[k], k))
				}
			}
			for k, n := range got {
				if _, ok := want[k]; !ok {
					diffs = append(diffs, fmt.Sprintf("oracle 0× / ours %d×: %s", n, k))
				}
			}
			sort.Strings(diffs)
			for _, df := range diffs {
				t.Errorf("%s: %s", d.name, df)
			}
		}
		t.Logf("%s: %d documents compared, %d skipped (oracle error or not well-formed)", key, compared, skipped)
	}
}

var oracleStep = regexp.MustCompile(`^\*:([^\[]+)\[namespace-uri\(\)='([^']*)'\]\[(\d+)\]$|^([^\[*:]+)\[(\d+)\]$`)

// oracleLocation turns an SVRL location (/*:Invoice[namespace-uri()='…'][1]/…)
// into the form this engine writes, by finding the node it names.
func oracleLocation(d *xmltree.Document, loc string) string {
	if loc == "/" || loc == "" {
		return "/"
	}
	n := xmltree.NodeID(0)
	for _, step := range strings.Split(strings.TrimPrefix(loc, "/"), "/") {
		m := oracleStep.FindStringSubmatch(step)
		if m == nil {
			return "unparsed:" + loc
		}
		local, space, idx := m[1], m[2], m[3]
		if m[4] != "" {
			local, space, idx = m[4], "", m[5]
		}
		k, _ := strconv.Atoi(idx)
		id := d.Lookup(space, local)
		found := xmltree.None
		for c := range d.ChildElements(n, id) {
			k--
			if k == 0 {
				found = c
				break
			}
		}
		if found == xmltree.None {
			return "missing:" + loc
		}
		n = found
	}
	return d.Path(n, invoice.Prefix)
}
