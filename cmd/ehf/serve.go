package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/ehf-project/ehf/ehf"
	"github.com/ehf-project/ehf/elma"
	"github.com/ehf-project/ehf/outbox"
	"github.com/ehf-project/ehf/peppol"
	"github.com/ehf-project/ehf/server"
)

func init() {
	register(&command{name: "serve", summary: "run the validation webhook (HTTP API: /v1/validate, /v1/lookup, /metrics)", run: runServe})
}

// serveFlags are what "ehf serve" reads besides server.Config itself.
type serveFlags struct {
	tokenFile            string
	logFormat, logLevel  string
	lookup, lookupTest   bool
	smlZone, dns, smpURL string
	caFile               string
	gcPercent            int
	memLimit             sizeFlag
	outboxDB             string
	outboxWorkers        int
	forwardHeaders       headerFlags
}

func runServe(ctx context.Context, e *env, args []string) int {
	cfg, sf, code := serveConfig(e, args)
	if code >= 0 {
		return code
	}
	log, err := serveLogger(e.stderr, sf.logFormat, sf.logLevel)
	if err != nil {
		fmt.Fprintln(e.stderr, "ehf serve:", err)
		return exitUsage
	}
	cfg.Logger = log
	defer tuneGC(e, sf)()
	if sf.lookup {
		o := elma.Options{Zone: sf.smlZone, SMPURL: sf.smpURL, Timeout: min(cfg.LookupTimeout, 10*time.Second)}
		if sf.lookupTest {
			o.Trust = elma.TestTrust()
			if o.Zone == "" {
				o.Zone = elma.ZonePeppolTest
			}
		}
		if sf.caFile != "" {
			ts, err := trustFromPEM(sf.caFile)
			if err != nil {
				fmt.Fprintln(e.stderr, "ehf serve: --ca:", err)
				return exitUsage
			}
			o.Trust = ts
		}
		for _, s := range strings.Split(sf.dns, ",") {
			if s = strings.TrimSpace(s); s != "" {
				if !strings.Contains(s, ":") {
					s += ":53"
				}
				o.DNSServers = append(o.DNSServers, s)
			}
		}
		c, err := elma.New(o)
		if err != nil {
			fmt.Fprintln(e.stderr, "ehf serve:", err)
			return exitUsage
		}
		cfg.Resolver = server.ElmaResolver(c)
	}
	var ob *outbox.Outbox
	if sf.outboxDB != "" {
		if ob, err = openServeOutbox(ctx, &cfg, &sf, log); err != nil {
			fmt.Fprintln(e.stderr, "ehf serve:", err)
			return exitUsage
		}
		defer ob.Close()
	}
	s, err := server.New(cfg)
	if err != nil {
		fmt.Fprintln(e.stderr, "ehf serve:", err)
		return exitUsage
	}
	// the outbox delivers until the server has stopped taking documents,
	// then puts back what it was sending for the next run (or another
	// instance) to finish
	deliverCtx, stopDelivery := context.WithCancel(context.WithoutCancel(ctx))
	delivered := make(chan error, 1)
	if ob != nil {
		go func() { delivered <- ob.Run(deliverCtx) }()
	} else {
		delivered <- nil
	}
	err = s.ListenAndServe(ctx)
	stopDelivery()
	if derr := <-delivered; derr != nil && err == nil {
		err = derr
	}
	if err != nil {
		log.Error("serving failed", "err", err)
		fmt.Fprintln(e.stderr, "ehf serve:", err)
		return exitInvalid
	}
	return exitOK
}

// openServeOutbox opens the outbox that --outbox-db names and makes it the
// server's Queue: valid documents are committed to it and it delivers
// them, wrapped in SBDH, to --forward.
func openServeOutbox(ctx context.Context, cfg *server.Config, sf *serveFlags, log *slog.Logger) (*outbox.Outbox, error) {
	if cfg.Forward == "" {
		return nil, errors.New("--outbox-db needs --forward URL: where the outbox delivers to")
	}
	if u, err := url.Parse(cfg.Forward); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--forward %q is not an http:// or https:// URL", cfg.Forward)
	}
	// one attempt per Send: the outbox retries, with its own backoff, and
	// records each attempt's outcome where "ehf outbox list" shows it
	snd := &peppol.HTTPSender{URL: cfg.Forward, Header: cfg.ForwardHeader, Timeout: cfg.ForwardTimeout, Attempts: 1}
	ob, err := outbox.Open(ctx, sf.outboxDB, outbox.Options{
		Sender: snd, Workers: sf.outboxWorkers, Backoff: 5 * time.Second, MaxBackoff: time.Hour,
		Logf: func(format string, args ...any) { log.Warn(fmt.Sprintf(format, args...)) },
	})
	if err != nil {
		return nil, fmt.Errorf("--outbox-db: %w", err)
	}
	cfg.Outbox, cfg.Forward = outboxQueue{ob}, ""
	return ob, nil
}

