// Command gen writes the code list tables of package codelist from the
// official Schematron files of each Peppol release.
//
// The official rule files carry their code lists inline: the CEN file as
// the space-separated string of an assert's contains(...) test, the Peppol
// file as tokenize(...) variables. gen reads those strings (facts: the code
// values), names each list, notes which file, assert or variable and which
// release it came from, and writes tables_gen.go. A list whose values
// differ between releases is written once per release.
//
// Usage (from internal/codelist, as go generate runs it):
//
//	go run ./gen -shared ../../../shared -out tables_gen.go
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// release is one official Peppol release and where its rule files are.
type release struct {
	name   string // as the rule packs name it
	dir    string // under shared/rules
	cenVer string // the CEN validation artefacts version the file states
}

var releases = []release{
	{"3.0.19", "peppol-billing-3.0.19", ""},
	{"2026.5", "peppol-2026.5", ""},
}

// spec names one list and says where its values are.
type spec struct {
	name  string // Go identifier
	title string // what the list is
	file  string // "cen" or "peppol"
	// from is an assert ID (the n-th inline list of its test, or its
	// mimeCode comparisons for "mime") or, for the Peppol file, "$var".
	from string
	n    int
	mime bool
}

var specs = []spec{
	{name: "UNCL1001Invoice", title: "UNTDID 1001 document name codes allowed for an invoice", file: "cen", from: "BR-CL-01"},
	{name: "UNCL1001CreditNote", title: "UNTDID 1001 document name codes allowed for a credit note", file: "cen", from: "BR-CL-01", n: 1},
	{name: "ISO4217", title: "ISO 4217 alpha-3 currency codes", file: "cen", from: "BR-CL-04"},
	{name: "UNCL2005", title: "UNTDID 2005 date/time/period function codes (VAT point date codes)", file: "cen", from: "BR-CL-06"},
	{name: "UNCL1153", title: "UNTDID 1153 reference code qualifiers (invoiced object identifier schemes)", file: "cen", from: "BR-CL-07"},
	{name: "UNCL4451", title: "UNTDID 4451 text subject code qualifiers (invoice note subjects)", file: "cen", from: "BR-CL-08"},
	{name: "ICD", title: "ISO 6523 ICD identifier scheme codes", file: "cen", from: "BR-CL-10"},
	{name: "UNCL7143", title: "UNTDID 7143 item type identification codes", file: "cen", from: "BR-CL-13"},
	{name: "ISO3166", title: "ISO 3166-1 alpha-2 country codes", file: "cen", from: "BR-CL-14"},
	{name: "VATPrefix", title: "ISO 3166-1 alpha-2 country codes and the VAT identifier prefixes (EL, XI)", file: "cen", from: "BR-CO-09"},
	{name: "UNCL4461", title: "UNTDID 4461 payment means codes", file: "cen", from: "BR-CL-16"},
	{name: "UNCL5305", title: "UNTDID 5305 duty/tax/fee category codes", file: "cen", from: "BR-CL-17"},
	{name: "UNCL5189", title: "UNTDID 5189 allowance reason codes", file: "cen", from: "BR-CL-19"},
	{name: "UNCL7161", title: "UNTDID 7161 special service (charge reason) codes", file: "cen", from: "BR-CL-20"},
	{name: "VATEX", title: "CEF VATEX VAT exemption reason codes", file: "cen", from: "BR-CL-22"},
	{name: "UNECERec20", title: "UN/ECE Recommendation 20 units of measure, with Recommendation 21 codes", file: "cen", from: "BR-CL-23"},
	{name: "MIME", title: "MIME types allowed for attachments", file: "cen", from: "BR-CL-24", mime: true},
	{name: "EAS", title: "CEF EAS electronic address schemes", file: "cen", from: "BR-CL-25"},

	{name: "PeppolISO3166", title: "ISO 3166-1 alpha-2 country codes as the Peppol rules list them", file: "peppol", from: "$ISO3166"},
	{name: "PeppolISO4217", title: "ISO 4217 currency codes as the Peppol rules list them", file: "peppol", from: "$ISO4217"},
	{name: "PeppolMIME", title: "MIME types allowed for attachments by the Peppol rules", file: "peppol", from: "$MIMECODE"},
	{name: "PeppolUNCL2005", title: "UNTDID 2005 codes as the Peppol rules list them", file: "peppol", from: "$UNCL2005"},
	{name: "PeppolUNCL5189", title: "UNTDID 5189 allowance reason codes as the Peppol rules list them", file: "peppol", from: "$UNCL5189"},
	{name: "PeppolUNCL7161", title: "UNTDID 7161 charge reason codes as the Peppol rules list them", file: "peppol", from: "$UNCL7161"},
	{name: "PeppolUNCL5305", title: "UNTDID 5305 VAT category codes as the Peppol rules list them", file: "peppol", from: "$UNCL5305"},
	{name: "PeppolEAS", title: "Peppol electronic address schemes (EAS)", file: "peppol", from: "$eaid"},
	{name: "PeppolInvoiceType01", title: "invoice type codes allowed in Peppol billing process 01", file: "peppol", from: "PEPPOL-EN16931-P0100"},
	{name: "PeppolCreditNoteType01", title: "credit note type codes allowed in Peppol billing process 01", file: "peppol", from: "PEPPOL-EN16931-P0101"},
}

