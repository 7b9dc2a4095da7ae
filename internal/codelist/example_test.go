package codelist_test

import (
	"fmt"

	"github.com/ehf-project/ehf/internal/codelist"
)

func ExampleHasIn() {
	fmt.Println(codelist.HasIn("2026.5", codelist.UNCL4461, "30"))
	fmt.Println(codelist.HasIn("3.0.19", codelist.ISO4217, "ANG"), codelist.HasIn("2026.5", codelist.ISO4217, "ANG"))
	l := codelist.Get(codelist.ISO4217)
	fmt.Println(l.Title, "-", len(l.Versions), "versions; 2026.5 from", l.Version("2026.5").Source)
	// Output:
	// true
	// true false
	// ISO 4217 alpha-3 currency codes - 2 versions; 2026.5 from rules/peppol-2026.5/CEN-EN16931-UBL.sch (1.3.16)
}
