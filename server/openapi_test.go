package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ehf-project/ehf/ehf"
)

// apiDoc is the part of an OpenAPI document the tests read.
type apiDoc struct {
	Paths      map[string]map[string]apiOp `json:"paths"`
	Components struct {
		Responses map[string]apiResponse     `json:"responses"`
		Schemas   map[string]*schema         `json:"schemas"`
		Headers   map[string]json.RawMessage `json:"headers"`
	} `json:"components"`
}

type apiOp struct {
	Parameters []struct {
		Ref    string  `json:"$ref"`
		Name   string  `json:"name"`
		In     string  `json:"in"`
		Schema *schema `json:"schema"`
	} `json:"parameters"`
	Responses map[string]apiResponse `json:"responses"`
}

type apiResponse struct {
	Ref     string                     `json:"$ref"`
	Headers map[string]json.RawMessage `json:"headers"`
	Content map[string]struct {
		Schema *schema `json:"schema"`
	} `json:"content"`
}

// schema is the subset of JSON Schema the document uses.
type schema struct {
	Ref                  string             `json:"$ref"`
	Type                 string             `json:"type"`
	Required             []string           `json:"required"`
	Properties           map[string]*schema `json:"properties"`
	AdditionalProperties *bool              `json:"additionalProperties"`
	Items                *schema            `json:"items"`
	OneOf                []*schema          `json:"oneOf"`
	Enum                 []string           `json:"enum"`
	MaxLength            int                `json:"maxLength"`
}

func loadAPI(t testing.TB) *apiDoc {
	t.Helper()
	var d apiDoc
	dec := json.NewDecoder(bytes.NewReader(OpenAPI()))
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return &d
}

func (d *apiDoc) response(path, method string, code int) (*apiResponse, bool) {
	op, ok := d.Paths[path][strings.ToLower(method)]
	if !ok {
		return nil, false
	}
	r, ok := op.Responses[strconv.Itoa(code)]
	if !ok {
		return nil, false
	}
	if r.Ref != "" {
		r, ok = d.Components.Responses[strings.TrimPrefix(r.Ref, "#/components/responses/")]
	}
	return &r, ok
}

func (d *apiDoc) resolve(s *schema) *schema {
	for s != nil && s.Ref != "" {
		s = d.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
	}
	return s
}

// check reports where v breaks s.
func (d *apiDoc) check(s *schema, v any, at string) []string {
	s = d.resolve(s)
	if s == nil {
		return []string{at + ": schema reference does not resolve"}
	}
	if len(s.OneOf) > 0 {
		n := 0
		for _, alt := range s.OneOf {
			if len(d.check(alt, v, at)) == 0 {
				n++
			}
		}
		if n != 1 {
			return []string{fmt.Sprintf("%s: matches %d of the oneOf schemas, want exactly 1", at, n)}
		}
		return nil
	}
	var errs []string
	bad := func(f string, a ...any) { errs = append(errs, at+": "+fmt.Sprintf(f, a...)) }
	switch s.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			bad("want an object, got %T", v)
			break
		}
		for _, r := range s.Required {
			if _, ok := m[r]; !ok {
				bad("required %q missing", r)
			}
		}
		for k, x := range m {
			p, ok := s.Properties[k]
			if !ok {
				if s.AdditionalProperties != nil && !*s.AdditionalProperties {
					bad("%q is not described", k)
				}
				continue
			}
			errs = append(errs, d.check(p, x, at+"."+k)...)
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("want an array, got %T", v)
			break
		}
		for i, x := range a {
			errs = append(errs, d.check(s.Items, x, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("want a string, got %T", v)
			break
		}
		if len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
			bad("%q is not one of %v", str, s.Enum)
		}
	case "integer":
		if f, ok := v.(float64); !ok || f != float64(int64(f)) {
			bad("want an integer, got %v", v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("want a boolean, got %T", v)
		}
	case "":
	default:
		bad("schema type %q not understood by this test", s.Type)
	}
	return errs
}

