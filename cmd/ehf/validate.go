package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ehf-project/ehf/ehf"
	"github.com/ehf-project/ehf/internal/report"
)

func init() {
	register(&command{name: "validate", summary: "validate documents (files, folders, - for standard input)", run: runValidate})
}

// result is one input's outcome: a report, or why there is none.
type result struct {
	file string
	rep  *ehf.Report
	err  error
}

type validateFlags struct {
	format, ruleset, engine, date, lang string
	rules                               multiFlag
	jobs                                int
	noXSD                               bool
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func runValidate(ctx context.Context, e *env, args []string) int {
	var f validateFlags
	fs := flag.NewFlagSet("ehf validate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&f.format, "format", "text", "output: text, json (one document for the run) or jsonl (one line per input)")
	fs.StringVar(&f.ruleset, "ruleset", "", "rule set to apply (default: the one in force on --date): "+strings.Join(ehf.RuleSets(), ", "))
	fs.StringVar(&f.engine, "engine", "native", "rule engine: native or schematron")
	fs.Var(&f.rules, "rules", "Schematron rule file or folder (repeatable; with --engine schematron)")
	fs.StringVar(&f.date, "date", "", "validate as of this day, YYYY-MM-DD (default today)")
	fs.StringVar(&f.lang, "lang", "en", "language of messages: en or nb (bokmål)")
	fs.IntVar(&f.jobs, "j", runtime.GOMAXPROCS(0), "documents validated at once")
	fs.BoolVar(&f.noXSD, "no-xsd", false, "skip the UBL XSD layer")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ehf validate [flags] FILE|FOLDER|- ...\n\nValidates EHF / Peppol BIS Billing 3.0 documents; folders are searched for *.xml.\nExit status: 0 all valid, 1 a fatal finding, 2 bad usage or unreadable input.\n\nFlags:")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "ehf validate: name at least one file, folder, or - for standard input")
		return exitUsage
	}
	switch f.format {
	case "text", "json", "jsonl":
	default:
		fmt.Fprintf(e.stderr, "ehf validate: unknown --format %q: use text, json or jsonl\n", f.format)
		return exitUsage
	}
	opts := &ehf.Options{RuleSet: f.ruleset, Engine: ehf.Engine(f.engine), Rules: f.rules, NoXSD: f.noXSD, Home: e.getenv("EHF_HOME")}
	if f.date != "" {
		d, err := time.Parse("2006-01-02", f.date)
		if err != nil {
			fmt.Fprintf(e.stderr, "ehf validate: --date %q is not a date like 2026-11-24\n", f.date)
			return exitUsage
		}
		opts.Date = d
	}
	v, err := ehf.NewValidator(opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "ehf validate: %v\n", err)
		return exitUsage
	}
	inputs := expandInputs(fs.Args())
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	w := newWriter(f.format, f.lang, out)

	code := exitOK
	for r := range validateAll(ctx, e, v, inputs, f.jobs) {
		w.write(r)
		switch {
		case r.err != nil:
			code = exitUsage
		case !r.rep.Valid() && code == exitOK:
			code = exitInvalid
		}
	}
	w.finish()
	return code
}

// input is a file to validate, or an argument that could not be opened.
type input struct {
	file string
	err  error
}

