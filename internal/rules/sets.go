package rules

import (
	"time"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// The releases. Each pack gives its rules for a release by name; the CEN
// and Peppol packs are added here as they are written.
func init() {
	register(&Set{Name: Billing3019, From: date(2025, time.May, 19), Until: date(2026, time.August, 17)})
	register(&Set{Name: Billing20265, From: date(2026, time.August, 17)})
}
