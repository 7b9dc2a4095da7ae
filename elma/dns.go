package elma

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// dnsClient asks a list of recursive DNS servers, in order, over UDP with
// a retry over TCP when the answer is truncated.
type dnsClient struct {
	servers []string
	timeout time.Duration
}

// systemDNSServers reads the resolvers of /etc/resolv.conf.
func systemDNSServers() []string {
	conf, err := dns.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(conf.Servers))
	for _, s := range conf.Servers {
		out = append(out, net.JoinHostPort(s, conf.Port))
	}
	return out
}

// exchange sends one question and returns the first answer any server
// gives. Only transport failures move on to the next server; an answer
// with an error code is an answer.
func (c *dnsClient) exchange(ctx context.Context, name string, qtype uint16) (*dns.Msg, error) {
	if len(c.servers) == 0 {
		return nil, errors.New("no DNS server configured")
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = true
	m.SetEdns0(4096, false)
	var errs []error
	for _, server := range c.servers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, err := c.ask(ctx, m, server, "udp")
		if err == nil && r.Truncated {
			r, err = c.ask(ctx, m, server, "tcp")
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", server, err))
			continue
		}
		return r, nil
	}
	return nil, errors.Join(errs...)
}

func (c *dnsClient) ask(ctx context.Context, m *dns.Msg, server, network string) (*dns.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	cl := &dns.Client{Net: network, Timeout: c.timeout}
	r, _, err := cl.ExchangeContext(ctx, m, server)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("no answer within %s", c.timeout)
		}
		return nil, err
	}
	if len(r.Question) != 1 || !strings.EqualFold(r.Question[0].Name, m.Question[0].Name) || r.Question[0].Qtype != m.Question[0].Qtype {
		return nil, errors.New("the answer is for another question")
	}
	return r, nil
}

// negativeTTL is how long a "no such name" answer may be cached, from the
// SOA record in the authority section (RFC 2308); def when there is none.
func negativeTTL(r *dns.Msg, def time.Duration) time.Duration {
	for _, rr := range r.Ns {
		if soa, ok := rr.(*dns.SOA); ok {
			ttl := soa.Hdr.Ttl
			if soa.Minttl < ttl {
				ttl = soa.Minttl
			}
			return min(time.Duration(ttl)*time.Second, def)
		}
	}
	return def
}

// resolveHost returns the addresses of host, following CNAME chains, and
// the smallest TTL on the way. It is used to reach SMPs (including the
// legacy B-... names) through the configured resolver.
func (c *dnsClient) resolveHost(ctx context.Context, host string) ([]net.IP, time.Duration, error) {
	var ips []net.IP
	minTTL := time.Duration(-1)
	note := func(ttl uint32) {
		if d := time.Duration(ttl) * time.Second; minTTL < 0 || d < minTTL {
			minTTL = d
		}
	}
	var firstErr error
	for _, qtype := range []uint16{dns.TypeA, dns.TypeAAAA} {
		if len(ips) > 0 {
			break // IPv4 found: no need to wait for IPv6
		}
		name := dns.Fqdn(host)
		for hop := 0; hop < 8; hop++ {
			r, err := c.exchange(ctx, name, qtype)
			if err != nil {
				firstErr = cmpOr(firstErr, err)
				break
			}
			if r.Rcode != dns.RcodeSuccess {
				firstErr = cmpOr(firstErr, fmt.Errorf("%s: %s", strings.TrimSuffix(host, "."), dns.RcodeToString[r.Rcode]))
				break
			}
			next := ""
			for _, rr := range r.Answer {
				switch v := rr.(type) {
				case *dns.A:
					ips = append(ips, v.A)
					note(v.Hdr.Ttl)
				case *dns.AAAA:
					ips = append(ips, v.AAAA)
					note(v.Hdr.Ttl)
				case *dns.CNAME:
					note(v.Hdr.Ttl)
					next = v.Target
				}
			}
			if len(ips) > 0 || next == "" {
				break
			}
			name = next
		}
	}
	if len(ips) == 0 {
		if firstErr == nil {
			firstErr = fmt.Errorf("%s has no address", host)
		}
		return nil, 0, firstErr
	}
	return ips, max(minTTL, 0), nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