// outboxQueue is the server's Queue on an outbox. A body already in an
// SBDH envelope is queued as it is; a bare invoice is wrapped as "ehf send"
// wraps it, from its parties' EndpointIDs, with an instance identifier
// made from its routing and content, so that the same document posted
// twice is one message.
type outboxQueue struct{ ob *outbox.Outbox }

func (q outboxQueue) Enqueue(ctx context.Context, d *server.QueuedDoc) (string, bool, error) {
	var env *peppol.Envelope
	var err error
	if d.Doc.Wrapped {
		env, err = peppol.ParseEnvelope(d.Body, d.Name)
	} else {
		env, err = wrap(&sendFlags{}, d.Doc, d.Body)
	}
	if err != nil {
		return "", false, fmt.Errorf("%w: %v", server.ErrUnroutable, err)
	}
	it, added, err := q.ob.Send(ctx, env, d.Name)
	if errors.Is(err, outbox.ErrConflict) {
		return "", false, fmt.Errorf("%w: %v", server.ErrUnroutable, err)
	}
	if err != nil {
		return "", false, err
	}
	return it.ID, added, nil
}

// serveConfig reads flags, then EHF_ variables for the flags not given.
// code is -1 when the server should start, else the exit status.
func serveConfig(e *env, args []string) (cfg server.Config, sf serveFlags, code int) {
	fs := flag.NewFlagSet("ehf serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	maxBody := sizeFlag(server.DefaultMaxBodySize)
	maxMem := sizeFlag(server.DefaultMaxBodyMemory)
	var rules multiFlag
	engine := string(ehf.Native)
	fs.StringVar(&cfg.Addr, "addr", server.DefaultAddr, "listen on HOST:PORT (0.0.0.0:8080 for every interface)")
	fs.Var(&maxBody, "max-body", "largest accepted document (413 past it); units KiB, MiB, GiB")
	fs.Var(&maxMem, "max-body-memory", "bytes all request bodies may hold together (503 past it)")
	fs.IntVar(&cfg.Workers, "workers", 0, "documents validated at once (default: one per core)")
	fs.IntVar(&cfg.Queue, "queue", 0, "requests that may wait for a worker before 503 (default 64 per worker)")
	fs.DurationVar(&cfg.QueueTimeout, "queue-timeout", 10*time.Second, "longest wait for a worker before 503")
	fs.DurationVar(&cfg.RetryAfter, "retry-after", time.Second, "what 503 answers tell clients to wait")
	fs.IntVar(&cfg.MaxConns, "max-conns", server.DefaultMaxConns, "open connections; past it new ones wait in the kernel's queue")
	fs.DurationVar(&cfg.ReadHeaderTimeout, "read-header-timeout", 5*time.Second, "time a client has to send its headers")
	fs.DurationVar(&cfg.ReadTimeout, "read-timeout", 60*time.Second, "time a client has to send a whole request (408 past it)")
	fs.DurationVar(&cfg.WriteTimeout, "write-timeout", 90*time.Second, "time from a request's headers to the end of its answer, forwarding included")
	fs.DurationVar(&cfg.IdleTimeout, "idle-timeout", 120*time.Second, "close keep-alive connections idle this long")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", 30*time.Second, "on SIGTERM, wait this long for requests in flight")
	fs.DurationVar(&cfg.ShutdownDelay, "shutdown-delay", 0, "on SIGTERM, keep serving this long with /readyz at 503 so balancers notice")
	fs.StringVar(&cfg.Token, "token", "", "bearer token /v1/ requests must carry (prefer EHF_TOKEN or --token-file: flags show in ps)")
	fs.StringVar(&sf.tokenFile, "token-file", "", "read the bearer token from this file")
	fs.StringVar(&cfg.TLSCert, "tls-cert", "", "PEM certificate: serve HTTPS (with --tls-key)")
	fs.StringVar(&cfg.TLSKey, "tls-key", "", "PEM private key of --tls-cert")
	fs.StringVar(&cfg.RuleSet, "ruleset", "", "default rule set (default: the one in force on each day): "+strings.Join(ehf.RuleSets(), ", "))
	fs.StringVar(&engine, "engine", engine, "default rule engine: native or schematron")
	fs.Var(&rules, "rules", "Schematron rule file or folder for --engine schematron (repeatable; comma-separated in EHF_RULES)")
	fs.BoolVar(&cfg.NoXSD, "no-xsd", false, "skip the UBL XSD layer")
	fs.IntVar(&cfg.Validators, "validators", 32, "compiled validators kept, one per rule set, engine and date asked for")
	fs.StringVar(&cfg.Forward, "forward", "", "post every valid document on to this URL (invalid ones are answered 422)")
	fs.IntVar(&cfg.ForwardAttempts, "forward-attempts", 4, "attempts to deliver a document before answering 502")
	fs.DurationVar(&cfg.ForwardTimeout, "forward-timeout", 10*time.Second, "time limit of one delivery attempt")
	fs.DurationVar(&cfg.ForwardBackoff, "forward-backoff", 200*time.Millisecond, "first wait between attempts; it doubles, up to 5s")
	fs.Var(&sf.forwardHeaders, "forward-header", "request header \"Name: value\" for the next hop, e.g. Authorization (repeatable)")
	fs.StringVar(&sf.outboxDB, "outbox-db", "", "commit valid documents to this outbox (SQLite file, or a postgres:// URL several instances share), answer 202, and deliver them in SBDH to --forward")
	fs.IntVar(&sf.outboxWorkers, "outbox-workers", 4, "documents the outbox delivers at once")
	fs.BoolVar(&sf.lookup, "lookup", true, "answer /v1/lookup from the Peppol SML and SMPs (false: 501)")
	fs.BoolVar(&sf.lookupTest, "lookup-test", false, "look up in the Peppol test network: its SML zone and test PKI")
	fs.StringVar(&sf.smlZone, "sml-zone", "", "SML DNS zone (default "+elma.ZonePeppolProduction+")")
	fs.StringVar(&sf.dns, "dns", "", "DNS resolvers HOST:PORT for the SML, comma-separated (default /etc/resolv.conf)")
	fs.StringVar(&sf.smpURL, "smp", "", "ask this SMP for every participant and skip the SML")
	fs.StringVar(&sf.caFile, "ca", "", "PEM file with the root and SMP CA certificates to trust instead of the Peppol PKI")
	fs.DurationVar(&cfg.LookupTimeout, "lookup-timeout", 15*time.Second, "time limit of one lookup (504 past it)")
	fs.IntVar(&sf.gcPercent, "gogc", 400, "garbage collector target percentage, as GOGC (which wins when set): higher spends memory to save CPU")
	sf.memLimit = 1 << 30
	fs.Var(&sf.memLimit, "memory-limit", "soft memory limit of the Go runtime, as GOMEMLIMIT (which wins when set): the collector works harder near it")
	fs.StringVar(&sf.logFormat, "log-format", "json", "log format: json or text")
	fs.StringVar(&sf.logLevel, "log-level", "info", "least level logged: debug, info (a line per request), warn, error")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, `Usage: ehf serve [flags]

Serves the validation webhook until SIGINT or SIGTERM, then shuts down
gracefully. POST a document to /v1/validate to get the report "ehf validate
--format jsonl" prints; see /openapi.json for the whole API.

Every flag can also be set in the environment as EHF_ and its name in
capitals with _ for -, e.g. EHF_MAX_BODY=16MiB or EHF_TOKEN=...; a flag on
the command line wins over the environment.

Exit status: 0 after a clean shutdown, 1 when serving failed, 2 bad usage.

Flags:`)
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return cfg, sf, code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "ehf serve: unexpected argument %q (documents are POSTed, not named)\n", fs.Arg(0))
		return cfg, sf, exitUsage
	}
	if err := envFlags(fs, e.getenv); err != nil {
		fmt.Fprintln(e.stderr, "ehf serve:", err)
		return cfg, sf, exitUsage
	}
	cfg.MaxBodySize, cfg.MaxBodyMemory = int64(maxBody), int64(maxMem)
	cfg.Engine, cfg.Rules = ehf.Engine(engine), rules
	cfg.Home = e.getenv("EHF_HOME")
	for _, h := range sf.forwardHeaders {
		k, v, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(k) == "" {
			fmt.Fprintf(e.stderr, "ehf serve: --forward-header %q: write it as \"Name: value\"\n", h)
			return cfg, sf, exitUsage
		}
		if cfg.ForwardHeader == nil {
			cfg.ForwardHeader = http.Header{}
		}
		cfg.ForwardHeader.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	if sf.tokenFile != "" {
		b, err := os.ReadFile(sf.tokenFile)
		if err != nil {
			fmt.Fprintln(e.stderr, "ehf serve: --token-file:", unwrapPathError(err))
			return cfg, sf, exitUsage
		}
		cfg.Token = strings.TrimSpace(string(b))
		if cfg.Token == "" {
			fmt.Fprintf(e.stderr, "ehf serve: --token-file %s is empty\n", sf.tokenFile)
			return cfg, sf, exitUsage
		}
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"workers", cfg.Workers}, {"queue", cfg.Queue}, {"max-conns", cfg.MaxConns}, {"forward-attempts", cfg.ForwardAttempts}, {"validators", cfg.Validators}, {"outbox-workers", sf.outboxWorkers}} {
		if c.v < 0 {
			fmt.Fprintf(e.stderr, "ehf serve: --%s must not be negative\n", c.name)
			return cfg, sf, exitUsage
		}
	}
	return cfg, sf, -1
}

