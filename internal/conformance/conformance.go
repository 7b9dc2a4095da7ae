// Package conformance reads the official unit test sets (the VEFA
// validator's testSet format) and scores an engine against them. Both rule
// engines are held to the same sets with this package, so that "agrees
// with the official rules" is one number per suite.
package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/xmltree"
)

const ns = "http://difi.no/xsd/vefa/validator/1.0"

// Want is what a test expects of one rule.
type Want uint8

// Expectations: the rule must not fire; must fire as fatal; must fire as a
// warning.
const (
	Success Want = iota
	Error
	Warning
)

func (w Want) String() string { return [...]string{"success", "error", "warning"}[w] }

// Expect is one expectation of a test.
type Expect struct {
	ID   string
	Want Want
}

// Case is one test: an embedded document and what it expects.
type Case struct {
	File   string
	Config string // the testSet's configuration: tc434-ubl, peppolbis-en16931-base-3.0-ubl, ...
	Line   int    // where the test starts in File
	Doc    *xmltree.Document
	Expect []Expect
}

// Name identifies the case in messages.
func (c *Case) Name() string { return fmt.Sprintf("%s:%d", c.File, c.Line) }

// Load reads every test set under dir (recursively).
func Load(dir string) ([]*Case, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(p, ".xml") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var cases []*Case
	for _, f := range files {
		cs, err := LoadFile(f)
		if err != nil {
			return nil, err
		}
		cases = append(cases, cs...)
	}
	return cases, nil
}

// LoadFile reads one test set.
func LoadFile(file string) ([]*Case, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	d, err := xmltree.Parse(data, &xmltree.Options{File: file})
	if err != nil {
		return nil, err
	}
	root := d.Root()
	if d.Name(root) != (xmltree.Name{Space: ns, Local: "testSet"}) {
		return nil, fmt.Errorf("%s: not a test set (root is %s)", file, d.Local(root))
	}
	config, _ := d.Attr(root, "", "configuration")
	var cases []*Case
	for test := range d.ChildElements(root, d.Lookup(ns, "test")) {
		line, _ := d.Pos(test)
		c := &Case{File: file, Config: config, Line: line}
		for k := range d.Children(test) {
			if d.Kind(k) != xmltree.ElementNode {
				continue
			}
			if d.Name(k).Space != ns {
				if c.Doc == nil {
					c.Doc = d.Subtree(k)
				}
				continue
			}
			if d.Local(k) != "assert" {
				continue
			}
			for e := range d.Children(k) {
				if d.Kind(e) != xmltree.ElementNode {
					continue
				}
				id := strings.TrimSpace(d.Text(e))
				switch d.Local(e) {
				case "success":
					c.Expect = append(c.Expect, Expect{id, Success})
				case "error":
					c.Expect = append(c.Expect, Expect{id, Error})
				case "warning":
					c.Expect = append(c.Expect, Expect{id, Warning})
				}
			}
		}
		if c.Doc != nil {
			cases = append(cases, c)
		}
	}
	return cases, nil
}

// Miss is an expectation an engine did not meet.
type Miss struct {
	Case   *Case
	Expect Expect
	Got    string // what the engine did for that rule
}

func (m Miss) String() string {
	return fmt.Sprintf("%s: %s expected %s, got %s", m.Case.Name(), m.Expect.ID, m.Expect.Want, m.Got)
}

// Score is how many expectations an engine met.
type Score struct {
	Met, Total int
	Misses     []Miss
}

func (s Score) String() string { return fmt.Sprintf("%d/%d", s.Met, s.Total) }

// Check scores findings against one case's expectations.
func Check(c *Case, findings []report.Finding) Score {
	var s Score
	for _, e := range c.Expect {
		s.Total++
		fired, fatal, warning := false, false, false
		for i := range findings {
			if findings[i].ID == e.ID {
				fired = true
				switch findings[i].Flag {
				case report.Fatal:
					fatal = true
				case report.Warning:
					warning = true
				}
			}
		}
		ok := false
		switch e.Want {
		case Success:
			ok = !fired
		case Error:
			ok = fatal
		case Warning:
			ok = warning
		}
		if ok {
			s.Met++
			continue
		}
		got := "no finding"
		switch {
		case fatal:
			got = "fatal"
		case warning:
			got = "warning"
		case fired:
			got = "information"
		}
		s.Misses = append(s.Misses, Miss{Case: c, Expect: e, Got: got})
	}
	return s
}

// Add accumulates another score.
func (s *Score) Add(o Score) {
	s.Met += o.Met
	s.Total += o.Total
	s.Misses = append(s.Misses, o.Misses...)
}
