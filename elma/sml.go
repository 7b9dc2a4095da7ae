package elma

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/ehf-project/ehf/peppol"
)

// DNS zones of the Peppol SML.
const (
	// ZonePeppolProduction and ZonePeppolTest are OpenPeppol's SML zones.
	ZonePeppolProduction = "participant.sml.prod.tech.peppol.org"
	ZonePeppolTest       = "participant.sml.test.tech.peppol.org"
	// ZoneECProduction and ZoneECTest are the zones of the SML the
	// European Commission ran for Peppol before.
	ZoneECProduction = "edelivery.tech.ec.europa.eu"
	ZoneECTest       = "acc.edelivery.tech.ec.europa.eu"
)

// Method is how the SML is asked.
type Method int

const (
	// NAPTR is the U-NAPTR lookup of the current Peppol SML: a NAPTR
	// record at base32(SHA-256(identifier)) whose "Meta:SMP" rewrite gives
	// the SMP's URL.
	NAPTR Method = iota
	// CNAME is the legacy lookup: the SMP is reached at the host name
	// "B-" + hex(MD5(identifier)), over plain HTTP.
	CNAME
	// Fixed means no SML lookup: the SMP URL was given.
	Fixed
)

// String names the method.
func (m Method) String() string {
	switch m {
	case NAPTR:
		return "NAPTR"
	case CNAME:
		return "CNAME"
	case Fixed:
		return "fixed"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// naptrService is the U-NAPTR service of Peppol SMPs.
const naptrService = "Meta:SMP"

var base32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// NAPTRName is the DNS name the SML publishes p's NAPTR record at:
// base32 (no padding, lower case) of the SHA-256 of the lower-cased value,
// then the scheme, then the zone.
func NAPTRName(p peppol.ParticipantID, zone string) string {
	c := p.Canonical()
	sum := sha256.Sum256([]byte(c.Value))
	return strings.ToLower(base32NoPad.EncodeToString(sum[:])) + "." + c.Scheme + "." + strings.Trim(zone, ".")
}

// CNAMEName is the legacy host name of p's SMP: "b-" and the hex MD5 of
// the lower-cased value, then the scheme, then the zone.
func CNAMEName(p peppol.ParticipantID, zone string) string {
	c := p.Canonical()
	sum := md5.Sum([]byte(c.Value))
	return "b-" + hex.EncodeToString(sum[:]) + "." + c.Scheme + "." + strings.Trim(zone, ".")
}

// SMPLocation is where a participant's SMP is.
type SMPLocation struct {
	// URL is the SMP's base URL; identifiers are appended to it.
	URL string
	// DNSName is the name that was looked up ("" for Fixed).
	DNSName string
	Method  Method
	// TTL is how long the SML says the answer holds.
	TTL time.Duration
}

// smlAnswer is a located SMP or a "not registered", with how long it may
// be cached.
type smlAnswer struct {
	loc *SMPLocation
	ttl time.Duration
}

// lookupSML asks the SML for p's SMP.
func (c *Client) lookupSML(ctx context.Context, p peppol.ParticipantID) (smlAnswer, error) {
	if c.opts.Method == CNAME {
		return c.lookupCNAME(ctx, p)
	}
	return c.lookupNAPTR(ctx, p)
}

func (c *Client) lookupNAPTR(ctx context.Context, p peppol.ParticipantID) (smlAnswer, error) {
	name := NAPTRName(p, c.opts.Zone)
	r, err := c.dns.exchange(ctx, name, dns.TypeNAPTR)
	if err != nil {
		return smlAnswer{}, wrap(ErrDNS, err)
	}
	switch r.Rcode {
	case dns.RcodeSuccess:
	case dns.RcodeNameError:
		return smlAnswer{ttl: negativeTTL(r, c.opts.NegativeTTL)}, wrapf(ErrNotRegistered, "%s does not exist", name)
	default:
		return smlAnswer{}, wrapf(ErrDNS, "the resolver answered %s", dns.RcodeToString[r.Rcode])
	}
	var records []*dns.NAPTR
	for _, rr := range r.Answer {
		n, ok := rr.(*dns.NAPTR)
		if ok && strings.EqualFold(n.Hdr.Name, dns.Fqdn(name)) && strings.EqualFold(n.Service, naptrService) && strings.EqualFold(n.Flags, "U") {
			records = append(records, n)
		}
	}
	if len(records) == 0 {
		return smlAnswer{ttl: negativeTTL(r, c.opts.NegativeTTL)}, wrapf(ErrNotRegistered, "%s has no %s NAPTR record", name, naptrService)
	}
	sort.SliceStable(records, func(i, j int) bool {
		if records[i].Order != records[j].Order {
			return records[i].Order < records[j].Order
		}
		return records[i].Preference < records[j].Preference
	})
	var problems []string
	for _, n := range records {
		u, err := applyNAPTRRegexp(n.Regexp, strings.TrimSuffix(dns.Fqdn(name), "."))
		if err == nil {
			u, err = c.checkSMPURL(u)
		}
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		ttl := time.Duration(n.Hdr.Ttl) * time.Second
		return smlAnswer{loc: &SMPLocation{URL: u, DNSName: name, Method: NAPTR, TTL: ttl}, ttl: ttl}, nil
	}
	return smlAnswer{}, wrapf(ErrBadSMLRecord, "%s: %s", name, strings.Join(problems, "; "))
}

func (c *Client) lookupCNAME(ctx context.Context, p peppol.ParticipantID) (smlAnswer, error) {
	name := CNAMEName(p, c.opts.Zone)
	if c.opts.RequireHTTPS {
		return smlAnswer{}, wrapf(ErrBadSMLRecord, "CNAME lookups lead to plain HTTP, and HTTPS is required")
	}
	r, err := c.dns.exchange(ctx, name, dns.TypeA)
	if err != nil {
		return smlAnswer{}, wrap(ErrDNS, err)
	}
	switch r.Rcode {
	case dns.RcodeSuccess:
	case dns.RcodeNameError:
		return smlAnswer{ttl: negativeTTL(r, c.opts.NegativeTTL)}, wrapf(ErrNotRegistered, "%s does not exist", name)
	default:
		return smlAnswer{}, wrapf(ErrDNS, "the resolver answered %s", dns.RcodeToString[r.Rcode])
	}
	var ttl time.Duration = -1
	for _, rr := range r.Answer {
		switch rr.(type) {
		case *dns.CNAME, *dns.A, *dns.AAAA:
			if d := time.Duration(rr.Header().Ttl) * time.Second; ttl < 0 || d < ttl {
				ttl = d
			}
		}
	}
	if ttl < 0 {
		return smlAnswer{ttl: negativeTTL(r, c.opts.NegativeTTL)}, wrapf(ErrNotRegistered, "%s has no address", name)
	}
	u := "http://" + name + "/"
	return smlAnswer{loc: &SMPLocation{URL: u, DNSName: name, Method: CNAME, TTL: ttl}, ttl: ttl}, nil
}

// checkSMPURL accepts an SMP base URL from the SML: absolute http(s),
// no user information, no query or fragment, HTTPS when required.
func (c *Client) checkSMPURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%q: %v", s, err)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http", u.Host == "":
		return "", fmt.Errorf("%q is not an absolute http(s) URL", s)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("%q has user information, a query or a fragment", s)
	case c.opts.RequireHTTPS && u.Scheme != "https":
		return "", fmt.Errorf("%q is plain HTTP and HTTPS is required", s)
	}
	return s, nil
}

