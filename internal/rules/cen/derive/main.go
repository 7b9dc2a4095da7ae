// Command derive writes documents derived from invoices by small changes
// (an element removed or repeated, an amount, code, rate or attribute
// changed), for comparing the CEN pack with the reference engine on
// documents nobody wrote by hand (see TestOracle in package cen):
//
//	go run ./internal/rules/cen/derive -n 3000 -seed 1 -out /tmp/derived ../shared/examples/peppol-3.0.19/examples
//	cd /tmp/derived && ../../work/shared/oracle/oracle .../2026.5-CEN.xsl *.xml > out.jsonl
//
// Each document gets one to six changes. The same seed gives the same
// documents.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/beevik/etree"
)

var (
	codes = []string{"S", "Z", "E", "AE", "K", "G", "O", "L", "M", "B", "XX", "NOK", "EUR", "ZZZ", "0192", "0088", "SEPA", "130", "50",
		"380", "381", "1A", "EL", "NO", "IT", "30", "58", "VAT", "vat ", " S", "", "EA", "C62", "3", "35", "432", "95", "ABK", "FC",
		"VATEX-EU-O", "vatex-eu-ic", "true", "false", "1", "0", "2.1"}
	numbers = []string{"0", "-1", "100.005", "1.5", "-0.005", "0.00", "99999999.99", "-100.00", "25", "15", "12", "0.5", "10.01"}
	steps   = []string{"0.01", "-0.01", "1", "-1", "0.5", "100", "-2"}
	attrs   = map[string][]string{"schemeID": {"0192", "SEPA", "9999", "0088", " 0192", "XX"}, "currencyID": {"NOK", "EUR", "XXX", "nok", ""},
		"unitCode": {"EA", "C62", "XYZ", ""}, "mimeCode": {"application/pdf", "application/zip"}, "listID": {"STI", "ZZ", "HS"},
		"name": {"x"}, "filename": {"a.pdf"}}
	categories = []string{"S", "Z", "E", "AE", "K", "G", "O", "L", "M"}
)

func main() {
	n := flag.Int("n", 1000, "documents to write")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "derived", "folder to write to")
	flag.Parse()
	var sources []string
	for _, dir := range flag.Args() {
		filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() && strings.HasSuffix(p, ".xml") {
				if data, err := os.ReadFile(p); err == nil && strings.Contains(string(data), "urn:cen.eu:en16931:2017") && !strings.Contains(string(data), "StandardBusinessDocument") {
					sources = append(sources, p)
				}
			}
			return nil
		})
	}
	if len(sources) == 0 {
		fmt.Fprintln(os.Stderr, "derive: no EN 16931 invoice in", flag.Args())
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "derive:", err)
		os.Exit(1)
	}
	r := rand.New(rand.NewPCG(*seed, 0))
	for i := 0; i < *n; i++ {
		doc := etree.NewDocument()
		if err := doc.ReadFromFile(sources[r.IntN(len(sources))]); err != nil || doc.Root() == nil {
			continue
		}
		for k := 1 + r.IntN(6); k > 0; k-- {
			change(r, doc.Root())
		}
		if err := doc.WriteToFile(filepath.Join(*out, fmt.Sprintf("d%05d.xml", i))); err != nil {
			fmt.Fprintln(os.Stderr, "derive:", err)
			os.Exit(1)
		}
	}
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func all(e *etree.Element) []*etree.Element {
	out := []*etree.Element{e}
	for _, c := range e.ChildElements() {
		out = append(out, all(c)...)
	}
	return out
}

func leaf(e *etree.Element) bool { return len(e.ChildElements()) == 0 }

// change makes one random change below root.
func change(r *rand.Rand, root *etree.Element) {
	els := all(root)[1:]
	if len(els) == 0 {
		return
	}
	var leaves []*etree.Element
	for _, e := range els {
		if leaf(e) {
			leaves = append(leaves, e)
		}
	}
	filter := func(keep func(*etree.Element) bool) []*etree.Element {
		var out []*etree.Element
		for _, e := range els {
			if keep(e) {
				out = append(out, e)
			}
		}
		return out
	}
	switch r.IntN(10) {
	case 0: // remove an element
		e := pick(r, els)
		e.Parent().RemoveChild(e)
	case 1: // repeat an element
		e := pick(r, els)
		e.Parent().InsertChildAt(e.Index()+1, e.Copy())
	case 2, 3: // change a number
		ns := filter(func(e *etree.Element) bool { return leaf(e) && strings.ContainsAny(e.Text(), "0123456789") })
		if len(ns) == 0 {
			return
		}
		e := pick(r, ns)
		if r.IntN(2) == 0 {
			e.SetText(pick(r, numbers))
		} else if v, ok := add(strings.TrimSpace(e.Text()), pick(r, steps)); ok {
			e.SetText(v)
		}
	case 4: // change a code
		cs := filter(func(e *etree.Element) bool {
			return leaf(e) && (strings.HasSuffix(e.Tag, "ID") || strings.HasSuffix(e.Tag, "Code") || strings.HasSuffix(e.Tag, "Indicator"))
		})
		if len(cs) > 0 {
			pick(r, cs).SetText(pick(r, codes))
		}
	case 5: // change or remove an attribute
		with := filter(func(e *etree.Element) bool { return len(e.Attr) > 0 })
		if len(with) == 0 {
			return
		}
		e := pick(r, with)
		a := pick(r, e.Attr)
		if r.IntN(3) == 0 {
			e.RemoveAttr(a.Key)
		} else if vs, ok := attrs[a.Key]; ok {
			e.CreateAttr(a.Key, pick(r, vs))
		}
	case 6: // add an attribute
		if len(leaves) == 0 {
			return
		}
		keys := []string{"schemeID", "currencyID", "unitCode", "mimeCode", "listID", "name", "filename"}
		k := pick(r, keys)
		pick(r, leaves).CreateAttr(k, pick(r, attrs[k]))
	case 7: // change a VAT rate
		ps := filter(func(e *etree.Element) bool { return e.Tag == "Percent" })
		if len(ps) > 0 {
			pick(r, ps).SetText(pick(r, []string{"0", "25", "15", "12", "10.0", "25.00", "-5", "0.4", ""}))
		}
	case 8: // change a charge indicator
		cs := filter(func(e *etree.Element) bool { return e.Tag == "ChargeIndicator" })
		if len(cs) > 0 {
			pick(r, cs).SetText(pick(r, []string{"true", "false", "1", "0", " true "}))
		}
	default: // change a VAT category
		ids := filter(func(e *etree.Element) bool {
			return e.Tag == "ID" && e.Parent() != nil && strings.HasSuffix(e.Parent().Tag, "TaxCategory")
		})
		if len(ids) > 0 {
			pick(r, ids).SetText(pick(r, categories))
		}
	}
}

// add adds step to the decimal v, keeping it a plain decimal.
func add(v, step string) (string, bool) {
	var a, b float64
	if _, err := fmt.Sscan(v, &a); err != nil || strings.ContainsAny(v, "eE") {
		return "", false
	}
	fmt.Sscan(step, &b)
	// A test corpus, not money: float is fine here, written with the
	// decimals the value had.
	dec := 0
	if i := strings.IndexByte(v, '.'); i >= 0 {
		dec = len(v) - i - 1
	}
	if d := strings.IndexByte(step, '.'); d >= 0 && len(step)-d-1 > dec {
		dec = len(step) - d - 1
	}
	return fmt.Sprintf("%.*f", dec, a+b), true
}
