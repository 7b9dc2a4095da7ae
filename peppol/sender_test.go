package peppol

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func testEnvelope(t testing.TB) *Envelope {
	t.Helper()
	h := testHeader()
	h.InstanceID = ""
	e, err := NewEnvelope(testInvoice(t), h)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// apDouble is an access point's HTTP API on loopback whose answers a test
// scripts per request.
type apDouble struct {
	*httptest.Server
	calls  atomic.Int32
	mu     sync.Mutex
	bodies [][]byte
	keys   []string
	auth   []string
}

func newAPDouble(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request)) *apDouble {
	ap := &apDouble{}
	ap.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(ap.calls.Add(1))
		body, _ := io.ReadAll(r.Body)
		ap.mu.Lock()
		ap.bodies = append(ap.bodies, body)
		ap.keys = append(ap.keys, r.Header.Get(IdempotencyHeader))
		ap.auth = append(ap.auth, r.Header.Get("Authorization"))
		ap.mu.Unlock()
		answer(n, w, r)
	}))
	t.Cleanup(ap.Close)
	return ap
}

func fastHTTPSender(url string) *HTTPSender {
	return &HTTPSender{URL: url, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Timeout: 2 * time.Second}
}

func TestHTTPSenderAccepted(t *testing.T) {
	ap := newAPDouble(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/xml" {
			http.Error(w, "want POST application/xml", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, `{"messageId": "AP-4711", "status": "queued"}`)
	})
	env := testEnvelope(t)
	s := fastHTTPSender(ap.URL)
	s.Header = http.Header{"Authorization": {"Bearer secret"}}
	rc, err := s.Send(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if rc.MessageID != "AP-4711" || rc.InstanceID != env.InstanceID || rc.Attempts != 1 || rc.At.IsZero() {
		t.Errorf("receipt %+v", rc)
	}
	if ap.calls.Load() != 1 || ap.keys[0] != env.InstanceID || ap.auth[0] != "Bearer secret" {
		t.Errorf("%d calls, key %q, auth %q", ap.calls.Load(), ap.keys, ap.auth)
	}
	got, err := ParseEnvelope(ap.bodies[0], "")
	if err != nil || !bytes.Equal(got.Payload, env.Payload) || got.InstanceID != env.InstanceID {
		t.Errorf("the access point got something else: %v", err)
	}
}

func TestHTTPSenderAnswers(t *testing.T) {
	cases := []struct {
		name      string
		answer    func(n int, w http.ResponseWriter, r *http.Request)
		calls     int
		ok        bool
		permanent bool
		want      string // in the error
	}{
		{"4xx is not retried", func(n int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnprocessableEntity)
			io.WriteString(w, `{"message": "receiver 0192:970000003 is not\nregistered"}`)
		}, 1, false, true, "HTTP 422): receiver 0192:970000003 is not registered"},
		{"401 is not retried", func(n int, w http.ResponseWriter, r *http.Request) {
			http.Error(w, "bad token", http.StatusUnauthorized)
		}, 1, false, true, "HTTP 401): bad token"},
		{"5xx then success", func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				http.Error(w, "database restarting", http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Location", "/messages/9")
			w.WriteHeader(http.StatusCreated)
		}, 2, true, false, ""},
		{"5xx every time", func(n int, w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down", http.StatusBadGateway)
		}, 3, false, false, "HTTP 502: down"},
		{"429 is retried", func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			w.WriteHeader(http.StatusOK)
		}, 2, true, false, ""},
		{"redirect is not followed", func(n int, w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}, 1, false, true, "HTTP 302"},
		{"slow server times out", func(n int, w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, 3, false, false, "no answer within 100ms"},
		{"connection dropped", func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				hj, _ := w.(http.Hijacker)
				c, _, _ := hj.Hijack()
				c.Close()
				return
			}
			w.WriteHeader(http.StatusOK)
		}, 2, true, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ap := newAPDouble(t, c.answer)
			s := fastHTTPSender(ap.URL)
			s.Timeout = 100 * time.Millisecond
			if !strings.Contains(c.name, "slow") {
				s.Timeout = 2 * time.Second
			}
			env := testEnvelope(t)
			rc, err := s.Send(context.Background(), env)
			if got := int(ap.calls.Load()); got != c.calls {
				t.Errorf("%d requests, want %d", got, c.calls)
			}
			if c.ok {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				if rc.Attempts != c.calls {
					t.Errorf("receipt says %d attempts, want %d", rc.Attempts, c.calls)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			if IsPermanent(err) != c.permanent {
				t.Errorf("permanent %v, want %v: %v", IsPermanent(err), c.permanent, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
			ap.mu.Lock()
			defer ap.mu.Unlock()
			for i, k := range ap.keys {
				if k != env.InstanceID {
					t.Errorf("request %d idempotency key %q, want %q", i, k, env.InstanceID)
				}
			}
		})
	}
}

