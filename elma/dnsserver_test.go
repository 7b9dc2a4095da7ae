package elma

import (
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/miekg/dns"
)

// testZone is the SML zone the tests serve.
const testZone = "sml.elma.test"

// fakeDNS is a real DNS server on loopback (UDP and TCP) answering from a
// table, standing in for both the SML and a recursive resolver.
type fakeDNS struct {
	addr    string
	mu      sync.Mutex
	records map[string][]dns.RR // by lower-case FQDN
	mode    string              // "", "servfail", "silent", "truncate", "nochase"
	queries atomic.Int64
}

func startDNS(t testing.TB) *fakeDNS {
	t.Helper()
	f := &fakeDNS{records: map[string][]dns.RR{}}
	var pc net.PacketConn
	var ln net.Listener
	for i := 0; ; i++ {
		var err error
		pc, err = net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ln, err = net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			break
		}
		pc.Close()
		if i > 10 {
			t.Fatal(err)
		}
	}
	f.addr = pc.LocalAddr().String()
	udp := &dns.Server{PacketConn: pc, Handler: f}
	tcp := &dns.Server{Listener: ln, Handler: f}
	go udp.ActivateAndServe()
	go tcp.ActivateAndServe()
	t.Cleanup(func() {
		udp.Shutdown()
		tcp.Shutdown()
	})
	return f
}

// add adds records in zone file syntax.
func (f *fakeDNS) add(t testing.TB, lines ...string) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, l := range lines {
		rr, err := dns.NewRR(l)
		if err != nil {
			t.Fatalf("record %q: %v", l, err)
		}
		name := strings.ToLower(rr.Header().Name)
		f.records[name] = append(f.records[name], rr)
	}
}

func (f *fakeDNS) setMode(m string) {
	f.mu.Lock()
	f.mode = m
	f.mu.Unlock()
}

func (f *fakeDNS) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	f.queries.Add(1)
	f.mu.Lock()
	mode := f.mode
	f.mu.Unlock()
	if mode == "silent" {
		return // never answer: the client must time out
	}
	m := new(dns.Msg)
	m.SetReply(r)
	m.RecursionAvailable = true
	if mode == "servfail" {
		m.Rcode = dns.RcodeServerFailure
		w.WriteMsg(m)
		return
	}
	q := r.Question[0]
	name := strings.ToLower(q.Name)
	f.mu.Lock()
	// Follow CNAMEs like a recursive resolver.
	for hop := 0; hop < 8; hop++ {
		rrs, ok := f.records[name]
		if !ok {
			break
		}
		next := ""
		for _, rr := range rrs {
			if rr.Header().Rrtype == q.Qtype {
				m.Answer = append(m.Answer, rr)
			} else if c, ok := rr.(*dns.CNAME); ok && q.Qtype != dns.TypeCNAME {
				m.Answer = append(m.Answer, c)
				next = strings.ToLower(c.Target)
			}
		}
		if next == "" || mode == "nochase" {
			break
		}
		name = next
	}
	_, exists := f.records[strings.ToLower(q.Name)]
	f.mu.Unlock()
	if !exists {
		m.Rcode = dns.RcodeNameError
		soa, _ := dns.NewRR(testZone + ". 300 IN SOA ns.elma.test. hostmaster.elma.test. 1 3600 600 86400 30")
		m.Ns = append(m.Ns, soa)
	}
	if mode == "truncate" {
		if _, ok := w.RemoteAddr().(*net.UDPAddr); ok {
			t := new(dns.Msg)
			t.SetReply(r)
			t.Truncated = true
			w.WriteMsg(t)
			return
		}
	}
	w.WriteMsg(m)
}

// naptrRecord is a Meta:SMP NAPTR record at name pointing at url.
func naptrRecord(name, url string, ttl int) string {
	return name + ". " + strconv.Itoa(ttl) + ` IN NAPTR 100 10 "U" "Meta:SMP" "!^.*$!` + url + `!" .`
}
