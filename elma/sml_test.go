package elma

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

// fakeClock is an adjustable clock for cache lifetimes and certificate
// validity.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *fakeClock { return &fakeClock{t: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestSMLNames(t *testing.T) {
	// Published examples of the Peppol SML specification and policy.
	tests := []struct {
		id, zone, naptr, cname string
	}{
		{"0088:123abc", ZoneECTest, "y7dzfxaf3d4cjz4kcgrxtec6twvcga4ky7zwa5boif6mswd4tdrq.iso6523-actorid-upis.acc.edelivery.tech.ec.europa.eu", ""},
		{"0088:123ABC", ZoneECTest, "y7dzfxaf3d4cjz4kcgrxtec6twvcga4ky7zwa5boif6mswd4tdrq.iso6523-actorid-upis.acc.edelivery.tech.ec.europa.eu", ""},
		{"0010:5798000000001", ZoneECTest, "xukhfqabqziki3ykvr2fhr4snfa3pf5vpq6k4tonv3lmvsy5arvq.iso6523-actorid-upis.acc.edelivery.tech.ec.europa.eu", ""},
		{"9915:test", ZoneECTest + ".", "eh5boavaktmbgzyh2a63dz4qov33fvp5nsdvqklucfraayoodw6a.iso6523-actorid-upis.acc.edelivery.tech.ec.europa.eu",
			"b-85008b8279e07ab0392da75fa55856a2.iso6523-actorid-upis.acc.edelivery.tech.ec.europa.eu"},
		{"ISO6523-ACTORID-UPIS::9915:TEST", ZoneECTest, "eh5boavaktmbgzyh2a63dz4qov33fvp5nsdvqklucfraayoodw6a.iso6523-actorid-upis.acc.edelivery.tech.ec.europa.eu",
			"b-85008b8279e07ab0392da75fa55856a2.iso6523-actorid-upis.acc.edelivery.tech.ec.europa.eu"},
	}
	for _, tt := range tests {
		p := peppol.MustParseParticipantID(tt.id)
		if got := NAPTRName(p, tt.zone); got != tt.naptr {
			t.Errorf("NAPTRName(%s) = %s, want %s", tt.id, got, tt.naptr)
		}
		if tt.cname != "" {
			if got := CNAMEName(p, tt.zone); got != tt.cname {
				t.Errorf("CNAMEName(%s) = %s, want %s", tt.id, got, tt.cname)
			}
		}
	}
}

func TestApplyNAPTRRegexp(t *testing.T) {
	tests := []struct {
		expr, aus, want string
		ok              bool
	}{
		{"!^.*$!https://smp.example.com!", "x.zone", "https://smp.example.com", true},
		{"!^.*$!https://smp.example.com/peppol/!", "x.zone", "https://smp.example.com/peppol/", true},
		{"#^.*$#https://smp.example.com#", "x.zone", "https://smp.example.com", true},
		{`!^([a-z0-9]+)\..*$!https://\1.smp.example.com!`, "abc.zone", "https://abc.smp.example.com", true},
		{`!^ABC\..*$!https://x!i`, "abc.zone", "https://x", true},
		{`!^.*$!https://a\!b!`, "abc.zone", "https://a!b", true},
		{"!^.*$!https://price$5!", "abc.zone", "https://price$5", true},
		{"!^nomatch$!https://x!", "abc.zone", "", false},
		{"!^.*$!https://x", "abc.zone", "", false},
		{"!^.*$!https://x!g", "abc.zone", "", false},
		{"!^(.*$!https://x!", "abc.zone", "", false},
		{"1^.*$1x1", "abc", "", false},
		{"", "abc", "", false},
	}
	for _, tt := range tests {
		got, err := applyNAPTRRegexp(tt.expr, tt.aus)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("applyNAPTRRegexp(%q, %q) = %q, %v; want %q, ok=%v", tt.expr, tt.aus, got, err, tt.want, tt.ok)
		}
	}
}

