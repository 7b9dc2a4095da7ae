package schemas

import (
	"fmt"
	"strings"
	"time"
)

// DocInfo is what selection needs to know about a document: its root
// element and the two identifiers every Peppol and EHF document carries.
type DocInfo struct {
	Namespace       string // namespace URI of the root element
	Local           string // local name of the root element
	CustomizationID string
	ProfileID       string
}

// FileRef names one file of a rule set. Rel gives its path relative to the
// install folder (Dir); Installation.Path gives the absolute path.
type FileRef struct {
	Set  string
	Path string
}

// Rel is the file's path relative to the install folder, slash-separated.
func (f FileRef) Rel() string { return f.Set + "/" + f.Path }

// SetFiles is one rule set and the files of it that apply, in the order
// they are to be run.
type SetFiles struct {
	Set   string
	Files []FileRef
}

// Selection is what applies to one document on one date.
type Selection struct {
	// Recognised is true when ehf knows which business rules apply. The XSD
	// may be known even when the rules are not (a UBL invoice under a
	// specification ehf does not know).
	Recognised bool
	Reason     string // why not recognised, in English
	ReasonNB   string // the same in Norwegian bokmål

	Document string    // what the document was taken to be, e.g. "Peppol BIS Billing 3.0 invoice"
	Date     time.Time // the validation date the releases were chosen for

	XSD   FileRef    // the UBL 2.1 main schema; zero when none applies
	Rules []SetFiles // Schematron rule sets, in the order to run them

	// Native is true for Peppol BIS Billing invoices and credit notes (EHF
	// billing is the same specification), which ehf's own rule pack covers
	// whether or not the official rule files are installed.
	Native bool

	// Notes explain choices a reader might not expect, such as a release
	// used outside its in-force dates for want of another.
	Notes []string
}

// Sets lists every set the selection needs, the schema's first.
func (s Selection) Sets() []string {
	var out []string
	if s.XSD.Set != "" {
		out = append(out, s.XSD.Set)
	}
	for _, r := range s.Rules {
		out = append(out, r.Set)
	}
	return out
}

// Identifiers of the specifications selection tells apart.
const (
	ublNS          = "urn:oasis:names:specification:ubl:schema:xsd:"
	cenCID         = "urn:cen.eu:en16931:2017"
	billingCID     = cenCID + "#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	selfBillingCID = cenCID + "#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0"
	peppolTrnsCID  = "urn:fdc:peppol.eu:poacc:trns:"
	ehfProfile     = "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:"
	ehfMarker      = "urn:fdc:anskaffelser.no:2019:ehf:"
)

// peppolTransactions maps the transaction part of a Peppol BIS 3
// CustomizationID (urn:fdc:peppol.eu:poacc:trns:NAME:3) to its rule file
// and document type.
var peppolTransactions = map[string]struct{ file, root, title string }{
	"order":                   {"PEPPOLBIS-T01.sch", "Order", "Peppol order (T01)"},
	"despatch_advice":         {"PEPPOLBIS-T16.sch", "DespatchAdvice", "Peppol despatch advice (T16)"},
	"catalogue":               {"PEPPOLBIS-T19.sch", "Catalogue", "Peppol catalogue (T19)"},
	"catalogue_response":      {"PEPPOLBIS-T58.sch", "ApplicationResponse", "Peppol catalogue response (T58)"},
	"mlr":                     {"PEPPOLBIS-T71.sch", "ApplicationResponse", "Peppol message level response (T71)"},
	"order_response":          {"PEPPOLBIS-T76.sch", "OrderResponse", "Peppol order response (T76)"},
	"punch_out":               {"PEPPOLBIS-T77.sch", "Catalogue", "Peppol punch out (T77)"},
	"order_agreement":         {"PEPPOLBIS-T110.sch", "OrderResponse", "Peppol order agreement (T110)"},
	"invoice_response":        {"PEPPOLBIS-T111.sch", "ApplicationResponse", "Peppol invoice response (T111)"},
	"order_change":            {"PEPPOLBIS-T114.sch", "OrderChange", "Peppol order change (T114)"},
	"order_cancellation":      {"PEPPOLBIS-T115.sch", "OrderCancellation", "Peppol order cancellation (T115)"},
	"order_response_advanced": {"PEPPOLBIS-T116.sch", "OrderResponse", "Peppol advanced order response (T116)"},
}

