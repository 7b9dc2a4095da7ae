package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// fakeQueue keeps what it is given in memory, keyed by content; the name
// "unroutable" and "down" make it fail those ways.
type fakeQueue struct {
	mu   sync.Mutex
	docs map[string][]byte
	seen []QueuedDoc
}

func (q *fakeQueue) Enqueue(ctx context.Context, d *QueuedDoc) (string, bool, error) {
	switch d.Name {
	case "unroutable":
		return "", false, fmt.Errorf("the buyer has no EndpointID: %w", ErrUnroutable)
	case "down":
		return "", false, errors.New("database is locked")
	}
	sum := sha256.Sum256(d.Body)
	id := hex.EncodeToString(sum[:8])
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.docs == nil {
		q.docs = map[string][]byte{}
	}
	c := *d
	c.Body = append([]byte(nil), d.Body...) // Body is only valid during the call
	q.seen = append(q.seen, c)
	if _, ok := q.docs[id]; ok {
		return id, false, nil
	}
	q.docs[id] = c.Body
	return id, true, nil
}

func TestOutboxAnswers(t *testing.T) {
	q := &fakeQueue{}
	ts := start(t, Config{Outbox: q})
	plain := readFile(t, plainXML)
	a := post(t, ts.url+"/v1/validate?name=inv-1.xml", plain, "X-Request-ID: q-1")
	id := a.header.Get("Ehf-Outbox-ID")
	if a.code != 202 || id == "" || a.header.Get("Ehf-Outbox-Repeat") != "" || !strings.Contains(string(a.body), `"valid":true`) {
		t.Fatalf("%d %v %s", a.code, a.header, a.body)
	}
	b := post(t, ts.url+"/v1/validate", plain)
	if b.code != 202 || b.header.Get("Ehf-Outbox-ID") != id || b.header.Get("Ehf-Outbox-Repeat") != "true" {
		t.Errorf("repeat: %d %v", b.code, b.header)
	}
	if len(q.seen) != 2 || q.seen[0].Name != "inv-1.xml" || q.seen[0].RequestID != "q-1" || q.seen[0].Doc == nil ||
		q.seen[0].Doc.Type.Name != "peppol-billing-invoice" || string(q.seen[0].Body) != string(plain) {
		t.Errorf("queued %+v", q.seen)
	}
	// nothing invalid or unreadable reaches the outbox
	post(t, ts.url+"/v1/validate", readFile(t, brokenXML))
	post(t, ts.url+"/v1/validate", readFile(t, truncatedXML))
	if len(q.seen) != 2 {
		t.Errorf("%d documents queued", len(q.seen))
	}
	e := scrape(t, ts.url)
	if e.samples[`ehf_forwards_total{outcome="queued"}`] != 1 || e.samples[`ehf_forwards_total{outcome="repeat"}`] != 1 {
		t.Errorf("forward metrics %v", e.samples)
	}
	if _, err := New(Config{Outbox: q, Forward: "http://127.0.0.1:1/"}); err == nil {
		t.Error("forward and outbox together accepted")
	}
}
