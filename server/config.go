package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"time"

	"github.com/ehf-project/ehf/ehf"
)

// Config is how a Server runs. The zero value is usable: every zero field
// takes the default named in its comment.
type Config struct {
	// Addr is where ListenAndServe listens (default 127.0.0.1:8080).
	Addr string

	// MaxBodySize is the largest accepted document in bytes (default
	// 32 MiB); larger ones are answered 413.
	MaxBodySize int64
	// MaxBodyMemory bounds the bytes held in request bodies by all requests
	// together (default 256 MiB, and at least MaxBodySize); a request that
	// would pass it is answered 503.
	MaxBodyMemory int64
	// MaxHeaderBytes bounds the request line and headers (default 64 KiB).
	MaxHeaderBytes int

	// ReadHeaderTimeout is how long a client may take to send its headers
	// (default 5s): the slow-loris guard.
	ReadHeaderTimeout time.Duration
	// ReadTimeout is how long a client may take to send a whole request,
	// body included (default 60s).
	ReadTimeout time.Duration
	// WriteTimeout is how long a request may take from the end of its
	// headers to the end of its answer, forwarding included (default 90s).
	WriteTimeout time.Duration
	// IdleTimeout closes keep-alive connections idle this long (default 120s).
	IdleTimeout time.Duration
	// MaxConns bounds the open connections (default 16384); past it new
	// connections wait in the kernel's accept queue.
	MaxConns int

	// Workers is how many documents are parsed and validated at once
	// (default GOMAXPROCS).
	Workers int
	// Queue is how many requests may wait for a worker (default 64 per
	// worker); past it the answer is 503 with Retry-After.
	Queue int
	// QueueTimeout is the longest a request waits for a worker before it
	// is answered 503 (default 10s).
	QueueTimeout time.Duration
	// RetryAfter is what 503 answers tell clients to wait (default 1s;
	// sent in whole seconds).
	RetryAfter time.Duration

	// ShutdownTimeout bounds the graceful shutdown: requests still running
	// after it are cut off (default 30s).
	ShutdownTimeout time.Duration
	// ShutdownDelay is how long the server keeps serving, with /readyz
	// answering 503, before it stops accepting connections, so that load
	// balancers notice first (default 0).
	ShutdownDelay time.Duration

	// Token, when set, is the bearer token /v1/ requests must carry.
	Token string
	// TLSCert and TLSKey are PEM files; when both are set the server
	// speaks HTTPS only.
	TLSCert, TLSKey string

	// RuleSet, Engine and Rules are the validation defaults; the query
	// parameters ruleset and engine override the first two per request.
	RuleSet string
	Engine  ehf.Engine
	Rules   []string
	// Home is where "ehf schemas install" put the official artefacts
	// (empty: $EHF_HOME or the user cache folder); NoXSD skips the UBL
	// schema layer. As for "ehf validate".
	Home  string
	NoXSD bool
	// Validators bounds the cache of compiled validators, one per
	// (ruleset, engine, date) asked for (default 32).
	Validators int

	// Forward, when set, is the URL every valid document is posted on to;
	// invalid documents are then answered 422.
	Forward string
	// ForwardAttempts is how many times a document is offered to the next
	// hop before the request fails with 502 (default 4).
	ForwardAttempts int
	// ForwardTimeout bounds each attempt (default 10s).
	ForwardTimeout time.Duration
	// ForwardBackoff is the first wait between attempts; it doubles each
	// time, with jitter, up to 5s (default 200ms).
	ForwardBackoff time.Duration
	// ForwardHeader is added to every request to the next hop, e.g.
	// Authorization.
	ForwardHeader http.Header

	// Outbox, when set, takes every valid document for durable delivery
	// and the answer is 202; invalid documents are answered 422. Outbox
	// and Forward exclude each other.
	Outbox Queue

	// Resolver answers /v1/lookup; nil answers 501.
	Resolver Resolver
	// LookupTimeout bounds one lookup (default 15s).
	LookupTimeout time.Duration

	// Logger receives one line per request and the server's events
	// (default: slog.Default()).
	Logger *slog.Logger
}

// Defaults, exported so that the command line can show them.
const (
	DefaultAddr          = "127.0.0.1:8080"
	DefaultMaxBodySize   = 32 << 20
	DefaultMaxBodyMemory = 256 << 20
	DefaultMaxConns      = 16384
	DefaultQueuePerWork  = 64
)

// withDefaults fills in zero fields and checks the rest.
func (c Config) withDefaults() (Config, error) {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.MaxBodySize <= 0 {
		c.MaxBodySize = DefaultMaxBodySize
	}
	if c.MaxBodySize > 1<<31-1 {
		return c, fmt.Errorf("the body size limit %d is over the reader's 2 GiB", c.MaxBodySize)
	}
	if c.MaxBodyMemory <= 0 {
		c.MaxBodyMemory = DefaultMaxBodyMemory
	}
	if c.MaxBodyMemory < c.MaxBodySize {
		c.MaxBodyMemory = c.MaxBodySize
	}
	if c.MaxHeaderBytes <= 0 {
		c.MaxHeaderBytes = 64 << 10
	}
	def(&c.ReadHeaderTimeout, 5*time.Second)
	def(&c.ReadTimeout, 60*time.Second)
	def(&c.WriteTimeout, 90*time.Second)
	def(&c.IdleTimeout, 120*time.Second)
	if c.MaxConns <= 0 {
		c.MaxConns = DefaultMaxConns
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Queue <= 0 {
		c.Queue = DefaultQueuePerWork * c.Workers
	}
	def(&c.QueueTimeout, 10*time.Second)
	def(&c.RetryAfter, time.Second)
	def(&c.ShutdownTimeout, 30*time.Second)
	if c.ShutdownDelay < 0 {
		c.ShutdownDelay = 0
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return c, errors.New("TLS needs both a certificate and a key file")
	}
	if c.Engine == "" {
		c.Engine = ehf.Native
	}
	if c.Validators <= 0 {
		c.Validators = 32
	}
	if c.Forward != "" {
		u, err := url.Parse(c.Forward)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("the forward address %q is not an http:// or https:// URL", c.Forward)
		}
	}
	if c.Forward != "" && c.Outbox != nil {
		return c, errors.New("forward directly or through the outbox, not both: the outbox has its own destination")
	}
	if c.ForwardAttempts <= 0 {
		c.ForwardAttempts = 4
	}
	def(&c.ForwardTimeout, 10*time.Second)
	def(&c.ForwardBackoff, 200*time.Millisecond)
	def(&c.LookupTimeout, 15*time.Second)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c, nil
}