// ehfDocuments maps an EHF G3 process (the NN of its ProfileID
// ...:postaward:g3:NN:1.0) and a document type to the EHF rule files, which
// hold the whole of each document's rules (the Peppol ones included).
var ehfDocuments = map[string]map[string]struct {
	title string
	files []string
}{
	"01": {
		"Catalogue":           {"EHF catalogue 3.0", []string{"catalogue-3.0/EHF-CATALOGUE-3.0.sch"}},
		"ApplicationResponse": {"EHF catalogue response 3.0", []string{"catalogue-3.0/EHF-CATALOGUE-RESPONSE-3.0.sch"}},
	},
	"02": {
		"Order":         {"EHF order 3.0", []string{"ordering-3.0/EHF-ORDER-3.0.sch"}},
		"OrderResponse": {"EHF order response 3.0", []string{"ordering-3.0/EHF-ORDER-RESPONSE-3.0.sch"}},
	},
	"03": {
		"OrderResponse": {"EHF order agreement 3.0", []string{"order-agreement-3.0/EHF-ORDER-AGREEMENT-3.0.sch"}},
	},
	"04": {
		"Catalogue": {"EHF punch out 3.0", []string{"punch-out-3.0/EHF-PUNCH-OUT-3.0.sch"}},
	},
	"05": {
		"DespatchAdvice": {"EHF despatch advice 3.0", []string{"despatch-advice-3.0/EHF-DESPATCH-ADVICE-3.0.sch"}},
	},
	"06": {
		"Invoice": {"EHF reminder 3.0", []string{"reminder-3.0/REMINDER-CEN-EN16931-UBL.sch", "reminder-3.0/REMINDER-PEPPOL-EN16931-UBL.sch", "reminder-3.0/EHF-P06-3.0-REMINDER.sch"}},
	},
	"07": {
		"Invoice": {"EHF payment request 3.0", []string{"payment-request-3.0/EHF-P07-3.0-PAYMENT-REQUEST-3.0.sch"}},
	},
	"08": {
		"Invoice":    {"EHF forward billing invoice 3.0", []string{"forward-billing-3.0/FORWARD-BILLING-CEN-EN16931-UBL.sch", "forward-billing-3.0/FORWARD-BILLING-PEPPOL-EN16931-UBL.sch"}},
		"CreditNote": {"EHF forward billing credit note 3.0", []string{"forward-billing-3.0/FORWARD-BILLING-CEN-EN16931-UBL.sch", "forward-billing-3.0/FORWARD-BILLING-PEPPOL-EN16931-UBL.sch"}},
	},
	"09": {
		"Order":             {"EHF advanced order 3.0", []string{"advanced-ordering-3.0/EHF-P09-3.0-ORDER-INITIATION.sch"}},
		"OrderResponse":     {"EHF advanced order response 3.0", []string{"advanced-ordering-3.0/EHF-P09-3.0-ORDER-RESPONSE.sch"}},
		"OrderChange":       {"EHF advanced order change 3.0", []string{"advanced-ordering-3.0/EHF-P09-3.0-ORDER-CHANGE.sch"}},
		"OrderCancellation": {"EHF advanced order cancellation 3.0", []string{"advanced-ordering-3.0/EHF-P09-3.0-ORDER-CANCELLATION.sch"}},
	},
}