// expandInputs turns arguments into the files to read, in the order given,
// walking folders for *.xml in name order.
func expandInputs(args []string) []input {
	var ins []input
	for _, a := range args {
		if a == "-" {
			ins = append(ins, input{file: a})
			continue
		}
		fi, err := os.Stat(a)
		if err != nil {
			ins = append(ins, input{a, fmt.Errorf("%s: %w", a, unwrapPathError(err))})
			continue
		}
		if !fi.IsDir() {
			ins = append(ins, input{file: a})
			continue
		}
		var found []input
		filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				found = append(found, input{p, fmt.Errorf("%s: %w", p, unwrapPathError(err))})
			case !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".xml"):
				found = append(found, input{file: p})
			}
			return nil
		})
		sort.SliceStable(found, func(i, j int) bool { return found[i].file < found[j].file })
		ins = append(ins, found...)
	}
	return ins
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// validateAll validates inputs with jobs workers and yields results in
// input order, each as soon as it and all before it are done.
func validateAll(ctx context.Context, e *env, v *ehf.Validator, inputs []input, jobs int) <-chan result {
	if jobs < 1 {
		jobs = 1
	}
	type slot struct {
		i int
		r result
	}
	next := make(chan int)
	done := make(chan slot, jobs)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				done <- slot{i, validateOne(e, v, inputs[i])}
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range inputs {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()

	out := make(chan result)
	go func() {
		defer close(out)
		pending := map[int]result{}
		want := 0
		for s := range done {
			pending[s.i] = s.r
			for {
				r, ok := pending[want]
				if !ok {
					break
				}
				delete(pending, want)
				out <- r
				want++
			}
		}
	}()
	return out
}

func validateOne(e *env, v *ehf.Validator, in input) result {
	file := in.file
	if in.err != nil {
		return result{file: file, err: in.err}
	}
	var (
		doc *ehf.Document
		err error
	)
	if file == "-" {
		doc, err = ehf.ParseReader(e.stdin, &ehf.ParseOptions{Name: "-"})
	} else {
		doc, err = ehf.ParseFile(file)
		if err != nil {
			var se *ehf.SyntaxError
			if !errors.As(err, &se) {
				err = fmt.Errorf("%s: %w", file, unwrapPathError(err))
			}
		}
	}
	if err != nil {
		return result{file: file, err: err}
	}
	return result{file: file, rep: v.Validate(doc)}
}

// writer prints results in one of the formats.
type writer struct {
	format, lang string
	out          io.Writer
	all          []any // json: the whole run
	docs, valid  int
	invalid      int
	unreadable   int
	fatal, warn  int
	notes        []string // said once for the run, not once per document
}

func newWriter(format, lang string, out io.Writer) *writer {
	return &writer{format: format, lang: lang, out: out}
}

// errorLine is the jsonl form of an input that could not be read.
type errorLine struct {
	File  string `json:"file"`
	Error string `json:"error"`
}

func (w *writer) write(r result) {
	w.docs++
	if r.err != nil {
		w.unreadable++
	} else if r.rep.Valid() {
		w.valid++
	} else {
		w.invalid++
	}
	if r.rep != nil {
		w.fatal += r.rep.Count(report.Fatal)
		w.warn += r.rep.Count(report.Warning)
		for _, n := range r.rep.Notes {
			if !slices.Contains(w.notes, n) {
				w.notes = append(w.notes, n)
			}
		}
	}
	switch w.format {
	case "jsonl":
		enc := json.NewEncoder(w.out)
		enc.SetEscapeHTML(false)
		if r.err != nil {
			enc.Encode(errorLine{File: r.file, Error: r.err.Error()})
		} else {
			j := r.rep.JSON(w.lang)
			j.File = r.file
			enc.Encode(j)
		}
	case "json":
		if r.err != nil {
			w.all = append(w.all, errorLine{File: r.file, Error: r.err.Error()})
		} else {
			j := r.rep.JSON(w.lang)
			j.File = r.file
			w.all = append(w.all, j)
		}
	default:
		w.text(r)
	}
}

func (w *writer) text(r result) {
	if r.err != nil {
		fmt.Fprintf(w.out, "%v\n", r.err)
		return
	}
	defer func() {
		verdict := "valid"
		if !r.rep.Valid() {
			verdict = "INVALID"
		}
		sets := strings.Join(r.rep.RuleSets, ", ")
		if sets == "" {
			sets = "no rule set"
		}
		fmt.Fprintf(w.out, "%s: %s (%s; %s; %s, %s)\n", r.file, verdict, r.rep.Document, sets,
			plural(r.rep.Count(report.Fatal), "fatal finding"), plural(r.rep.Count(report.Warning), "warning"))
	}()
	for i := range r.rep.Findings {
		f := &r.rep.Findings[i]
		pos := r.file
		if f.Line > 0 {
			pos = fmt.Sprintf("%s:%d:%d", r.file, f.Line, f.Column)
		}
		fmt.Fprintf(w.out, "%s: %s %s: %s\n", pos, f.Flag, f.ID, f.Text(w.lang))
		if f.Location != "" {
			fmt.Fprintf(w.out, "\tat %s\n", f.Location)
		}
	}
}

func (w *writer) finish() {
	switch w.format {
	case "json":
		run := struct {
			Valid     bool     `json:"valid"`
			Documents []any    `json:"documents"`
			Summary   any      `json:"summary"`
			Notes     []string `json:"notes,omitempty"`
		}{
			Valid:     w.invalid == 0 && w.unreadable == 0,
			Documents: w.all,
			Notes:     w.notes,
			Summary: map[string]int{"documents": w.docs, "valid": w.valid, "invalid": w.invalid,
				"unreadable": w.unreadable, "fatal": w.fatal, "warnings": w.warn},
		}
		if run.Documents == nil {
			run.Documents = []any{}
		}
		enc := json.NewEncoder(w.out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(run)
	case "text":
		for _, n := range w.notes {
			fmt.Fprintf(w.out, "note: %s\n", n)
		}
		fmt.Fprintf(w.out, "%s: %s valid, %s invalid, %s unreadable (%s, %s)\n",
			plural(w.docs, "document"), itoa(w.valid), itoa(w.invalid), itoa(w.unreadable),
			plural(w.fatal, "fatal finding"), plural(w.warn, "warning"))
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return itoa(n) + " " + what + "s"
}

func itoa(n int) string { return fmt.Sprint(n) }
