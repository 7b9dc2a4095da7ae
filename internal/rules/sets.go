package rules

import (
	"time"

	"github.com/ehf-project/ehf/internal/rule"
	"github.com/ehf-project/ehf/internal/rules/cen"
	"github.com/ehf-project/ehf/internal/rules/peppol"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// concat joins the packs' rules into one set.
func concat(packs ...[]rule.Rule) []rule.Rule {
	var out []rule.Rule
	for _, p := range packs {
		out = append(out, p...)
	}
	return out
}

// The releases. Each pack gives its rules for a release by name; the CEN
// and Peppol packs are added here as they are written.
func init() {
	register(&Set{Name: Billing3019, From: date(2025, time.August, 25), Until: date(2026, time.August, 17),
		rules: concat(cen.Rules("3.0.19"), peppol.Rules("3.0.19"))})
	register(&Set{Name: Billing20265, From: date(2026, time.August, 17),
		rules: concat(cen.Rules("2026.5"), peppol.Rules("2026.5"))})
}
