package elma

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

// Options configure a Client. The zero value looks up production Peppol
// participants through the system's resolvers with the defaults below.
type Options struct {
	// Zone is the SML's DNS zone; default ZonePeppolProduction.
	Zone string
	// Method is NAPTR (default) or the legacy CNAME lookup.
	Method Method
	// DNSServers are the recursive resolvers ("host:port") asked for SML
	// records and, when set, for SMP host names too. Default: the servers
	// of /etc/resolv.conf for the SML, the system resolver for hosts.
	DNSServers []string
	// SMPURL skips the SML: every participant is looked up at this SMP.
	SMPURL string
	// RequireHTTPS refuses SMP and redirect URLs that are not HTTPS.
	RequireHTTPS bool

	// HTTPClient fetches from SMPs. Default: a client with Timeout, the
	// DNSServers for host names, TLSConfig, at most five HTTP redirects and
	// none from HTTPS to HTTP.
	HTTPClient *http.Client
	// TLSConfig is used by the default HTTP client (e.g. RootCAs for a
	// test SMP).
	TLSConfig *tls.Config
	// UserAgent is sent to SMPs.
	UserAgent string

	// Trust holds the accepted SMP CAs; default ProductionTrust().
	Trust *TrustStore
	// Now is the clock: signing certificates and endpoints must be valid
	// at Now(), and cache lifetimes count on it. Default time.Now.
	Now func() time.Time
	// AllowSHA1 accepts SHA-1 signatures from older SMPs.
	AllowSHA1 bool
	// Revoked are revocation lists; signing certificates on them are
	// refused.
	Revoked []*x509.RevocationList

	// Timeout bounds each network step (the DNS questions of a lookup, one
	// HTTP exchange); default 10 seconds.
	Timeout time.Duration
	// CacheEntries and CacheBytes bound the cache; defaults 10,000 entries
	// and 64 MiB. CacheEntries < 0 turns caching off.
	CacheEntries int
	CacheBytes   int
	// NegativeTTL is how long "not registered" and "no such document
	// type" answers are kept; default one minute.
	NegativeTTL time.Duration
	// DefaultTTL is how long SMP answers without cache headers are kept;
	// default 15 minutes. MaxTTL caps every lifetime; default 24 hours.
	DefaultTTL time.Duration
	MaxTTL     time.Duration
}

// Client looks participants up in the Peppol network: SML by DNS, then the
// SMP over HTTP(S), with verified signatures and a cache. It is safe for
// concurrent use; every method takes a context and respects its deadline.
// Returned values are shared with the cache and must not be modified.
type Client struct {
	opts  Options
	dns   *dnsClient
	http  *http.Client
	cache *cache
	// resolveHosts is set when SMP host names go through opts.DNSServers.
	resolveHosts bool
	// smlKey prefixes the cache keys of SML answers: method and zone.
	smlKey string
}

// New returns a Client.
func New(o Options) (*Client, error) {
	if o.Zone == "" {
		o.Zone = ZonePeppolProduction
	}
	if o.Trust == nil {
		o.Trust = ProductionTrust()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.CacheEntries == 0 {
		o.CacheEntries = 10000
	}
	if o.CacheBytes <= 0 {
		o.CacheBytes = 64 << 20
	}
	if o.NegativeTTL <= 0 {
		o.NegativeTTL = time.Minute
	}
	if o.DefaultTTL <= 0 {
		o.DefaultTTL = 15 * time.Minute
	}
	if o.MaxTTL <= 0 {
		o.MaxTTL = 24 * time.Hour
	}
	if o.UserAgent == "" {
		o.UserAgent = "ehf-elma/1"
	}
	if o.Method != NAPTR && o.Method != CNAME {
		return nil, fmt.Errorf("elma: unknown SML method %v", o.Method)
	}
	if o.SMPURL != "" {
		c := &Client{opts: o}
		u, err := c.checkSMPURL(o.SMPURL)
		if err != nil {
			return nil, fmt.Errorf("elma: SMP URL: %w", err)
		}
		o.SMPURL = u
	}
	c := &Client{opts: o, cache: newCache(o.Now, o.CacheEntries, o.CacheBytes)}
	c.smlKey = "sml|" + o.Method.String() + "|" + strings.ToLower(strings.Trim(o.Zone, ".")) + "|"
	c.dns = &dnsClient{servers: o.DNSServers, timeout: o.Timeout}
	if len(o.DNSServers) == 0 {
		c.dns.servers = systemDNSServers()
	} else {
		c.resolveHosts = true
	}
	c.http = o.HTTPClient
	if c.http == nil {
		c.http = c.defaultHTTPClient()
	}
	return c, nil
}

func (c *Client) defaultHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: c.opts.Timeout}
	tr := &http.Transport{
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   c.opts.Timeout,
		ResponseHeaderTimeout: c.opts.Timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	if c.opts.TLSConfig != nil {
		tr.TLSClientConfig = c.opts.TLSConfig.Clone()
	}
	if c.resolveHosts {
		tr.DialContext = c.dialViaDNS(dialer)
	} else {
		tr.Proxy = http.ProxyFromEnvironment
	}
	return &http.Client{
		Transport: tr,
		Timeout:   c.opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("more than five HTTP redirects")
			}
			if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
				return fmt.Errorf("HTTP redirect from HTTPS to %s refused", req.URL.Scheme)
			}
			if c.opts.RequireHTTPS && req.URL.Scheme != "https" {
				return fmt.Errorf("HTTP redirect to %s refused: HTTPS is required", req.URL)
			}
			return nil
		},
	}
}

