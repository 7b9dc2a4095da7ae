package rules

import (
	"testing"
	"time"

	"github.com/ehf-project/ehf/schemas"
)

// The native sets are in force on the same days as the official releases
// in the artefact catalogue, and the default follows the calendar.
func TestSetsFollowTheCatalogue(t *testing.T) {
	for _, s := range Sets() {
		c, ok := schemas.LookupSet(s.Name)
		if !ok {
			t.Errorf("%s is not in the artefact catalogue", s.Name)
			continue
		}
		if !c.From.Equal(s.From) {
			t.Errorf("%s: in force from %s here, %s in the catalogue", s.Name, s.From.Format(time.DateOnly), c.From.Format(time.DateOnly))
		}
		if len(s.Rules()) < 500 {
			t.Errorf("%s has only %d rules", s.Name, len(s.Rules()))
		}
	}
	for _, c := range []struct{ day, want string }{
		{"2025-09-01", Billing3019}, {"2026-08-16", Billing3019}, {"2026-08-17", Billing20265}, {"2026-11-24", Billing20265}, {"2024-01-01", Billing3019},
	} {
		day, _ := time.Parse(time.DateOnly, c.day)
		if got := Default(day).Name; got != c.want {
			t.Errorf("Default(%s) = %s, want %s", c.day, got, c.want)
		}
	}
}
