package ehf

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/ehf-project/ehf/internal/report"
	"github.com/ehf-project/ehf/internal/schematron"
	"github.com/ehf-project/ehf/schemas"
)

// programs compiles each installed rule set once, on first use, and keeps
// it for the validator's life: compiling the official files takes far
// longer than validating a document with them.
type programs struct {
	mu   sync.Mutex
	sets map[string]*compiled
}

type compiled struct {
	once sync.Once
	p    *schematron.Program
	err  error
}

func (ps *programs) get(name string, files []string) (*schematron.Program, error) {
	ps.mu.Lock()
	if ps.sets == nil {
		ps.sets = map[string]*compiled{}
	}
	c := ps.sets[name]
	if c == nil {
		c = &compiled{}
		ps.sets[name] = c
	}
	ps.mu.Unlock()
	c.once.Do(func() { c.p, c.err = schematron.Compile(name, files...) })
	return c.p, c.err
}

// ruleFiles expands the paths given with --rules: files as they are,
// folders to the .sch files in them (not below them), in name order.
func ruleFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		found, _ := filepath.Glob(filepath.Join(p, "*.sch"))
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no .sch files in this folder", p)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, nil
}

// ruleSetName names the rule files given with --rules in reports: the
// folder's name, or the file names.
func ruleSetName(paths []string) string {
	var names []string
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(filepath.Clean(p)), ".sch"))
	}
	return strings.Join(names, "+")
}

// runInstalled runs the official rule sets the selection names, from the
// installed copies. It reports whether it ran anything; when the sets are
// not installed it says which install command would let it.
func (v *Validator) runInstalled(doc *Document, sel schemas.Selection, r *Report) bool {
	if !sel.Recognised || len(sel.Rules) == 0 {
		return false
	}
	// The schema is the XSD layer's business; here only the rules count.
	sel.XSD = schemas.FileRef{}
	if v.inst == nil {
		r.Findings = append(r.Findings, v.unchecked(doc, fmt.Sprintf("ehf schemas install %s", strings.Join(sel.Sets(), " "))))
		return true
	}
	res, err := v.inst.Resolve(sel)
	if err != nil {
		var hint string
		if ni, ok := err.(*schemas.NotInstalledError); ok {
			hint = ni.Command()
		} else {
			hint = err.Error()
		}
		r.Findings = append(r.Findings, v.unchecked(doc, hint))
		return true
	}
	for _, set := range res.Rules {
		p, err := v.progs.get(set.Set+"|"+strings.Join(set.Files, "|"), set.Files)
		if err != nil {
			r.Notes = append(r.Notes, fmt.Sprintf("the installed rule set %s could not be compiled: %v", set.Set, err))
			continue
		}
		r.RuleSets = append(r.RuleSets, set.Set)
		r.Findings = append(r.Findings, named(p.Validate(doc.tree), set.Set)...)
	}
	return true
}

// named puts the rule set's catalogue name on findings.
func named(fs []report.Finding, set string) []report.Finding {
	for i := range fs {
		fs[i].RuleSet = set
	}
	return fs
}