func smlClient(t *testing.T, d *fakeDNS, clk *fakeClock, mod func(*Options)) *Client {
	t.Helper()
	o := Options{Zone: testZone, DNSServers: []string{d.addr}, Now: clk.Now, Timeout: 5 * time.Second, Trust: getPKI(t).trust}
	if mod != nil {
		mod(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLocateSMP(t *testing.T) {
	d := startDNS(t)
	p := testParticipant
	d.add(t,
		naptrRecord(NAPTRName(p, testZone), "https://smp.elma.test/", 600),
		// A record of another service and a lower-priority one must not win.
		NAPTRName(p, testZone)+`. 600 IN NAPTR 100 10 "U" "Meta:Other" "!^.*$!https://wrong.example!" .`,
		NAPTRName(p, testZone)+`. 600 IN NAPTR 200 10 "U" "Meta:SMP" "!^.*$!https://second.example!" .`,
		naptrRecord(NAPTRName(otherID, testZone), "http://plain.elma.test", 600),
		naptrRecord(NAPTRName(peppol.MustParseParticipantID("9915:badre"), testZone), "not a url", 600),
		NAPTRName(peppol.MustParseParticipantID("9915:otherservice"), testZone)+`. 600 IN NAPTR 100 10 "U" "Meta:Other" "!^.*$!https://x!" .`,
		CNAMEName(p, testZone)+". 600 IN CNAME smp.elma.test.",
		"smp.elma.test. 600 IN A 127.0.0.1",
	)
	clk := newClock(testNow)
	c := smlClient(t, d, clk, nil)
	ctx := context.Background()

	loc, err := c.LocateSMP(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if loc.URL != "https://smp.elma.test/" || loc.Method != NAPTR || loc.TTL != 600*time.Second {
		t.Errorf("LocateSMP = %+v", loc)
	}
	// The identifier's case does not matter.
	upper := peppol.ParticipantID{Scheme: "ISO6523-ACTORID-UPIS", Value: strings.ToUpper(p.Value)}
	if loc2, err := c.LocateSMP(ctx, upper); err != nil || loc2.URL != loc.URL {
		t.Errorf("upper case: %+v, %v", loc2, err)
	}

	tests := []struct {
		name string
		p    peppol.ParticipantID
		mod  func(*Options)
		want error
	}{
		{"not registered", peppol.MustParseParticipantID("9915:nobody"), nil, ErrNotRegistered},
		{"only another service", peppol.MustParseParticipantID("9915:otherservice"), nil, ErrNotRegistered},
		{"bad rewrite", peppol.MustParseParticipantID("9915:badre"), nil, ErrBadSMLRecord},
		{"plain HTTP allowed", otherID, nil, nil},
		{"plain HTTP refused", otherID, func(o *Options) { o.RequireHTTPS = true }, ErrBadSMLRecord},
		{"CNAME", p, func(o *Options) { o.Method = CNAME }, nil},
		{"CNAME not registered", otherID, func(o *Options) { o.Method = CNAME }, ErrNotRegistered},
		{"CNAME with HTTPS required", p, func(o *Options) { o.Method = CNAME; o.RequireHTTPS = true }, ErrBadSMLRecord},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := smlClient(t, d, clk, tt.mod)
			loc, err := c.LocateSMP(ctx, tt.p)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("LocateSMP = %+v, %v; want %v", loc, err, tt.want)
			}
			var le *LookupError
			if !errors.As(err, &le) || le.Op != "sml" || le.Where == "" {
				t.Errorf("want a *LookupError naming the DNS name, got %#v", err)
			}
		})
	}
	cl := smlClient(t, d, clk, func(o *Options) { o.Method = CNAME })
	if loc, err := cl.LocateSMP(ctx, p); err != nil || loc.URL != "http://"+CNAMEName(p, testZone)+"/" || loc.Method != CNAME {
		t.Errorf("CNAME location = %+v, %v", loc, err)
	}
}

func TestLocateSMPFailures(t *testing.T) {
	ctx := context.Background()
	clk := newClock(testNow)
	for _, mode := range []string{"servfail", "silent"} {
		t.Run(mode, func(t *testing.T) {
			d := startDNS(t)
			d.setMode(mode)
			c := smlClient(t, d, clk, func(o *Options) { o.Timeout = 300 * time.Millisecond })
			start := time.Now()
			_, err := c.LocateSMP(ctx, testParticipant)
			if !errors.Is(err, ErrDNS) || errors.Is(err, ErrNotRegistered) {
				t.Fatalf("err = %v, want ErrDNS", err)
			}
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("took %s with a 300ms timeout", el)
			}
			if mode == "silent" && !strings.Contains(err.Error(), "no answer within") {
				t.Errorf("timeout not explained: %v", err)
			}
		})
	}
	t.Run("dead server", func(t *testing.T) {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := pc.LocalAddr().String()
		pc.Close()
		c, err := New(Options{Zone: testZone, DNSServers: []string{addr}, Now: clk.Now, Timeout: 300 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := c.LocateSMP(ctx, testParticipant); !errors.Is(err, ErrDNS) {
			t.Fatalf("err = %v, want ErrDNS", err)
		}
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("took %s", el)
		}
	})
	t.Run("caller deadline", func(t *testing.T) {
		d := startDNS(t)
		d.setMode("silent")
		c := smlClient(t, d, clk, func(o *Options) { o.Timeout = 5 * time.Second })
		cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.LocateSMP(cctx, testParticipant)
		if !errors.Is(err, ErrDNS) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want ErrDNS and DeadlineExceeded", err)
		}
		if el := time.Since(start); el > 3*time.Second {
			t.Errorf("caller's deadline ignored: %s", el)
		}
	})
	t.Run("second server answers", func(t *testing.T) {
		d := startDNS(t)
		d.add(t, naptrRecord(NAPTRName(testParticipant, testZone), "https://smp.elma.test", 60))
		dead := startDNS(t)
		dead.setMode("silent")
		c := smlClient(t, d, clk, func(o *Options) { o.DNSServers = []string{dead.addr, d.addr}; o.Timeout = time.Second })
		if _, err := c.LocateSMP(ctx, testParticipant); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("truncated UDP answer retried over TCP", func(t *testing.T) {
		d := startDNS(t)
		d.add(t, naptrRecord(NAPTRName(testParticipant, testZone), "https://smp.elma.test", 60))
		d.setMode("truncate")
		c := smlClient(t, d, clk, nil)
		if loc, err := c.LocateSMP(ctx, testParticipant); err != nil || loc.URL != "https://smp.elma.test" {
			t.Fatalf("LocateSMP = %+v, %v", loc, err)
		}
	})
}

// DNS answers are kept for their TTL; "no such name" for the SOA's
// negative TTL, capped by NegativeTTL.
func TestLocateSMPCachesByTTL(t *testing.T) {
	d := startDNS(t)
	d.add(t, naptrRecord(NAPTRName(testParticipant, testZone), "https://smp.elma.test", 120))
	clk := newClock(testNow)
	c := smlClient(t, d, clk, nil)
	ctx := context.Background()
	nobody := peppol.MustParseParticipantID("9915:nobody")

	ask := func(p peppol.ParticipantID) {
		t.Helper()
		_, _ = c.LocateSMP(ctx, p)
	}
	ask(testParticipant)
	ask(testParticipant)
	ask(nobody)
	ask(nobody)
	if n := d.queries.Load(); n != 2 {
		t.Fatalf("%d DNS queries for two participants asked twice, want 2", n)
	}
	clk.Add(31 * time.Second) // past the SOA minimum (30 s), within the record TTL
	ask(testParticipant)
	ask(nobody)
	if n := d.queries.Load(); n != 3 {
		t.Fatalf("%d queries after the negative TTL, want 3", n)
	}
	clk.Add(90 * time.Second) // past the record's 120 s
	ask(testParticipant)
	if n := d.queries.Load(); n != 4 {
		t.Fatalf("%d queries after the record TTL, want 4", n)
	}
}