var (
	assertRE  = regexp.MustCompile(`(?s)<assert\s[^>]*?id="([^"]+)"[^>]*?test="([^"]*)"`)
	assertRE2 = regexp.MustCompile(`(?s)<assert\s[^>]*?test="([^"]*)"[^>]*?id="([^"]+)"`)
	inlineRE  = regexp.MustCompile(`(?:contains\(\s*'\s([^']*)\s'|tokenize\('([^']*)')`)
	mimeRE    = regexp.MustCompile(`@mimeCode\s*=\s*'([^']*)'`)
	letRE     = regexp.MustCompile(`(?s)<let\s+name="([^"]+)"\s+value="tokenize\('([^']*)'`)
	versionRE = regexp.MustCompile(`Schematron version ([0-9.]+)`)
)

// source is one parsed rule file.
type source struct {
	path    string
	version string
	asserts map[string]string // ID -> test
	order   []string
	lets    map[string][]string
}

func load(path string) (*source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := &source{path: path, asserts: map[string]string{}, lets: map[string][]string{}}
	if m := versionRE.FindSubmatch(data); m != nil {
		s.version = string(m[1])
	}
	add := func(id, test string) {
		if _, ok := s.asserts[id]; !ok {
			s.order = append(s.order, id)
		}
		s.asserts[id] = test
	}
	for _, m := range assertRE.FindAllSubmatch(data, -1) {
		add(string(m[1]), string(m[2]))
	}
	for _, m := range assertRE2.FindAllSubmatch(data, -1) {
		if !strings.Contains(string(m[1]), `id="`) {
			add(string(m[2]), string(m[1]))
		}
	}
	for _, m := range letRE.FindAllSubmatch(data, -1) {
		s.lets[string(m[1])] = strings.Fields(string(m[2]))
	}
	return s, nil
}

func inline(test string) [][]string {
	var out [][]string
	for _, m := range inlineRE.FindAllStringSubmatch(test, -1) {
		v := m[1]
		if v == "" {
			v = m[2]
		}
		out = append(out, strings.Fields(v))
	}
	return out
}

