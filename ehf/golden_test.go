package ehf

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden reports in ../testdata/golden")

// goldenOptions fix the date and rule set so that golden reports do not
// change when the calendar moves into a new release.
var goldenOptions = &Options{RuleSet: "peppol-billing-2026.5", Date: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), NoXSD: true}

// Every document in testdata/invoices has a golden report (English and
// bokmål messages, locations, positions). Run with -update after changing
// a rule or message, and read the diff.
func TestGoldenReports(t *testing.T) {
	files, err := filepath.Glob("../testdata/invoices/*.xml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test documents: %v", err)
	}
	v, err := NewValidator(goldenOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".xml")
		t.Run(name, func(t *testing.T) {
			got := goldenReport(t, v, f)
			golden := filepath.Join("../testdata/golden", name+".json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./ehf -run Golden -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("report for %s differs from %s (run with -update if the change is intended):\n%s", f, golden, lineDiff(string(want), string(got)))
			}
		})
	}
}

func goldenReport(t *testing.T, v *Validator, file string) []byte {
	t.Helper()
	type finding struct {
		ID       string `json:"id"`
		Flag     string `json:"flag"`
		Location string `json:"location"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
		RuleSet  string `json:"ruleset"`
		English  string `json:"en"`
		Norsk    string `json:"nb"`
	}
	out := struct {
		Error    string    `json:"error,omitempty"`
		Document string    `json:"document,omitempty"`
		Wrapped  bool      `json:"wrapped,omitempty"`
		Valid    bool      `json:"valid"`
		RuleSets []string  `json:"rulesets"`
		Findings []finding `json:"findings"`
	}{}
	doc, err := ParseFile(file)
	if err != nil {
		out.Error = err.Error()
	} else {
		rep := v.Validate(doc)
		out.Document, out.Wrapped, out.Valid, out.RuleSets = rep.Document, doc.Wrapped, rep.Valid(), rep.RuleSets
		for _, f := range rep.Findings {
			out.Findings = append(out.Findings, finding{f.ID, f.Flag.String(), f.Location, f.Line, f.Column, f.RuleSet, f.Message, f.Norsk})
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// lineDiff shows the first lines that differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 12; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("-" + wl + "\n+" + gl + "\n")
			shown++
		}
	}
	return b.String()
}