// dialViaDNS resolves SMP host names through the configured DNS servers
// (cached by TTL), so that a test or private SML zone works end to end.
func (c *Client) dialViaDNS(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if net.ParseIP(host) != nil {
			return d.DialContext(ctx, network, addr)
		}
		v, err := c.cache.do(ctx, "host|"+strings.ToLower(host), c.detach, func(ctx context.Context) (any, error, time.Duration, int) {
			ips, ttl, err := c.dns.resolveHost(ctx, host)
			if err != nil {
				return nil, err, 0, 0
			}
			return ips, nil, clamp(ttl, c.opts.MaxTTL), 64 * len(ips)
		})
		if err != nil {
			return nil, fmt.Errorf("resolving %s: %w", host, err)
		}
		var errs []error
		for _, ip := range v.([]net.IP) {
			conn, err := d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
			if err == nil {
				return conn, nil
			}
			errs = append(errs, err)
		}
		return nil, errors.Join(errs...)
	}
}

// detach gives a fetch its own deadline, independent of the caller that
// started it (other callers may be waiting for the same answer). The bound
// leaves room for every step to use its own timeout: each DNS server over
// UDP and TCP, or an SMP answer and its redirect.
func (c *Client) detach(ctx context.Context) (context.Context, context.CancelFunc) {
	steps := max(2*len(c.dns.servers), 2) + 1
	return context.WithTimeout(context.WithoutCancel(ctx), time.Duration(steps)*c.opts.Timeout)
}

// CacheStats returns the cache counters.
func (c *Client) CacheStats() CacheStats { return c.cache.stats() }

// LocateSMP finds p's SMP through the SML (or returns Options.SMPURL). The
// error wraps ErrNotRegistered, ErrDNS or ErrBadSMLRecord.
func (c *Client) LocateSMP(ctx context.Context, p peppol.ParticipantID) (*SMPLocation, error) {
	if c.opts.SMPURL != "" {
		return &SMPLocation{URL: c.opts.SMPURL, Method: Fixed}, nil
	}
	cp := p.Canonical()
	key := c.smlKey + cp.Scheme + "::" + cp.Value
	v, err, ok := c.cache.hit(key)
	if !ok {
		v, err = c.cache.do(ctx, key, c.detach, c.smlFetch(p))
	}
	if err != nil {
		where := NAPTRName(p, c.opts.Zone)
		if c.opts.Method == CNAME {
			where = CNAMEName(p, c.opts.Zone)
		}
		return nil, &LookupError{Op: "sml", Participant: p, Where: where, Err: stepErr(ErrDNS, err)}
	}
	return v.(*SMPLocation), nil
}

func (c *Client) smlFetch(p peppol.ParticipantID) fetchFunc {
	return func(ctx context.Context) (any, error, time.Duration, int) {
		a, err := c.lookupSML(ctx, p)
		if err != nil {
			return nil, err, clamp(a.ttl, c.opts.NegativeTTL), 256
		}
		return a.loc, nil, clamp(a.ttl, c.opts.MaxTTL), 256
	}
}

