package schemas

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// manifestName is the file, inside an installed set's folder, that records
// the install. It is written last, so a folder without it is not a set.
const manifestName = ".ehf-set.json"

// Prefixes of the working folders an install leaves in Dir(home) while it
// runs: a new set being downloaded, and the previous copy being replaced.
const (
	tmpPrefix = ".tmp-"
	oldPrefix = ".old-"
)

type manifest struct {
	Set       string            `json:"set"`
	Installed time.Time         `json:"installed"`
	Source    string            `json:"source"`
	Files     map[string]string `json:"files"` // path in the set -> SHA-256
}

// InstalledSet is one rule set found in the install folder.
type InstalledSet struct {
	Name      string
	Dir       string // absolute folder holding the set's files
	Installed time.Time
	Source    string // where it was installed from: "official", a folder or a URL
}

// Path is the absolute path of one of the set's files (a path as the
// catalogue gives it, slash-separated).
func (s InstalledSet) Path(file string) string {
	return filepath.Join(s.Dir, filepath.FromSlash(file))
}

// Installation is what is installed under one ehf home.
type Installation struct {
	Home string
	Dir  string                  // Dir(Home)
	Sets map[string]InstalledSet // by set name
}

// Installed reads what is installed under home. A home with nothing
// installed is not an error. Should an install have been interrupted at the
// moment it swapped a set for its new copy, the previous copy is found and
// used.
func Installed(home string) (*Installation, error) {
	in := &Installation{Home: home, Dir: Dir(home), Sets: map[string]InstalledSet{}}
	entries, err := os.ReadDir(in.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return in, nil
	}
	if err != nil {
		return nil, err
	}
	var old []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if strings.HasPrefix(e.Name(), oldPrefix) {
			old = append(old, e.Name())
			continue
		}
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if s, ok := readSet(filepath.Join(in.Dir, e.Name())); ok && s.Name == e.Name() {
			in.Sets[s.Name] = s
		}
	}
	sort.Strings(old)
	for _, name := range old {
		if s, ok := readSet(filepath.Join(in.Dir, name)); ok {
			if _, have := in.Sets[s.Name]; !have {
				in.Sets[s.Name] = s
			}
		}
	}
	return in, nil
}

func readSet(dir string) (InstalledSet, bool) {
	m, err := readManifest(dir)
	if err != nil {
		return InstalledSet{}, false
	}
	return InstalledSet{Name: m.Set, Dir: dir, Installed: m.Installed, Source: m.Source}, true
}

func readManifest(dir string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, manifestName), err)
	}
	if _, ok := LookupSet(m.Set); !ok {
		return nil, fmt.Errorf("%s: unknown set %q", dir, m.Set)
	}
	return &m, nil
}

// Has reports whether a set is installed.
func (in *Installation) Has(set string) bool {
	_, ok := in.Sets[set]
	return ok
}

// Path returns the absolute path of an installed file, or a
// *NotInstalledError naming the set.
func (in *Installation) Path(ref FileRef) (string, error) {
	s, ok := in.Sets[ref.Set]
	if !ok {
		return "", &NotInstalledError{Sets: []string{ref.Set}}
	}
	return s.Path(ref.Path), nil
}

// NotInstalledError says which rule sets a document needs that are not
// installed, and how to install them.
type NotInstalledError struct {
	Sets []string
}

func (e *NotInstalledError) Error() string {
	return fmt.Sprintf("not installed: %s; run: %s", strings.Join(e.Sets, ", "), e.Command())
}

// Command is the command that installs the missing sets.
func (e *NotInstalledError) Command() string {
	return "ehf schemas install " + strings.Join(e.Sets, " ")
}

// MessageNB says the same as Error in Norwegian bokmål.
func (e *NotInstalledError) MessageNB() string {
	return fmt.Sprintf("ikke installert: %s; kjør: %s", strings.Join(e.Sets, ", "), e.Command())
}

// Resolved gives the absolute paths of the files a Selection needs.
type Resolved struct {
	XSD   string        // "" when the selection names no schema
	Rules []ResolvedSet // in the order the selection gives
}

// ResolvedSet is one rule set of a Resolved selection.
type ResolvedSet struct {
	Set   string
	Files []string // absolute paths of the .sch files, in order
}

// Resolve finds the installed files of a selection. When some are not
// installed it returns a *NotInstalledError listing every missing set, and
// a Resolved holding what is there (the XSD may be installed while a rule
// set is not, or the other way round).
func (in *Installation) Resolve(sel Selection) (Resolved, error) {
	var r Resolved
	var missing []string
	need := func(set string) bool {
		if in.Has(set) {
			return true
		}
		for _, m := range missing {
			if m == set {
				return false
			}
		}
		missing = append(missing, set)
		return false
	}
	if sel.XSD.Set != "" && need(sel.XSD.Set) {
		r.XSD, _ = in.Path(sel.XSD)
	}
	for _, rs := range sel.Rules {
		if !need(rs.Set) {
			continue
		}
		out := ResolvedSet{Set: rs.Set}
		for _, f := range rs.Files {
			p, _ := in.Path(f)
			out.Files = append(out.Files, p)
		}
		r.Rules = append(r.Rules, out)
	}
	if len(missing) > 0 {
		return r, &NotInstalledError{Sets: missing}
	}
	return r, nil
}

// Problem is one thing Verify found wrong with an installed set.
type Problem struct {
	Set, File string
	What      string
}

func (p Problem) String() string {
	if p.File == "" {
		return p.Set + ": " + p.What
	}
	return p.Set + "/" + p.File + ": " + p.What
}

// Verify re-reads every file of the named installed sets (all installed
// sets when none is named) and checks it against the catalogue's SHA-256.
// It returns the sets it checked and what it found wrong.
func Verify(home string, sets ...string) (checked []string, problems []Problem, err error) {
	in, err := Installed(home)
	if err != nil {
		return nil, nil, err
	}
	if len(sets) == 0 {
		for _, s := range Sets {
			if in.Has(s.Name) {
				sets = append(sets, s.Name)
			}
		}
	}
	for _, name := range sets {
		set, ok := LookupSet(name)
		if !ok {
			return checked, problems, fmt.Errorf("unknown rule set %q (known: %s)", name, strings.Join(SetNames(), ", "))
		}
		inst, ok := in.Sets[name]
		if !ok {
			problems = append(problems, Problem{Set: name, What: "not installed"})
			continue
		}
		checked = append(checked, name)
		problems = append(problems, verifySet(set, inst.Dir)...)
	}
	return checked, problems, nil
}

func verifySet(set Set, dir string) []Problem {
	var problems []Problem
	for _, a := range set.Files() {
		sum, n, err := hashFile(filepath.Join(dir, filepath.FromSlash(a.Path)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			problems = append(problems, Problem{set.Name, a.Path, "missing"})
		case err != nil:
			problems = append(problems, Problem{set.Name, a.Path, err.Error()})
		case sum != a.SHA256:
			problems = append(problems, Problem{set.Name, a.Path, fmt.Sprintf("changed: SHA-256 %s (%d bytes), expected %s (%d bytes)", sum, n, a.SHA256, a.Size)})
		}
	}
	return problems
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
