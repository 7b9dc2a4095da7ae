package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// hopRecord is one request a next hop received.
type hopRecord struct {
	key, reqID, doc, ctype, auth string
	body                         []byte
}

// nextHop is a real HTTP server on loopback that answers with the
// statuses given, in order (the last one repeats).
type nextHop struct {
	*httptest.Server
	mu       sync.Mutex
	got      []hopRecord
	statuses []int
	header   http.Header
}

func newHop(t *testing.T, statuses ...int) *nextHop {
	h := &nextHop{statuses: statuses, header: http.Header{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.got = append(h.got, hopRecord{r.Header.Get("Idempotency-Key"), r.Header.Get("X-Request-ID"), r.Header.Get("Ehf-Document"), r.Header.Get("Content-Type"), r.Header.Get("Authorization"), b})
		i := min(len(h.got)-1, len(h.statuses)-1)
		code := h.statuses[i]
		for k, v := range h.header {
			w.Header()[k] = v
		}
		h.mu.Unlock()
		w.WriteHeader(code)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *nextHop) records() []hopRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hopRecord(nil), h.got...)
}

func TestForwardRetriesWithOneKey(t *testing.T) {
	hop := newHop(t, 503, 500, 201)
	ts := start(t, Config{Forward: hop.URL, ForwardBackoff: time.Millisecond, ForwardHeader: http.Header{"Authorization": {"Bearer hop"}}})
	data := readFile(t, plainXML)
	a := post(t, ts.url+"/v1/validate", data, "X-Request-ID: batch-9")
	if a.code != 200 || a.header.Get("Ehf-Forward-Attempts") != "3" || a.header.Get("Ehf-Forward-Status") != "201" {
		t.Fatalf("%d %v %s", a.code, a.header, a.body)
	}
	sum := sha256.Sum256(data)
	want := "sha256:" + hex.EncodeToString(sum[:])
	got := hop.records()
	if len(got) != 3 {
		t.Fatalf("the hop saw %d requests", len(got))
	}
	for i, r := range got {
		if r.key != want || r.reqID != "batch-9" || r.auth != "Bearer hop" || string(r.body) != string(data) || r.doc != "peppol-billing-invoice" || r.ctype != "application/xml" {
			t.Errorf("attempt %d: key %q request %q document %q type %q, %d bytes", i, r.key, r.reqID, r.doc, r.ctype, len(r.body))
		}
	}
	if a.header.Get("Idempotency-Key") != want {
		t.Errorf("answer's Idempotency-Key %q", a.header.Get("Idempotency-Key"))
	}

	// the client's own key is passed on; the same document again gets the same key
	post(t, ts.url+"/v1/validate", data, "Idempotency-Key: inv-2026-0001")
	post(t, ts.url+"/v1/validate", data)
	got = hop.records()
	if got[3].key != "inv-2026-0001" || got[4].key != want {
		t.Errorf("keys %q and %q", got[3].key, got[4].key)
	}
}

func TestForwardFailures(t *testing.T) {
	data := readFile(t, plainXML)
	cases := []struct {
		name     string
		statuses []int
		attempts string
	}{
		{"refused for good", []int{400}, "1"},
		{"conflict is final", []int{409}, "1"},
		{"always down", []int{503}, "3"},
		{"rate limited", []int{429}, "3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hop := newHop(t, c.statuses...)
			ts := start(t, Config{Forward: hop.URL, ForwardAttempts: 3, ForwardBackoff: time.Millisecond})
			a := post(t, ts.url+"/v1/validate", data)
			if a.code != http.StatusBadGateway || a.header.Get("Ehf-Forward-Attempts") != c.attempts {
				t.Errorf("%d after %s attempts: %s", a.code, a.header.Get("Ehf-Forward-Attempts"), a.body)
			}
			if n := len(hop.records()); strconv.Itoa(n) != c.attempts {
				t.Errorf("the hop saw %d attempts", n)
			}
		})
	}
	t.Run("nobody listening", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		ts := start(t, Config{Forward: "http://" + addr + "/in", ForwardAttempts: 2, ForwardBackoff: time.Millisecond})
		a := post(t, ts.url+"/v1/validate", data)
		if a.code != http.StatusBadGateway || a.header.Get("Ehf-Forward-Attempts") != "2" || a.header.Get("Ehf-Forward-Status") != "" {
			t.Errorf("%d %v %s", a.code, a.header, a.body)
		}
	})
	t.Run("hop hangs", func(t *testing.T) {
		stop := make(chan struct{})
		hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-stop }))
		defer hang.Close()
		defer close(stop)
		ts := start(t, Config{Forward: hang.URL, ForwardAttempts: 2, ForwardTimeout: 100 * time.Millisecond, ForwardBackoff: time.Millisecond})
		st := time.Now()
		a := post(t, ts.url+"/v1/validate", data)
		if a.code != http.StatusBadGateway || time.Since(st) > 5*time.Second {
			t.Errorf("%d after %v", a.code, time.Since(st))
		}
	})
	t.Run("invalid is not forwarded", func(t *testing.T) {
		hop := newHop(t, 200)
		ts := start(t, Config{Forward: hop.URL})
		a := post(t, ts.url+"/v1/validate", readFile(t, brokenXML))
		if a.code != http.StatusUnprocessableEntity || len(hop.records()) != 0 {
			t.Errorf("%d, hop saw %d", a.code, len(hop.records()))
		}
		a = post(t, ts.url+"/v1/validate", readFile(t, truncatedXML))
		if a.code != http.StatusBadRequest || len(hop.records()) != 0 {
			t.Errorf("%d, hop saw %d", a.code, len(hop.records()))
		}
	})
}

// The waits double from the first, with jitter in their upper half, up to
// the cap; a Retry-After from the hop lengthens the next one.
func TestForwardBackoff(t *testing.T) {
	hop := newHop(t, 503)
	f := newForwarder(&Config{Forward: hop.URL, ForwardAttempts: 6, ForwardTimeout: time.Second, ForwardBackoff: 100 * time.Millisecond})
	f.maxWait = 800 * time.Millisecond
	var waits []time.Duration
	f.sleep = func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	d := f.send(context.Background(), []byte("<x/>"), "", "k", "r", "t")
	if d.err == nil || d.attempts != 6 || d.status != 503 {
		t.Fatalf("%+v", d)
	}
	if len(waits) != 5 {
		t.Fatalf("waits %v", waits)
	}
	upper := 100 * time.Millisecond
	for i, w := range waits {
		if w < upper/2 || w > upper {
			t.Errorf("wait %d is %v, want within [%v, %v]", i, w, upper/2, upper)
		}
		upper = min(2*w, 800*time.Millisecond)
	}

	hop.header.Set("Retry-After", "3")
	waits = nil
	f.maxWait = 10 * time.Second
	f.attempts = 2
	f.send(context.Background(), []byte("<x/>"), "", "k", "r", "t")
	if len(waits) != 1 || waits[0] != 3*time.Second {
		t.Errorf("after Retry-After: 3, waited %v", waits)
	}

	// a cancelled context stops the retries
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f.sleep = sleepCtx
	if d := f.send(ctx, []byte("<x/>"), "", "k", "r", "t"); d.err == nil || d.attempts > 1 {
		t.Errorf("cancelled: %+v", d)
	}
}
