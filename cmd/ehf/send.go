package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ehf-project/ehf/ehf"
	"github.com/ehf-project/ehf/elma"
	"github.com/ehf-project/ehf/outbox"
	"github.com/ehf-project/ehf/peppol"
)

func init() {
	register(&command{name: "send", summary: "validate, look up the receiver, wrap in SBDH and deliver through the outbox", run: runSend})
}

// receiverChecker is what ehf send needs from a Peppol lookup: whether the
// receiver accepts the document type. elma.Client has it.
type receiverChecker interface {
	CanReceive(ctx context.Context, p peppol.ParticipantID, d peppol.DocumentTypeID) (bool, error)
}

// newReceiverChecker makes the lookup client; tests replace it.
var newReceiverChecker = func(f *lookupFlags) (receiverChecker, error) {
	opts, err := lookupOptions(f)
	if err != nil {
		return nil, err
	}
	return elma.New(opts)
}

// deliveryFlags choose where documents go and the outbox they wait in;
// ehf send and ehf outbox retry share them.
type deliveryFlags struct {
	toAP, folder, db, apCA, apCert, apKey, apAuthEnv string
	apHeaders                                        headerFlags
	apTimeout, wait                                  time.Duration
}

type headerFlags []string

func (h *headerFlags) String() string     { return strings.Join(*h, ", ") }
func (h *headerFlags) Set(s string) error { *h = append(*h, s); return nil }

func (d *deliveryFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.toAP, "to-ap", "", "deliver to this access point HTTP API URL (POST of the SBDH document)")
	fs.StringVar(&d.folder, "outbox", "", "deliver by dropping files into this folder, for access points that collect them")
	fs.StringVar(&d.db, "db", "", "outbox database: a file (SQLite) or a postgres:// URL (default $EHF_OUTBOX_DB, else outbox.db in the user state folder)")
	fs.StringVar(&d.apAuthEnv, "ap-auth-env", "EHF_AP_AUTH", "environment variable holding the Authorization header for the access point")
	fs.Var(&d.apHeaders, "ap-header", "extra request header \"Name: value\" for the access point (repeatable)")
	fs.StringVar(&d.apCA, "ap-ca", "", "PEM file of CA certificates to trust for the access point's TLS, besides the system's")
	fs.StringVar(&d.apCert, "ap-cert", "", "PEM client certificate for the access point (with --ap-key)")
	fs.StringVar(&d.apKey, "ap-key", "", "PEM private key of --ap-cert")
	fs.DurationVar(&d.apTimeout, "ap-timeout", 30*time.Second, "time limit for one request to the access point")
	fs.DurationVar(&d.wait, "wait", 2*time.Minute, "how long to wait for delivery; what is not delivered by then stays queued in the outbox")
}

// sender builds the Sender the flags name.
func (d *deliveryFlags) sender(e *env) (peppol.Sender, error) {
	switch {
	case d.toAP != "" && d.folder != "":
		return nil, errors.New("give either --to-ap URL or --outbox FOLDER, not both")
	case d.folder != "":
		fi, err := os.Stat(d.folder)
		if err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("--outbox %s: not a folder", d.folder)
		}
		return &peppol.FolderSender{Dir: d.folder}, nil
	case d.toAP == "":
		return nil, errors.New("say where documents go: --to-ap URL (an access point's HTTP API) or --outbox FOLDER")
	}
	u, err := url.Parse(d.toAP)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--to-ap %q is not an http:// or https:// URL", d.toAP)
	}
	// One attempt per Send: the outbox retries, and records each
	// attempt's outcome where ehf outbox list shows it.
	s := &peppol.HTTPSender{URL: d.toAP, Header: http.Header{}, Timeout: d.apTimeout, Attempts: 1}
	if auth := e.getenv(d.apAuthEnv); auth != "" {
		s.Header.Set("Authorization", auth)
	}
	for _, h := range d.apHeaders {
		k, v, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("--ap-header %q: write it as \"Name: value\"", h)
		}
		s.Header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	if d.apCA != "" || d.apCert != "" || d.apKey != "" {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if d.apCA != "" {
			pem, err := os.ReadFile(d.apCA)
			if err != nil {
				return nil, err
			}
			pool, err := x509.SystemCertPool()
			if err != nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("--ap-ca %s: no PEM certificates in it", d.apCA)
			}
			cfg.RootCAs = pool
		}
		if (d.apCert == "") != (d.apKey == "") {
			return nil, errors.New("--ap-cert and --ap-key go together")
		}
		if d.apCert != "" {
			cert, err := tls.LoadX509KeyPair(d.apCert, d.apKey)
			if err != nil {
				return nil, fmt.Errorf("--ap-cert/--ap-key: %w", err)
			}
			cfg.Certificates = []tls.Certificate{cert}
		}
		s.TLSConfig = cfg
	}
	return s, nil
}

