package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ehf-project/ehf/ehf"
)

// Documents of our own, committed by the project under testdata/.
const (
	plainXML     = "../testdata/invoices/plain.xml"
	brokenXML    = "../testdata/invoices/broken-values.xml"
	truncatedXML = "../testdata/invoices/broken-truncated.xml"
	sbdhXML      = "../testdata/invoices/sbdh-wrapped-broken.xml"
	creditXML    = "../testdata/invoices/creditnote.xml"
)

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// syncBuffer is a log sink that tests can read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testServer is a real Server listening on a loopback port.
type testServer struct {
	*Server
	url    string
	addr   string
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

// start serves cfg on 127.0.0.1:0 until the test ends, and waits until
// it is ready.
func start(t testing.TB, cfg Config, setup ...func(*Server)) *testServer {
	t.Helper()
	logs := &syncBuffer{}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range setup {
		f(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{Server: s, addr: ln.Addr().String(), logs: logs, cancel: cancel, done: make(chan error, 1)}
	ts.url = "http://" + ts.addr
	if cfg.TLSCert != "" {
		ts.url = "https://" + ts.addr
	}
	go func() { ts.done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() { ts.stop(t) })
	deadline := time.Now().Add(10 * time.Second)
	for !s.Ready() {
		if time.Now().After(deadline) {
			t.Fatal("server not ready after 10s")
		}
		time.Sleep(2 * time.Millisecond)
	}
	return ts
}

// stop shuts the server down and returns what Serve returned.
func (ts *testServer) stop(t testing.TB) error {
	ts.cancel()
	select {
	case err, ok := <-ts.done:
		if ok {
			close(ts.done)
		}
		return err
	case <-time.After(60 * time.Second):
		t.Error("server did not stop within 60s")
		return errors.New("timeout")
	}
}

// answer is a response read whole.
type answer struct {
	code   int
	header http.Header
	body   []byte
}

func (a *answer) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("answer %d is not JSON: %v\n%s", a.code, err, a.body)
	}
}

var testClient = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// do sends one request; header holds "Key: value" strings.
func do(t testing.TB, c *http.Client, method, url string, body io.Reader, header ...string) *answer {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range header {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	if c == nil {
		c = testClient
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, url, err)
	}
	return &answer{resp.StatusCode, resp.Header, b}
}

func post(t testing.TB, url string, body []byte, header ...string) *answer {
	t.Helper()
	return do(t, nil, http.MethodPost, url, bytes.NewReader(body), append([]string{"Content-Type: application/xml"}, header...)...)
}

// cliLine is what "ehf validate --format jsonl" prints for a document
// read from standard input: the contract the server's 200 answers keep.
func cliLine(t testing.TB, data []byte, opts *ehf.Options, lang string) []byte {
	t.Helper()
	doc, err := ehf.ParseReader(bytes.NewReader(data), &ehf.ParseOptions{Name: "-"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := ehf.NewValidator(opts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	j := v.Validate(doc).JSON(lang)
	j.File = "-"
	enc.Encode(j)
	return b.Bytes()
}

func TestValidateAnswersAsTheCLI(t *testing.T) {
	ts := start(t, Config{})
	day := "2026-11-24"
	date, _ := time.Parse(time.DateOnly, day)
	for _, f := range []string{plainXML, brokenXML, sbdhXML, creditXML} {
		for _, lang := range []string{"en", "nb"} {
			data := readFile(t, f)
			a := post(t, ts.url+"/v1/validate?date="+day+"&lang="+lang, data)
			if a.code != http.StatusOK {
				t.Fatalf("%s: status %d: %s", f, a.code, a.body)
			}
			if ct := a.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			want := cliLine(t, data, &ehf.Options{Date: date}, lang)
			if !bytes.Equal(a.body, want) {
				t.Errorf("%s lang=%s: the server answers\n%s\nthe CLI prints\n%s", f, lang, a.body, want)
			}
		}
	}
	// the broken document really is invalid, or the comparison above
	// proves little
	a := post(t, ts.url+"/v1/validate", readFile(t, brokenXML))
	var rep struct {
		Valid    bool
		Findings []struct{ ID string }
	}
	a.json(t, &rep)
	if rep.Valid || len(rep.Findings) == 0 {
		t.Errorf("broken-values.xml answered valid: %s", a.body)
	}
}

func TestValidateParameters(t *testing.T) {
	ts := start(t, Config{})
	data := readFile(t, plainXML)
	sets := ehf.RuleSets()
	for _, rs := range sets {
		a := post(t, ts.url+"/v1/validate?ruleset="+rs+"&name=inv-7.xml", data)
		var rep struct {
			File     string
			RuleSets []string
		}
		a.json(t, &rep)
		if a.code != 200 || len(rep.RuleSets) == 0 || rep.RuleSets[0] != rs || rep.File != "inv-7.xml" {
			t.Errorf("ruleset=%s: %d %s", rs, a.code, a.body)
		}
	}
	// the date chooses the rule set when none is named
	for _, c := range []struct{ date, want string }{{"2025-06-01", sets[0]}, {"2026-11-24", sets[len(sets)-1]}} {
		a := post(t, ts.url+"/v1/validate?date="+c.date, data)
		var rep struct{ RuleSets []string }
		a.json(t, &rep)
		if len(rep.RuleSets) == 0 || rep.RuleSets[0] != c.want {
			t.Errorf("date=%s: rule sets %v, want %s", c.date, rep.RuleSets, c.want)
		}
	}
	bad := []struct{ query, want string }{
		{"ruleset=peppol-billing-1.0", "unknown rule set"},
		{"ruleset=" + strings.Repeat("x", 100), "is not a rule set name"},
		{"engine=xslt", "unknown engine"},
		{"date=24.11.2026", "is not a day"},
		{"lang=de", "is not en or nb"},
		{"name=a%0Ab", "control characters"},
	}
	for _, c := range bad {
		a := post(t, ts.url+"/v1/validate?"+c.query, data)
		var e errorBody
		a.json(t, &e)
		if a.code != http.StatusBadRequest || !strings.Contains(e.Error, c.want) || e.RequestID == "" {
			t.Errorf("%s: %d %s, want 400 saying %q", c.query, a.code, a.body, c.want)
		}
	}
	// each distinct (ruleset, date) is compiled once and kept, within the bound
	if n := ts.vals.len(); n < 3 || n > ts.cfg.Validators {
		t.Errorf("%d validators cached", n)
	}
}

func TestUnreadableIsPositioned(t *testing.T) {
	ts := start(t, Config{})
	a := post(t, ts.url+"/v1/validate?name=t.xml", readFile(t, truncatedXML))
	var e errorBody
	a.json(t, &e)
	if a.code != http.StatusBadRequest || e.File != "t.xml" || e.Line != 39 || e.Column != 9 ||
		!strings.HasPrefix(e.Error, "t.xml:39:9: ") {
		t.Errorf("%d %s", a.code, a.body)
	}
	if a.header.Get("X-Request-ID") != e.RequestID {
		t.Errorf("header request ID %q, body %q", a.header.Get("X-Request-ID"), e.RequestID)
	}
}

func TestRequestID(t *testing.T) {
	ts := start(t, Config{})
	a := do(t, nil, "GET", ts.url+"/healthz", nil, "X-Request-ID: pipeline-42")
	if got := a.header.Get("X-Request-ID"); got != "pipeline-42" {
		t.Errorf("request ID %q, want the client's", got)
	}
	b := do(t, nil, "GET", ts.url+"/healthz", nil, "X-Request-ID: bad id\twith tab")
	c := do(t, nil, "GET", ts.url+"/healthz", nil)
	idb, idc := b.header.Get("X-Request-ID"), c.header.Get("X-Request-ID")
	if idb == "" || idc == "" || idb == idc || strings.Contains(idb, " ") {
		t.Errorf("made-up IDs %q and %q", idb, idc)
	}
	post(t, ts.url+"/v1/validate", readFile(t, brokenXML), "X-Request-ID: trace-7")
	// the log line of the request carries the ID and the outcome
	var found bool
	for _, line := range strings.Split(ts.logs.String(), "\n") {
		if !strings.Contains(line, `"request_id":"trace-7"`) {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, line)
		}
		found = true
		if rec["path"] != "/v1/validate" || rec["status"] != float64(200) || rec["valid"] != false || rec["document"] != "peppol-billing-invoice" {
			t.Errorf("log line %s", line)
		}
	}
	if !found {
		t.Errorf("no log line for trace-7 in\n%s", ts.logs.String())
	}
}

func TestContentTypes(t *testing.T) {
	ts := start(t, Config{})
	data := readFile(t, plainXML)
	for _, c := range []struct {
		header []string
		want   int
	}{
		{[]string{"Content-Type: application/xml"}, 200},
		{[]string{"Content-Type: text/xml; charset=utf-8"}, 200},
		{[]string{"Content-Type: application/vnd.peppol.sbd+xml"}, 200},
		{nil, 200},
		{[]string{"Content-Type: application/json"}, 415},
		{[]string{"Content-Type: multipart/form-data; boundary=x"}, 415},
		{[]string{"Content-Type: ;;;"}, 415},
		{[]string{"Content-Type: application/xml", "Content-Encoding: gzip"}, 415},
	} {
		a := do(t, nil, "POST", ts.url+"/v1/validate", bytes.NewReader(data), c.header...)
		if a.code != c.want {
			t.Errorf("%v: %d, want %d: %s", c.header, a.code, c.want, a.body)
		}
	}
}

func TestMethodsAndPaths(t *testing.T) {
	ts := start(t, Config{})
	for _, c := range []struct {
		method, path string
		want         int
		allow        string
	}{
		{"GET", "/v1/validate", 405, "POST"},
		{"PUT", "/v1/validate", 405, "POST"},
		{"HEAD", "/healthz", 405, "GET"},
		{"POST", "/metrics", 405, "GET"},
		{"FROB", "/readyz", 405, "GET"},
		{"GET", "/", 404, ""},
		{"GET", "/v1/validate/", 404, ""},
		{"GET", "/v2/validate", 404, ""},
	} {
		a := do(t, nil, c.method, ts.url+c.path, nil)
		if a.code != c.want || a.header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d Allow=%q, want %d Allow=%q", c.method, c.path, a.code, a.header.Get("Allow"), c.want, c.allow)
		}
	}
}

func TestBearerToken(t *testing.T) {
	ts := start(t, Config{Token: "s3cret-token"})
	data := readFile(t, plainXML)
	for _, c := range []struct {
		auth string
		want int
	}{
		{"", 401},
		{"Authorization: Bearer wrong", 401},
		{"Authorization: Basic czNjcmV0LXRva2Vu", 401},
		{"Authorization: Bearer s3cret-token", 200},
		{"Authorization: bearer s3cret-token", 200},
	} {
		var h []string
		if c.auth != "" {
			h = append(h, c.auth)
		}
		a := post(t, ts.url+"/v1/validate", data, h...)
		if a.code != c.want {
			t.Errorf("%q: %d, want %d", c.auth, a.code, c.want)
		}
		if a.code == 401 && a.header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
	}
	// probes stay open for the balancer
	if a := do(t, nil, "GET", ts.url+"/readyz", nil); a.code != 200 {
		t.Errorf("readyz with a token: %d", a.code)
	}
}

func TestHealthAndReady(t *testing.T) {
	s, err := New(Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// not served yet: alive but not ready
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	hs := &http.Server{Handler: s.Handler()}
	go hs.Serve(ln)
	defer hs.Close()
	url := "http://" + ln.Addr().String()
	if a := do(t, nil, "GET", url+"/healthz", nil); a.code != 200 {
		t.Errorf("healthz %d", a.code)
	}
	a := do(t, nil, "GET", url+"/readyz", nil)
	if a.code != 503 || a.header.Get("Retry-After") == "" {
		t.Errorf("readyz before Serve: %d %v", a.code, a.header)
	}
	ts := start(t, Config{})
	if a := do(t, nil, "GET", ts.url+"/readyz", nil); a.code != 200 {
		t.Errorf("readyz when serving: %d", a.code)
	}
}

func TestBadConfig(t *testing.T) {
	for _, c := range []Config{
		{RuleSet: "no-such-set"},
		{Engine: "xslt"},
		{TLSCert: "cert.pem"},
		{Forward: "ftp://example.org/in"},
		{Forward: "not a url"},
		{MaxBodySize: 4 << 30},
	} {
		if s, err := New(c); err == nil {
			s.Close()
			t.Errorf("%+v accepted", c)
		}
	}
}