// ehfByCustomization recognises EHF documents whose ProfileID is not an EHF
// one, from the marker in their CustomizationID.
var ehfByCustomization = []struct{ marker, process string }{
	{"ehf:forward-billing:3.0", "08"},
	{"ehf:reminder:3.0", "06"},
	{"ehf:spec:payment-request:3.0", "07"},
	{"ehf:spec:adv-order-change:3.0", "09"},
	{"ehf:spec:adv-order-cancellation:3.0", "09"},
}

// Select decides which schema and which rule sets apply to a document
// validated as of date (the zero time means today). Within a family of
// releases (Peppol billing, say) it takes the one in force on that date.
func Select(doc DocInfo, date time.Time) Selection {
	if date.IsZero() {
		date = time.Now()
	}
	sel := Selection{Date: truncateDay(date)}
	cid := strings.TrimSpace(doc.CustomizationID)
	pid := strings.TrimSpace(doc.ProfileID)

	if doc.Namespace == ublNS+doc.Local+"-2" {
		if _, ok := Lookup("ubl-2.1", "maindoc/UBL-"+doc.Local+"-2.1.xsd"); ok {
			sel.XSD = FileRef{Set: "ubl-2.1", Path: "maindoc/UBL-" + doc.Local + "-2.1.xsd"}
		}
	}
	if sel.XSD.Set == "" {
		return sel.reject(
			fmt.Sprintf("the root element {%s}%s is not a UBL 2.1 document", doc.Namespace, doc.Local),
			fmt.Sprintf("rotelementet {%s}%s er ikke et UBL 2.1-dokument", doc.Namespace, doc.Local))
	}
	root := doc.Local

	// EHF G3, by its ProfileID first, then by its CustomizationID.
	process := ""
	if rest, ok := strings.CutPrefix(pid, ehfProfile); ok {
		process, _, _ = strings.Cut(rest, ":")
	} else {
		for _, e := range ehfByCustomization {
			if strings.Contains(cid, e.marker) {
				process = e.process
				break
			}
		}
	}
	if process != "" {
		docs, ok := ehfDocuments[process]
		if !ok {
			return sel.reject(
				fmt.Sprintf("EHF process %q (ProfileID %s) is not one ehf has rules for", process, pid),
				fmt.Sprintf("EHF-prosess %q (ProfileID %s) er ikke en ehf har regler for", process, pid))
		}
		d, ok := docs[root]
		if !ok {
			return sel.reject(
				fmt.Sprintf("EHF process %s has no %s document", process, root),
				fmt.Sprintf("EHF-prosess %s har ikke dokumenttypen %s", process, root))
		}
		return sel.rules(d.title, FamilyEHF, d.files)
	}

	switch {
	case cid == billingCID || strings.HasPrefix(cid, billingCID+"#"):
		if root != "Invoice" && root != "CreditNote" {
			return sel.wrongRoot(cid, root)
		}
		if cid != billingCID {
			sel.Notes = append(sel.Notes, "the CustomizationID extends Peppol BIS Billing 3.0 with a specification ehf does not know; checked against Peppol BIS Billing 3.0")
		}
		sel.Native = true
		return sel.rules("Peppol BIS Billing 3.0 "+docWord(root), FamilyPeppolBilling,
			[]string{"CEN-EN16931-UBL.sch", "PEPPOL-EN16931-UBL.sch"})
	case cid == selfBillingCID || strings.HasPrefix(cid, selfBillingCID+"#"):
		if root != "Invoice" && root != "CreditNote" {
			return sel.wrongRoot(cid, root)
		}
		return sel.rules("Peppol BIS Self-Billing 3.0 "+docWord(root), FamilyPeppolBilling,
			[]string{"CEN-EN16931-UBL.sch", "PEPPOL-EN16931-UBL-SB.sch"})
	case cid == cenCID || strings.HasPrefix(cid, cenCID+"#"):
		if root != "Invoice" && root != "CreditNote" {
			return sel.wrongRoot(cid, root)
		}
		if cid != cenCID {
			sel.Notes = append(sel.Notes, "the CustomizationID names a specification based on EN 16931 that ehf does not know; checked against EN 16931 only")
		}
		return sel.rules("EN 16931 "+docWord(root), FamilyCEN,
			[]string{"preprocessed/EN16931-UBL-validation-preprocessed.sch"})
	case strings.HasPrefix(cid, peppolTrnsCID):
		name, version, _ := strings.Cut(strings.TrimPrefix(cid, peppolTrnsCID), ":")
		t, ok := peppolTransactions[name]
		if !ok || !strings.HasPrefix(version, "3") {
			break
		}
		if t.root != root {
			return sel.wrongRoot(cid, root)
		}
		if version != "3" {
			sel.Notes = append(sel.Notes, "the CustomizationID extends the Peppol transaction with a specification ehf does not know; checked against the Peppol rules")
		}
		return sel.rules(t.title, FamilyPeppol, []string{t.file})
	}
	if cid == "" {
		return sel.reject("the document has no CustomizationID, so its rules are unknown",
			"dokumentet har ingen CustomizationID, så reglene er ukjente")
	}
	return sel.reject(
		fmt.Sprintf("CustomizationID %s is not a specification ehf has rules for", cid),
		fmt.Sprintf("CustomizationID %s er ikke en spesifikasjon ehf har regler for", cid))
}