// ServiceGroup returns the document types p's SMP lists for p. The error
// wraps ErrUnknownAtSMP when the SMP does not know p, or one of the SML and
// SMP errors.
func (c *Client) ServiceGroup(ctx context.Context, p peppol.ParticipantID) (*ServiceGroup, error) {
	loc, err := c.LocateSMP(ctx, p)
	if err != nil {
		return nil, err
	}
	u := serviceGroupURL(loc.URL, p)
	v, err := c.cache.do(ctx, "sg|"+u, c.detach, func(ctx context.Context) (any, error, time.Duration, int) {
		f, err := c.get(ctx, u)
		if err != nil {
			return nil, err, 0, 0
		}
		if f.status == http.StatusNotFound {
			return nil, wrapf(ErrUnknownAtSMP, "the SMP answered 404"), c.opts.NegativeTTL, 256
		}
		g, err := ParseServiceGroup(f.body)
		if err != nil {
			return nil, err, 0, 0
		}
		if !g.Participant.Equal(p) {
			return nil, wrapf(ErrIdentifierMismatch, "asked for %s, the service group is for %s", p, g.Participant), 0, 0
		}
		g.URL = f.url
		return g, nil, f.ttl, len(f.body)
	})
	if err != nil {
		return nil, &LookupError{Op: "service group", Participant: p, Where: u, Err: stepErr(ErrSMPUnavailable, err)}
	}
	return v.(*ServiceGroup), nil
}

// ServiceMetadata returns the verified metadata of p for document type d,
// following one SMP redirect. The error wraps ErrNoSuchDocumentType when
// the SMP has none, ErrSignature (with a *SignatureError) when the answer's
// signature is not accepted, ErrIdentifierMismatch, or one of the SML and
// SMP errors.
func (c *Client) ServiceMetadata(ctx context.Context, p peppol.ParticipantID, d peppol.DocumentTypeID) (*ServiceMetadata, error) {
	loc, err := c.LocateSMP(ctx, p)
	if err != nil {
		return nil, err
	}
	// The key names the SMP and the canonical identifiers; the escaped URL
	// is only built when the answer has to be fetched.
	cp, cd := p.Canonical(), d.Canonical()
	key := "sm|" + loc.URL + "|" + cp.Scheme + "::" + cp.Value + "|" + cd.Scheme + "::" + cd.Value
	v, err, ok := c.cache.hit(key)
	if !ok {
		v, err = c.cache.do(ctx, key, c.detach, func(ctx context.Context) (any, error, time.Duration, int) {
			m, ttl, size, err := c.fetchMetadata(ctx, serviceMetadataURL(loc.URL, p, d), p, d)
			if errors.Is(err, ErrNoSuchDocumentType) {
				return nil, err, c.opts.NegativeTTL, 256
			}
			if err != nil {
				return nil, err, 0, 0
			}
			return m, nil, ttl, size
		})
	}
	if err != nil {
		return nil, &LookupError{Op: "service metadata", Participant: p, DocumentType: d, Where: serviceMetadataURL(loc.URL, p, d), Err: stepErr(ErrSMPUnavailable, err)}
	}
	return v.(*ServiceMetadata), nil
}

// fetchMetadata gets and verifies one service metadata answer and follows
// a redirect once.
func (c *Client) fetchMetadata(ctx context.Context, u string, p peppol.ParticipantID, d peppol.DocumentTypeID) (*ServiceMetadata, time.Duration, int, error) {
	now := c.opts.Now()
	vo := verifyOptions{trust: c.opts.Trust, now: now, allowSHA1: c.opts.AllowSHA1, crls: c.opts.Revoked}
	f, err := c.get(ctx, u)
	if err != nil {
		return nil, 0, 0, err
	}
	if f.status == http.StatusNotFound {
		return nil, 0, 0, wrapf(ErrNoSuchDocumentType, "the SMP answered 404")
	}
	m, err := verifyMetadata(f.body, p, d, vo)
	if err != nil {
		return nil, 0, 0, err
	}
	m.URL = f.url
	ttl, size := f.ttl, len(f.body)
	if r := m.Redirect; r != nil {
		if _, err := c.checkSMPURL(r.URL); err != nil {
			return nil, 0, 0, wrapf(ErrSMPResponse, "redirect: %v", err)
		}
		g, err := c.get(ctx, r.URL)
		if err != nil {
			return nil, 0, 0, err
		}
		if g.status == http.StatusNotFound {
			return nil, 0, 0, wrapf(ErrNoSuchDocumentType, "the SMP redirected to %s, which answered 404", r.URL)
		}
		target, err := verifyMetadata(g.body, p, d, vo)
		if err != nil {
			return nil, 0, 0, err
		}
		if target.Redirect != nil {
			return nil, 0, 0, wrapf(ErrSMPResponse, "the SMP redirected to %s, which redirects again", r.URL)
		}
		if !redirectCertificateMatches(r, target.Signature.Certificate) {
			return nil, 0, 0, sigErr(ErrUntrustedCertificate, target.Signature.Certificate,
				"the redirect names certificate %q, the target is signed by %s", r.CertificateUID, describeCert(target.Signature.Certificate))
		}
		target.URL, target.RedirectedFrom = g.url, f.url
		m, ttl, size = target, min(ttl, g.ttl), size+len(g.body)
	}
	// Keep the answer no longer than its signing certificate is valid.
	if left := m.Signature.Certificate.NotAfter.Sub(now); left < ttl {
		ttl = left
	}
	return m, ttl, size, nil
}

