package outbox

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

// An accepted document is in the database before Send returns: another
// process (here another connection) sees it, with its envelope intact.
func TestSendIsDurable(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		o := open(t, dsn, Options{})
		env := newEnvelope(t, 1)
		it, added, err := o.Send(context.Background(), env, "a.xml")
		if err != nil || !added {
			t.Fatalf("added %v, %v", added, err)
		}
		if it.State != Queued || it.ID != env.InstanceID || it.Name != "a.xml" || it.Receiver != env.Receiver.String() {
			t.Errorf("item %+v", it)
		}
		o.Close()
		again := open(t, dsn, Options{})
		got, err := again.Get(context.Background(), env.InstanceID)
		if err != nil || got.State != Queued || got.Attempts != 0 {
			t.Fatalf("after reopening: %+v, %v", got, err)
		}
		stored, err := again.Envelope(context.Background(), env.InstanceID)
		if err != nil || string(stored.Payload) != string(env.Payload) || !stored.Created.Equal(env.Created) {
			t.Errorf("stored envelope differs: %v", err)
		}
		if _, err := again.Get(context.Background(), "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown id: %v", err)
		}
	})
}

func TestSendTwice(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		o := open(t, dsn, Options{})
		env := newEnvelope(t, 1)
		if _, added, err := o.Send(context.Background(), env, "a.xml"); err != nil || !added {
			t.Fatal(added, err)
		}
		// The same message again (a rerun): recognised, not added.
		again := *env
		again.Created = env.Created.Add(time.Hour)
		if it, added, err := o.Send(context.Background(), &again, "a.xml"); err != nil || added || it.ID != env.InstanceID {
			t.Errorf("repeat: added %v, %v", added, err)
		}
		// Another message under the same identifier: refused.
		other := newEnvelope(t, 2)
		other.InstanceID = env.InstanceID
		if _, _, err := o.Send(context.Background(), other, "b.xml"); !errors.Is(err, ErrConflict) {
			t.Errorf("conflict: %v", err)
		}
		if n, _ := o.Counts(context.Background()); n[Queued] != 1 {
			t.Errorf("counts %v", n)
		}
		// An invalid envelope never gets in.
		bad := newEnvelope(t, 3)
		bad.CountryC1 = ""
		if _, _, err := o.Send(context.Background(), bad, ""); !errors.Is(err, peppol.ErrEnvelope) {
			t.Errorf("invalid envelope: %v", err)
		}
	})
}

