package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ehf-project/ehf/elma"
	"github.com/ehf-project/ehf/internal/xmltree"
	"github.com/ehf-project/ehf/peppol"
)

func init() {
	register(&command{name: "lookup", summary: "find a receiver in Peppol: SMP, document types, endpoint, signature", run: runLookup})
}

type lookupFlags struct {
	zone, dns, smp, from, format, process, transport, at, caFile string
	cname, testNet, allowSHA1, httpsOnly                         bool
	timeout                                                      time.Duration
}

func runLookup(ctx context.Context, e *env, args []string) int {
	var f lookupFlags
	fs := flag.NewFlagSet("ehf lookup", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&f.zone, "sml-zone", "", "SML DNS zone (default "+elma.ZonePeppolProduction+", with --test "+elma.ZonePeppolTest+")")
	fs.StringVar(&f.dns, "dns", "", "DNS resolver HOST:PORT, or several separated by commas (default: /etc/resolv.conf)")
	fs.StringVar(&f.smp, "smp", "", "ask this SMP URL directly and skip the SML")
	fs.StringVar(&f.from, "from", "", "take receiver, sender, document type and process from this invoice or credit note (bare or in an SBDH)")
	fs.StringVar(&f.format, "format", "text", "output: text or json")
	fs.StringVar(&f.process, "process", "", "process identifier (default: the invoice's ProfileID, else "+peppol.BillingProfileID+")")
	fs.StringVar(&f.transport, "transport", elma.TransportAS4, "transport profile of the endpoint")
	fs.StringVar(&f.at, "at", "", "check certificates and endpoints as of this time (YYYY-MM-DD or RFC 3339; default now)")
	fs.StringVar(&f.caFile, "ca", "", "PEM file with the root and SMP CA certificates to trust instead of the Peppol PKI")
	fs.BoolVar(&f.cname, "cname", false, "use the legacy CNAME lookup instead of U-NAPTR")
	fs.BoolVar(&f.testNet, "test", false, "use the Peppol test network: its SML zone and test PKI")
	fs.BoolVar(&f.allowSHA1, "allow-sha1", false, "accept SHA-1 signatures from older SMPs")
	fs.BoolVar(&f.httpsOnly, "https-only", false, "refuse SMPs that are not reached over HTTPS")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second, "give up after this long")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ehf lookup [flags] PARTICIPANT [DOCTYPE]\n       ehf lookup [flags] --from FILE\n\n"+
			"Finds PARTICIPANT (0192:974760673 or iso6523-actorid-upis::0192:974760673) in the Peppol\n"+
			"SML, asks its SMP which document types it accepts and where DOCTYPE (default: the BIS\n"+
			"Billing 3.0 invoice) goes, and checks the SMP's signature against the Peppol PKI.\n"+
			"Exit status: 0 endpoint found and signature verified, 1 not found or not trusted,\n"+
			"2 bad usage or unreadable input.\n\nFlags:")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if f.format != "text" && f.format != "json" {
		fmt.Fprintf(e.stderr, "ehf lookup: unknown --format %q: use text or json\n", f.format)
		return exitUsage
	}
	q, err := lookupQuestion(e, &f, fs.Args())
	if err != nil {
		fmt.Fprintln(e.stderr, "ehf lookup:", err)
		return exitUsage
	}
	opts, err := lookupOptions(&f)
	if err != nil {
		fmt.Fprintln(e.stderr, "ehf lookup:", err)
		return exitUsage
	}
	c, err := elma.New(opts)
	if err != nil {
		fmt.Fprintln(e.stderr, "ehf lookup:", err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	trust := opts.Trust
	if trust == nil {
		trust = elma.ProductionTrust()
	}
	res := lookupRun(ctx, c, q, opts.Now(), f.transport, trust)
	if f.format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fmt.Fprintln(e.stderr, "ehf lookup:", err)
		}
	} else {
		res.writeText(e.stdout)
	}
	if res.Error != "" {
		if f.format == "json" {
			fmt.Fprintln(e.stderr, "ehf lookup:", res.Error)
		}
		return exitInvalid
	}
	return exitOK
}

// lookupQ is what to look up.
type lookupQ struct {
	receiver, sender peppol.ParticipantID
	docType          peppol.DocumentTypeID
	process          peppol.ProcessID
}