func TestHTTPSenderCancel(t *testing.T) {
	ap := newAPDouble(t, func(n int, w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	})
	s := &HTTPSender{URL: ap.URL, Backoff: time.Hour, MaxBackoff: time.Hour, Attempts: 5}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Send(ctx, testEnvelope(t))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("after %v: %v", time.Since(start), err)
	}
	if IsPermanent(err) {
		t.Error("a cancelled send is permanent")
	}
}

func TestHTTPSenderTLS(t *testing.T) {
	ap := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	}))
	defer ap.Close()
	env := testEnvelope(t)
	untrusting := fastHTTPSender(ap.URL)
	untrusting.Attempts = 1
	if _, err := untrusting.Send(context.Background(), env); err == nil {
		t.Error("a server with an unknown certificate was trusted")
	}
	pool := x509.NewCertPool()
	pool.AddCert(ap.Certificate())
	s := fastHTTPSender(ap.URL)
	s.TLSConfig = ap.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	s.TLSConfig.RootCAs = pool
	if _, err := s.Send(context.Background(), env); err != nil {
		t.Error(err)
	}
}

func TestFolderSender(t *testing.T) {
	dir := t.TempDir()
	s := &FolderSender{Dir: dir}
	env := testEnvelope(t)
	rc, err := s.Send(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if rc.MessageID != filepath.Join(dir, env.InstanceID+".xml") {
		t.Errorf("file %s", rc.MessageID)
	}
	// Again: the same file, not a second one.
	if _, err := s.Send(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("folder holds %d entries, want 1 (no temporary files left)", len(entries))
	}
	data, err := os.ReadFile(rc.MessageID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseEnvelope(data, rc.MessageID)
	if err != nil || !bytes.Equal(got.Payload, env.Payload) {
		t.Fatalf("file does not hold the envelope: %v", err)
	}
	// Many at once, as the outbox sends.
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := s.Send(context.Background(), testEnvelope(t)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	entries, _ = os.ReadDir(dir)
	if len(entries) != 21 {
		t.Errorf("folder holds %d entries, want 21", len(entries))
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestFolderSenderMissingFolder(t *testing.T) {
	s := &FolderSender{Dir: filepath.Join(t.TempDir(), "not-mounted")}
	_, err := s.Send(context.Background(), testEnvelope(t))
	if err == nil || IsPermanent(err) {
		t.Errorf("missing folder: %v (a folder may come back: want a temporary error)", err)
	}
}

func TestFileName(t *testing.T) {
	cases := map[string]string{
		"5d8f9c2e-1b7a-4c3d-9e6f-0a1b2c3d4e5f": "5d8f9c2e-1b7a-4c3d-9e6f-0a1b2c3d4e5f",
		"msg.1":                                "msg.1",
	}
	for in, want := range cases {
		if got := fileName(in); got != want {
			t.Errorf("fileName(%q) = %q, want %q", in, got, want)
		}
	}
	seen := map[string]string{}
	for _, in := range []string{"../../etc/passwd", "..", ".hidden", "a/b", "a:b", "a_b", "", strings.Repeat("x", 300), "æøå"} {
		got := fileName(in)
		if strings.ContainsAny(got, "/\\:") || strings.HasPrefix(got, ".") || got == "" || len(got) > 100 {
			t.Errorf("fileName(%q) = %q is not a safe file name", in, got)
		}
		if prev, dup := seen[got]; dup {
			t.Errorf("%q and %q share the file name %q", prev, in, got)
		}
		seen[got] = in
	}
}

func TestTestSender(t *testing.T) {
	s := &TestSender{Fail: func(env *Envelope, attempt int) error {
		switch {
		case env.Receiver.Value == "0192:974760673":
			return Reject("unknown receiver")
		case attempt == 1:
			return errors.New("busy")
		}
		return nil
	}}
	env := testEnvelope(t)
	if _, err := s.Send(context.Background(), env); err == nil || IsPermanent(err) {
		t.Errorf("first attempt: %v", err)
	}
	if _, err := s.Send(context.Background(), env); err != nil {
		t.Errorf("second attempt: %v", err)
	}
	other := testEnvelope(t)
	other.Receiver = MustParseParticipantID("0192:974760673")
	if _, err := s.Send(context.Background(), other); !IsPermanent(err) || !strings.Contains(err.Error(), "unknown receiver") {
		t.Errorf("rejected: %v", err)
	}
	if s.Attempts(env.InstanceID) != 2 || s.Delivered(env.InstanceID) != 1 || len(s.Accepted()) != 1 || s.Delivered(other.InstanceID) != 0 {
		t.Errorf("attempts %d delivered %d accepted %d", s.Attempts(env.InstanceID), s.Delivered(env.InstanceID), len(s.Accepted()))
	}
	slow := &TestSender{Delay: time.Hour}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := slow.Send(ctx, env); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow: %v", err)
	}
}
