// Package report holds what every validation layer produces: findings,
// each with a rule ID, flag, message, location and position, gathered into
// one Report per document. The XSD layer, the native rule pack, the totals
// checker and the Schematron engine all write into it, so users see one
// list whichever engine ran.
package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Flag is how serious a finding is. The names are those of the official
// rule files.
type Flag uint8

// Flags, most serious first.
const (
	Fatal Flag = iota
	Warning
	Information
)

var flagNames = [...]string{Fatal: "fatal", Warning: "warning", Information: "information"}

func (f Flag) String() string {
	if int(f) < len(flagNames) {
		return flagNames[f]
	}
	return fmt.Sprintf("flag(%d)", int(f))
}

// ParseFlag reads a flag as the official rule files write it. "error" is
// taken as fatal, as the conformance test sets do.
func ParseFlag(s string) (Flag, bool) {
	switch s {
	case "fatal", "error":
		return Fatal, true
	case "warning":
		return Warning, true
	case "information", "info":
		return Information, true
	}
	return Fatal, false
}

// MarshalText writes the flag's name.
func (f Flag) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText reads a flag's name.
func (f *Flag) UnmarshalText(b []byte) error {
	v, ok := ParseFlag(string(b))
	if !ok {
		return fmt.Errorf("unknown flag %q", b)
	}
	*f = v
	return nil
}

// Finding is one rule that a document breaks.
type Finding struct {
	ID       string // the rule's ID, as in the official rule files (BR-CO-10, PEPPOL-EN16931-R001, XSD, ...)
	Flag     Flag
	Message  string // English
	Norsk    string // Norwegian bokmål; empty when the engine has none (official .sch messages)
	Location string // XPath of the offending node, e.g. /Invoice/cac:InvoiceLine[3]/cbc:LineExtensionAmount
	Line     int    // 1-based; 0 when unknown
	Column   int
	RuleSet  string // which rule set produced it, e.g. peppol-billing-2026.5
	Offset   int    // byte offset in the input, for ordering; -1 when unknown
}

// Text is the message in the language asked for ("nb"/"no" for bokmål),
// falling back to English.
func (f *Finding) Text(lang string) string {
	if (lang == "nb" || lang == "no" || lang == "nob") && f.Norsk != "" {
		return f.Norsk
	}
	return f.Message
}

// Report is the outcome of validating one document.
type Report struct {
	File     string
	Document string   // what the document is, e.g. peppol-billing-invoice
	RuleSets []string // the rule sets applied, in order
	Findings []Finding
	// Notes are things the user should know that are not findings about the
	// document, such as a layer that could not run.
	Notes []string
}

// Valid reports whether no finding is fatal.
func (r *Report) Valid() bool {
	for i := range r.Findings {
		if r.Findings[i].Flag == Fatal {
			return false
		}
	}
	return true
}

// Count returns how many findings have flag f.
func (r *Report) Count(f Flag) int {
	n := 0
	for i := range r.Findings {
		if r.Findings[i].Flag == f {
			n++
		}
	}
	return n
}

// Sort puts findings in document order, then by rule ID, so reports are
// stable whatever order the engines ran in.
func (r *Report) Sort() {
	if len(r.Findings) < 2 {
		return // a valid document's report: nothing to order
	}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		if a.Offset != b.Offset {
			return cmp.Compare(a.Offset, b.Offset)
		}
		if a.ID != b.ID {
			return strings.Compare(a.ID, b.ID)
		}
		return strings.Compare(a.Location, b.Location)
	})
}

// JSONFinding is a finding as the jsonl and HTTP contracts write it.
type JSONFinding struct {
	ID       string `json:"id"`
	Flag     string `json:"flag"`
	Message  string `json:"message"`
	Location string `json:"location"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

// JSONReport is one document's result as the jsonl and HTTP contracts
// write it. The field set and order are a contract other tools read.
type JSONReport struct {
	File     string        `json:"file"`
	Valid    bool          `json:"valid"`
	Document string        `json:"document"`
	RuleSets []string      `json:"rulesets"`
	Findings []JSONFinding `json:"findings"`
}

// JSON converts r to its contract form, with messages in lang.
func (r *Report) JSON(lang string) JSONReport {
	out := JSONReport{File: r.File, Valid: r.Valid(), Document: r.Document, RuleSets: r.RuleSets, Findings: make([]JSONFinding, 0, len(r.Findings))}
	if out.RuleSets == nil {
		out.RuleSets = []string{}
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		out.Findings = append(out.Findings, JSONFinding{ID: f.ID, Flag: f.Flag.String(), Message: f.Text(lang), Location: f.Location, Line: f.Line, Column: f.Column})
	}
	return out
}

// MarshalJSON writes the contract form in English.
func (r *Report) MarshalJSON() ([]byte, error) { return json.Marshal(r.JSON("en")) }