func lookupQuestion(e *env, f *lookupFlags, args []string) (*lookupQ, error) {
	q := &lookupQ{docType: peppol.BISBillingInvoice, process: peppol.BillingProcess}
	switch {
	case f.from != "" && len(args) > 0:
		return nil, errors.New("give either --from FILE or PARTICIPANT [DOCTYPE], not both")
	case f.from != "":
		var data []byte
		var err error
		name := f.from
		if f.from == "-" {
			name = "<stdin>"
			data, err = io.ReadAll(io.LimitReader(e.stdin, xmltree.DefaultMaxSize+1))
		} else {
			data, err = os.ReadFile(f.from)
		}
		if err != nil {
			return nil, err
		}
		inv, err := readInvoiceParties(name, data)
		if err != nil {
			return nil, err
		}
		q.receiver, q.sender, q.docType = inv.receiver, inv.sender, inv.docType
		if !inv.process.IsZero() {
			q.process = inv.process
		}
	case len(args) == 0 || len(args) > 2:
		return nil, errors.New("name the participant, e.g. ehf lookup 0192:974760673 (see ehf lookup -h)")
	default:
		p, err := peppol.ParseParticipantID(args[0])
		if err != nil {
			return nil, err
		}
		q.receiver = p
		if len(args) == 2 {
			if q.docType, err = peppol.ParseDocumentTypeID(args[1]); err != nil {
				return nil, err
			}
		}
	}
	if f.process != "" {
		p, err := peppol.ParseProcessID(f.process)
		if err != nil {
			return nil, err
		}
		q.process = p
	}
	return q, nil
}

func lookupOptions(f *lookupFlags) (elma.Options, error) {
	o := elma.Options{
		Zone:         f.zone,
		SMPURL:       f.smp,
		AllowSHA1:    f.allowSHA1,
		RequireHTTPS: f.httpsOnly,
		Timeout:      min(f.timeout, 10*time.Second),
	}
	if f.cname {
		o.Method = elma.CNAME
	}
	if f.testNet {
		o.Trust = elma.TestTrust()
		if o.Zone == "" {
			o.Zone = elma.ZonePeppolTest
		}
	}
	if f.dns != "" {
		for _, s := range strings.Split(f.dns, ",") {
			if s = strings.TrimSpace(s); s != "" {
				if !strings.Contains(s, ":") {
					s += ":53"
				}
				o.DNSServers = append(o.DNSServers, s)
			}
		}
	}
	if f.at != "" {
		t, err := parseLookupTime(f.at)
		if err != nil {
			return o, err
		}
		o.Now = func() time.Time { return t }
	} else {
		o.Now = time.Now
	}
	if f.caFile != "" {
		ts, err := trustFromPEM(f.caFile)
		if err != nil {
			return o, err
		}
		o.Trust = ts
	}
	return o, nil
}

func parseLookupTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--at %q: use YYYY-MM-DD or RFC 3339", s)
}

// trustFromPEM reads CA certificates: self-signed ones become roots, the
// other CAs issuers of SMP and access point certificates.
func trustFromPEM(file string) (*elma.TrustStore, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var roots, cas []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if c.CheckSignatureFrom(c) == nil && string(c.RawSubject) == string(c.RawIssuer) {
			roots = append(roots, c)
		} else if c.IsCA {
			cas = append(cas, c)
		}
	}
	ts, err := elma.NewTrustStore(roots, cas, cas)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return ts, nil
}

// lookupResult is what the command reports, in text or JSON.
type lookupResult struct {
	Participant      string          `json:"participant"`
	ParticipantCheck string          `json:"participantCheck"`
	Sender           string          `json:"sender,omitempty"`
	SML              *lookupSML      `json:"sml,omitempty"`
	SMP              string          `json:"smp,omitempty"`
	DocumentTypes    []string        `json:"documentTypes,omitempty"`
	DocumentTypesErr string          `json:"documentTypesError,omitempty"`
	DocumentType     string          `json:"documentType"`
	Process          string          `json:"process"`
	Transport        string          `json:"transport"`
	MetadataURL      string          `json:"metadataUrl,omitempty"`
	RedirectedFrom   string          `json:"redirectedFrom,omitempty"`
	Endpoint         *lookupEndpoint `json:"endpoint,omitempty"`
	Signature        *lookupSig      `json:"signature,omitempty"`
	CheckedAt        time.Time       `json:"checkedAt"`
	Error            string          `json:"error,omitempty"`
	ErrorKind        string          `json:"errorKind,omitempty"`
}

type lookupSML struct {
	Method string `json:"method"`
	Name   string `json:"name,omitempty"`
	TTL    int    `json:"ttlSeconds,omitempty"`
}

