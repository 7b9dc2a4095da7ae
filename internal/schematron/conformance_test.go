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

// The EHF common rules are part of every EHF G3 rule file: the EHF set is
// run against each of them.
func TestConformanceEHF(t *testing.T) {
	files := []string{
		"advanced-ordering-3.0/EHF-P09-3.0-ORDER-CANCELLATION.sch", "advanced-ordering-3.0/EHF-P09-3.0-ORDER-CHANGE.sch",
		"advanced-ordering-3.0/EHF-P09-3.0-ORDER-INITIATION.sch", "advanced-ordering-3.0/EHF-P09-3.0-ORDER-RESPONSE.sch",
		"catalogue-3.0/EHF-CATALOGUE-3.0.sch", "catalogue-3.0/EHF-CATALOGUE-RESPONSE-3.0.sch",
		"despatch-advice-3.0/EHF-DESPATCH-ADVICE-3.0.sch", "order-agreement-3.0/EHF-ORDER-AGREEMENT-3.0.sch",
		"ordering-3.0/EHF-ORDER-3.0.sch", "ordering-3.0/EHF-ORDER-RESPONSE-3.0.sch",
		"payment-request-3.0/EHF-P07-3.0-PAYMENT-REQUEST-3.0.sch", "punch-out-3.0/EHF-PUNCH-OUT-3.0.sch",
		"reminder-3.0/EHF-P06-3.0-REMINDER.sch",
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			runSuite(t, "conformance/ehf", "rules/ehf-g3/"+f)
		})
	}
}
