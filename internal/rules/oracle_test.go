package rules

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ehf-project/ehf/internal/conformance"
	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// TestOracle runs the reference engine (Saxon with the official rules, in
// ../shared/oracle) and the native set over every billing example, and
// requires the same rule IDs with the same flags and locations' element
// names on each. It needs Java and Saxon, so it runs only when EHF_ORACLE=1;
// CI has neither.
func TestOracle(t *testing.T) {
	if os.Getenv("EHF_ORACLE") != "1" {
		t.Skip("set EHF_ORACLE=1 to compare with the reference engine (needs: apt-get install -y default-jdk-headless libsaxonhe-java)")
	}
	shared := sharedtest.Dir(t)
	var files []string
	for _, f := range sharedtest.XMLFiles(t, filepath.Join(shared, "examples")) {
		data, err := os.ReadFile(f)
		if err == nil && strings.Contains(string(data), "poacc:billing:3.0") && !strings.Contains(string(data), "StandardBusinessDocument") {
			files = append(files, f)
		}
	}
	// The conformance documents break rules on purpose: the strongest
	// comparison. Each is written out on its own, as the oracle needs files.
	tmp := t.TempDir()
	for _, suite := range []string{"conformance/cen", "conformance/peppol-3.0.19"} {
		cases, err := conformance.Load(filepath.Join(shared, suite))
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range cases {
			root := c.Doc.Root()
			src := withNamespaces(c.Doc, root)
			name := filepath.Join(tmp, fmt.Sprintf("%s-%04d-%s.xml", filepath.Base(suite), i, strings.TrimSuffix(filepath.Base(c.File), ".xml")))
			if err := os.WriteFile(name, src, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, name)
		}
	}
	for _, c := range []struct{ set, release string }{{Billing3019, "3.0.19"}, {Billing20265, "2026.5"}} {
		t.Run(c.release, func(t *testing.T) {
			xslt := filepath.Join(shared, "oracle/xslt", c.release+"-CEN.xsl") + "," + filepath.Join(shared, "oracle/xslt", c.release+"-PEPPOL.xsl")
			cmd := exec.Command(filepath.Join(shared, "oracle/oracle"), append([]string{xslt}, files...)...)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Skipf("the oracle does not run here: %v", err)
			}
			set := Lookup(c.set)
			sc := bufio.NewScanner(out)
			sc.Buffer(nil, 1<<24)
			n := 0
			for sc.Scan() {
				var o struct {
					File     string `json:"file"`
					Error    string `json:"error"`
					Findings []struct {
						ID       string `json:"id"`
						Flag     string `json:"flag"`
						Location string `json:"location"`
					} `json:"findings"`
				}
				if err := json.Unmarshal(sc.Bytes(), &o); err != nil || o.Error != "" {
					continue // the oracle stopped on this document (a dynamic error): nothing to compare
				}
				n++
				var want []string
				for _, f := range o.Findings {
					want = append(want, fmt.Sprintf("%s %s", f.ID, f.Flag))
				}
				got := native(t, set, o.File)
				sort.Strings(want)
				if only, missing := diff(got, want); len(only)+len(missing) > 0 {
					t.Errorf("%s: only native: %v; only the oracle: %v", o.File, only, missing)
				}
			}
			cmd.Wait()
			if n < len(files)*3/4 {
				t.Errorf("the oracle answered for %d of %d files", n, len(files))
			}
			t.Logf("%d files compared", n)
		})
	}
}

// diff returns what only a has and what only b has, counting repeats.
func diff(a, b []string) (onlyA, onlyB []string) {
	count := map[string]int{}
	for _, x := range a {
		count[x]++
	}
	for _, x := range b {
		count[x]--
	}
	for x, n := range count {
		for ; n > 0; n-- {
			onlyA = append(onlyA, x)
		}
		for ; n < 0; n++ {
			onlyB = append(onlyB, x)
		}
	}
	sort.Strings(onlyA)
	sort.Strings(onlyB)
	return onlyA, onlyB
}

// withNamespaces is the source of an embedded document, with the namespace
// declarations it inherits from the test set written on its root.
func withNamespaces(d *xmltree.Document, root xmltree.NodeID) []byte {
	src := string(d.Source(root))
	end := strings.IndexAny(src, " >/")
	var decls []string
	seen := map[string]bool{}
	for _, ns := range []struct{ p, uri string }{
		{"cbc", invoice.NSCBC}, {"cac", invoice.NSCAC},
	} {
		if !strings.Contains(src, "xmlns:"+ns.p+"=") && strings.Contains(src, ns.p+":") && !seen[ns.p] {
			decls = append(decls, fmt.Sprintf(" xmlns:%s=%q", ns.p, ns.uri))
			seen[ns.p] = true
		}
	}
	return []byte(src[:end] + strings.Join(decls, "") + src[end:])
}

func native(t *testing.T, set *Set, file string) []string {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	d, err := xmltree.Parse(data, &xmltree.Options{File: file})
	if err != nil {
		t.Fatal(err)
	}
	inv, _ := invoice.Read(d, d.Root())
	var got []string
	for _, f := range set.Check(d, inv, time.Now()) {
		got = append(got, fmt.Sprintf("%s %s", f.ID, f.Flag))
	}
	sort.Strings(got)
	return got
}