func docWord(root string) string {
	if root == "CreditNote" {
		return "credit note"
	}
	return "invoice"
}

func (sel Selection) reject(en, nb string) Selection {
	sel.Recognised = false
	sel.Reason, sel.ReasonNB = en, nb
	return sel
}

func (sel Selection) wrongRoot(cid, root string) Selection {
	return sel.reject(
		fmt.Sprintf("CustomizationID %s does not allow a %s document", cid, root),
		fmt.Sprintf("CustomizationID %s tillater ikke dokumenttypen %s", cid, root))
}

// rules completes a selection with the release of a family in force on the
// selection's date that holds the given files.
func (sel Selection) rules(title, family string, files []string) Selection {
	set, note := release(family, files, sel.Date)
	if set.Name == "" {
		return sel.reject(
			fmt.Sprintf("no rule set in ehf's catalogue covers %s", title),
			fmt.Sprintf("ingen regelsett i ehfs katalog dekker %s", title))
	}
	sel.Recognised = true
	sel.Document = title
	if note != "" {
		sel.Notes = append(sel.Notes, note)
	}
	sf := SetFiles{Set: set.Name}
	for _, f := range files {
		sf.Files = append(sf.Files, FileRef{Set: set.Name, Path: f})
	}
	sel.Rules = []SetFiles{sf}
	return sel
}

// release picks, among the releases of a family that hold all the files,
// the one in force on date. When none is, it takes the nearest (the
// earliest for a date before all of them, else the latest) and says so.
func release(family string, files []string, date time.Time) (Set, string) {
	var cands []Set
	for _, s := range Sets {
		if s.Family != family {
			continue
		}
		all := true
		for _, f := range files {
			if _, ok := Lookup(s.Name, f); !ok {
				all = false
				break
			}
		}
		if all {
			cands = append(cands, s)
		}
	}
	if len(cands) == 0 {
		return Set{}, ""
	}
	for i := len(cands) - 1; i >= 0; i-- {
		if cands[i].InForce(date) {
			return cands[i], ""
		}
	}
	pick := cands[len(cands)-1]
	if date.Before(cands[0].From) {
		pick = cands[0]
	}
	until := "still in force"
	if !pick.Until.IsZero() {
		until = "until " + pick.Until.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	return pick, fmt.Sprintf("no release ehf knows was in force on %s; used %s (in force from %s, %s)",
		date.Format(time.DateOnly), pick.Name, pick.From.Format(time.DateOnly), until)
}