func TestDelivered(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ap := newAccessPoint(t)
		ap.setAnswer(func(n int, w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"messageId": "AP-%d"}`, n)
			return true
		})
		o := open(t, dsn, fastOptions(httpSender(ap.URL, 5*time.Second)))
		run(t, o)
		var ids []string
		for i := range 10 {
			it, _, err := o.Send(context.Background(), newEnvelope(t, i), fmt.Sprintf("%d.xml", i))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, it.ID)
		}
		for _, it := range waitFor(t, o, 20*time.Second, ids...) {
			if it.State != Delivered || it.Attempts != 1 || !strings.HasPrefix(it.Receipt, "AP-") || it.Delivered.IsZero() || it.LastError != "" {
				t.Errorf("%+v", it)
			}
			if arrived, accepted := ap.counts(it.ID); arrived != 1 || accepted != 1 {
				t.Errorf("%s reached the access point %d times, accepted %d", it.ID, arrived, accepted)
			}
		}
		ap.check(t)
	})
}

// A 4xx answer is final: no retry, failed with the access point's reason;
// an operator's Retry sends it again.
func TestRejected(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ap := newAccessPoint(t)
		var refuse atomic.Bool
		refuse.Store(true)
		ap.setAnswer(func(n int, w http.ResponseWriter, r *http.Request) bool {
			if refuse.Load() {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, `{"message": "receiver 0192:970000003 does not accept this document type"}`)
				return false
			}
			return true
		})
		o := open(t, dsn, fastOptions(httpSender(ap.URL, 5*time.Second)))
		run(t, o)
		it, _, err := o.Send(context.Background(), newEnvelope(t, 1), "a.xml")
		if err != nil {
			t.Fatal(err)
		}
		got := waitFor(t, o, 10*time.Second, it.ID)[0]
		if got.State != Failed || got.Attempts != 1 || !strings.Contains(got.LastError, "HTTP 400") || !strings.Contains(got.LastError, "does not accept this document type") {
			t.Errorf("%+v", got)
		}
		time.Sleep(100 * time.Millisecond) // time for a retry that must not come
		if arrived, _ := ap.counts(it.ID); arrived != 1 {
			t.Errorf("a 4xx was retried: %d requests", arrived)
		}
		if n, _ := o.Counts(context.Background()); n[Failed] != 1 {
			t.Errorf("counts %v", n)
		}
		failed, err := o.List(context.Background(), Filter{States: []State{Failed}})
		if err != nil || len(failed) != 1 || failed[0].ID != it.ID {
			t.Errorf("list failed: %v %v", failed, err)
		}
		refuse.Store(false)
		if r, err := o.Retry(context.Background(), it.ID); err != nil || r.State != Queued {
			t.Fatalf("retry: %+v %v", r, err)
		}
		got = waitFor(t, o, 10*time.Second, it.ID)[0]
		if got.State != Delivered || got.Attempts != 2 {
			t.Errorf("after retry: %+v", got)
		}
		if _, err := o.Retry(context.Background(), it.ID); !errors.Is(err, ErrDelivered) {
			t.Errorf("retry of a delivered document: %v", err)
		}
		if _, err := o.Retry(context.Background(), "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("retry of an unknown document: %v", err)
		}
	})
}

// 5xx answers are retried by the outbox until one is accepted, which
// happens exactly once.
func TestServerErrorThenSuccess(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ap := newAccessPoint(t)
		var mu sync.Mutex
		seen := map[string]int{}
		ap.setAnswer(func(n int, w http.ResponseWriter, r *http.Request) bool {
			key := r.Header.Get(peppol.IdempotencyHeader)
			mu.Lock()
			seen[key]++
			k := seen[key]
			mu.Unlock()
			if k <= 2 {
				http.Error(w, "maintenance", http.StatusServiceUnavailable)
				return false
			}
			return true
		})
		o := open(t, dsn, fastOptions(httpSender(ap.URL, 5*time.Second)))
		run(t, o)
		var ids []string
		for i := range 5 {
			it, _, err := o.Send(context.Background(), newEnvelope(t, i), "")
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, it.ID)
		}
		for _, it := range waitFor(t, o, 20*time.Second, ids...) {
			if it.State != Delivered || it.Attempts != 3 || it.LastError != "" {
				t.Errorf("%+v", it)
			}
			if arrived, accepted := ap.counts(it.ID); arrived != 3 || accepted != 1 {
				t.Errorf("%s: %d requests, %d accepted; want 3 and 1", it.ID, arrived, accepted)
			}
		}
		ap.check(t)
	})
}

// A server that does not answer in time is a temporary failure: the
// document stays queued with the reason, and goes when the server is back.
func TestSlowServer(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ap := newAccessPoint(t)
		var slow atomic.Bool
		slow.Store(true)
		ap.setAnswer(func(n int, w http.ResponseWriter, r *http.Request) bool {
			if slow.Load() {
				select {
				case <-r.Context().Done():
				case <-time.After(10 * time.Second):
				}
				return false
			}
			return true
		})
		opts := fastOptions(httpSender(ap.URL, 150*time.Millisecond))
		opts.Backoff, opts.MaxBackoff = 200*time.Millisecond, 200*time.Millisecond
		o := open(t, dsn, opts)
		run(t, o)
		it, _, err := o.Send(context.Background(), newEnvelope(t, 1), "")
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			got, err := o.Get(context.Background(), it.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.State == Queued && got.Attempts >= 1 {
				if !strings.Contains(got.LastError, "no answer within 150ms") || got.NextAttempt.IsZero() {
					t.Errorf("queued after a timeout: %+v", got)
				}
				break
			}
			if got.State.Final() || time.Now().After(deadline) {
				t.Fatalf("after a timeout: %+v", got)
			}
			time.Sleep(10 * time.Millisecond)
		}
		slow.Store(false)
		got := waitFor(t, o, 10*time.Second, it.ID)[0]
		if got.State != Delivered || got.Attempts < 2 {
			t.Errorf("%+v", got)
		}
		if _, accepted := ap.counts(it.ID); accepted != 1 {
			t.Errorf("accepted %d times", accepted)
		}
	})
}

// Two outboxes on one database, as two ehf instances would be, deliver
// everything exactly once between them.
func TestSharedOutbox(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ap := newAccessPoint(t)
		ap.setAnswer(func(n int, w http.ResponseWriter, r *http.Request) bool {
			time.Sleep(2 * time.Millisecond) // long enough for the two to overlap
			return true
		})
		a := open(t, dsn, fastOptions(httpSender(ap.URL, 5*time.Second)))
		b := open(t, dsn, fastOptions(httpSender(ap.URL, 5*time.Second)))
		var ids []string
		for i := range 60 {
			o := a
			if i%2 == 1 {
				o = b
			}
			it, _, err := o.Send(context.Background(), newEnvelope(t, i), "")
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, it.ID)
		}
		run(t, a)
		run(t, b)
		for _, it := range waitFor(t, a, 30*time.Second, ids...) {
			if it.State != Delivered || it.Attempts != 1 {
				t.Errorf("%+v", it)
			}
			if arrived, _ := ap.counts(it.ID); arrived != 1 {
				t.Errorf("%s sent %d times", it.ID, arrived)
			}
		}
		ap.check(t)
	})
}

// A worker whose process died leaves its document "sending"; once the
// lease has run out another worker sends it.
func TestExpiredLease(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		s := &peppol.TestSender{}
		opts := fastOptions(s)
		opts.Lease = time.Second
		o := open(t, dsn, opts)
		it, _, err := o.Send(context.Background(), newEnvelope(t, 1), "")
		if err != nil {
			t.Fatal(err)
		}
		// Claim it as a worker would, then "die".
		if c, err := o.claim(context.Background(), 1); err != nil || len(c) != 1 {
			t.Fatalf("claim: %v %v", c, err)
		}
		if got, _ := o.Get(context.Background(), it.ID); got.State != Sending {
			t.Fatalf("claimed: %+v", got)
		}
		if n, err := o.Deliver(context.Background()); err != nil || n != 0 {
			t.Fatalf("a leased document was delivered again at once: %d %v", n, err)
		}
		time.Sleep(opts.Lease + 100*time.Millisecond)
		if n, err := o.Deliver(context.Background()); err != nil || n != 1 {
			t.Fatalf("after the lease: delivered %d, %v", n, err)
		}
		got, _ := o.Get(context.Background(), it.ID)
		if got.State != Delivered || got.Attempts != 2 || s.Delivered(it.ID) != 1 {
			t.Errorf("%+v, delivered %d times", got, s.Delivered(it.ID))
		}
	})
}

// A slow Sender keeps its lease: nobody else sends the document meanwhile.
func TestLeaseRenewed(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		s := &peppol.TestSender{Delay: 3 * time.Second}
		opts := fastOptions(s)
		opts.Lease = time.Second // renewed every third of a second
		a := open(t, dsn, opts)
		b := open(t, dsn, opts)
		it, _, err := a.Send(context.Background(), newEnvelope(t, 1), "")
		if err != nil {
			t.Fatal(err)
		}
		run(t, a)
		time.Sleep(100 * time.Millisecond)
		run(t, b)
		got := waitFor(t, a, 10*time.Second, it.ID)[0]
		if got.State != Delivered || s.Attempts(it.ID) != 1 || got.Attempts != 1 {
			t.Errorf("%+v, sent %d times", got, s.Attempts(it.ID))
		}
	})
}

// Stopping Run puts what was being sent back in the queue, due at once
// and without counting the interrupted attempt.
func TestShutdownPutsBack(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		s := &peppol.TestSender{Delay: time.Hour}
		o := open(t, dsn, fastOptions(s))
		it, _, err := o.Send(context.Background(), newEnvelope(t, 1), "")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- o.Run(ctx) }()
		for {
			got, _ := o.Get(context.Background(), it.ID)
			if got.State == Sending {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		got, _ := o.Get(context.Background(), it.ID)
		if got.State != Queued || got.Attempts != 0 || got.NextAttempt.After(time.Now()) {
			t.Errorf("after shutdown: %+v", got)
		}
	})
}

func TestMaxAttempts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		s := &peppol.TestSender{Fail: func(*peppol.Envelope, int) error { return errors.New("connection refused") }}
		opts := fastOptions(s)
		opts.MaxAttempts = 3
		o := open(t, dsn, opts)
		run(t, o)
		it, _, err := o.Send(context.Background(), newEnvelope(t, 1), "")
		if err != nil {
			t.Fatal(err)
		}
		got := waitFor(t, o, 10*time.Second, it.ID)[0]
		if got.State != Failed || got.Attempts != 3 || got.LastError != "gave up after 3 attempts: connection refused" {
			t.Errorf("%+v", got)
		}
	})
}

func TestList(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
		o := open(t, dsn, Options{Now: func() time.Time { now = now.Add(time.Second); return now }})
		var ids []string
		for i := range 5 {
			it, _, err := o.Send(context.Background(), newEnvelope(t, i), fmt.Sprintf("%d.xml", i))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, it.ID)
		}
		all, err := o.List(context.Background(), Filter{})
		if err != nil || len(all) != 5 || all[0].ID != ids[0] || all[4].ID != ids[4] || all[2].Name != "2.xml" {
			t.Fatalf("list: %v %v", states(all), err)
		}
		last, err := o.List(context.Background(), Filter{Limit: 2})
		if err != nil || len(last) != 2 || last[0].ID != ids[3] || last[1].ID != ids[4] {
			t.Errorf("newest two: %v %v", states(last), err)
		}
		none, err := o.List(context.Background(), Filter{States: []State{Delivered, Failed}})
		if err != nil || len(none) != 0 {
			t.Errorf("delivered or failed: %v %v", states(none), err)
		}
	})
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	for _, dsn := range []string{"", dir, dir + "/x.db?mode=ro", "postgres://nobody@127.0.0.1:1/none?connect_timeout=1"} {
		if o, err := Open(context.Background(), dsn, Options{}); err == nil {
			o.Close()
			t.Errorf("Open(%q) succeeded", dsn)
		}
	}
	o := open(t, dir+"/ok.db", Options{})
	if err := o.Run(context.Background()); !errors.Is(err, ErrNoSender) {
		t.Errorf("Run without a sender: %v", err)
	}
}

// Wait reads the states in chunks; more documents than one chunk holds,
// and an unknown one, are both handled.
func TestWaitMany(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		s := &peppol.TestSender{}
		o := open(t, dsn, fastOptions(s))
		var ids []string
		for i := range 230 {
			it, _, err := o.Send(context.Background(), newEnvelope(t, i), "")
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, it.ID)
		}
		run(t, o)
		for _, it := range waitFor(t, o, 60*time.Second, ids...) {
			if it.State != Delivered {
				t.Fatalf("%+v", it)
			}
		}
		if len(s.Accepted()) != 230 {
			t.Errorf("%d accepted", len(s.Accepted()))
		}
		if _, err := o.Wait(context.Background(), ids[0], "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown id: %v", err)
		}
	})
}