// outboxDSN is the database the flags and environment name; a default
// file's folder is created.
func (d *deliveryFlags) outboxDSN(e *env) (string, error) {
	if d.db != "" {
		return d.db, nil
	}
	if v := e.getenv("EHF_OUTBOX_DB"); v != "" {
		return v, nil
	}
	dir := e.getenv("XDG_STATE_HOME")
	if dir == "" {
		home := e.getenv("HOME")
		if home == "" {
			h, err := os.UserHomeDir()
			if err != nil {
				return "", errors.New("no outbox database: give --db FILE or set EHF_OUTBOX_DB")
			}
			home = h
		}
		dir = filepath.Join(home, ".local", "state")
	}
	dir = filepath.Join(dir, "ehf")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return filepath.Join(dir, "outbox.db"), nil
}

// outboxOptions are the outbox settings of a command-line run: retries
// close together, since someone is waiting.
func outboxOptions(s peppol.Sender) outbox.Options {
	return outbox.Options{Sender: s, Workers: 4, Backoff: 2 * time.Second, MaxBackoff: time.Minute}
}

type sendFlags struct {
	deliveryFlags
	lookup                                lookupFlags
	senderID, receiverID, country, format string
	ruleset                               string
	force, noLookup, newID, noXSD, dryRun bool
}

