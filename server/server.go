package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/ehf-project/ehf/ehf"
)

// Server is the validation webhook. Build it with New, then Serve or
// ListenAndServe; it is one process's worth of state and holds nothing a
// second instance would need to know about.
type Server struct {
	cfg     Config
	log     *slog.Logger
	pool    *pool
	mem     budget
	vals    *validators
	defKey  valKey
	defVal  *ehf.Validator
	fwd     *forwarder
	metrics *metrics
	routes  map[string]*route
	handler http.Handler
	ids     *idSource

	ready atomic.Bool
	ll    atomic.Pointer[limitListener]

	// beforeCheck, when set by tests, runs on the worker before each
	// document: a way to hold workers busy.
	beforeCheck func()
}

// New checks cfg, compiles the default validator and starts the workers.
// A Server that is never served should be closed with Close.
func New(cfg Config) (*Server, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: c, log: c.Logger, metrics: newMetrics(), fwd: newForwarder(&c), ids: newIDSource()}
	s.mem.limit = c.MaxBodyMemory
	s.vals = newValidators(c.Validators, ehf.Options{Rules: c.Rules, Home: c.Home, NoXSD: c.NoXSD})
	s.defKey = valKey{ruleSet: c.RuleSet, engine: c.Engine}
	if s.defVal, err = s.vals.get(s.defKey); err != nil {
		return nil, err
	}
	s.pool = newPool(c.Workers, c.Queue, c.QueueTimeout)
	s.routes = s.routeTable()
	s.handler = http.HandlerFunc(s.serveHTTP)
	return s, nil
}

// Handler is the server's HTTP handler, for embedding in another server
// or testing without a listener. Serve adds the connection limits and
// timeouts around it.
func (s *Server) Handler() http.Handler { return s.handler }

// Ready reports whether /readyz answers 200.
func (s *Server) Ready() bool { return s.ready.Load() }

// Close stops the workers of a Server that Serve was not given, or whose
// Serve has returned.
func (s *Server) Close() { s.pool.stop() }

// ListenAndServe listens on Config.Addr and serves until ctx ends, then
// shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx ends or serving fails. When ctx ends it
// shuts down gracefully: /readyz turns 503 at once; after ShutdownDelay
// the listener closes, requests in flight run to completion (up to
// ShutdownTimeout), then the workers stop. It returns nil after a clean
// shutdown. Serve closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer s.pool.stop()
	ll := newLimitListener(ln, s.cfg.MaxConns)
	s.ll.Store(ll)
	var l net.Listener = ll
	scheme := "http"
	if s.cfg.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(s.cfg.TLSCert, s.cfg.TLSKey)
		if err != nil {
			ll.Close()
			return fmt.Errorf("TLS: %w", err)
		}
		l = tls.NewListener(ll, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}})
		scheme = "https"
	}
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    s.cfg.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(l) }()
	s.log.Info("listening", "addr", scheme+"://"+ln.Addr().String(), "workers", s.cfg.Workers, "queue", s.cfg.Queue,
		"max_body", s.cfg.MaxBodySize, "max_conns", s.cfg.MaxConns, "forward", s.cfg.Forward != "")

	// ready once the rules have run once: the first request pays no
	// start-up cost, and a balancer that waits for /readyz never sees it
	warm := make(chan struct{})
	go func() {
		defer close(warm)
		s.warmUp()
		if ctx.Err() == nil {
			s.ready.Store(true)
			s.log.Info("ready")
		}
	}()

	select {
	case err := <-errc:
		s.ready.Store(false)
		<-warm
		return err
	case <-ctx.Done():
	}
	<-warm
	s.ready.Store(false)
	s.log.Info("shutting down", "delay", s.cfg.ShutdownDelay, "timeout", s.cfg.ShutdownTimeout)
	if s.cfg.ShutdownDelay > 0 {
		select {
		case <-time.After(s.cfg.ShutdownDelay):
		case err := <-errc:
			return err
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if err != nil {
		hs.Close()
		err = fmt.Errorf("requests still running after %v were cut off: %w", s.cfg.ShutdownTimeout, err)
	}
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err == nil {
		s.log.Info("stopped")
	}
	return err
}

// warmUp runs the default rules once on a small document of our own.
func (s *Server) warmUp() {
	doc, err := ehf.Parse([]byte(warmUpDoc), &ehf.ParseOptions{Name: "warm-up"})
	if err != nil {
		s.log.Error("warm-up document unreadable", "err", err)
		return
	}
	s.defVal.Validate(doc)
}

// warmUpDoc is a skeleton billing invoice: enough for every rule to run.
const warmUpDoc = `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
 <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
 <cbc:ID>warm-up</cbc:ID>
 <cbc:IssueDate>2026-01-01</cbc:IssueDate>
 <cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode>
 <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="NOK">0</cbc:PayableAmount></cac:LegalMonetaryTotal>
</Invoice>`

// gauges reads the values /metrics reports at scrape time.
func (s *Server) gauges() gauges {
	g := gauges{
		ready: s.ready.Load(), workers: s.cfg.Workers, running: int(s.pool.running.Load()),
		queue: s.pool.queued(), queueCap: s.cfg.Queue, maxConns: s.cfg.MaxConns,
		bodyBytes: s.mem.used.Load(), bodyLimit: s.mem.limit, validators: s.vals.len(),
	}
	if ll := s.ll.Load(); ll != nil {
		g.conns = int(ll.open.Load())
	}
	return g
}