// coverage records which (path, method, status) the handlers answered and
// checks each answer against the document.
type coverage struct {
	doc  *apiDoc
	mu   sync.Mutex
	seen map[string]bool
}

func (c *coverage) saw(t *testing.T, what, path, method string, want int, a *answer) {
	t.Helper()
	if a.code != want {
		t.Errorf("%s: %s %s answered %d, want %d: %s", what, method, path, a.code, want, a.body)
		return
	}
	c.mu.Lock()
	c.seen[fmt.Sprintf("%s %s %d", method, path, a.code)] = true
	c.mu.Unlock()
	r, ok := c.doc.response(path, method, a.code)
	if !ok {
		t.Errorf("%s: %s %s %d is not in openapi.json", what, method, path, a.code)
		return
	}
	for h := range r.Headers {
		if (h == "X-Request-ID" || h == "Retry-After" || h == "WWW-Authenticate") && a.header.Get(h) == "" {
			t.Errorf("%s: %s %s %d: documented header %s is missing", what, method, path, a.code, h)
		}
	}
	mt, _, _ := mime.ParseMediaType(a.header.Get("Content-Type"))
	media, ok := r.Content[mt]
	if !ok {
		t.Errorf("%s: %s %s %d answers %s, the document says %v", what, method, path, a.code, mt, keys(r.Content))
		return
	}
	if mt != "application/json" {
		return
	}
	var v any
	if err := json.Unmarshal(a.body, &v); err != nil {
		t.Errorf("%s: %s %s %d: not JSON: %v", what, method, path, a.code, err)
		return
	}
	for _, e := range c.doc.check(media.Schema, v, "body") {
		t.Errorf("%s: %s %s %d: %s", what, method, path, a.code, e)
	}
}

func keys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// fakeResolver answers by participant: 0192:000000001 is found,
// 0192:000000002 unknown, 0192:000000003 an SMP outage, and anything else
// waits for the deadline.
type fakeResolver struct{}

func (fakeResolver) Resolve(ctx context.Context, q LookupQuery) (*LookupAnswer, error) {
	switch q.Participant.Value {
	case "0192:000000001":
		return &LookupAnswer{
			Participant: q.Participant.String(), DocumentType: q.DocumentType.String(), Process: q.Process.String(),
			TransportProfile: q.Transport, EndpointURL: "https://ap.example.org/as4", SMPURL: "https://smp.example.org/x",
			Certificate: &CertInfo{Subject: "CN=AP", Issuer: "CN=CA", Serial: big.NewInt(7).String(),
				NotBefore: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), PEM: "-----BEGIN CERTIFICATE-----\n..."},
		}, nil
	case "0192:000000002":
		return nil, fmt.Errorf("sml: %w", ErrNoReceiver)
	case "0192:000000003":
		return nil, fmt.Errorf("smp.example.org answered 500: %w", ErrUpstream)
	}
	<-ctx.Done()
	return nil, ctx.Err()
}