// sendResult is one input's outcome.
type sendResult struct {
	File       string `json:"file"`
	State      string `json:"state"` // delivered, failed, queued, refused, error
	InstanceID string `json:"instanceId,omitempty"`
	Receiver   string `json:"receiver,omitempty"`
	Receipt    string `json:"receipt,omitempty"`
	Attempts   int    `json:"attempts,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Repeat     bool   `json:"repeat,omitempty"` // the outbox already had this document
}

func runSend(ctx context.Context, e *env, args []string) int {
	var f sendFlags
	fs := flag.NewFlagSet("ehf send", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	f.deliveryFlags.register(fs)
	fs.StringVar(&f.senderID, "sender", "", "sender participant ID (default: the seller's EndpointID)")
	fs.StringVar(&f.receiverID, "receiver", "", "receiver participant ID (default: the buyer's EndpointID)")
	fs.StringVar(&f.country, "country", "", "COUNTRY_C1, the sender's country code (default: the seller's address)")
	fs.StringVar(&f.format, "format", "text", "output: text or jsonl (one line per input)")
	fs.StringVar(&f.ruleset, "ruleset", "", "validate with this rule set (default: the one in force today)")
	fs.BoolVar(&f.noXSD, "no-xsd", false, "skip the UBL XSD layer when validating")
	fs.BoolVar(&f.force, "force", false, "send documents even when validation finds fatal errors")
	fs.BoolVar(&f.noLookup, "no-lookup", false, "do not check in the Peppol network that the receiver accepts the document (offline use)")
	fs.BoolVar(&f.newID, "new-id", false, "give each envelope a random instance ID, so that a document sent before is sent again as a new message")
	fs.BoolVar(&f.dryRun, "dry-run", false, "validate, look up and wrap, but queue and send nothing")
	fs.StringVar(&f.lookup.zone, "sml-zone", "", "SML DNS zone for the receiver lookup")
	fs.StringVar(&f.lookup.dns, "dns", "", "DNS resolver HOST:PORT for the lookup (default: /etc/resolv.conf)")
	fs.StringVar(&f.lookup.smp, "smp", "", "ask this SMP URL directly and skip the SML")
	fs.StringVar(&f.lookup.caFile, "ca", "", "PEM file with the root and SMP CA certificates to trust instead of the Peppol PKI")
	fs.BoolVar(&f.lookup.testNet, "test", false, "look the receiver up in the Peppol test network")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ehf send [flags] (--to-ap URL | --outbox FOLDER) FILE...\n\n"+
			"For each invoice or credit note (bare UBL, or already in an SBDH envelope): validates it\n"+
			"(refusing fatal errors unless --force), checks in the Peppol network that the receiver\n"+
			"accepts its document type, wraps it in an SBDH envelope, commits it to the outbox, and\n"+
			"delivers it. The instance ID is derived from the document, so sending the same file\n"+
			"again is recognised and not delivered twice (--new-id to send it anew).\n"+
			"Exit status: 0 all delivered, 1 something refused, failed or still queued,\n"+
			"2 bad usage or unreadable input.\n\nFlags:")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintln(e.stderr, "ehf send:", err)
		return exitUsage
	}
	if fs.NArg() == 0 {
		return fail(errors.New("name at least one file to send"))
	}
	if f.format != "text" && f.format != "jsonl" {
		return fail(fmt.Errorf("unknown --format %q: use text or jsonl", f.format))
	}
	s, err := f.sender(e)
	if err != nil && !f.dryRun {
		return fail(err)
	}
	v, err := ehf.NewValidator(&ehf.Options{RuleSet: f.ruleset, NoXSD: f.noXSD, Home: e.getenv("EHF_HOME")})
	if err != nil {
		return fail(err)
	}
	var lookup receiverChecker
	if !f.noLookup {
		f.lookup.timeout = 30 * time.Second
		if lookup, err = newReceiverChecker(&f.lookup); err != nil {
			return fail(err)
		}
	}
	var ob *outbox.Outbox
	if !f.dryRun {
		dsn, err := f.outboxDSN(e)
		if err != nil {
			return fail(err)
		}
		if ob, err = outbox.Open(ctx, dsn, outboxOptions(s)); err != nil {
			return fail(err)
		}
		defer ob.Close()
	}

	results := make([]sendResult, fs.NArg())
	var ids []string
	var idx []int
	code := exitOK
	for i, file := range fs.Args() {
		r := &results[i]
		r.File = file
		env, state, reason := prepare(ctx, &f, v, lookup, file)
		if env != nil {
			r.InstanceID, r.Receiver = env.InstanceID, env.Receiver.String()
		}
		if state != "" {
			r.State, r.Reason = state, reason
			if state == "error" {
				code = exitUsage
			}
			continue
		}
		if f.dryRun {
			r.State, r.Reason = "ready", "checked and wrapped; --dry-run sends nothing"
			continue
		}
		it, added, err := ob.Send(ctx, env, file)
		if err != nil {
			r.State, r.Reason = "error", err.Error()
			code = exitUsage
			continue
		}
		r.Repeat = !added
		if !added && it.State == outbox.Failed {
			// Sending a failed document again is asking to retry it
			// (after fixing what the access point complained about).
			if _, err := ob.Retry(ctx, it.ID); err != nil {
				r.State, r.Reason = "error", err.Error()
				code = exitUsage
				continue
			}
		}
		ids = append(ids, it.ID)
		idx = append(idx, i)
	}
	if len(ids) > 0 {
		items := deliver(ctx, ob, f.wait, ids)
		for k, it := range items {
			results[idx[k]].fromItem(it, f.wait)
		}
	}
	for _, r := range results {
		r.write(e.stdout, f.format)
		if r.State != "delivered" && r.State != "ready" && code == exitOK {
			code = exitInvalid
		}
	}
	return code
}

// deliver runs the outbox until the documents are delivered or failed, or
// wait has passed.
func deliver(ctx context.Context, ob *outbox.Outbox, wait time.Duration, ids []string) []outbox.Item {
	rctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- ob.Run(rctx) }()
	wctx, cancel := context.WithTimeout(ctx, wait)
	items, _ := ob.Wait(wctx, ids...)
	cancel()
	stop()
	<-done
	// Run puts back what it was sending when stopped: read the states
	// again so that nothing is reported "sending".
	for i, id := range ids {
		if it, err := ob.Get(context.WithoutCancel(ctx), id); err == nil {
			items[i] = it
		}
	}
	return items
}

func (r *sendResult) fromItem(it outbox.Item, wait time.Duration) {
	r.State, r.Attempts, r.Receipt = string(it.State), it.Attempts, it.Receipt
	switch it.State {
	case outbox.Failed:
		r.Reason = it.LastError
	case outbox.Queued, outbox.Sending:
		r.State = "queued"
		r.Reason = fmt.Sprintf("not delivered within %v", wait)
		if it.LastError != "" {
			r.Reason += " (last attempt: " + it.LastError + ")"
		}
		r.Reason += "; it stays in the outbox: run \"ehf outbox retry\" to deliver it"
	}
}

func (r *sendResult) write(w io.Writer, format string) {
	if format == "jsonl" {
		b, _ := json.Marshal(r)
		fmt.Fprintf(w, "%s\n", b)
		return
	}
	switch r.State {
	case "delivered":
		fmt.Fprintf(w, "%s: delivered to %s (instance %s", r.File, r.Receiver, r.InstanceID)
		if r.Receipt != "" {
			fmt.Fprintf(w, ", access point reference %s", r.Receipt)
		}
		if r.Repeat {
			fmt.Fprint(w, "; sent before, not sent again")
		}
		fmt.Fprintln(w, ")")
	case "ready":
		fmt.Fprintf(w, "%s: ready for %s (instance %s): %s\n", r.File, r.Receiver, r.InstanceID, r.Reason)
	default:
		fmt.Fprintf(w, "%s: %s: %s\n", r.File, r.State, r.Reason)
	}
}

// prepare reads, validates, looks up and wraps one file. A non-empty state
// ("refused" or "error") says why it goes no further.
func prepare(ctx context.Context, f *sendFlags, v *ehf.Validator, lookup receiverChecker, file string) (env *peppol.Envelope, state, reason string) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, "error", err.Error()
	}
	doc, err := ehf.Parse(data, &ehf.ParseOptions{Name: file})
	if err != nil {
		return nil, "error", err.Error()
	}
	if !doc.Type.Invoice() {
		return nil, "refused", fmt.Sprintf("this is %s, not an invoice or credit note", doc.Type.Name)
	}
	if rep := v.Validate(doc); !rep.Valid() && !f.force {
		return nil, "refused", invalidReason(file, rep)
	}
	if doc.Wrapped {
		// Already in an envelope: send it as it is, with its own routing
		// and instance identifier.
		env, err = peppol.ParseEnvelope(data, file)
		if err != nil {
			return nil, "refused", err.Error()
		}
	} else if env, err = wrap(f, doc, data); err != nil {
		return nil, "refused", err.Error()
	}
	if lookup != nil {
		ok, err := lookup.CanReceive(ctx, env.Receiver, env.DocumentType)
		switch {
		case err != nil:
			return env, "refused", fmt.Sprintf("cannot tell whether %s accepts %s: %v (--no-lookup sends without asking)", env.Receiver.Value, docKind(env.DocumentType), err)
		case !ok:
			return env, "refused", fmt.Sprintf("%s is not registered in the Peppol network to receive %s (%s)", env.Receiver.Value, docKind(env.DocumentType), env.DocumentType.Value)
		}
	}
	return env, "", ""
}

func invalidReason(file string, rep *ehf.Report) string {
	var fatal []ehf.Finding
	for _, x := range rep.Findings {
		if x.Flag == ehf.Fatal {
			fatal = append(fatal, x)
		}
	}
	s := fmt.Sprintf("%d fatal finding(s), so it is not sent (--force sends it anyway)", len(fatal))
	for i, x := range fatal {
		if i == 3 {
			s += fmt.Sprintf("; and %d more (ehf validate shows all)", len(fatal)-3)
			break
		}
		s += fmt.Sprintf("; %s:%d:%d: %s %s", file, x.Line, x.Column, x.ID, x.Message)
	}
	return s
}

func docKind(d peppol.DocumentTypeID) string {
	if p, ok := d.Parts(); ok {
		return p.LocalName + " documents"
	}
	return "this document type"
}

// wrap builds the envelope of a bare document from its own content and
// the flags.
func wrap(f *sendFlags, doc *ehf.Document, data []byte) (*peppol.Envelope, error) {
	inv := doc.Invoice
	var h peppol.Header
	var err error
	party := func(flagValue, flagName, role string, id ehf.Party) (peppol.ParticipantID, error) {
		if flagValue != "" {
			p, err := peppol.ParseParticipantID(flagValue)
			if err != nil {
				return p, fmt.Errorf("%s: %w", flagName, err)
			}
			return p, nil
		}
		if id.EndpointID.Value == "" {
			return peppol.ParticipantID{}, fmt.Errorf("the %s has no electronic address (cbc:EndpointID); give %s", role, flagName)
		}
		p, err := peppol.ParticipantFromEndpoint(id.EndpointID.Scheme, id.EndpointID.Value)
		if err != nil {
			return p, fmt.Errorf("the %s's EndpointID: %w", role, err)
		}
		return p, nil
	}
	if inv == nil {
		return nil, errors.New("the document could not be read as an invoice")
	}
	if h.Sender, err = party(f.senderID, "--sender", "seller", inv.Seller); err != nil {
		return nil, err
	}
	if h.Receiver, err = party(f.receiverID, "--receiver", "buyer", inv.Buyer); err != nil {
		return nil, err
	}
	t := doc.Type
	switch {
	case t.Billing() && t.Root == "Invoice":
		h.DocumentType = peppol.BISBillingInvoice
	case t.Billing() && t.Root == "CreditNote":
		h.DocumentType = peppol.BISBillingCreditNote
	default:
		if t.CustomizationID == "" {
			return nil, errors.New("the document has no cbc:CustomizationID, so its Peppol document type is unknown")
		}
		h.DocumentType = peppol.NewDocumentTypeID(t.Namespace, t.Root, t.CustomizationID, peppol.UBLVersion)
	}
	if t.ProfileID == "" {
		return nil, errors.New("the document has no cbc:ProfileID, so its Peppol process is unknown")
	}
	h.Process = peppol.ProcessID{Scheme: peppol.ProcessScheme, Value: t.ProfileID}
	h.CountryC1 = strings.ToUpper(strings.TrimSpace(f.country))
	if h.CountryC1 == "" {
		h.CountryC1 = strings.TrimSpace(inv.Seller.Address.Country.Value)
		if h.CountryC1 == "" {
			return nil, errors.New("the seller's address has no country code for COUNTRY_C1; give --country")
		}
	}
	env, err := peppol.NewEnvelope(data, h)
	if err != nil {
		return nil, err
	}
	if !f.newID {
		env.InstanceID = peppol.ContentInstanceID(env.Header, env.Payload)
	}
	return env, nil
}
