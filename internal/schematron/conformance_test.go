package schematron_test

import (
	"path/filepath"
	"testing"

	"github.com/ehf-project/ehf/internal/conformance"
	"github.com/ehf-project/ehf/internal/schematron"
	"github.com/ehf-project/ehf/internal/sharedtest"
)

func runSuite(t *testing.T, suite string, files ...string) {
	shared := sharedtest.Dir(t)
	var paths []string
	for _, f := range files {
		paths = append(paths, sharedtest.Path(t, f))
	}
	prog, err := schematron.Compile("conformance", paths...)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := conformance.Load(filepath.Join(shared, suite))
	if err != nil {
		t.Fatal(err)
	}
	var total conformance.Score
	for _, c := range cases {
		total.Add(conformance.Check(c, prog.Validate(c.Doc)))
	}
	for _, m := range total.Misses {
		t.Errorf("miss: %s", m)
	}
	t.Logf("%s: %s", suite, total)
}

func TestConformanceCEN(t *testing.T) {
	runSuite(t, "conformance/cen", "rules/cen-en16931-ubl/preprocessed/EN16931-UBL-validation-preprocessed.sch")
}

func TestConformanceCENModular(t *testing.T) {
	runSuite(t, "conformance/cen", "rules/cen-en16931-ubl/EN16931-UBL-validation.sch")
}

func TestConformancePeppol(t *testing.T) {
	runSuite(t, "conformance/peppol-3.0.19", "rules/peppol-billing-3.0.19/CEN-EN16931-UBL.sch", "rules/peppol-billing-3.0.19/PEPPOL-EN16931-UBL.sch")
}