// CanReceive reports whether p accepts document type d. It is true when
// the SMP publishes verified metadata for d, false with a nil error when
// the answer is a definite no (p is not registered, its SMP does not know
// it, or it does not accept d), and false with an error when the network
// or the SMP failed or the answer could not be trusted: then nobody knows.
func (c *Client) CanReceive(ctx context.Context, p peppol.ParticipantID, d peppol.DocumentTypeID) (bool, error) {
	_, err := c.ServiceMetadata(ctx, p, d)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrNotRegistered), errors.Is(err, ErrUnknownAtSMP), errors.Is(err, ErrNoSuchDocumentType):
		return false, nil
	}
	return false, err
}

// Endpoint returns p's Peppol AS4 endpoint for document type d in process
// proc, active now.
func (c *Client) Endpoint(ctx context.Context, p peppol.ParticipantID, d peppol.DocumentTypeID, proc peppol.ProcessID) (*Endpoint, error) {
	return c.EndpointFor(ctx, p, d, proc, TransportAS4)
}

// EndpointFor is Endpoint for another transport profile.
func (c *Client) EndpointFor(ctx context.Context, p peppol.ParticipantID, d peppol.DocumentTypeID, proc peppol.ProcessID, transport string) (*Endpoint, error) {
	m, err := c.ServiceMetadata(ctx, p, d)
	if err != nil {
		return nil, err
	}
	e, err := m.Endpoint(proc, transport, c.opts.Now())
	if err != nil {
		return nil, &LookupError{Op: "endpoint", Participant: p, DocumentType: d, Where: m.URL, Err: err}
	}
	return e, nil
}

// fetched is one HTTP answer.
type fetched struct {
	url    string // final URL after HTTP redirects
	status int
	body   []byte
	ttl    time.Duration
}

// get fetches u. Transport failures, timeouts and 5xx wrap
// ErrSMPUnavailable; statuses other than 200 and 404 wrap ErrSMPResponse.
func (c *Client) get(ctx context.Context, u string) (*fetched, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, wrap(ErrSMPResponse, err)
	}
	req.Header.Set("Accept", "application/xml, text/xml")
	req.Header.Set("User-Agent", c.opts.UserAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, wrapf(ErrSMPUnavailable, "no answer within %s: %v", c.opts.Timeout, err)
		}
		return nil, wrap(ErrSMPUnavailable, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, wrap(ErrSMPUnavailable, fmt.Errorf("reading the answer: %w", err))
	}
	if len(body) > maxResponseBytes {
		return nil, wrapf(ErrSMPResponse, "the answer is larger than %d bytes", maxResponseBytes)
	}
	f := &fetched{url: resp.Request.URL.String(), status: resp.StatusCode, body: body}
	switch {
	case resp.StatusCode == http.StatusOK:
		f.ttl = httpTTL(resp.Header, c.opts.Now(), c.opts.DefaultTTL, c.opts.MaxTTL)
	case resp.StatusCode == http.StatusNotFound:
	case resp.StatusCode >= 500:
		return nil, wrapf(ErrSMPUnavailable, "the SMP answered %s", resp.Status)
	default:
		return nil, wrapf(ErrSMPResponse, "the SMP answered %s", resp.Status)
	}
	return f, nil
}

// stepErr makes sure a context error (the caller's deadline) still says
// which step failed.
func stepErr(sentinel error, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		if !errors.Is(err, sentinel) {
			return wrap(sentinel, err)
		}
	}
	return err
}
