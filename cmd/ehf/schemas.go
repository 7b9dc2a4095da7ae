package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/ehf-project/ehf/schemas"
)

func init() {
	register(&command{name: "schemas", summary: "install, list and verify the official UBL schemas and rule files", run: runSchemas})
}

const schemasUsage = `Usage:
  ehf schemas install [--from DIR|URL] [--force] [SET...]
  ehf schemas list [--date YYYY-MM-DD]
  ehf schemas verify [SET...]
  ehf schemas select [--date YYYY-MM-DD] FILE...

install  fetches rule sets (all when none is named) from their official sources,
         pinned to a commit, or from a folder or URL laid out like the shared kit,
         checks every file's SHA-256 and puts them in the cache folder
         ($EHF_HOME, or "ehf" in the user cache directory).
list     shows every rule set, whether it is installed and whether it is in force.
verify   re-checks the SHA-256 of every installed file.
select   shows which schema and rule sets apply to each document, and why.
`

func runSchemas(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stderr, schemasUsage)
		fmt.Fprintf(e.stderr, "\nRule sets: %s\n", strings.Join(schemas.SetNames(), ", "))
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	home, err := schemas.Home(e.getenv)
	if err != nil {
		fmt.Fprintln(e.stderr, "ehf schemas:", err)
		return exitUsage
	}
	switch args[0] {
	case "install":
		return schemasInstall(ctx, e, home, args[1:])
	case "list":
		return schemasList(e, home, args[1:])
	case "verify":
		return schemasVerify(e, home, args[1:])
	case "select":
		return schemasSelect(e, home, args[1:])
	}
	fmt.Fprintf(e.stderr, "ehf schemas: unknown subcommand %q\n\n%s", args[0], schemasUsage)
	return exitUsage
}

