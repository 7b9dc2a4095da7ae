package schematron

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// Which official rule files apply to an example, by its CustomizationID
// (and, for billing, by the release the example folder belongs to).
var (
	billing3019  = []string{"peppol-billing-3.0.19/CEN-EN16931-UBL.sch", "peppol-billing-3.0.19/PEPPOL-EN16931-UBL.sch"}
	billing20265 = []string{"peppol-2026.5/CEN-EN16931-UBL.sch", "peppol-2026.5/PEPPOL-EN16931-UBL.sch"}
	selfBilling  = []string{"peppol-2026.5/CEN-EN16931-UBL.sch", "peppol-2026.5/PEPPOL-EN16931-UBL-SB.sch"}
	cenOnly      = []string{"cen-en16931-ubl/preprocessed/EN16931-UBL-validation-preprocessed.sch"}
	forward      = []string{"ehf-g3/forward-billing-3.0/FORWARD-BILLING-CEN-EN16931-UBL.sch", "ehf-g3/forward-billing-3.0/FORWARD-BILLING-PEPPOL-EN16931-UBL.sch"}
	reminder     = []string{"ehf-g3/reminder-3.0/REMINDER-CEN-EN16931-UBL.sch", "ehf-g3/reminder-3.0/REMINDER-PEPPOL-EN16931-UBL.sch", "ehf-g3/reminder-3.0/EHF-P06-3.0-REMINDER.sch"}
	paymentReq   = []string{"ehf-g3/payment-request-3.0/EHF-P07-3.0-PAYMENT-REQUEST-3.0.sch"}
	// Peppol BIS transactions (2026.5) by the transaction in the
	// CustomizationID.
	peppolTrns = map[string]string{
		"order": "T01", "order_response": "T76", "order_response_advanced": "T116", "order_change": "T114",
		"order_cancellation": "T115", "order_agreement": "T110", "catalogue": "T19", "catalogue_response": "T58",
		"despatch_advice": "T16", "punch_out": "T77", "invoice_response": "T111", "mlr": "T71",
	}
	// EHF G3 extensions of the same transactions.
	ehfTrns = map[string]string{
		"order": "ordering-3.0/EHF-ORDER-3.0.sch", "order_response": "ordering-3.0/EHF-ORDER-RESPONSE-3.0.sch",
		"catalogue": "catalogue-3.0/EHF-CATALOGUE-3.0.sch", "catalogue_response": "catalogue-3.0/EHF-CATALOGUE-RESPONSE-3.0.sch",
		"despatch_advice": "despatch-advice-3.0/EHF-DESPATCH-ADVICE-3.0.sch", "order_agreement": "order-agreement-3.0/EHF-ORDER-AGREEMENT-3.0.sch",
		"punch_out": "punch-out-3.0/EHF-PUNCH-OUT-3.0.sch",
	}
	// In the EHF advanced ordering folder, orders and responses follow the
	// P09 rules.
	ehfAdvanced = map[string]string{
		"order": "advanced-ordering-3.0/EHF-P09-3.0-ORDER-INITIATION.sch", "order_response": "advanced-ordering-3.0/EHF-P09-3.0-ORDER-RESPONSE.sch",
		"order_change": "advanced-ordering-3.0/EHF-P09-3.0-ORDER-CHANGE.sch", "order_cancellation": "advanced-ordering-3.0/EHF-P09-3.0-ORDER-CANCELLATION.sch",
	}
)

// rulesFor returns the rule files (relative to ../shared/rules) for an
// example, or nil when none of the rule files covers its document type.
func rulesFor(path string, d *xmltree.Document) []string {
	cid := customizationID(d)
	switch {
	case strings.Contains(cid, "forward-billing"):
		return forward
	case strings.Contains(cid, "ehf:reminder"):
		return reminder
	case strings.Contains(cid, "payment-request"):
		return paymentReq
	case strings.Contains(cid, "poacc:selfbilling:3.0"):
		return selfBilling
	case strings.Contains(cid, "poacc:billing:3.0"):
		if strings.Contains(path, "phive-2026.5") {
			return billing20265
		}
		return billing3019
	case cid == "urn:cen.eu:en16931:2017":
		return cenOnly
	}
	const trns = "urn:fdc:peppol.eu:poacc:trns:"
	if !strings.HasPrefix(cid, trns) {
		return nil
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(cid, trns), ":")
	if strings.Contains(path, "advanced-ordering") {
		if f, ok := ehfAdvanced[name]; ok {
			return []string{"ehf-g3/" + f}
		}
	}
	if strings.Contains(cid, "ehf:spec:3.0") {
		if f, ok := ehfTrns[name]; ok {
			return []string{"ehf-g3/" + f}
		}
	}
	if t, ok := peppolTrns[name]; ok {
		return []string{"peppol-2026.5/PEPPOLBIS-" + t + ".sch"}
	}
	return nil
}

func customizationID(d *xmltree.Document) string {
	root := d.Root()
	if root == xmltree.None {
		return ""
	}
	id := d.Lookup("urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2", "CustomizationID")
	for c := range d.ChildElements(root, id) {
		return strings.TrimSpace(d.Text(c))
	}
	return ""
}

// programs caches compiled rule sets across tests.
var programs sync.Map

func program(t testing.TB, files []string) *Program {
	t.Helper()
	key := strings.Join(files, ",")
	if p, ok := programs.Load(key); ok {
		return p.(*Program)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, sharedtest.Path(t, "rules", f))
	}
	p, err := Compile(key, paths...)
	if err != nil {
		t.Fatal(err)
	}
	programs.Store(key, p)
	return p
}

type example struct {
	path  string
	doc   *xmltree.Document
	rules []string
}

func examples(t testing.TB) []example {
	dir := sharedtest.Path(t, "examples")
	var out []example
	for _, f := range sharedtest.XMLFiles(t, dir) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := xmltree.Parse(data, &xmltree.Options{File: f})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, example{path: f, doc: d, rules: rulesFor(f, d)})
	}
	return out
}

// isEvalError tells the findings made for a test that could not be
// evaluated.
func isEvalError(f report.Finding) bool {
	return strings.Contains(f.Message, "could not be checked")
}

// TestExamples validates every example of a covered document type with its
// rule files: no rule may fail to evaluate, and the fatal findings are
// listed (the examples are published as valid; see TestExamplesValid for
// the known exceptions).
func TestExamples(t *testing.T) {
	shared := sharedtest.Dir(t)
	covered := 0
	for _, ex := range examples(t) {
		rel, _ := filepath.Rel(shared, ex.path)
		if ex.rules == nil {
			t.Logf("no rule files for %s (%s)", rel, customizationID(ex.doc))
			continue
		}
		covered++
		fs := program(t, ex.rules).Validate(ex.doc)
		var fatal []string
		for _, f := range fs {
			if isEvalError(f) {
				t.Errorf("%s: %s at %s: %s", rel, f.ID, f.Location, f.Message)
			}
			if f.Flag == report.Fatal {
				fatal = append(fatal, f.ID)
			}
		}
		sort.Strings(fatal)
		if len(fatal) > 0 {
			t.Logf("%s: fatal %v", rel, fatal)
		}
	}
	if covered < 100 {
		t.Errorf("only %d examples are covered by rule files", covered)
	}
}