// values extracts a list per its spec, with the rule IDs that use it.
func (s *source) values(sp spec) ([]string, []string, error) {
	if strings.HasPrefix(sp.from, "$") {
		v, ok := s.lets[sp.from[1:]]
		if !ok {
			return nil, nil, fmt.Errorf("%s: no variable %s", s.path, sp.from)
		}
		var rules []string
		for _, id := range s.order {
			if regexp.MustCompile(`\` + sp.from + `\b`).MatchString(s.asserts[id]) {
				rules = append(rules, id)
			}
		}
		return v, rules, nil
	}
	test, ok := s.asserts[sp.from]
	if !ok {
		return nil, nil, fmt.Errorf("%s: no assert %s", s.path, sp.from)
	}
	if sp.mime {
		var v []string
		for _, m := range mimeRE.FindAllStringSubmatch(test, -1) {
			v = append(v, m[1])
		}
		return v, []string{sp.from}, nil
	}
	ls := inline(test)
	if sp.n >= len(ls) {
		return nil, nil, fmt.Errorf("%s: assert %s has %d lists, want #%d", s.path, sp.from, len(ls), sp.n)
	}
	v := ls[sp.n]
	// Every assert whose tests hold the same list uses it.
	var rules []string
	key := strings.Join(sorted(v), " ")
	for _, id := range s.order {
		for _, l := range inline(s.asserts[id]) {
			if strings.Join(sorted(l), " ") == key {
				rules = append(rules, id)
				break
			}
		}
	}
	return v, rules, nil
}

func sorted(v []string) []string {
	out := append([]string(nil), v...)
	sort.Strings(out)
	// drop duplicates
	w := 0
	for i, x := range out {
		if i == 0 || x != out[w-1] {
			out[w] = x
			w++
		}
	}
	return out[:w]
}

type version struct {
	releases []string
	source   string
	rules    []string
	codes    []string
}

func main() {
	shared := flag.String("shared", "../../../shared", "the shared kit with rules/")
	out := flag.String("out", "tables_gen.go", "file to write")
	flag.Parse()
	srcs := map[string]map[string]*source{}
	for _, r := range releases {
		srcs[r.name] = map[string]*source{}
		for kind, file := range map[string]string{"cen": "CEN-EN16931-UBL.sch", "peppol": "PEPPOL-EN16931-UBL.sch"} {
			s, err := load(filepath.Join(*shared, "rules", r.dir, file))
			if err != nil {
				fail(err)
			}
			srcs[r.name][kind] = s
		}
	}
	var b bytes.Buffer
	b.WriteString("// Code generated by go run ./gen; DO NOT EDIT.\n\n")
	b.WriteString("// The values are read from the official Schematron rule files of each\n// release (see gen/main.go); each list notes its file, rules and release.\n\n")
	b.WriteString("package codelist\n\n")
	b.WriteString("// The lists, in the order of ID.\nconst (\n")
	for i, sp := range specs {
		fmt.Fprintf(&b, "\t// %s is %s.\n", sp.name, sp.title)
		if i == 0 {
			fmt.Fprintf(&b, "\t%s ID = iota\n", sp.name)
		} else {
			fmt.Fprintf(&b, "\t%s\n", sp.name)
		}
	}
	b.WriteString("\tcount\n)\n\n")
	b.WriteString("var lists = [count]List{\n")
	for _, sp := range specs {
		var vs []*version
		for _, r := range releases {
			s := srcs[r.name][sp.file]
			v, rules, err := s.values(sp)
			if err != nil {
				fail(err)
			}
			codes := sorted(v)
			rel := filepath.Join("rules", r.dir, filepath.Base(s.path))
			if s.version != "" {
				rel += " (" + s.version + ")"
			}
			if n := len(vs); n > 0 && strings.Join(vs[n-1].codes, " ") == strings.Join(codes, " ") {
				vs[n-1].releases = append(vs[n-1].releases, r.name)
				vs[n-1].source += "; " + rel
				continue
			}
			vs = append(vs, &version{releases: []string{r.name}, source: rel, rules: rules, codes: codes})
		}
		fmt.Fprintf(&b, "\t%s: {Name: %q, Title: %q, Versions: []Version{\n", sp.name, sp.name, sp.title)
		for _, v := range vs {
			fmt.Fprintf(&b, "\t\t{Releases: %#v, Source: %q, Rules: %#v, Codes: []string{", v.releases, v.source, v.rules)
			for i, c := range v.codes {
				if i%12 == 0 {
					b.WriteString("\n\t\t\t")
				} else {
					b.WriteString(" ")
				}
				fmt.Fprintf(&b, "%q,", c)
			}
			b.WriteString("\n\t\t}},\n")
		}
		b.WriteString("\t}},\n")
	}
	b.WriteString("}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		fail(fmt.Errorf("formatting: %v", err))
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}