// subFlags makes the flag set of one subcommand.
func subFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("ehf schemas "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: ehf schemas %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

func checkSetNames(e *env, names []string) bool {
	for _, n := range names {
		if _, ok := schemas.LookupSet(n); !ok {
			fmt.Fprintf(e.stderr, "ehf schemas: unknown rule set %q (known: %s)\n", n, strings.Join(schemas.SetNames(), ", "))
			return false
		}
	}
	return true
}

func schemasInstall(ctx context.Context, e *env, home string, args []string) int {
	fs := subFlags(e, "install", "[--from DIR|URL] [--force] [SET...]")
	from := fs.String("from", "", "install from this folder or http(s) URL, laid out like the shared kit, instead of the official sources")
	force := fs.Bool("force", false, "fetch again even the sets that are installed and intact")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	sets := fs.Args()
	if !checkSetNames(e, sets) {
		return exitUsage
	}
	if *from != "" && !strings.Contains(*from, "://") {
		if st, err := os.Stat(*from); err != nil || !st.IsDir() {
			fmt.Fprintf(e.stderr, "ehf schemas install: --from %s is not a folder or an http(s) URL\n", *from)
			return exitUsage
		}
	}
	inst := &schemas.Installer{Home: home, From: *from, Force: *force}
	var bar *progressLine
	if isTerminal(e.stderr) {
		bar = &progressLine{w: e.stderr}
		inst.Progress = bar.show
	}
	results, err := inst.Install(ctx, sets...)
	bar.clear()
	source := "official sources, pinned commits"
	if *from != "" {
		source = *from
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, r := range results {
		switch {
		case r.Err != nil:
			fmt.Fprintf(tw, "%s\tFAILED\t%v\n", r.Set, r.Err)
		case r.Skipped:
			fmt.Fprintf(tw, "%s\talready installed and intact\t\n", r.Set)
		default:
			fmt.Fprintf(tw, "%s\tinstalled\t%d files, %s, from %s\n", r.Set, r.Files, sizeString(r.Bytes), source)
		}
	}
	tw.Flush()
	if err != nil {
		if len(results) == 0 {
			fmt.Fprintln(e.stderr, "ehf schemas install:", err)
		} else {
			fmt.Fprintln(e.stderr, "ehf schemas install: some sets were not installed; any earlier copy of them is untouched")
		}
		return exitInvalid
	}
	fmt.Fprintf(e.stdout, "installed in %s\n", schemas.Dir(home))
	return exitOK
}

func schemasList(e *env, home string, args []string) int {
	fs := subFlags(e, "list", "[--date YYYY-MM-DD]")
	dateFlag := fs.String("date", "", "say what is in force on this day instead of today")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	date, ok := parseDate(e, *dateFlag)
	if !ok {
		return exitUsage
	}
	in, err := schemas.Installed(home)
	if err != nil {
		fmt.Fprintln(e.stderr, "ehf schemas list:", err)
		return exitUsage
	}
	fmt.Fprintf(e.stdout, "install folder: %s\nin force on:    %s\n\n", in.Dir, date.Format(time.DateOnly))
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SET\tIN FORCE\t\tINSTALLED\tCONTENT")
	var missing []string
	for _, s := range schemas.Sets {
		period := "from " + s.From.Format(time.DateOnly)
		if !s.Until.IsZero() {
			period += " to " + s.Until.AddDate(0, 0, -1).Format(time.DateOnly)
		}
		now := ""
		if s.InForce(date) {
			now = "in force"
		}
		installed := "no"
		if is, ok := in.Sets[s.Name]; ok {
			installed = is.Installed.Local().Format("2006-01-02 15:04")
		} else if s.InForce(date) {
			missing = append(missing, s.Name)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Name, period, now, installed, s.Title)
	}
	tw.Flush()
	if len(missing) > 0 {
		fmt.Fprintf(e.stdout, "\nin force but not installed; run: ehf schemas install %s\n", strings.Join(missing, " "))
	}
	return exitOK
}

func schemasVerify(e *env, home string, args []string) int {
	fs := subFlags(e, "verify", "[SET...]")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if !checkSetNames(e, fs.Args()) {
		return exitUsage
	}
	checked, problems, err := schemas.Verify(home, fs.Args()...)
	if err != nil {
		fmt.Fprintln(e.stderr, "ehf schemas verify:", err)
		return exitUsage
	}
	bad := map[string]bool{}
	for _, p := range problems {
		bad[p.Set] = true
		fmt.Fprintln(e.stdout, "FAILED", p)
	}
	for _, s := range checked {
		if !bad[s] {
			set, _ := schemas.LookupSet(s)
			fmt.Fprintf(e.stdout, "ok     %s (%d files)\n", s, len(set.Files()))
		}
	}
	if len(checked) == 0 && len(problems) == 0 {
		fmt.Fprintf(e.stdout, "nothing installed in %s; run: ehf schemas install\n", schemas.Dir(home))
		return exitInvalid
	}
	if len(problems) > 0 {
		var sets []string
		for _, s := range schemas.SetNames() {
			if bad[s] {
				sets = append(sets, s)
			}
		}
		fmt.Fprintf(e.stdout, "to repair: ehf schemas install %s\n", strings.Join(sets, " "))
		return exitInvalid
	}
	return exitOK
}

func schemasSelect(e *env, home string, args []string) int {
	fs := subFlags(e, "select", "[--date YYYY-MM-DD] FILE...")
	dateFlag := fs.String("date", "", "select as of this day instead of today")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "ehf schemas select: name at least one document")
		return exitUsage
	}
	date, ok := parseDate(e, *dateFlag)
	if !ok {
		return exitUsage
	}
	in, err := schemas.Installed(home)
	if err != nil {
		fmt.Fprintln(e.stderr, "ehf schemas select:", err)
		return exitUsage
	}
	code := exitOK
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(e.stderr, "ehf schemas select:", err)
			code = exitUsage
			continue
		}
		info, err := schemas.Sniff(f)
		f.Close()
		if err != nil {
			sep := ": "
			if msg := err.Error(); msg != "" && msg[0] >= '0' && msg[0] <= '9' {
				sep = ":" // the error starts with line:col
			}
			fmt.Fprintf(e.stderr, "ehf schemas select: %s%s%v\n", name, sep, err)
			code = exitUsage
			continue
		}
		sel := schemas.Select(info, date)
		fmt.Fprintf(e.stdout, "%s\n", name)
		if sel.Recognised {
			fmt.Fprintf(e.stdout, "  document: %s (as of %s)\n", sel.Document, sel.Date.Format(time.DateOnly))
		} else {
			fmt.Fprintf(e.stdout, "  not recognised: %s\n", sel.Reason)
		}
		if sel.XSD.Set != "" {
			fmt.Fprintf(e.stdout, "  schema:   %s\n", sel.XSD.Rel())
		}
		for _, r := range sel.Rules {
			for _, f := range r.Files {
				fmt.Fprintf(e.stdout, "  rules:    %s\n", f.Rel())
			}
		}
		if sel.Native {
			fmt.Fprintln(e.stdout, "  native:   ehf's own billing rules apply as well")
		}
		for _, n := range sel.Notes {
			fmt.Fprintf(e.stdout, "  note:     %s\n", n)
		}
		if _, err := in.Resolve(sel); err != nil {
			var nie *schemas.NotInstalledError
			if errors.As(err, &nie) {
				fmt.Fprintf(e.stdout, "  missing:  %s; run: %s\n", strings.Join(nie.Sets, ", "), nie.Command())
			}
		}
	}
	return code
}

func parseDate(e *env, s string) (time.Time, bool) {
	if s == "" {
		return time.Now(), true
	}
	d, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err != nil {
		fmt.Fprintf(e.stderr, "ehf schemas: --date %q is not a date like 2026-08-17\n", s)
		return time.Time{}, false
	}
	return d, true
}

func sizeString(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// isTerminal reports whether w is a terminal, where progress is worth
// redrawing; in a log or a pipe it would only be noise.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressLine redraws one status line on a terminal.
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer
	drawn bool
}

func (p *progressLine) show(pr schemas.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r\033[K%s [%d/%d] %s", pr.Set, pr.Done, pr.Total, pr.File)
	p.drawn = true
}

func (p *progressLine) clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
