package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ehf-project/ehf/ehf"
	"github.com/ehf-project/ehf/outbox"
	"github.com/ehf-project/ehf/peppol"
	"github.com/ehf-project/ehf/server"
)

// lockedBuffer is a stderr the server writes to while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestServeConfig(t *testing.T) {
	tokenFile := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tokenFile, []byte("from-file\n"), 0o600)
	cases := []struct {
		name  string
		args  []string
		vars  map[string]string
		check func(server.Config) bool
	}{
		{"defaults", nil, nil, func(c server.Config) bool {
			return c.Addr == "127.0.0.1:8080" && c.MaxBodySize == 32<<20 && c.MaxBodyMemory == 256<<20 && c.Engine == ehf.Native && c.Token == ""
		}},
		{"flags", []string{"--addr", ":9000", "--max-body", "512KiB", "--workers", "3", "--queue-timeout", "2s", "--rules", "a.sch", "--rules", "b.sch"}, nil,
			func(c server.Config) bool {
				return c.Addr == ":9000" && c.MaxBodySize == 512<<10 && c.Workers == 3 && c.QueueTimeout == 2*time.Second && len(c.Rules) == 2
			}},
		{"environment", nil, map[string]string{"EHF_ADDR": "0.0.0.0:80", "EHF_MAX_BODY": "16MiB", "EHF_TOKEN": "env-token",
			"EHF_FORWARD": "http://next/in", "EHF_RULES": "a.sch, b.sch,c.sch", "EHF_NO_XSD": "true", "EHF_HOME": "/srv/ehf"},
			func(c server.Config) bool {
				return c.Addr == "0.0.0.0:80" && c.MaxBodySize == 16<<20 && c.Token == "env-token" && c.Forward == "http://next/in" &&
					len(c.Rules) == 3 && c.Rules[1] == "b.sch" && c.NoXSD && c.Home == "/srv/ehf"
			}},
		{"flags win", []string{"--addr", "127.0.0.1:1"}, map[string]string{"EHF_ADDR": "0.0.0.0:80", "EHF_WORKERS": "5"},
			func(c server.Config) bool { return c.Addr == "127.0.0.1:1" && c.Workers == 5 }},
		{"token file", []string{"--token-file", tokenFile}, nil, func(c server.Config) bool { return c.Token == "from-file" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var errb bytes.Buffer
			cfg, _, code := serveConfig(&env{stderr: &errb, getenv: envOf(c.vars)}, c.args)
			if code != -1 || !c.check(cfg) {
				t.Errorf("code %d, %+v\n%s", code, cfg, errb.String())
			}
		})
	}
	bad := []struct {
		args []string
		vars map[string]string
		msg  string
	}{
		{[]string{"--max-body", "lots"}, nil, "not a size"},
		{[]string{"--max-body", "5TB"}, nil, "unknown unit"},
		{nil, map[string]string{"EHF_MAX_BODY": "-1"}, "EHF_MAX_BODY"},
		{nil, map[string]string{"EHF_READ_TIMEOUT": "soon"}, "EHF_READ_TIMEOUT"},
		{nil, map[string]string{"EHF_WORKERS": "many"}, "EHF_WORKERS"},
		{[]string{"--workers", "-2"}, nil, "must not be negative"},
		{[]string{"--token-file", "/nonexistent/token"}, nil, "--token-file"},
		{[]string{"invoice.xml"}, nil, "unexpected argument"},
	}
	for _, c := range bad {
		var errb bytes.Buffer
		if _, _, code := serveConfig(&env{stderr: &errb, getenv: envOf(c.vars)}, c.args); code != exitUsage || !strings.Contains(errb.String(), c.msg) {
			t.Errorf("%v %v: code %d, stderr %q; want 2 and %q", c.args, c.vars, code, errb.String(), c.msg)
		}
	}
	for _, args := range [][]string{{"serve", "--log-format", "xml"}, {"serve", "--log-level", "loud"}, {"serve", "--ruleset", "nope"}, {"serve", "--tls-cert", "x.pem"}} {
		if code, _, _ := runCLI(t, "", args...); code != exitUsage {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	if code, _, stderr := runCLI(t, "", "serve", "-h"); code != exitOK || !strings.Contains(stderr, "EHF_MAX_BODY") {
		t.Errorf("help: %d %s", code, stderr)
	}
}

func TestSizeFlag(t *testing.T) {
	for in, want := range map[string]int64{"1048576": 1 << 20, "512k": 512 << 10, "32MiB": 32 << 20, "32MB": 32 << 20, "1GiB": 1 << 30, " 2 g": 2 << 30} {
		var s sizeFlag
		if err := s.Set(in); err != nil || int64(s) != want {
			t.Errorf("%q: %d %v", in, s, err)
		}
	}
	s := sizeFlag(32 << 20)
	if s.String() != "32MiB" {
		t.Errorf("String %q", s.String())
	}
	for _, in := range []string{"", "MiB", "0", "-5MiB", "1.5MiB", "99999999999GiB"} {
		var s sizeFlag
		if err := s.Set(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

var listening = regexp.MustCompile(`"msg":"listening","addr":"(http://[^"]+)"`)

// runServer starts "ehf serve" in-process and returns its URL, its stderr,
// and a stop function that returns the exit status.
func runServer(t *testing.T, args ...string) (string, *lockedBuffer, func() int) {
	t.Helper()
	stderr := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: stderr, getenv: func(string) string { return "" }}
	go func() { done <- run(ctx, e, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)) }()
	var url string
	deadline := time.Now().Add(20 * time.Second)
	for url == "" || !strings.Contains(stderr.String(), `"msg":"ready"`) {
		if m := listening.FindStringSubmatch(stderr.String()); m != nil {
			url = m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("ehf serve exited %d:\n%s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("ehf serve not ready:\n%s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	stopped := false
	var code int
	stop := func() int {
		if !stopped {
			cancel()
			code = <-done
			stopped = true
		}
		return code
	}
	t.Cleanup(func() { stop() })
	return url, stderr, stop
}

// The webhook answers what "ehf validate --format jsonl -" prints.
func TestServeAnswersAsValidate(t *testing.T) {
	url, stderr, stop := runServer(t, "--log-format", "json")
	for _, f := range []string{plain, broken} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Post(url+"/v1/validate?lang=nb&date=2026-11-24", "application/xml", bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		_, want, _ := runCLI(t, string(data), "validate", "--format", "jsonl", "--lang", "nb", "--date", "2026-11-24", "-")
		if resp.StatusCode != 200 || string(got) != want {
			t.Errorf("%s: %d\nserver: %s\nCLI:    %s", f, resp.StatusCode, got, want)
		}
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d after SIGTERM-like cancel", code)
	}
	for _, want := range []string{`"msg":"request"`, `"path":"/v1/validate"`, `"msg":"shutting down"`, `"msg":"stopped"`} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, stderr.String())
		}
	}
}

// /v1/lookup end to end: a signed SMP answer on loopback, verified
// against a test PKI given with --ca.
func TestServeLookup(t *testing.T) {
	k := getLookupPKI(t)
	p := peppol.MustParseParticipantID("0192:974760673")
	srv := smpServer(t, signedMetadata(t, k, p, peppol.BISBillingInvoice), p, peppol.BISBillingInvoice)
	url, _, _ := runServer(t, "--smp", srv.URL, "--ca", k.caFile, "--token", "tt")
	post := func(body string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", url+"/v1/lookup", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer tt")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	code, v := post(`{"participant":"0192:974760673"}`)
	cert, _ := v["certificate"].(map[string]any)
	if code != 200 || v["endpoint_url"] != "https://ap.lookup.test/as4" || cert == nil || cert["subject"] != k.ap.Subject.String() {
		t.Errorf("%d %v", code, v)
	}
	if code, v := post(`{"participant":"0192:974760673","document_type":"` + peppol.BISBillingCreditNote.String() + `"}`); code != 404 {
		t.Errorf("credit note: %d %v", code, v)
	}
	// without --ca the test PKI is not trusted: nobody knows, 502
	url2, _, _ := runServer(t, "--smp", srv.URL)
	resp, err := http.Post(url2+"/v1/lookup", "application/json", strings.NewReader(`{"participant":"0192:974760673"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 502 {
		t.Errorf("untrusted SMP: %d", resp.StatusCode)
	}
	url3, _, _ := runServer(t, "--lookup=false")
	resp, err = http.Post(url3+"/v1/lookup", "application/json", strings.NewReader(`{"participant":"0192:974760673"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 501 {
		t.Errorf("lookup off: %d", resp.StatusCode)
	}
}

func TestServeListenFails(t *testing.T) {
	url, _, _ := runServer(t)
	addr := strings.TrimPrefix(url, "http://")
	code, _, stderr := runCLI(t, "", "serve", "--addr", addr)
	if code != exitInvalid || !strings.Contains(stderr, "address already in use") {
		t.Errorf("second server on %s: exit %d %s", addr, code, stderr)
	}
}

func TestTuneGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	restore := tuneGC(&env{getenv: envOf(nil)}, serveFlags{gcPercent: 300, memLimit: 1 << 30})
	if got := debug.SetGCPercent(300); got != 300 {
		t.Errorf("GC percent %d while serving, want 300", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 1<<30 {
		t.Errorf("memory limit %d while serving", got)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent %d after, want it restored to 100", got)
	}
	// GOGC in the environment is the runtime's and wins
	restore = tuneGC(&env{getenv: envOf(map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"})}, serveFlags{gcPercent: 300, memLimit: 1 << 30})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent %d with GOGC set", got)
	}
	restore()
}

// --outbox-db: valid documents are committed and answered 202, repeats are
// recognised, and the outbox delivers each once, in SBDH, to --forward.
func TestServeOutbox(t *testing.T) {
	type got struct{ key, auth, body string }
	var mu sync.Mutex
	var hops []got
	hop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		hops = append(hops, got{r.Header.Get("Idempotency-Key"), r.Header.Get("Authorization"), string(b)})
		mu.Unlock()
		w.WriteHeader(202)
	}))
	defer hop.Close()
	db := filepath.Join(t.TempDir(), "outbox.db")
	url, _, stop := runServer(t, "--forward", hop.URL, "--forward-header", "Authorization: Bearer next", "--outbox-db", db)

	data, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	postDoc := func(doc []byte) *http.Response {
		resp, err := http.Post(url+"/v1/validate?name=plain.xml", "application/xml", bytes.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	first := postDoc(data)
	id := first.Header.Get("Ehf-Outbox-ID")
	if first.StatusCode != 202 || id == "" {
		t.Fatalf("%d %v", first.StatusCode, first.Header)
	}
	again := postDoc(data)
	if again.StatusCode != 202 || again.Header.Get("Ehf-Outbox-ID") != id || again.Header.Get("Ehf-Outbox-Repeat") != "true" {
		t.Errorf("repeat: %d %v", again.StatusCode, again.Header)
	}
	bad, _ := os.ReadFile(broken)
	if r := postDoc(bad); r.StatusCode != 422 {
		t.Errorf("invalid: %d", r.StatusCode)
	}

	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(hops)
		mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d", code)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hops) != 1 {
		t.Fatalf("the next hop got %d deliveries, want 1", len(hops))
	}
	h := hops[0]
	if h.key != id || h.auth != "Bearer next" || !strings.Contains(h.body, "StandardBusinessDocumentHeader") || !strings.Contains(h.body, "<cbc:ID>") {
		t.Errorf("delivery: key %q (want %q), auth %q, body %.200s", h.key, id, h.auth, h.body)
	}
	ob, err := outbox.Open(context.Background(), db, outbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ob.Close()
	if it, err := ob.Get(context.Background(), id); err != nil || it.State != outbox.Delivered || it.Name != "plain.xml" {
		t.Errorf("outbox item %+v %v", it, err)
	}
	for _, args := range [][]string{{"serve", "--outbox-db", db}, {"serve", "--outbox-db", db, "--forward", "ftp://x"}, {"serve", "--forward-header", "nocolon"}} {
		if code, _, _ := runCLI(t, "", args...); code != exitUsage {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}