// applyNAPTRRegexp applies the substitution expression of a NAPTR record
// ("!^.*$!https://smp.example.com!") to the application-unique string, as
// RFC 3402 describes: a delimiter, an extended regular expression, the
// replacement with \1..\9 back references, and flags ("i").
func applyNAPTRRegexp(expr, aus string) (string, error) {
	if len(expr) < 4 {
		return "", fmt.Errorf("NAPTR regexp %q is too short", expr)
	}
	delim := expr[0]
	if delim == '\\' || delim >= '0' && delim <= '9' || delim == 'i' {
		return "", fmt.Errorf("NAPTR regexp %q has an invalid delimiter", expr)
	}
	parts := splitUnescaped(expr[1:], delim)
	if len(parts) != 3 || (parts[2] != "" && parts[2] != "i") {
		return "", fmt.Errorf("NAPTR regexp %q is not delim-regexp-delim-replacement-delim[-flags]", expr)
	}
	pattern := parts[0]
	if parts[2] == "i" {
		pattern = "(?i)" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return "", fmt.Errorf("NAPTR regexp %q: %v", expr, err)
	}
	m := re.FindStringSubmatchIndex(aus)
	if m == nil {
		return "", fmt.Errorf("NAPTR regexp %q does not match %q", expr, aus)
	}
	// Translate the POSIX replacement into Go's template syntax.
	var tmpl strings.Builder
	repl := parts[1]
	for i := 0; i < len(repl); i++ {
		ch := repl[i]
		switch {
		case ch == '$':
			tmpl.WriteString("$$")
		case ch == '\\' && i+1 < len(repl) && repl[i+1] >= '1' && repl[i+1] <= '9':
			fmt.Fprintf(&tmpl, "${%c}", repl[i+1])
			i++
		case ch == '\\' && i+1 < len(repl):
			tmpl.WriteByte(repl[i+1])
			i++
		default:
			tmpl.WriteByte(ch)
		}
	}
	out := re.ExpandString(nil, tmpl.String(), aus, m)
	return string(out), nil
}

// splitUnescaped splits s at every delim not preceded by a backslash,
// removing the backslash before escaped delimiters.
func splitUnescaped(s string, delim byte) []string {
	var parts []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == delim:
			cur.WriteByte(delim)
			i++
		case s[i] == delim:
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(s[i])
		}
	}
	return append(parts, cur.String())
}
