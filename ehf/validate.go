package ehf

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/rules"
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
	opts Options
	set  *rules.Set            // nil: chosen per document by date
	inst *schemas.Installation // nil when nothing is installed
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
	case Schematron:
		return nil, fmt.Errorf("the schematron engine is not available in this build")
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
	r := &Report{File: doc.Name, Document: doc.Type.Name}
	day := v.opts.Date
	if day.IsZero() {
		day = time.Now()
	}
	r.Findings = append(r.Findings, doc.findings...)
	sel := schemas.Select(doc.info(), day)
	if !v.opts.NoXSD {
		v.checkXSD(doc, sel, r)
	}
	switch {
	case doc.Type.Billing() && doc.Invoice != nil:
		set := v.set
		if set == nil {
			set = rules.Default(day)
		}
		if set != nil {
			r.RuleSets = append(r.RuleSets, set.Name)
			r.Findings = append(r.Findings, set.Check(doc.tree, doc.Invoice, day)...)
		}
	default:
		r.Findings = append(r.Findings, v.unchecked(doc))
	}
	r.Sort()
	return r
}

func (v *Validator) unchecked(doc *Document) Finding {
	what := doc.Type.Name
	if doc.Type.CustomizationID != "" {
		what += " (" + doc.Type.CustomizationID + ")"
	}
	f := Finding{ID: RuleUnchecked, Flag: report.Warning, Offset: -1, RuleSet: "ehf",
		Message: fmt.Sprintf("no business rules were checked: the native rules cover Peppol BIS Billing 3.0 invoices and credit notes, and this is %s; to check it, run the official rules with --engine schematron --rules FILE.sch", what),
		Norsk:   fmt.Sprintf("ingen forretningsregler ble kontrollert: de innebygde reglene dekker Peppol BIS Billing 3.0-fakturaer og kreditnotaer, og dette er %s; kjør de offisielle reglene med --engine schematron --rules FIL.sch for å kontrollere det", what),
	}
	if root := doc.tree.Root(); root >= 0 {
		f.Location = "/" + doc.Type.Root
		f.Line, f.Column = doc.tree.Pos(root)
		f.Offset = doc.tree.Offset(root)
	}
	return f
}
