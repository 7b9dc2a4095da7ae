// Package schtest holds what the Schematron engine's tests share: which
// official rule files apply to which example document, a cache of
// compiled programs, the examples themselves, and document mutations for
// differential tests. It is imported only by tests.
package schtest

import (
	"math/rand"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/schematron"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/internal/xmltree"
)

// Rule file sets, relative to ../shared/rules. Which set applies to an
// example follows from its CustomizationID (and, for billing, the release
// its folder belongs to): see RulesFor.
var (
	Billing3019    = []string{"peppol-billing-3.0.19/CEN-EN16931-UBL.sch", "peppol-billing-3.0.19/PEPPOL-EN16931-UBL.sch"}
	Billing20265   = []string{"peppol-2026.5/CEN-EN16931-UBL.sch", "peppol-2026.5/PEPPOL-EN16931-UBL.sch"}
	SelfBilling    = []string{"peppol-2026.5/CEN-EN16931-UBL.sch", "peppol-2026.5/PEPPOL-EN16931-UBL-SB.sch"}
	CENOnly        = []string{"cen-en16931-ubl/preprocessed/EN16931-UBL-validation-preprocessed.sch"}
	ForwardBilling = []string{"ehf-g3/forward-billing-3.0/FORWARD-BILLING-CEN-EN16931-UBL.sch", "ehf-g3/forward-billing-3.0/FORWARD-BILLING-PEPPOL-EN16931-UBL.sch"}
	Reminder       = []string{"ehf-g3/reminder-3.0/REMINDER-CEN-EN16931-UBL.sch", "ehf-g3/reminder-3.0/REMINDER-PEPPOL-EN16931-UBL.sch", "ehf-g3/reminder-3.0/EHF-P06-3.0-REMINDER.sch"}
	PaymentRequest = []string{"ehf-g3/payment-request-3.0/EHF-P07-3.0-PAYMENT-REQUEST-3.0.sch"}
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

// RulesFor returns the rule files (relative to ../shared/rules) for an
// example, or nil when none of the rule files covers its document type.
func RulesFor(path string, d *xmltree.Document) []string {
	cid := CustomizationID(d)
	switch {
	case strings.Contains(cid, "forward-billing"):
		return ForwardBilling
	case strings.Contains(cid, "ehf:reminder"):
		return Reminder
	case strings.Contains(cid, "payment-request"):
		return PaymentRequest
	case strings.Contains(cid, "poacc:selfbilling:3.0"):
		return SelfBilling
	case strings.Contains(cid, "poacc:billing:3.0"):
		if strings.Contains(path, "phive-2026.5") {
			return Billing20265
		}
		return Billing3019
	case cid == "urn:cen.eu:en16931:2017":
		return CENOnly
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

// CustomizationID is the document's cbc:CustomizationID.
func CustomizationID(d *xmltree.Document) string {
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

// Program compiles (once per test binary) the rule files, given relative
// to ../shared/rules.
func Program(t testing.TB, files []string) *schematron.Program {
	t.Helper()
	key := strings.Join(files, ",")
	if p, ok := programs.Load(key); ok {
		return p.(*schematron.Program)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, sharedtest.Path(t, "rules", f))
	}
	p, err := schematron.Compile(key, paths...)
	if err != nil {
		t.Fatal(err)
	}
	programs.Store(key, p)
	return p
}

// Example is an example document and the rule files that apply to it
// (nil when none does).
type Example struct {
	Path  string
	Doc   *xmltree.Document
	Rules []string
}

// Examples reads every example in ../shared/examples.
func Examples(t testing.TB) []Example {
	dir := sharedtest.Path(t, "examples")
	var out []Example
	for _, f := range sharedtest.XMLFiles(t, dir) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := xmltree.Parse(data, &xmltree.Options{File: f})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, Example{Path: f, Doc: d, Rules: RulesFor(f, d)})
	}
	return out
}

// IsEvalError tells the findings made for a test that could not be
// evaluated.
func IsEvalError(f report.Finding) bool {
	return strings.Contains(f.Message, "could not be checked")
}

var (
	leafRE   = regexp.MustCompile(`<(cbc:[A-Za-z]+)([^>]*)>([^<]*)</(cbc:[A-Za-z]+)>`)
	numberRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	codes    = []string{"S", "Z", "E", "AE", "K", "G", "O", "L", "M", "NOK", "EUR", "SEK", "380", "381", "VAT", "0088", "0192", "NO", "DE", "true", "false", "58", "30", "1", "0", ""}
)

// Mutate derives documents from an example: changed amounts and numbers,
// swapped codes, removed and emptied elements.
func Mutate(data []byte, rng *rand.Rand, n int) [][]byte {
	leaves := leafRE.FindAllSubmatchIndex(data, -1)
	if len(leaves) == 0 {
		return nil
	}
	var out [][]byte
	for i := 0; i < n; i++ {
		m := leaves[rng.Intn(len(leaves))]
		val := string(data[m[6]:m[7]])
		var repl []byte
		switch op := rng.Intn(5); {
		case op == 0:
			// Remove the element.
			repl = nil
		case op == 1 && numberRE.MatchString(strings.TrimSpace(val)):
			f, _ := strconv.ParseFloat(strings.TrimSpace(val), 64)
			deltas := []float64{0.01, -0.01, 1, -1, 100}
			nv := strconv.FormatFloat(f+deltas[rng.Intn(len(deltas))], 'f', 2, 64)
			repl = append(append(append([]byte{}, data[m[0]:m[6]]...), nv...), data[m[7]:m[1]]...)
		case op == 2:
			nv := codes[rng.Intn(len(codes))]
			repl = append(append(append([]byte{}, data[m[0]:m[6]]...), nv...), data[m[7]:m[1]]...)
		case op == 3 && numberRE.MatchString(strings.TrimSpace(val)):
			// More decimals than allowed, or a negative value.
			nv := strings.TrimSpace(val) + "1"
			if !strings.Contains(nv, ".") {
				nv = "-" + strings.TrimSpace(val)
			}
			repl = append(append(append([]byte{}, data[m[0]:m[6]]...), nv...), data[m[7]:m[1]]...)
		default:
			// Duplicate the element.
			repl = append(append([]byte{}, data[m[0]:m[1]]...), data[m[0]:m[1]]...)
		}
		doc := append(append(append([]byte{}, data[:m[0]]...), repl...), data[m[1]:]...)
		out = append(out, doc)
	}
	return out
}

// HasEvalError reports whether any finding is for a rule that could not
// be evaluated.
func HasEvalError(fs []report.Finding) bool {
	for _, f := range fs {
		if IsEvalError(f) {
			return true
		}
	}
	return false
}
