// Package rules assembles the native rule packs into the named, versioned
// rule sets that ehf applies to Peppol BIS Billing 3.0 / EHF invoices and
// credit notes.
package rules

import (
	"sort"
	"sync"
	"time"

	"github.com/ehf-project/ehf/internal/invoice"
	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// Set is a named release of the rules.
type Set struct {
	Name  string
	From  time.Time // in force from this day
	Until time.Time // and before this day; zero when open-ended
	rules []rule.Rule
	// checks are the rules that have a check, in order: most rules are
	// checked by another rule of their pack, and Check need not step over
	// a thousand of them for every document
	checks []rule.Rule
}

// Rule set names.
const (
	Billing3019  = "peppol-billing-3.0.19"
	Billing20265 = "peppol-billing-2026.5"
)

var sets []*Set

// register adds a release; the packs call it through sets.go.
func register(s *Set) {
	for _, r := range s.rules {
		if r.Check != nil {
			s.checks = append(s.checks, r)
		}
	}
	sets = append(sets, s)
	sort.Slice(sets, func(i, j int) bool { return sets[i].From.Before(sets[j].From) })
}

// Sets lists the rule sets, oldest first.
func Sets() []*Set { return sets }

// Lookup finds a rule set by name.
func Lookup(name string) *Set {
	for _, s := range sets {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Default is the rule set in force on day.
func Default(day time.Time) *Set {
	var best *Set
	for _, s := range sets {
		if !day.Before(s.From) && (s.Until.IsZero() || day.Before(s.Until)) {
			best = s
		}
	}
	if best == nil && len(sets) > 0 {
		best = sets[0]
		if day.After(sets[len(sets)-1].From) {
			best = sets[len(sets)-1]
		}
	}
	return best
}

// Rules lists the set's rules.
func (s *Set) Rules() []rule.Rule { return s.rules }

// Check applies the set to an invoice read from d.
func (s *Set) Check(d *xmltree.Document, inv *invoice.Invoice, day time.Time) []report.Finding {
	c := contexts.Get().(*rule.Context)
	*c = rule.Context{Doc: d, Inv: inv, RuleSet: s.Name, Date: day}
	rule.Run(c, s.checks)
	c.Close()
	out := c.Findings()
	*c = rule.Context{} // nothing of this document stays in the pool
	contexts.Put(c)
	return out
}

// contexts keeps the Contexts of finished checks: nothing may use one
// after Close, so the next check can.
var contexts = sync.Pool{New: func() any { return new(rule.Context) }}
