package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ehf-project/ehf/outbox"
)

func init() {
	register(&command{name: "outbox", summary: "list what was sent and what waits; retry failed documents", run: runOutbox})
}

func runOutbox(ctx context.Context, e *env, args []string) int {
	usage := func(w io.Writer) {
		fmt.Fprintln(w, "Usage: ehf outbox list [flags]\n       ehf outbox retry [flags] (--to-ap URL | --outbox FOLDER) [--all-failed | ID...]\n\n"+
			"list shows the documents in the outbox, their state (queued, sending, delivered, failed)\n"+
			"and why the last attempt failed. retry queues failed documents again and delivers\n"+
			"everything waiting. Run \"ehf outbox list -h\" or \"ehf outbox retry -h\" for flags.")
	}
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "list":
		return runOutboxList(ctx, e, args[1:])
	case "retry":
		return runOutboxRetry(ctx, e, args[1:])
	case "help", "-h", "--help":
		usage(e.stdout)
		return exitOK
	}
	fmt.Fprintf(e.stderr, "ehf outbox: unknown subcommand %q: use list or retry\n", args[0])
	return exitUsage
}

// itemJSON is an item in jsonl output.
type itemJSON struct {
	ID           string `json:"instanceId"`
	Name         string `json:"name,omitempty"`
	State        string `json:"state"`
	Sender       string `json:"sender"`
	Receiver     string `json:"receiver"`
	DocumentType string `json:"documentType"`
	Attempts     int    `json:"attempts"`
	LastError    string `json:"lastError,omitempty"`
	Receipt      string `json:"receipt,omitempty"`
	Created      string `json:"created"`
	NextAttempt  string `json:"nextAttempt,omitempty"`
	Delivered    string `json:"delivered,omitempty"`
}

func toJSON(it outbox.Item) itemJSON {
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	return itemJSON{ID: it.ID, Name: it.Name, State: string(it.State), Sender: it.Sender, Receiver: it.Receiver,
		DocumentType: it.DocumentType, Attempts: it.Attempts, LastError: it.LastError, Receipt: it.Receipt,
		Created: ts(it.Created), NextAttempt: ts(it.NextAttempt), Delivered: ts(it.Delivered)}
}

