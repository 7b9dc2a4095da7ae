package elma

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

// lookupEnv is a whole Peppol lookup world on loopback: an SML (DNS
// server), an SMP over HTTPS reached by host name through that DNS, and an
// SMP over plain HTTP.
type lookupEnv struct {
	pki       *testPKI
	dns       *fakeDNS
	https     *fakeSMP
	http      *fakeSMP
	httpsBase string
	httpBase  string
	clk       *fakeClock
}

func newLookupEnv(t testing.TB) *lookupEnv {
	t.Helper()
	p := getPKI(t)
	e := &lookupEnv{pki: p, dns: startDNS(t), clk: newClock(testNow)}
	e.https = startSMP(t, &p.tlsServer)
	e.http = startSMP(t, nil)
	e.httpsBase = "https://smp.elma.test:" + e.https.port() + "/"
	e.httpBase = "http://127.0.0.1:" + e.http.port()
	e.dns.add(t, "smp.elma.test. 300 IN A 127.0.0.1")
	return e
}

func (e *lookupEnv) client(t testing.TB, mod func(*Options)) *Client {
	t.Helper()
	o := Options{
		Zone:       testZone,
		DNSServers: []string{e.dns.addr},
		TLSConfig:  &tls.Config{RootCAs: e.pki.tlsRoots},
		Trust:      e.pki.trust,
		Now:        e.clk.Now,
		Timeout:    5 * time.Second, // generous: the machine may be busy
	}
	if mod != nil {
		mod(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// register publishes p in the SML with the SMP at base.
func (e *lookupEnv) register(t testing.TB, p peppol.ParticipantID, base string) {
	t.Helper()
	e.dns.add(t, naptrRecord(NAPTRName(p, testZone), base, 300))
}

// publish registers p at the SMP behind base and serves signed metadata
// made by kp for d.
func (e *lookupEnv) publish(t testing.TB, smp *fakeSMP, base string, p peppol.ParticipantID, d peppol.DocumentTypeID, body []byte, header map[string]string) string {
	t.Helper()
	return smp.setMetadata(base, p, d, page{body: body, header: header})
}

func (e *lookupEnv) goodMetadata(t testing.TB, p peppol.ParticipantID, d peppol.DocumentTypeID) []byte {
	return sign(t, buildSMP1Metadata(p, d, testEndpoint{cert: e.pki.ap.cert}), e.pki.smp, signOptions{})
}

func TestEndpointOverHTTPSAndHTTP(t *testing.T) {
	e := newLookupEnv(t)
	pA, pB := testParticipant, peppol.MustParseParticipantID("0088:5026744000002")
	e.register(t, pA, e.httpsBase)
	e.register(t, pB, e.httpBase)
	e.https.setGroup(e.httpsBase, pA, peppol.BISBillingInvoice, peppol.BISBillingCreditNote)
	e.publish(t, e.https, e.httpsBase, pA, peppol.BISBillingInvoice, e.goodMetadata(t, pA, peppol.BISBillingInvoice), nil)
	e.publish(t, e.http, e.httpBase, pB, peppol.BISBillingInvoice,
		sign(t, buildSMP2Metadata(pB, peppol.BISBillingInvoice, testEndpoint{cert: e.pki.ap.cert, url: "https://ap2.elma.test/as4"}), e.pki.smp, signOptions{}), nil)
	c := e.client(t, nil)
	ctx := context.Background()

	ep, err := c.Endpoint(ctx, pA, peppol.BISBillingInvoice, peppol.BillingProcess)
	if err != nil {
		t.Fatal(err)
	}
	if ep.URL != "https://ap.elma.test/as4" || ep.TransportProfile != TransportAS4 || !ep.Certificate.Equal(e.pki.ap.cert) {
		t.Errorf("endpoint = %+v", ep)
	}
	if err := e.pki.trust.VerifyAccessPoint(ep.Certificate, testNow, nil); err != nil {
		t.Errorf("access point certificate: %v", err)
	}
	g, err := c.ServiceGroup(ctx, pA)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.DocumentTypes) != 2 || !g.Accepts(peppol.BISBillingCreditNote) || !g.Accepts(peppol.BISBillingInvoice) {
		t.Errorf("service group = %+v", g)
	}

	ep, err = c.Endpoint(ctx, pB, peppol.BISBillingInvoice, peppol.BillingProcess)
	if err != nil {
		t.Fatal(err)
	}
	if ep.URL != "https://ap2.elma.test/as4" {
		t.Errorf("plain HTTP SMP with SMP 2.0 answer: endpoint %+v", ep)
	}
	m, _ := c.ServiceMetadata(ctx, pB, peppol.BISBillingInvoice)
	if m.Format != FormatOASISSMP2 || !strings.HasPrefix(m.URL, "http://127.0.0.1:") {
		t.Errorf("metadata = %+v", m)
	}

	// A fixed SMP URL skips the SML entirely.
	fixed := e.client(t, func(o *Options) { o.SMPURL = e.httpsBase; o.DNSServers = []string{e.dns.addr} })
	if _, err := fixed.Endpoint(ctx, pA, peppol.BISBillingInvoice, peppol.BillingProcess); err != nil {
		t.Errorf("fixed SMP: %v", err)
	}
}

// Each thing that can go wrong comes back as its own error, within the
// timeout.
func TestLookupErrors(t *testing.T) {
	e := newLookupEnv(t)
	ctx := context.Background()
	inv := peppol.BISBillingInvoice
	id := func(n int) peppol.ParticipantID { return peppol.MustParseParticipantID(fmt.Sprintf("9915:case%d", n)) }
	good := func(p peppol.ParticipantID) []byte { return e.goodMetadata(t, p, inv) }

	// A dead SMP: a port nobody listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadBase := "http://" + ln.Addr().String()
	ln.Close()
	// A slow SMP.
	slow := startSMP(t, nil)
	slow.setDelay(30 * time.Second)
	slowBase := "http://127.0.0.1:" + slow.port()
	// An HTTPS SMP whose certificate no configured root vouches for.
	untrusted := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(untrusted.Close)

	type tc struct {
		name  string
		setup func(p peppol.ParticipantID)
		ask   peppol.DocumentTypeID
		proc  peppol.ProcessID
		want  []error
		can   bool // CanReceive result
		canOK bool // CanReceive gives a definite answer (nil error)
		short bool // ask with a short timeout (slow and dead servers)
	}
	tests := []tc{
		{name: "not in the SML", setup: func(peppol.ParticipantID) {}, want: []error{ErrNotRegistered}, canOK: true},
		{name: "unknown at the SMP", setup: func(p peppol.ParticipantID) { e.register(t, p, e.httpsBase) },
			want: []error{ErrNoSuchDocumentType}, canOK: true},
		{name: "other document type only", setup: func(p peppol.ParticipantID) {
			e.register(t, p, e.httpsBase)
			e.publish(t, e.https, e.httpsBase, p, peppol.BISBillingCreditNote, e.goodMetadata(t, p, peppol.BISBillingCreditNote), nil)
		}, want: []error{ErrNoSuchDocumentType}, canOK: true},
		{name: "expired certificate", setup: func(p peppol.ParticipantID) {
			e.register(t, p, e.httpsBase)
			e.publish(t, e.https, e.httpsBase, p, inv, sign(t, buildSMP1Metadata(p, inv, testEndpoint{}), e.pki.expired, signOptions{}), nil)
		}, want: []error{ErrSignature, ErrCertificateExpired}},
		{name: "certificate from the wrong CA", setup: func(p peppol.ParticipantID) {
			e.register(t, p, e.httpsBase)
			e.publish(t, e.https, e.httpsBase, p, inv, sign(t, buildSMP1Metadata(p, inv, testEndpoint{}), e.pki.otherSMP, signOptions{}), nil)
		}, want: []error{ErrSignature, ErrUntrustedCertificate}},
		{name: "tampered content", setup: func(p peppol.ParticipantID) {
			e.register(t, p, e.httpsBase)
			body := strings.Replace(string(good(p)), "https://ap.elma.test/as4", "https://evil.example/as4", 1)
			e.publish(t, e.https, e.httpsBase, p, inv, []byte(body), nil)
		}, want: []error{ErrSignature, ErrDigestMismatch}},
		{name: "wrapped signature", setup: func(p peppol.ParticipantID) {
			e.register(t, p, e.httpsBase)
			evil := strings.TrimSuffix(buildSMP1Metadata(p, inv, testEndpoint{url: "https://evil.example/as4"}), "</SignedServiceMetadata>")
			e.publish(t, e.https, e.httpsBase, p, inv, []byte(evil+"<Wrapped>"+string(good(p))+"</Wrapped></SignedServiceMetadata>"), nil)
		}, want: []error{ErrSignature, ErrSignatureStructure}},
		{name: "stripped signature", setup: func(p peppol.ParticipantID) {
			e.register(t, p, e.httpsBase)
			e.publish(t, e.https, e.httpsBase, p, inv, []byte(buildSMP1Metadata(p, inv, testEndpoint{})), nil)
		}, want: []error{ErrSignature, ErrSignatureMissing}},
		{name: "answer about somebody else", setup: func(p peppol.ParticipantID) {
			e.register(t, p, e.httpsBase)
			e.publish(t, e.https, e.httpsBase, p, inv, good(otherID), nil)
		}, want: []error{ErrIdentifierMismatch}},
		{name: "SMP answers 500", setup: func(p peppol.ParticipantID) {
			e.register(t, p, e.httpsBase)
			e.https.setMetadata(e.httpsBase, p, inv, page{status: 503})
		}, want: []error{ErrSMPUnavailable}},
		{name: "SMP answers 403", setup: func(p peppol.ParticipantID) {
			e.register(t, p, e.httpsBase)
			e.https.setMetadata(e.httpsBase, p, inv, page{status: 403})
		}, want: []error{ErrSMPResponse}},
		{name: "SMP answers HTML", setup: func(p peppol.ParticipantID) {
			e.register(t, p, e.httpsBase)
			e.https.setMetadata(e.httpsBase, p, inv, page{body: []byte("<html><body>maintenance</body></html>")})
		}, want: []error{ErrSignature, ErrSignatureMissing}},
		{name: "dead SMP", setup: func(p peppol.ParticipantID) { e.register(t, p, deadBase) }, want: []error{ErrSMPUnavailable}, short: true},
		{name: "slow SMP", setup: func(p peppol.ParticipantID) {
			e.register(t, p, slowBase)
			slow.setMetadata(slowBase, p, inv, page{body: good(p)})
		}, want: []error{ErrSMPUnavailable}, short: true},
		{name: "SMP with an untrusted TLS certificate", setup: func(p peppol.ParticipantID) {
			e.register(t, p, untrusted.URL)
		}, want: []error{ErrSMPUnavailable}},
		{name: "other process", proc: peppol.ProcessID{Scheme: peppol.ProcessScheme, Value: "urn:fdc:peppol.eu:2017:poacc:ordering:01:1.0"}, setup: func(p peppol.ParticipantID) {
			e.register(t, p, e.httpsBase)
			e.publish(t, e.https, e.httpsBase, p, inv, good(p), nil)
		}, want: []error{ErrNoEndpoint}, can: true, canOK: true},
		{name: "endpoint expired", setup: func(p peppol.ParticipantID) {
			e.register(t, p, e.httpsBase)
			e.publish(t, e.https, e.httpsBase, p, inv, sign(t, buildSMP1Metadata(p, inv, testEndpoint{to: testNow.Add(-time.Hour)}), e.pki.smp, signOptions{}), nil)
		}, want: []error{ErrNoEndpoint}, can: true, canOK: true},
		{name: "only AS2", setup: func(p peppol.ParticipantID) {
			e.register(t, p, e.httpsBase)
			e.publish(t, e.https, e.httpsBase, p, inv, sign(t, buildSMP1Metadata(p, inv, testEndpoint{transport: TransportAS2}), e.pki.smp, signOptions{}), nil)
		}, want: []error{ErrNoEndpoint}, can: true, canOK: true},
	}
	c := e.client(t, nil)
	quick := e.client(t, func(o *Options) { o.Timeout = 300 * time.Millisecond })
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := id(i)
			tt.setup(p)
			proc := tt.proc
			if proc.IsZero() {
				proc = peppol.BillingProcess
			}
			c := c
			if tt.short {
				c = quick
			}
			start := time.Now()
			ep, err := c.Endpoint(ctx, p, inv, proc)
			// Well within the slow server's 30 s, with room for a busy machine.
			if el := time.Since(start); tt.short && el > 5*time.Second {
				t.Errorf("took %s with a 300ms timeout", el)
			}
			if err == nil {
				t.Fatalf("Endpoint = %+v, want an error", ep)
			}
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("err = %v\nwant errors.Is(err, %v)", err, w)
				}
			}
			for _, other := range []error{ErrNotRegistered, ErrDNS, ErrSMPUnavailable, ErrNoSuchDocumentType, ErrSignature, ErrNoEndpoint} {
				want := false
				for _, w := range tt.want {
					want = want || w == other
				}
				if !want && errors.Is(err, other) {
					t.Errorf("err = %v also matches %v", err, other)
				}
			}
			var le *LookupError
			if !errors.As(err, &le) {
				t.Errorf("not a *LookupError: %#v", err)
			}
			can, err := c.CanReceive(ctx, p, inv)
			if can != tt.can || (err == nil) != tt.canOK {
				t.Errorf("CanReceive = %v, %v; want %v, definite=%v", can, err, tt.can, tt.canOK)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	e := newLookupEnv(t)
	ctx := context.Background()
	inv := peppol.BISBillingInvoice
	c := e.client(t, nil)

	t.Run("HTTP redirect", func(t *testing.T) {
		p := peppol.MustParseParticipantID("9915:httpredirect")
		e.register(t, p, e.httpBase+"/old")
		target := e.publish(t, e.http, e.httpBase+"/new", p, inv, e.goodMetadata(t, p, inv), nil)
		e.http.setMetadata(e.httpBase+"/old", p, inv, page{status: http.StatusMovedPermanently, location: target})
		m, err := c.ServiceMetadata(ctx, p, inv)
		if err != nil {
			t.Fatal(err)
		}
		if m.URL != target {
			t.Errorf("URL = %s, want %s", m.URL, target)
		}
	})
	t.Run("HTTP redirect from HTTPS to HTTP refused", func(t *testing.T) {
		p := peppol.MustParseParticipantID("9915:downgrade")
		e.register(t, p, e.httpsBase)
		target := e.publish(t, e.http, e.httpBase, p, inv, e.goodMetadata(t, p, inv), nil)
		e.https.setMetadata(e.httpsBase, p, inv, page{status: http.StatusFound, location: target})
		if _, err := c.ServiceMetadata(ctx, p, inv); !errors.Is(err, ErrSMPUnavailable) || !strings.Contains(err.Error(), "HTTPS") {
			t.Fatalf("err = %v", err)
		}
	})
	redirect := func(t *testing.T, name, certUID string, targetKey keyPair) (peppol.ParticipantID, string, error) {
		p := peppol.MustParseParticipantID("9915:" + name)
		e.register(t, p, e.httpsBase)
		target := e.publish(t, e.http, e.httpBase+"/elsewhere", p, inv, sign(t, buildSMP1Metadata(p, inv, testEndpoint{url: "https://moved.elma.test/as4"}), targetKey, signOptions{}), nil)
		e.publish(t, e.https, e.httpsBase, p, inv, sign(t, buildSMP1Redirect(target, certUID), e.pki.smp, signOptions{}), nil)
		m, err := c.ServiceMetadata(ctx, p, inv)
		if err != nil {
			return p, target, err
		}
		if m.RedirectedFrom != serviceMetadataURL(e.httpsBase, p, inv) || m.URL != target || m.Processes[0].Endpoints[0].URL != "https://moved.elma.test/as4" {
			t.Errorf("metadata after redirect = %+v", m)
		}
		return p, target, nil
	}
	t.Run("SMP redirect", func(t *testing.T) {
		if _, _, err := redirect(t, "smpredirect", "PNO000002", e.pki.smp2); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("SMP redirect to a differently signed answer", func(t *testing.T) {
		if _, _, err := redirect(t, "smpredirectbad", "PNO000002", e.pki.smp); !errors.Is(err, ErrUntrustedCertificate) {
			t.Fatalf("err = %v, want ErrUntrustedCertificate", err)
		}
	})
	t.Run("SMP redirect loop", func(t *testing.T) {
		p := peppol.MustParseParticipantID("9915:loop")
		e.register(t, p, e.httpsBase)
		u := serviceMetadataURL(e.httpsBase, p, inv)
		e.publish(t, e.https, e.httpsBase, p, inv, sign(t, buildSMP1Redirect(u, "PNO000001"), e.pki.smp, signOptions{}), nil)
		if _, err := c.ServiceMetadata(ctx, p, inv); !errors.Is(err, ErrSMPResponse) {
			t.Fatalf("err = %v, want ErrSMPResponse", err)
		}
	})
}

func TestCaching(t *testing.T) {
	e := newLookupEnv(t)
	ctx := context.Background()
	inv := peppol.BISBillingInvoice
	c := e.client(t, nil)

	pub := func(name string, header map[string]string) (peppol.ParticipantID, string) {
		p := peppol.MustParseParticipantID("9915:" + name)
		e.register(t, p, e.httpsBase)
		return p, e.publish(t, e.https, e.httpsBase, p, inv, e.goodMetadata(t, p, inv), header)
	}

	p, u := pub("cached", nil)
	for i := 0; i < 5; i++ {
		if _, err := c.Endpoint(ctx, p, inv, peppol.BillingProcess); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.https.hitCount(u); n != 1 {
		t.Errorf("%d fetches for five lookups, want 1", n)
	}
	e.clk.Add(16 * time.Minute) // past the default 15 minutes
	c.Endpoint(ctx, p, inv, peppol.BillingProcess)
	if n := e.https.hitCount(u); n != 2 {
		t.Errorf("%d fetches after the default lifetime, want 2", n)
	}

	p, u = pub("maxage", map[string]string{"Cache-Control": "public, max-age=5"})
	c.Endpoint(ctx, p, inv, peppol.BillingProcess)
	c.Endpoint(ctx, p, inv, peppol.BillingProcess)
	e.clk.Add(6 * time.Second)
	c.Endpoint(ctx, p, inv, peppol.BillingProcess)
	if n := e.https.hitCount(u); n != 2 {
		t.Errorf("max-age=5: %d fetches, want 2", n)
	}

	p, u = pub("nostore", map[string]string{"Cache-Control": "no-store"})
	for i := 0; i < 3; i++ {
		c.Endpoint(ctx, p, inv, peppol.BillingProcess)
	}
	if n := e.https.hitCount(u); n != 3 {
		t.Errorf("no-store: %d fetches, want 3", n)
	}

	// "No such document type" is remembered for NegativeTTL only.
	p = peppol.MustParseParticipantID("9915:negative")
	e.register(t, p, e.httpsBase)
	u = serviceMetadataURL(e.httpsBase, p, inv)
	c.CanReceive(ctx, p, inv)
	c.CanReceive(ctx, p, inv)
	if n := e.https.hitCount(u); n != 1 {
		t.Errorf("negative answer: %d fetches, want 1", n)
	}
	e.clk.Add(61 * time.Second)
	e.publish(t, e.https, e.httpsBase, p, inv, e.goodMetadata(t, p, inv), nil)
	if ok, err := c.CanReceive(ctx, p, inv); !ok || err != nil {
		t.Errorf("after the negative lifetime: %v, %v", ok, err)
	}

	// Failures are not remembered.
	p = peppol.MustParseParticipantID("9915:flaky")
	e.register(t, p, e.httpsBase)
	u = e.https.setMetadata(e.httpsBase, p, inv, page{status: 502})
	if _, err := c.ServiceMetadata(ctx, p, inv); !errors.Is(err, ErrSMPUnavailable) {
		t.Fatal(err)
	}
	e.publish(t, e.https, e.httpsBase, p, inv, e.goodMetadata(t, p, inv), nil)
	if _, err := c.ServiceMetadata(ctx, p, inv); err != nil {
		t.Errorf("after the SMP recovered: %v", err)
	}

	// The cache stays within its bounds.
	small := e.client(t, func(o *Options) { o.CacheEntries = 3 })
	for i := 0; i < 10; i++ {
		p, _ := pub(fmt.Sprintf("bounded%d", i), nil)
		small.Endpoint(ctx, p, inv, peppol.BillingProcess)
	}
	if s := small.CacheStats(); s.Entries > 3 {
		t.Errorf("cache holds %d entries, bound 3", s.Entries)
	}
}

// Concurrent lookups of the same thing make one request.
func TestConcurrentLookupsCollapse(t *testing.T) {
	e := newLookupEnv(t)
	inv := peppol.BISBillingInvoice
	p := peppol.MustParseParticipantID("9915:busy")
	e.register(t, p, e.httpsBase)
	u := e.publish(t, e.https, e.httpsBase, p, inv, e.goodMetadata(t, p, inv), nil)
	e.https.setDelay(200 * time.Millisecond)
	c := e.client(t, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Endpoint(context.Background(), p, inv, peppol.BillingProcess)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := e.https.hitCount(u); n != 1 {
		t.Errorf("%d requests for 50 concurrent lookups, want 1", n)
	}
	if q := e.dns.queries.Load(); q > 3 {
		t.Errorf("%d DNS queries, want at most one per name", q)
	}
	// A caller that gives up does not cancel the fetch for the others.
	e.clk.Add(time.Hour)
	if _, err := c.LocateSMP(context.Background(), p); err != nil { // refresh the SML answer only
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.Endpoint(short, p, inv, peppol.BillingProcess); !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrSMPUnavailable) {
		t.Errorf("impatient caller: %v", err)
	}
	if _, err := c.Endpoint(context.Background(), p, inv, peppol.BillingProcess); err != nil {
		t.Errorf("patient caller after an impatient one: %v", err)
	}
}

// The legacy CNAME lookup reaches the SMP at the B- host name over plain
// HTTP (port 80; the test's dialer sends it to the loopback SMP).
func TestCNAMELookupEndToEnd(t *testing.T) {
	e := newLookupEnv(t)
	inv := peppol.BISBillingInvoice
	p := peppol.MustParseParticipantID("9915:legacy")
	name := CNAMEName(p, testZone)
	e.dns.add(t, name+". 300 IN CNAME smp.elma.test.")
	base := "http://" + name + "/"
	e.publish(t, e.http, base, p, inv, e.goodMetadata(t, p, inv), nil)
	var dialed []string
	var mu sync.Mutex
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		mu.Lock()
		dialed = append(dialed, addr)
		mu.Unlock()
		return (&net.Dialer{}).DialContext(ctx, network, e.http.srv.Listener.Addr().String())
	}}}
	c := e.client(t, func(o *Options) { o.Method = CNAME; o.HTTPClient = hc })
	ep, err := c.Endpoint(context.Background(), p, inv, peppol.BillingProcess)
	if err != nil {
		t.Fatal(err)
	}
	if ep.URL != "https://ap.elma.test/as4" {
		t.Errorf("endpoint %+v", ep)
	}
	if len(dialed) != 1 || dialed[0] != name+":80" {
		t.Errorf("dialed %v, want %s:80", dialed, name)
	}
	e.http.mu.Lock()
	hosts := e.http.hosts
	e.http.mu.Unlock()
	if len(hosts) != 1 || hosts[0] != name {
		t.Errorf("Host headers %v, want %s", hosts, name)
	}
}

// SMP host names are resolved through the configured DNS, following CNAME
// chains whether the resolver chases them or not.
func TestResolveHostFollowsCNAMEs(t *testing.T) {
	for _, mode := range []string{"", "nochase"} {
		d := startDNS(t)
		d.setMode(mode)
		d.add(t, "b-1.elma.test. 60 IN CNAME b-2.elma.test.", "b-2.elma.test. 30 IN CNAME smp.elma.test.", "smp.elma.test. 300 IN A 127.0.0.1",
			"v6.elma.test. 300 IN AAAA ::1", "loop.elma.test. 300 IN CNAME loop.elma.test.")
		c := &dnsClient{servers: []string{d.addr}, timeout: 5 * time.Second}
		ips, ttl, err := c.resolveHost(context.Background(), "b-1.elma.test")
		if err != nil || len(ips) != 1 || !ips[0].Equal(net.ParseIP("127.0.0.1")) || ttl != 30*time.Second {
			t.Errorf("mode %q: %v, %v, %v", mode, ips, ttl, err)
		}
		if ips, _, err := c.resolveHost(context.Background(), "v6.elma.test"); err != nil || !ips[0].Equal(net.ParseIP("::1")) {
			t.Errorf("mode %q: AAAA: %v, %v", mode, ips, err)
		}
		if _, _, err := c.resolveHost(context.Background(), "loop.elma.test"); err == nil {
			t.Errorf("mode %q: a CNAME loop resolved", mode)
		}
		if _, _, err := c.resolveHost(context.Background(), "nothing.elma.test"); err == nil {
			t.Errorf("mode %q: a missing name resolved", mode)
		}
	}
}
