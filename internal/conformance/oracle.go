package conformance

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
	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// CompareOracle compares an engine with the reference engine document by
// document. output holds the JSON lines ../shared/oracle/oracle printed for
// files under dir (relative names are taken from dir); read finds the
// document to check in a file (nil to skip it), check runs the engine.
// Every (rule, flag, location) the official rules report must be reported
// the same number of times, and nothing else; documents on which the
// reference engine stopped with an error are skipped. Differences are
// reported per rule, with up to five examples each.
func CompareOracle(t testing.TB, output, dir string, read func(path string) *xmltree.Document, check func(*xmltree.Document) []report.Finding) {
	t.Helper()
	f, err := os.Open(output)
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
		path := line.File
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, line.File)
		}
		d := read(path)
		if d == nil {
			continue
		}
		docs++
		want := map[string]int{}
		for _, o := range line.Findings {
			if o.Flag == "error" {
				o.Flag = "fatal"
			}
			want[o.ID+" "+o.Flag+" "+svrlPath(o.Location)]++
		}
		got := map[string]int{}
		for _, fd := range check(d) {
			got[fd.ID+" "+fd.Flag.String()+" "+fullPath(d, nodeAt(d, fd.Offset))]++
		}
		ok := true
		note := func(k string, official, ours int) {
			ok = false
			id := strings.Fields(k)[0]
			byRule[id] = append(byRule[id], fmt.Sprintf("%s: %s: official %d, ours %d", line.File, k, official, ours))
		}
		for k, n := range want {
			if got[k] != n {
				note(k, n, got[k])
			}
		}
		for k, n := range got {
			if _, seen := want[k]; !seen {
				note(k, 0, n)
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

// svrlPath turns an SVRL location into the form fullPath writes.
func svrlPath(s string) string {
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

// fullPath is n's path with a position on every step, as SVRL writes it.
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
