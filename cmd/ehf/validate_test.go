package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/sharedtest"
)

// runCLI runs the ehf command in-process and returns exit code and output.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

const (
	plain     = "../../testdata/invoices/plain.xml"
	broken    = "../../testdata/invoices/broken-values.xml"
	truncated = "../../testdata/invoices/broken-truncated.xml"
)

func TestValidateExitCodes(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"valid", []string{"validate", plain}, exitOK},
		{"invalid", []string{"validate", plain, broken}, exitInvalid},
		{"unreadable wins", []string{"validate", broken, truncated}, exitUsage},
		{"missing file", []string{"validate", "nope.xml"}, exitUsage},
		{"no arguments", []string{"validate"}, exitUsage},
		{"bad format", []string{"validate", "--format", "xml", plain}, exitUsage},
		{"bad date", []string{"validate", "--date", "24.11.2026", plain}, exitUsage},
		{"bad rule set", []string{"validate", "--ruleset", "x", plain}, exitUsage},
		{"unknown command", []string{"frobnicate"}, exitUsage},
		{"help", []string{"validate", "-h"}, exitOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if code, out, errs := runCLI(t, "", c.args...); code != c.want {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.want, out, errs)
			}
		})
	}
}

// The jsonl format is a contract: exactly these keys, one line per input,
// in input order, whatever order the workers finish in.
func TestValidateJSONLContract(t *testing.T) {
	args := []string{"validate", "--format", "jsonl", "-j", "4", "--date", "2026-11-24"}
	files := []string{plain, truncated, broken, plain, "missing.xml", broken}
	code, out, _ := runCLI(t, "", append(args, files...)...)
	if code != exitUsage {
		t.Errorf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(files) {
		t.Fatalf("%d lines for %d inputs:\n%s", len(lines), len(files), out)
	}
	for i, l := range lines {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		var file string
		json.Unmarshal(m["file"], &file)
		if file != files[i] {
			t.Errorf("line %d is for %s, want %s", i+1, file, files[i])
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		want := []string{"document", "file", "findings", "rulesets", "valid"}
		if _, isErr := m["error"]; isErr {
			want = []string{"error", "file"}
		}
		if !sameSet(keys, want) {
			t.Errorf("line %d keys %v, want %v", i+1, keys, want)
		}
		if strings.Contains(l, `"findings":[{`) {
			var r struct {
				Findings []map[string]any `json:"findings"`
			}
			json.Unmarshal([]byte(l), &r)
			var fk []string
			for k := range r.Findings[0] {
				fk = append(fk, k)
			}
			if !sameSet(fk, []string{"id", "flag", "message", "location", "line", "column"}) {
				t.Errorf("finding keys %v", fk)
			}
		}
	}
	if !strings.Contains(lines[1], `"error":"../../testdata/invoices/broken-truncated.xml:`) {
		t.Errorf("unreadable file line: %s", lines[1])
	}
}

func sameSet(a, b []string) bool {
	m := map[string]bool{}
	for _, x := range a {
		m[x] = true
	}
	if len(m) != len(b) {
		return false
	}
	for _, x := range b {
		if !m[x] {
			return false
		}
	}
	return true
}

// Folders are walked recursively, names with spaces included; - reads
// standard input.
func TestValidateFoldersAndStdin(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "Kunde A", "mappe med mellomrom")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(plain)
	for _, name := range []string{"faktura 1.xml", "faktura 2.XML", "ikke xml.txt"} {
		os.WriteFile(filepath.Join(sub, name), data, 0o644)
	}
	code, out, _ := runCLI(t, string(data), "validate", "--format", "json", dir, "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, out)
	}
	var run struct {
		Valid     bool `json:"valid"`
		Documents []struct {
			File string `json:"file"`
		} `json:"documents"`
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &run); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range run.Documents {
		got = append(got, filepath.Base(d.File))
	}
	if want := []string{"faktura 1.xml", "faktura 2.XML", "-"}; !reflect.DeepEqual(got, want) || !run.Valid || run.Summary["documents"] != 3 {
		t.Errorf("documents %v valid %v summary %v", got, run.Valid, run.Summary)
	}
}

func TestValidateText(t *testing.T) {
	code, out, _ := runCLI(t, "", "validate", "--lang", "nb", broken)
	if code != exitInvalid {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{
		broken + ":8:3: fatal EHF-DATE: \"2026-02-30\" er ikke en dato",
		"\tat /Invoice/cbc:IssueDate",
		broken + ": INVALID (peppol-billing-invoice;",
		"1 document: 0 valid, 1 invalid, 0 unreadable",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// --engine schematron --rules runs the official files given and writes the
// same contract; the native engine refuses rule files.
func TestValidateSchematronEngine(t *testing.T) {
	shared, ok := sharedtest.Find()
	if !ok {
		t.Skip("../shared is absent")
	}
	rules := filepath.Join(shared, "rules/peppol-billing-3.0.19")
	code, out, errs := runCLI(t, "", "validate", "--format", "jsonl", "--no-xsd", "--engine", "schematron", "--rules", rules, plain, "../../testdata/invoices/broken-totals.xml")
	if code != exitInvalid {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"valid":true`) || !strings.Contains(lines[0], `"rulesets":["peppol-billing-3.0.19"]`) ||
		!strings.Contains(lines[1], `"id":"BR-CO-13"`) || !strings.Contains(lines[1], `"id":"PEPPOL-EN16931-R120"`) {
		t.Errorf("output:\n%s", out)
	}
	if code, _, errs := runCLI(t, "", "validate", "--rules", rules, plain); code != exitUsage || !strings.Contains(errs, "--engine schematron") {
		t.Errorf("native with rule files: exit %d, %s", code, errs)
	}
	if code, _, errs := runCLI(t, "", "validate", "--engine", "schematron", "--rules", "nope.sch", plain); code != exitUsage || !strings.Contains(errs, "nope.sch") {
		t.Errorf("missing rule file: exit %d, %s", code, errs)
	}
}
