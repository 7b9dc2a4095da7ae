package peppol

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/internal/sharedtest"
)

// sharedDir returns the shared kit's directory, or skips t.
func sharedDir(t *testing.T) string { return sharedtest.Dir(t) }

// The ICD table must hold exactly the EAS codes the current Peppol billing
// rules allow in cbc:EndpointID/@schemeID.
func TestICDTableMatchesPeppolRules(t *testing.T) {
	path := filepath.Join(sharedDir(t), "rules", "peppol-2026.5", "PEPPOL-EN16931-UBL.sch")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("Peppol rules not in the shared kit: %v", err)
	}
	m := regexp.MustCompile(`<let name="eaid" value="tokenize\('([0-9 ]+)'`).FindSubmatch(data)
	if m == nil {
		t.Fatal("the EAS list (variable eaid) was not found in the Peppol rules")
	}
	want := strings.Fields(string(m[1]))
	sort.Strings(want)
	var got []string
	for _, i := range ICDs() {
		got = append(got, i.Code)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ICD table differs from the Peppol EAS list\n got: %v\nwant: %v", got, want)
	}
}

// The official Peppol unit tests for the identifier rules
// (PEPPOL-COMMON-R040 ff.) must agree with Validate: every value Peppol
// rejects is rejected here too, and every value Peppol accepts is accepted,
// except where this package deliberately checks more (the CVR check digit).
func TestICDRulesAgreeWithPeppolUnitTests(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "conformance", "peppol-3.0.19", "unit-UBL-PEPPOL")
	files, _ := filepath.Glob(filepath.Join(dir, "PEPPOL-COMMON-R0[45]*.xml"))
	if len(files) == 0 {
		t.Skip("Peppol unit tests for the identifier rules not in the shared kit")
	}
	stricter := map[string]bool{"0184": true}
	checked := 0
	for _, f := range files {
		for _, c := range readIDCases(t, f) {
			if _, ok := LookupICD(c.scheme); !ok {
				continue // e.g. 9907, withdrawn from the EAS list
			}
			p, err := ParticipantFromEndpoint(c.scheme, c.value)
			if err == nil {
				err = p.Validate()
			}
			switch {
			case c.fires && err == nil:
				t.Errorf("%s: Peppol rejects %s:%s, Validate accepts it", filepath.Base(f), c.scheme, c.value)
			case !c.fires && err != nil && !stricter[c.scheme]:
				t.Errorf("%s: Peppol accepts %s:%s, Validate says %v", filepath.Base(f), c.scheme, c.value, err)
			}
			checked++
		}
	}
	if checked < 30 {
		t.Errorf("only %d identifier cases found in the Peppol unit tests", checked)
	}
}

type idCase struct {
	scheme, value string
	fires         bool // the rule is expected to fire (error or warning)
}

// readIDCases extracts, per <test>, the expectation and the scheme-coded
// identifiers of one conformance file. When the rule must fire, only the
// identifiers are taken when all of them share one value, so that a test
// mixing good and bad identifiers cannot be misread.
func readIDCases(t *testing.T, path string) []idCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	var (
		out     []idCase
		inTest  bool
		fires   bool
		inExp   string
		inID    string
		scheme  string
		current []idCase
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			switch {
			case tk.Name.Local == "test":
				inTest, fires, current = true, false, nil
			case inTest && (tk.Name.Local == "error" || tk.Name.Local == "warning" || tk.Name.Local == "success"):
				inExp = tk.Name.Local
			case inTest && (tk.Name.Local == "EndpointID" || tk.Name.Local == "ID" || tk.Name.Local == "CompanyID"):
				for _, a := range tk.Attr {
					if a.Name.Local == "schemeID" {
						inID, scheme = tk.Name.Local, a.Value
					}
				}
			}
		case xml.CharData:
			if inExp != "" && strings.HasPrefix(strings.TrimSpace(string(tk)), "PEPPOL-COMMON-R") {
				fires = inExp != "success"
			}
			if inID != "" {
				current = append(current, idCase{scheme: scheme, value: strings.TrimSpace(string(tk))})
			}
		case xml.EndElement:
			switch tk.Name.Local {
			case "error", "warning", "success":
				inExp = ""
			case "EndpointID", "ID", "CompanyID":
				inID = ""
			case "test":
				inTest = false
				same := true
				for _, c := range current {
					same = same && c == current[0]
				}
				for _, c := range current {
					c.fires = fires
					if !fires || same {
						out = append(out, c)
					}
				}
			}
		}
	}
	return out
}
