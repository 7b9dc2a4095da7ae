package schemas

import (
	"net/url"
	"strings"
	"time"
)

// Kinds of rule set.
const (
	KindXSD        = "xsd"        // W3C XML Schema files, checked with libxml2
	KindSchematron = "schematron" // ISO Schematron rule files
)

// Families group the releases of one rule set; Select picks, within a
// family, the release in force on the validation date.
const (
	FamilyUBL           = "ubl"
	FamilyPeppolBilling = "peppol-billing"
	FamilyPeppol        = "peppol"
	FamilyCEN           = "cen-en16931-ubl"
	FamilyEHF           = "ehf-g3"
)

// Set describes one installable rule set: a release of official artefacts
// from one pinned commit of one repository.
type Set struct {
	Name    string // what "ehf schemas install" takes, e.g. "peppol-billing-2026.5"
	Title   string
	Kind    string // KindXSD or KindSchematron
	Family  string
	Version string

	// Where the files come from: the repository on GitHub, the folder in it
	// and the commit they are pinned at.
	Repo    string
	RepoDir string
	Commit  string

	// KitDir is the folder holding the set in the shared kit, and so in any
	// mirror of it that "ehf schemas install --from" is pointed at.
	KitDir string

	// The release is in force from From (inclusive) until Until
	// (exclusive); a zero Until means it has not been replaced.
	From, Until time.Time
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Sets lists every rule set ehf knows, oldest release of a family first.
var Sets = []Set{{
	Name: "ubl-2.1", Title: "OASIS UBL 2.1 schemas (maindoc and common)",
	Kind: KindXSD, Family: FamilyUBL, Version: "2.1",
	Repo: "kduvekot/ubl-release-package", RepoDir: "xsd", Commit: "69d9f20189fe",
	KitDir: "ubl-2.1/xsd",
	From:   day("2013-11-04"), // UBL 2.1 approved as an OASIS Standard
}, {
	Name: "peppol-billing-3.0.19", Title: "Peppol BIS Billing 3.0.19 (CEN and Peppol rules for UBL)",
	Kind: KindSchematron, Family: FamilyPeppolBilling, Version: "3.0.19",
	Repo: "OpenPEPPOL/peppol-bis-invoice-3", RepoDir: "rules/sch", Commit: "78d7f7dfa223",
	KitDir: "rules/peppol-billing-3.0.19",
	From:   day("2025-08-25"), // the May 2025 release's mandatory date
	Until:  day("2026-08-17"),
}, {
	Name: "peppol-billing-2026.5", Title: "Peppol BIS Billing and Self-Billing, May 2026 release (CEN, Peppol and self-billing rules for UBL)",
	Kind: KindSchematron, Family: FamilyPeppolBilling, Version: "2026.5",
	Repo: "phax/phive-rules", RepoDir: "phive-rules-peppol/src/test/resources/external/rule-source/openpeppol/2026.5", Commit: "432f0e9a8cff",
	KitDir: "rules/peppol-2026.5",
	From:   day("2026-08-17"), // mandatory date of the May 2026 release
}, {
	Name: "peppol-2026.5", Title: "Peppol BIS 3 post-award transactions, May 2026 release (order, despatch, catalogue, responses, ...)",
	Kind: KindSchematron, Family: FamilyPeppol, Version: "2026.5",
	Repo: "phax/phive-rules", RepoDir: "phive-rules-peppol/src/test/resources/external/rule-source/openpeppol/2026.5", Commit: "432f0e9a8cff",
	KitDir: "rules/peppol-2026.5",
	From:   day("2026-08-17"),
}, {
	Name: "cen-en16931-ubl-1.3.16", Title: "CEN EN 16931 validation artefacts 1.3.16, UBL binding",
	Kind: KindSchematron, Family: FamilyCEN, Version: "1.3.16",
	Repo: "ConnectingEurope/eInvoicing-EN16931", RepoDir: "ubl/schematron", Commit: "b6c9e06a5981",
	KitDir: "rules/cen-en16931-ubl",
	From:   day("2026-04-10"), // the date the release's files carry
}, {
	Name: "ehf-g3", Title: "EHF post-award G3 rules, release 2022-06-15 (published 2023-02)",
	Kind: KindSchematron, Family: FamilyEHF, Version: "2023-02",
	// The kit names the repository and folder but no commit for this set;
	// it is pinned at the commit the kit took the Peppol 2026.5 rules from,
	// in the same repository. The SHA-256 of every file is what protects it.
	Repo: "phax/phive-rules", RepoDir: "phive-rules-ehf/src/test/resources/external/rule-source/2023-02", Commit: "432f0e9a8cff",
	KitDir: "rules/ehf-g3",
	From:   day("2023-02-16"),
}}

// LookupSet returns the set with the given name.
func LookupSet(name string) (Set, bool) {
	for _, s := range Sets {
		if s.Name == name {
			return s, true
		}
	}
	return Set{}, false
}

// SetNames lists the names of all sets, in catalogue order.
func SetNames() []string {
	names := make([]string, len(Sets))
	for i, s := range Sets {
		names[i] = s.Name
	}
	return names
}

// InForce reports whether the release is in force on the given day.
func (s Set) InForce(t time.Time) bool {
	d := truncateDay(t)
	return !d.Before(s.From) && (s.Until.IsZero() || d.Before(s.Until))
}

// truncateDay keeps the calendar date of t, as seen where t is expressed.
func truncateDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Files returns the catalogue entries of the set.
func (s Set) Files() []Artefact {
	var out []Artefact
	for _, a := range Catalogue {
		if a.Set == s.Name {
			out = append(out, a)
		}
	}
	return out
}

// Artefact is one official file in the catalogue.
type Artefact struct {
	Set  string // the rule set it belongs to
	Path string // its path inside the set (and the install folder), slash-separated

	// Its official source: repository, path in it, pinned commit.
	Repo     string
	RepoPath string
	Commit   string

	SHA256 string // hex, of the exact bytes at that commit
	Size   int64

	// DocTypes are the UBL document types (root element names) it applies
	// to; "*" means every UBL document type (the common schema modules).
	DocTypes []string
}

// URL is where the file is downloaded from: the raw file at the pinned
// commit, so that it cannot change under us.
func (a Artefact) URL() string {
	return "https://raw.githubusercontent.com/" + a.Repo + "/" + a.Commit + "/" + escapePath(a.RepoPath)
}

// KitPath is the file's path in the shared kit, and so in a mirror of it.
func (a Artefact) KitPath() string {
	s, _ := LookupSet(a.Set)
	return s.KitDir + "/" + a.Path
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		parts[i] = url.PathEscape(part)
	}
	return strings.Join(parts, "/")
}

// Lookup returns the catalogue entry for a file of a set.
func Lookup(set, path string) (Artefact, bool) {
	for _, a := range Catalogue {
		if a.Set == set && a.Path == path {
			return a, true
		}
	}
	return Artefact{}, false
}