type lookupEndpoint struct {
	URL              string      `json:"url"`
	TransportProfile string      `json:"transportProfile"`
	ActivationDate   *time.Time  `json:"activationDate,omitempty"`
	ExpirationDate   *time.Time  `json:"expirationDate,omitempty"`
	Certificate      *lookupCert `json:"certificate,omitempty"`
	// CertificateCheck is "ok" or why the access point certificate would
	// not be accepted (expired, not from a Peppol access point CA).
	CertificateCheck string `json:"certificateCheck,omitempty"`
	TechnicalContact string `json:"technicalContact,omitempty"`
}

type lookupCert struct {
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer"`
	Serial    string    `json:"serial"`
	NotBefore time.Time `json:"notBefore"`
	NotAfter  time.Time `json:"notAfter"`
}

type lookupSig struct {
	Verified        bool        `json:"verified"`
	Reason          string      `json:"reason,omitempty"`
	Signer          *lookupCert `json:"signer,omitempty"`
	SignatureMethod string      `json:"signatureMethod,omitempty"`
	DigestMethod    string      `json:"digestMethod,omitempty"`
}

func certInfo(c *x509.Certificate) *lookupCert {
	if c == nil {
		return nil
	}
	return &lookupCert{Subject: c.Subject.String(), Issuer: c.Issuer.String(), Serial: c.SerialNumber.Text(16),
		NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC()}
}

// lookupRun asks the network, step by step, and records what each step
// found; the first failing step ends the run.
func lookupRun(ctx context.Context, c *elma.Client, q *lookupQ, now time.Time, transport string, trust *elma.TrustStore) *lookupResult {
	r := &lookupResult{
		Participant:  q.receiver.String(),
		DocumentType: q.docType.String(),
		Process:      q.process.String(),
		Transport:    transport,
		CheckedAt:    now.UTC(),
	}
	if !q.sender.IsZero() {
		r.Sender = q.sender.String()
	}
	if err := q.receiver.Validate(); err != nil {
		var ie *peppol.IDError
		if errors.As(err, &ie) {
			r.ParticipantCheck = ie.Reason
		} else {
			r.ParticipantCheck = err.Error()
		}
	} else {
		r.ParticipantCheck = "ok"
	}
	fail := func(err error) *lookupResult {
		r.Error, r.ErrorKind = err.Error(), errorKind(err)
		return r
	}
	loc, err := c.LocateSMP(ctx, q.receiver)
	if err != nil {
		return fail(err)
	}
	r.SMP = loc.URL
	if loc.Method != elma.Fixed {
		r.SML = &lookupSML{Method: loc.Method.String(), Name: loc.DNSName, TTL: int(loc.TTL / time.Second)}
	}
	// The list of document types is informative (and unsigned): a failure
	// there does not stop the lookup of the one asked for.
	if g, err := c.ServiceGroup(ctx, q.receiver); err != nil {
		r.DocumentTypesErr = err.Error()
	} else {
		for _, d := range g.DocumentTypes {
			r.DocumentTypes = append(r.DocumentTypes, d.String())
		}
	}
	m, err := c.ServiceMetadata(ctx, q.receiver, q.docType)
	if err != nil {
		var se *elma.SignatureError
		if errors.As(err, &se) {
			r.Signature = &lookupSig{Reason: se.Reason.Error(), Signer: certInfo(se.Certificate)}
		}
		return fail(err)
	}
	r.MetadataURL, r.RedirectedFrom = m.URL, m.RedirectedFrom
	r.Signature = &lookupSig{Verified: true, Signer: certInfo(m.Signature.Certificate),
		SignatureMethod: m.Signature.SignatureMethod, DigestMethod: m.Signature.DigestMethod}
	ep, err := m.Endpoint(q.process, transport, now)
	if err != nil {
		return fail(err)
	}
	r.Endpoint = &lookupEndpoint{URL: ep.URL, TransportProfile: ep.TransportProfile, Certificate: certInfo(ep.Certificate),
		TechnicalContact: ep.TechnicalContact}
	if ep.Certificate != nil {
		r.Endpoint.CertificateCheck = "ok"
		if err := trust.VerifyAccessPoint(ep.Certificate, now, nil); err != nil {
			var se *elma.SignatureError
			if errors.As(err, &se) {
				r.Endpoint.CertificateCheck = se.Reason.Error()
			} else {
				r.Endpoint.CertificateCheck = err.Error()
			}
		}
	}
	if !ep.ActivationDate.IsZero() {
		t := ep.ActivationDate
		r.Endpoint.ActivationDate = &t
	}
	if !ep.ExpirationDate.IsZero() {
		t := ep.ExpirationDate
		r.Endpoint.ExpirationDate = &t
	}
	return r
}

