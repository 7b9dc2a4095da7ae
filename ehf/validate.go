package ehf

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/rules"
	"github.com/ehf-project/ehf/internal/schematron"
	"github.com/ehf-project/ehf/internal/totals"
	"github.com/ehf-project/ehf/schemas"
)

// Engine chooses how the business rules are applied.
type Engine string

// Engines.
const (
	// Native is the Go rule pack built into ehf: no files needed.
	Native Engine = "native"
	// Schematron runs the official .sch rule files given in Options.Rules.
	Schematron Engine = "schematron"
)

// Options choose what a Validator applies. The zero value validates with
// the native rules in force today.
type Options struct {
	// RuleSet names the native rule set (peppol-billing-3.0.19,
	// peppol-billing-2026.5); empty means the one in force on Date.
	RuleSet string
	// Date is the day to validate as of; zero means today.
	Date time.Time
	// Engine is Native (default) or Schematron.
	Engine Engine
	// Rules are the .sch files (or folders of them) the Schematron engine runs.
	Rules []string
	// Home is where "ehf schemas install" put the official artefacts;
	// empty means $EHF_HOME or the user cache folder.
	Home string
	// NoXSD skips the UBL schema layer.
	NoXSD bool
}

// Rule IDs of findings that ehf itself makes, beside the official rules.
const (
	// RuleUnchecked warns that no rule set for the document's type ran.
	RuleUnchecked = "EHF-UNCHECKED"
)

// A Validator applies a fixed set of rules to documents. Build it once and
// use it for many documents, from many goroutines: everything it compiles
// is read-only afterwards.
type Validator struct {
	opts  Options
	set   *rules.Set            // nil: chosen per document by date
	inst  *schemas.Installation // nil when nothing is installed
	given *schematron.Program   // the files given in Options.Rules, compiled
	progs programs              // installed rule sets, compiled on first use
}

// NewValidator checks the options and compiles what they name.
func NewValidator(opts *Options) (*Validator, error) {
	v := &Validator{}
	if opts != nil {
		v.opts = *opts
	}
	switch v.opts.Engine {
	case "", Native:
		v.opts.Engine = Native
		if len(v.opts.Rules) > 0 {
			return nil, fmt.Errorf("rule files are run by the schematron engine: add --engine schematron")
		}
	case Schematron:
		if len(v.opts.Rules) > 0 {
			files, err := ruleFiles(v.opts.Rules)
			if err != nil {
				return nil, err
			}
			if v.given, err = schematron.Compile(ruleSetName(v.opts.Rules), files...); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("unknown engine %q: use %q or %q", v.opts.Engine, Native, Schematron)
	}
	if v.opts.RuleSet != "" {
		if v.set = rules.Lookup(v.opts.RuleSet); v.set == nil {
			return nil, fmt.Errorf("unknown rule set %q: choose one of %v", v.opts.RuleSet, RuleSets())
		}
	}
	home := v.opts.Home
	if home == "" {
		// No home is not an error: the native rules need nothing installed.
		home, _ = schemas.Home(os.Getenv)
	}
	if home != "" {
		if inst, err := schemas.Installed(home); err == nil && len(inst.Sets) > 0 {
			v.inst = inst
		}
	}
	return v, nil
}

// RuleSets names the native rule sets, oldest first.
func RuleSets() []string {
	var names []string
	for _, s := range rules.Sets() {
		names = append(names, s.Name)
	}
	return names
}

var (
	defaultOnce sync.Once
	defaultV    *Validator
)

// Validate validates doc with the native rules in force today, or with
// opts. Passing opts compiles them for this call; for many documents build
// a Validator once instead.
func Validate(doc *Document, opts *Options) *Report {
	if opts == nil {
		defaultOnce.Do(func() { defaultV, _ = NewValidator(nil) })
		return defaultV.Validate(doc)
	}
	v, err := NewValidator(opts)
	if err != nil {
		r := &Report{File: doc.Name, Document: doc.Type.Name}
		r.Findings = append(r.Findings, Finding{ID: RuleUnchecked, Flag: Fatal, Message: err.Error(), Norsk: err.Error(), Offset: -1})
		return r
	}
	return v.Validate(doc)
}

// Validate applies the validator's rules to doc.
func (v *Validator) Validate(doc *Document) *Report {
	// The report and room for the usual two rule set names come in one
	// allocation.
	parts := &struct {
		r    Report
		sets [2]string
	}{}
	r := &parts.r
	r.File, r.Document, r.RuleSets = doc.Name, doc.Type.Name, parts.sets[:0]
	day := v.opts.Date
	if day.IsZero() {
		day = time.Now()
	}
	r.Findings = append(r.Findings, doc.findings...)
	// The selection of official artefacts is made only when a layer that
	// uses it runs: the native rules do not.
	var sel schemas.Selection
	selected := false
	selection := func() schemas.Selection {
		if !selected {
			sel, selected = schemas.Select(doc.info(), day), true
		}
		return sel
	}
	if !v.opts.NoXSD {
		v.checkXSD(doc, selection(), r)
	}
	switch {
	case v.given != nil:
		r.RuleSets = append(r.RuleSets, v.given.RuleSet())
		r.Findings = append(r.Findings, v.given.Validate(doc.tree)...)
	case v.opts.Engine == Schematron:
		if !v.runInstalled(doc, selection(), r) {
			r.Findings = append(r.Findings, v.unchecked(doc, ""))
		}
	case doc.Type.Billing() && doc.Invoice != nil:
		set := v.set
		if set == nil {
			set = rules.Default(day)
		}
		if set != nil {
			r.RuleSets = append(r.RuleSets, set.Name, totals.RuleSet)
			r.Findings = append(r.Findings, set.Check(doc.tree, doc.Invoice, day)...)
			r.Findings = append(r.Findings, totals.Check(doc.tree, doc.Invoice)...)
			explainTotals(r.Findings, doc.Invoice)
		}
	default:
		// The native rules cover billing; other documents get the
		// official rules when they are installed.
		if !v.runInstalled(doc, selection(), r) {
			r.Findings = append(r.Findings, v.unchecked(doc, ""))
		}
	}
	r.Sort()
	return r
}

// unchecked is the warning for a document no rule set was run on. install
// is the command that would install the rules it needs, when ehf knows
// them.
func (v *Validator) unchecked(doc *Document, install string) Finding {
	what := doc.Type.Name
	if doc.Type.CustomizationID != "" {
		what += " (" + doc.Type.CustomizationID + ")"
	}
	f := Finding{ID: RuleUnchecked, Flag: report.Warning, Offset: -1, RuleSet: "ehf"}
	if install != "" {
		f.Message = fmt.Sprintf("no business rules were checked: this is %s, whose official rules are not installed; install them with: %s", what, install)
		f.Norsk = fmt.Sprintf("ingen forretningsregler ble kontrollert: dette er %s, og de offisielle reglene for det er ikke installert; installer dem med: %s", what, install)
	} else {
		f.Message = fmt.Sprintf("no business rules were checked: ehf knows no rules for %s; to check it, name the official rules with --engine schematron --rules FILE.sch", what)
		f.Norsk = fmt.Sprintf("ingen forretningsregler ble kontrollert: ehf kjenner ingen regler for %s; oppgi de offisielle reglene med --engine schematron --rules FIL.sch for å kontrollere det", what)
	}
	if root := doc.tree.Root(); root >= 0 {
		f.Location = "/" + doc.Type.Root
		f.Line, f.Column = doc.tree.Pos(root)
		f.Offset = doc.tree.Offset(root)
	}
	return f
}