// listFlag is a flag whose environment variable holds a comma-separated
// list, each item set on its own.
type listFlag interface{ isList() }

func (*multiFlag) isList() {}

// envFlags sets every flag not given on the command line from its EHF_
// variable, if there is one.
func envFlags(fs *flag.FlagSet, getenv func(string) string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || given[f.Name] {
			return
		}
		name := envName(f.Name)
		v := getenv(name)
		if v == "" {
			return
		}
		vals := []string{v}
		if _, ok := f.Value.(listFlag); ok {
			vals = strings.Split(v, ",")
		}
		for _, x := range vals {
			if e := fs.Set(f.Name, strings.TrimSpace(x)); e != nil {
				err = fmt.Errorf("%s=%q: %v", name, v, e)
				return
			}
		}
	})
	return err
}

// envName is the variable of a flag: max-body is EHF_MAX_BODY.
func envName(flagName string) string {
	return "EHF_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// sizeFlag is a byte count written as 1048576, 512KiB, 32MiB or 1GiB
// (K, KB, M, MB, G, GB mean the same binary units).
type sizeFlag int64

func (s *sizeFlag) String() string {
	n := int64(*s)
	for _, u := range []struct {
		suffix string
		shift  uint
	}{{"GiB", 30}, {"MiB", 20}, {"KiB", 10}} {
		if n != 0 && n%(1<<u.shift) == 0 {
			return strconv.FormatInt(n>>u.shift, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

func (s *sizeFlag) Set(v string) error {
	t := strings.TrimSpace(v)
	i := len(t)
	for i > 0 && (t[i-1] < '0' || t[i-1] > '9') {
		i--
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return fmt.Errorf("%q is not a size like 32MiB", v)
	}
	var shift uint
	switch unit {
	case "", "b":
	case "k", "kb", "kib":
		shift = 10
	case "m", "mb", "mib":
		shift = 20
	case "g", "gb", "gib":
		shift = 30
	default:
		return fmt.Errorf("%q: unknown unit %q (use KiB, MiB or GiB)", v, t[i:])
	}
	if n > (1<<62)>>shift {
		return fmt.Errorf("%q is too large", v)
	}
	*s = sizeFlag(n << shift)
	return nil
}

// tuneGC sets the collector for a server: validating a document allocates
// some hundred kilobytes that die at once, so with the default GOGC=100 and
// a small live heap the collector runs dozens of times a second and takes
// a large share of the CPU. A higher target with a soft memory limit keeps
// it cheap and still bounded. GOGC and GOMEMLIMIT, when set, are the
// runtime's own settings and win. The returned function restores the
// previous settings.
func tuneGC(e *env, sf serveFlags) (restore func()) {
	gc, mem := -2, int64(-1)
	if e.getenv("GOGC") == "" && sf.gcPercent > 0 {
		gc = debug.SetGCPercent(sf.gcPercent)
	}
	if e.getenv("GOMEMLIMIT") == "" && sf.memLimit > 0 {
		mem = debug.SetMemoryLimit(int64(sf.memLimit))
	}
	return func() {
		if gc != -2 {
			debug.SetGCPercent(gc)
		}
		if mem >= 0 {
			debug.SetMemoryLimit(mem)
		}
	}
}

// serveLogger makes the structured logger the server writes to.
func serveLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	o := &slog.HandlerOptions{Level: lv}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, o)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, o)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use json or text", format)
}