// errorKind is a stable name for the kind of failure, for scripts.
func errorKind(err error) string {
	kinds := []struct {
		err  error
		kind string
	}{
		{elma.ErrNotRegistered, "not-registered"},
		{elma.ErrDNS, "dns"},
		{elma.ErrBadSMLRecord, "bad-sml-record"},
		{elma.ErrUnknownAtSMP, "unknown-at-smp"},
		{elma.ErrNoSuchDocumentType, "no-such-document-type"},
		{elma.ErrNoEndpoint, "no-endpoint"},
		{elma.ErrSignature, "signature"},
		{elma.ErrIdentifierMismatch, "identifier-mismatch"},
		{elma.ErrSMPUnavailable, "smp-unavailable"},
		{elma.ErrSMPResponse, "smp-response"},
	}
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			return k.kind
		}
	}
	return "other"
}

func (r *lookupResult) writeText(w io.Writer) {
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "%-14s %s\n", label, fmt.Sprintf(format, args...))
	}
	check := r.ParticipantCheck
	if check != "ok" {
		check = "warning: " + check
	} else {
		check = "identifier checks passed"
	}
	line("Participant", "%s (%s)", r.Participant, check)
	if r.Sender != "" {
		line("Sender", "%s", r.Sender)
	}
	if r.SML != nil {
		line("SML", "%s %s (TTL %ds)", r.SML.Method, r.SML.Name, r.SML.TTL)
	}
	if r.SMP != "" {
		line("SMP", "%s", r.SMP)
	}
	switch {
	case r.DocumentTypesErr != "":
		line("Accepts", "(list not available: %s)", r.DocumentTypesErr)
	case r.SMP != "":
		line("Accepts", "%d document type(s)", len(r.DocumentTypes))
		for _, d := range r.DocumentTypes {
			line("", "%s", d)
		}
	}
	line("Document type", "%s", r.DocumentType)
	line("Process", "%s", r.Process)
	if r.RedirectedFrom != "" {
		line("Redirected", "from %s to %s", r.RedirectedFrom, r.MetadataURL)
	}
	if s := r.Signature; s != nil {
		if s.Verified {
			line("Signature", "verified (%s)", shortAlg(s.SignatureMethod))
		} else {
			line("Signature", "NOT verified: %s", s.Reason)
		}
		if s.Signer != nil {
			line("  signed by", "%s", s.Signer.Subject)
			line("  issuer", "%s", s.Signer.Issuer)
			line("  valid", "%s to %s", s.Signer.NotBefore.Format("2006-01-02"), s.Signer.NotAfter.Format("2006-01-02"))
		}
	}
	if ep := r.Endpoint; ep != nil {
		line("Endpoint", "%s (%s)", ep.URL, ep.TransportProfile)
		if ep.ActivationDate != nil || ep.ExpirationDate != nil {
			line("  in service", "%s to %s", dateOrDash(ep.ActivationDate), dateOrDash(ep.ExpirationDate))
		}
		if c := ep.Certificate; c != nil {
			line("  certificate", "%s", c.Subject)
			line("  issuer", "%s", c.Issuer)
			line("  valid", "%s to %s", c.NotBefore.Format("2006-01-02"), c.NotAfter.Format("2006-01-02"))
			if ep.CertificateCheck != "ok" {
				line("  warning", "%s", strings.Replace(ep.CertificateCheck, "signing certificate", "access point certificate", 1))
			}
		}
		if ep.TechnicalContact != "" {
			line("  contact", "%s", ep.TechnicalContact)
		}
	}
	if r.Error != "" {
		line("Result", "FAILED (%s): %s", r.ErrorKind, r.Error)
	} else {
		line("Result", "OK, checked as of %s", r.CheckedAt.Format(time.RFC3339))
	}
}

func dateOrDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format("2006-01-02")
}

func shortAlg(uri string) string {
	if i := strings.LastIndexByte(uri, '#'); i >= 0 {
		return uri[i+1:]
	}
	return uri
}

// Namespaces of the documents --from reads.
const (
	nsSBDH = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
	nsCAC  = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsCBC  = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
)

