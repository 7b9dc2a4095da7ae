package peppol

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// TestOracle compares the pack with the reference engine, document by
// document, on a corpus you produce locally (CI has no Java):
//
//	../shared/oracle/oracle ../shared/oracle/xslt/3.0.19-PEPPOL.xsl DIR/*.xml > out.jsonl   (run inside DIR)
//	EHF_ORACLE=out.jsonl EHF_ORACLE_DIR=DIR EHF_ORACLE_RELEASE=3.0.19 go test -run Oracle ./internal/rules/peppol
//
// Every (rule, flag, location) the official rules report must be reported
// here, and nothing else.
func TestOracle(t *testing.T) {
	file, dir, rel := os.Getenv("EHF_ORACLE"), os.Getenv("EHF_ORACLE_DIR"), os.Getenv("EHF_ORACLE_RELEASE")
	if file == "" {
		t.Skip("EHF_ORACLE (the reference engine's output) is not set; see the comment for how to make it")
	}
	rules := Rules(rel)
	if rules == nil {
		t.Fatalf("unknown release %q", rel)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	docs, same := 0, 0
	byRule := map[string][]string{}
	for sc.Scan() {
		var line struct {
			File     string
			Error    string
			Findings []struct{ ID, Flag, Location string }
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil || line.Error != "" || line.File == "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, line.File))
		if err != nil {
			t.Fatal(err)
		}
		d, err := xmltree.Parse(data, &xmltree.Options{File: line.File})
		if err != nil {
			continue
		}
		docs++
		want := map[string]int{}
		for _, o := range line.Findings {
			want[o.ID+" "+o.Flag+" "+oracleLocation(o.Location)]++
		}
		inv, _ := invoice.Read(d, d.Root())
		c := &rule.Context{Doc: d, Inv: inv}
		rule.Run(c, rules)
		got := map[string]int{}
		for _, fd := range c.Findings() {
			got[fd.ID+" "+fd.Flag.String()+" "+fullPath(d, nodeAt(d, fd.Offset))]++
		}
		ok := true
		for k, n := range want {
			if got[k] != n {
				ok = false
				byRule[strings.Fields(k)[0]] = append(byRule[strings.Fields(k)[0]], fmt.Sprintf("%s: %s: official %d, ours %d", line.File, k, n, got[k]))
			}
		}
		for k, n := range got {
			if _, seen := want[k]; !seen {
				ok = false
				byRule[strings.Fields(k)[0]] = append(byRule[strings.Fields(k)[0]], fmt.Sprintf("%s: %s: official 0, ours %d", line.File, k, n))
			}
		}
		if ok {
			same++
		}
	}
	t.Logf("%d/%d documents give the same findings as the official rules", same, docs)
	ids := make([]string, 0, len(byRule))
	for id := range byRule {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t.Errorf("%s: %d differences, such as\n\t%s", id, len(byRule[id]), strings.Join(byRule[id][:min(5, len(byRule[id]))], "\n\t"))
	}
}

var svrlStep = regexp.MustCompile(`/\*:([^\[/]+)\[namespace-uri\(\)='([^']*)'\]\[(\d+)\]`)

// oracleLocation turns an SVRL location into the form fullPath writes.
func oracleLocation(s string) string {
	return svrlStep.ReplaceAllStringFunc(s, func(m string) string {
		p := svrlStep.FindStringSubmatch(m)
		pre := invoice.Prefix(p[2], "")
		if pre != "" {
			pre += ":"
		}
		return "/" + pre + p[1] + "[" + p[3] + "]"
	})
}

// nodeAt is the element starting at byte offset off.
func nodeAt(d *xmltree.Document, off int) xmltree.NodeID {
	for i := 0; i < d.Len(); i++ {
		n := xmltree.NodeID(i)
		if d.Kind(n) == xmltree.ElementNode && d.Offset(n) == off {
			return n
		}
	}
	return xmltree.None
}

// fullPath is n's path with a position on every step.
func fullPath(d *xmltree.Document, n xmltree.NodeID) string {
	if n == xmltree.None {
		return "?"
	}
	var steps []string
	for c := n; c > 0; c = d.Parent(c) {
		pos := 0
		for s := range d.ChildElements(d.Parent(c), d.NameID(c)) {
			pos++
			if s == c {
				break
			}
		}
		name := d.Name(c)
		pre := invoice.Prefix(name.Space, "")
		if pre != "" {
			pre += ":"
		}
		steps = append(steps, "/"+pre+name.Local+"["+strconv.Itoa(pos)+"]")
	}
	var b strings.Builder
	for i := len(steps) - 1; i >= 0; i-- {
		b.WriteString(steps[i])
	}
	return b.String()
}