// rawRequest writes head and then body over a plain connection, waits,
// and reads the answer: for what an HTTP client will not send.
func rawRequest(t *testing.T, addr, head, body string) *answer {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(c, head+body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return &answer{resp.StatusCode, resp.Header, b}
}

// TestOpenAPIDescribesTheHandlers drives every route to every status it
// can answer, checks each answer's body and headers against openapi.json,
// and then checks that the document describes nothing more: the
// description and the handlers cannot drift apart.
func TestOpenAPIDescribesTheHandlers(t *testing.T) {
	doc := loadAPI(t)
	cov := &coverage{doc: doc, seen: map[string]bool{}}
	plain := readFile(t, plainXML)
	broken := readFile(t, brokenXML)

	// the routes are the documented paths and methods
	s := start(t, Config{})
	var routes, paths []string
	for p, r := range s.routes {
		routes = append(routes, r.method+" "+p)
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			paths = append(paths, strings.ToUpper(m)+" "+p)
		}
	}
	sort.Strings(routes)
	sort.Strings(paths)
	if !slices.Equal(routes, paths) {
		t.Errorf("the handlers route %v\nopenapi.json describes %v", routes, paths)
	}
	// the rule set enum is the rule sets there are
	for _, p := range doc.Paths["/v1/validate"]["post"].Parameters {
		if p.Name == "ruleset" && !slices.Equal(p.Schema.Enum, ehf.RuleSets()) {
			t.Errorf("ruleset enum %v, the rule sets are %v", p.Schema.Enum, ehf.RuleSets())
		}
	}

	v, l := "/v1/validate", "/v1/lookup"
	xml := "Content-Type: application/xml"
	js := "Content-Type: application/json"
	get := func(url string) *answer { return do(t, nil, "GET", url, nil) }

	// a plain server
	cov.saw(t, "valid", v, "POST", 200, post(t, s.url+v, plain))
	cov.saw(t, "invalid", v, "POST", 200, post(t, s.url+v, broken))
	cov.saw(t, "truncated", v, "POST", 400, post(t, s.url+v, readFile(t, truncatedXML)))
	cov.saw(t, "bad date", v, "POST", 400, post(t, s.url+v+"?date=tomorrow", plain))
	cov.saw(t, "json body", v, "POST", 415, do(t, nil, "POST", s.url+v, bytes.NewReader(plain), js))
	cov.saw(t, "no resolver", l, "POST", 501, do(t, nil, "POST", s.url+l, strings.NewReader(`{"participant":"0192:000000001"}`), js))
	cov.saw(t, "healthz", "/healthz", "GET", 200, get(s.url+"/healthz"))
	cov.saw(t, "readyz", "/readyz", "GET", 200, get(s.url+"/readyz"))
	cov.saw(t, "metrics", "/metrics", "GET", 200, get(s.url+"/metrics"))
	cov.saw(t, "openapi", "/openapi.json", "GET", 200, get(s.url+"/openapi.json"))

	// limits: size and a body that stops arriving
	small := start(t, Config{MaxBodySize: 32 << 10, ReadTimeout: 300 * time.Millisecond})
	big := bytes.Repeat([]byte("<a>x</a>"), 8<<10)
	cov.saw(t, "too large", v, "POST", 413, post(t, small.url+v, big))
	cov.saw(t, "slow body", v, "POST", 408, rawRequest(t, small.addr,
		"POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\nContent-Length: 1000\r\n\r\n", "<Invoice>"))

	// a server with a token and a resolver
	tok := start(t, Config{Token: "t0k", Resolver: fakeResolver{}, LookupTimeout: time.Second})
	auth := "Authorization: Bearer t0k"
	lookup := func(body string, hdr ...string) *answer {
		return do(t, nil, "POST", tok.url+l, strings.NewReader(body), append([]string{auth}, hdr...)...)
	}
	cov.saw(t, "no token", v, "POST", 401, post(t, tok.url+v, plain))
	cov.saw(t, "no token", l, "POST", 401, do(t, nil, "POST", tok.url+l, strings.NewReader("{}"), js))
	cov.saw(t, "found", l, "POST", 200, lookup(`{"participant":"0192:000000001"}`, js))
	cov.saw(t, "found, all fields", l, "POST", 200, lookup(`{"participant":"iso6523-actorid-upis::0192:000000001","document_type":"`+
		`busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1",`+
		`"process":"cenbii-procid-ubl::urn:fdc:peppol.eu:2017:poacc:billing:01:1.0","transport":"peppol-transport-as4-v2_0"}`, js))
	cov.saw(t, "unknown", l, "POST", 404, lookup(`{"participant":"0192:000000002"}`, js))
	cov.saw(t, "outage", l, "POST", 502, lookup(`{"participant":"0192:000000003"}`, js))
	cov.saw(t, "slow SMP", l, "POST", 504, lookup(`{"participant":"0192:000000004"}`, js))
	cov.saw(t, "not JSON", l, "POST", 400, lookup(`participant=0192:1`, js))
	cov.saw(t, "unknown field", l, "POST", 400, lookup(`{"participant":"0192:000000001","colour":"red"}`, js))
	cov.saw(t, "no participant", l, "POST", 400, lookup(`{}`, js))
	cov.saw(t, "bad participant", l, "POST", 400, lookup(`{"participant":"0192"}`, js))
	cov.saw(t, "bad process", l, "POST", 400, lookup(`{"participant":"0192:000000001","process":"::"}`, js))
	cov.saw(t, "bad transport", l, "POST", 400, lookup(`{"participant":"0192:000000001","transport":"as4 please"}`, js))
	cov.saw(t, "xml lookup", l, "POST", 415, lookup(`<participant/>`, xml))
	cov.saw(t, "huge lookup", l, "POST", 413, lookup(`{"participant":"`+strings.Repeat("9", 20<<10)+`"}`, js))

	// forwarding: a next hop that takes everything, and one that refuses
	hop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(202) }))
	defer hop.Close()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))
	defer down.Close()
	fwd := start(t, Config{Forward: hop.URL})
	cov.saw(t, "forwarded", v, "POST", 200, post(t, fwd.url+v, plain))
	cov.saw(t, "not forwarded", v, "POST", 422, post(t, fwd.url+v, broken))
	fail := start(t, Config{Forward: down.URL, ForwardAttempts: 2, ForwardBackoff: time.Millisecond})
	cov.saw(t, "hop down", v, "POST", 502, post(t, fail.url+v, plain))

	// the outbox: queued, repeated, invalid, unroutable, unavailable
	q := &fakeQueue{}
	ob := start(t, Config{Outbox: q})
	cov.saw(t, "queued", v, "POST", 202, post(t, ob.url+v, plain))
	cov.saw(t, "queued again", v, "POST", 202, post(t, ob.url+v, plain))
	cov.saw(t, "invalid, not queued", v, "POST", 422, post(t, ob.url+v, broken))
	cov.saw(t, "unroutable", v, "POST", 422, post(t, ob.url+v+"?name=unroutable", plain))
	cov.saw(t, "outbox down", v, "POST", 503, post(t, ob.url+v+"?name=down", plain))

	// every worker busy and the queue full
	hold := make(chan struct{})
	busy := start(t, Config{Workers: 1, Queue: 1}, func(s *Server) { s.beforeCheck = func() { <-hold } })
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if a := post(t, busy.url+v, plain); a.code != 200 {
				t.Errorf("held request %d: %d", i, a.code)
			}
		}()
		waitFor(t, func() bool { return busy.pool.running.Load()+int64(busy.pool.queued()) == int64(i+1) })
	}
	cov.saw(t, "busy", v, "POST", 503, post(t, busy.url+v, plain))
	close(hold)
	wg.Wait()

	// a validator that panics costs its request only
	boom := start(t, Config{}, func(s *Server) { s.beforeCheck = func() { panic("rule bug") } })
	cov.saw(t, "panic", v, "POST", 500, post(t, boom.url+v, plain))
	cov.saw(t, "after a panic", "/healthz", "GET", 200, get(boom.url+"/healthz"))
	if !strings.Contains(boom.logs.String(), `"msg":"validation panicked"`) {
		t.Errorf("the panic is not logged:\n%s", boom.logs.String())
	}

	// not ready: a server that is not being served
	idle, err := New(Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	hs := httptest.NewServer(idle.Handler())
	defer hs.Close()
	cov.saw(t, "not ready", "/readyz", "GET", 503, get(hs.URL+"/readyz"))

	// and the document describes nothing the handlers were not seen to do
	for p, ops := range doc.Paths {
		for m, op := range ops {
			for code := range op.Responses {
				k := strings.ToUpper(m) + " " + p + " " + code
				if !cov.seen[k] {
					t.Errorf("openapi.json describes %s, which no handler was seen to answer", k)
				}
			}
		}
	}
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(time.Millisecond)
	}
}