// invoiceParties is what a lookup needs from an invoice.
type invoiceParties struct {
	receiver, sender peppol.ParticipantID
	docType          peppol.DocumentTypeID
	process          peppol.ProcessID
}

// readInvoiceParties reads the receiver (AccountingCustomerParty) and
// sender (AccountingSupplierParty) endpoints, the document type (root
// element, CustomizationID, UBL 2.1) and the process (ProfileID) of a UBL
// invoice or credit note, bare or inside a Standard Business Document. It
// uses the hardened shared reader (no DTDs, size and depth limits) and
// reports problems as file:line:col.
func readInvoiceParties(file string, data []byte) (*invoiceParties, error) {
	doc, err := xmltree.Parse(data, &xmltree.Options{File: file})
	if err != nil {
		return nil, err
	}
	at := func(n xmltree.NodeID, format string, args ...any) error {
		line, col := doc.Pos(n)
		return fmt.Errorf("%s:%d:%d: %s", file, line, col, fmt.Sprintf(format, args...))
	}
	root := doc.Root()
	if root == xmltree.None {
		return nil, fmt.Errorf("%s: no root element", file)
	}
	if doc.Name(root) == (xmltree.Name{Space: nsSBDH, Local: "StandardBusinessDocument"}) {
		payload := xmltree.None
		for c := range doc.Children(root) {
			if doc.Kind(c) == xmltree.ElementNode && doc.Name(c) != (xmltree.Name{Space: nsSBDH, Local: "StandardBusinessDocumentHeader"}) {
				payload = c
				break
			}
		}
		if payload == xmltree.None {
			return nil, at(root, "the Standard Business Document holds no business document")
		}
		root = payload
	}
	name := doc.Name(root)
	switch name {
	case xmltree.Name{Space: peppol.UBLInvoiceNamespace, Local: "Invoice"}, xmltree.Name{Space: peppol.UBLCreditNoteNamespace, Local: "CreditNote"}:
	default:
		return nil, at(root, "{%s}%s is not a UBL Invoice or CreditNote", name.Space, name.Local)
	}
	child := func(n xmltree.NodeID, space, local string) xmltree.NodeID {
		id := doc.Lookup(space, local)
		if id < 0 {
			return xmltree.None
		}
		for c := range doc.ChildElements(n, id) {
			return c
		}
		return xmltree.None
	}
	out := &invoiceParties{}
	cust := child(root, nsCBC, "CustomizationID")
	if cust == xmltree.None || strings.TrimSpace(doc.Text(cust)) == "" {
		return nil, at(root, "the document has no cbc:CustomizationID, so its document type is unknown")
	}
	out.docType = peppol.NewDocumentTypeID(name.Space, name.Local, strings.TrimSpace(doc.Text(cust)), peppol.UBLVersion)
	if err := out.docType.Validate(); err != nil {
		return nil, at(cust, "%v", err)
	}
	if prof := child(root, nsCBC, "ProfileID"); prof != xmltree.None && strings.TrimSpace(doc.Text(prof)) != "" {
		out.process = peppol.ProcessID{Scheme: peppol.ProcessScheme, Value: strings.TrimSpace(doc.Text(prof))}
		if err := out.process.Validate(); err != nil {
			return nil, at(prof, "%v", err)
		}
	}
	endpoint := func(party string, required bool) (peppol.ParticipantID, error) {
		p := child(root, nsCAC, party)
		if p != xmltree.None {
			p = child(p, nsCAC, "Party")
		}
		if p == xmltree.None {
			if !required {
				return peppol.ParticipantID{}, nil
			}
			return peppol.ParticipantID{}, at(root, "the document has no cac:%s/cac:Party", party)
		}
		ep := child(p, nsCBC, "EndpointID")
		if ep == xmltree.None {
			if !required {
				return peppol.ParticipantID{}, nil
			}
			return peppol.ParticipantID{}, at(p, "cac:%s/cac:Party has no cbc:EndpointID", party)
		}
		scheme, _ := doc.Attr(ep, "", "schemeID")
		id, err := peppol.ParticipantFromEndpoint(scheme, doc.Text(ep))
		if err != nil {
			return peppol.ParticipantID{}, at(ep, "cac:%s endpoint: %v", party, err)
		}
		return id, nil
	}
	if out.receiver, err = endpoint("AccountingCustomerParty", true); err != nil {
		return nil, err
	}
	if out.sender, err = endpoint("AccountingSupplierParty", false); err != nil {
		return nil, err
	}
	return out, nil
}