func runOutboxList(ctx context.Context, e *env, args []string) int {
	var d deliveryFlags
	var states, format string
	var limit int
	fs := flag.NewFlagSet("ehf outbox list", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&d.db, "db", "", "outbox database: a file (SQLite) or a postgres:// URL (default $EHF_OUTBOX_DB, else outbox.db in the user state folder)")
	fs.StringVar(&states, "state", "", "only these states, separated by commas: queued, sending, delivered, failed")
	fs.IntVar(&limit, "limit", 50, "show the newest N documents (0: all)")
	fs.StringVar(&format, "format", "text", "output: text or jsonl")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintln(e.stderr, "ehf outbox list:", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		return fail(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if format != "text" && format != "jsonl" {
		return fail(fmt.Errorf("unknown --format %q: use text or jsonl", format))
	}
	filter := outbox.Filter{Limit: limit}
	for _, s := range strings.Split(states, ",") {
		switch st := outbox.State(strings.TrimSpace(s)); st {
		case "":
		case outbox.Queued, outbox.Sending, outbox.Delivered, outbox.Failed:
			filter.States = append(filter.States, st)
		default:
			return fail(fmt.Errorf("unknown state %q: use queued, sending, delivered or failed", s))
		}
	}
	dsn, err := d.outboxDSN(e)
	if err != nil {
		return fail(err)
	}
	ob, err := outbox.Open(ctx, dsn, outbox.Options{})
	if err != nil {
		return fail(err)
	}
	defer ob.Close()
	items, err := ob.List(ctx, filter)
	if err != nil {
		return fail(err)
	}
	if format == "jsonl" {
		for _, it := range items {
			b, _ := json.Marshal(toJSON(it))
			fmt.Fprintf(e.stdout, "%s\n", b)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CREATED\tSTATE\tTRIES\tINSTANCE ID\tRECEIVER\tNAME\tDETAIL")
	for _, it := range items {
		detail := it.LastError
		switch it.State {
		case outbox.Delivered:
			detail = "delivered " + it.Delivered.Local().Format("2006-01-02 15:04:05")
			if it.Receipt != "" {
				detail += ", reference " + it.Receipt
			}
		case outbox.Queued:
			if !it.NextAttempt.IsZero() && it.Attempts > 0 {
				detail = "next try " + it.NextAttempt.Local().Format("15:04:05") + ": " + detail
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", it.Created.Local().Format("2006-01-02 15:04:05"), it.State, it.Attempts,
			it.ID, strings.TrimPrefix(it.Receiver, "iso6523-actorid-upis::"), it.Name, oneLine(detail, 160))
	}
	tw.Flush()
	counts, err := ob.Counts(ctx)
	if err == nil {
		fmt.Fprintf(e.stdout, "%d queued, %d sending, %d delivered, %d failed\n", counts[outbox.Queued], counts[outbox.Sending], counts[outbox.Delivered], counts[outbox.Failed])
	}
	return exitOK
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return s
}

func runOutboxRetry(ctx context.Context, e *env, args []string) int {
	var d deliveryFlags
	var allFailed bool
	var format string
	fs := flag.NewFlagSet("ehf outbox retry", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	d.register(fs)
	fs.BoolVar(&allFailed, "all-failed", false, "retry every failed document")
	fs.StringVar(&format, "format", "text", "output: text or jsonl")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ehf outbox retry [flags] (--to-ap URL | --outbox FOLDER) [--all-failed | ID...]\n\n"+
			"Queues the failed documents named by instance ID (or all with --all-failed) again, then\n"+
			"delivers everything queued in the outbox, and prints each document's outcome.\n"+
			"Exit status: 0 all delivered, 1 something failed or is still queued, 2 bad usage.\n\nFlags:")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintln(e.stderr, "ehf outbox retry:", err)
		return exitUsage
	}
	if allFailed && fs.NArg() > 0 {
		return fail(errors.New("give either --all-failed or instance IDs, not both"))
	}
	if format != "text" && format != "jsonl" {
		return fail(fmt.Errorf("unknown --format %q: use text or jsonl", format))
	}
	s, err := d.sender(e)
	if err != nil {
		return fail(err)
	}
	dsn, err := d.outboxDSN(e)
	if err != nil {
		return fail(err)
	}
	ob, err := outbox.Open(ctx, dsn, outboxOptions(s))
	if err != nil {
		return fail(err)
	}
	defer ob.Close()

	code := exitOK
	ids := fs.Args()
	if allFailed {
		failed, err := ob.List(ctx, outbox.Filter{States: []outbox.State{outbox.Failed}})
		if err != nil {
			return fail(err)
		}
		for _, it := range failed {
			ids = append(ids, it.ID)
		}
	}
	for _, id := range ids {
		if _, err := ob.Retry(ctx, id); err != nil {
			fmt.Fprintln(e.stderr, "ehf outbox retry:", err)
			if !errors.Is(err, outbox.ErrDelivered) {
				code = exitInvalid
			}
			if errors.Is(err, outbox.ErrNotFound) {
				code = exitUsage
			}
		}
	}
	// Everything waiting goes, not only what was named: a document left
	// queued by an earlier ehf send is due as well.
	waiting, err := ob.List(ctx, outbox.Filter{States: []outbox.State{outbox.Queued, outbox.Sending}})
	if err != nil {
		return fail(err)
	}
	if len(waiting) == 0 {
		fmt.Fprintln(e.stderr, "ehf outbox retry: nothing is waiting to be sent")
		return code
	}
	var wait []string
	for _, it := range waiting {
		wait = append(wait, it.ID)
	}
	for _, it := range deliver(ctx, ob, d.wait, wait) {
		r := sendResult{File: it.Name, InstanceID: it.ID, Receiver: it.Receiver}
		if r.File == "" {
			r.File = it.ID
		}
		r.fromItem(it, d.wait)
		r.write(e.stdout, format)
		if r.State != "delivered" && code == exitOK {
			code = exitInvalid
		}
	}
	return code
}
