package outbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

// PostgresEnv names the variable that points the tests at a PostgreSQL
// server: a postgres:// URL of a database the tests may create schemas in.
const PostgresEnv = "EHF_TEST_POSTGRES"

// backend is a database the suite runs on.
type backend struct {
	name string
	// dsn returns a fresh, empty outbox database for one test.
	dsn func(t testing.TB) string
}

var backends = []backend{
	{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "outbox.db") }},
	{"postgres", postgresDSN},
}

// postgresDSN gives each test its own schema in the database named by
// EHF_TEST_POSTGRES, dropped afterwards, so that tests do not see each
// other's documents.
func postgresDSN(t testing.TB) string {
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("no PostgreSQL server: set %s=postgres://USER:PASSWORD@127.0.0.1:5432/DB?sslmode=disable to run the suite on PostgreSQL too", PostgresEnv)
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b [6]byte
	rand.Read(b[:])
	schema := fmt.Sprintf("ehf_test_%x", b)
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("%s is set but the server cannot be used: %v", PostgresEnv, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// forEachBackend runs the test on SQLite and on PostgreSQL.
func forEachBackend(t *testing.T, test func(t *testing.T, dsn string)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b.dsn(t)) })
	}
}

func open(t testing.TB, dsn string, o Options) *Outbox {
	t.Helper()
	ob, err := Open(context.Background(), dsn, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ob.Close() })
	return ob
}

// run starts Run and stops it when the test ends.
func run(t testing.TB, o *Outbox) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

var invoiceOnce = sync.OnceValues(func() ([]byte, error) {
	return os.ReadFile(filepath.Join("..", "testdata", "invoices", "plain.xml"))
})

// newEnvelope wraps one of the project's invoices, made unique by n.
func newEnvelope(t testing.TB, n int) *peppol.Envelope {
	t.Helper()
	inv, err := invoiceOnce()
	if err != nil {
		t.Fatal(err)
	}
	inv = bytes.Replace(inv, []byte("<cbc:ID>"), fmt.Appendf(nil, "<cbc:ID>%d-", n), 1)
	env, err := peppol.NewEnvelope(inv, peppol.Header{
		Sender:       peppol.MustParseParticipantID("0192:987654325"),
		Receiver:     peppol.MustParseParticipantID("0192:970000003"),
		DocumentType: peppol.BISBillingInvoice,
		Process:      peppol.BillingProcess,
		CountryC1:    "NO",
	})
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// accessPoint is an access point's HTTP API on loopback. answer decides
// each request's fate; nil accepts everything. It keeps what arrived and
// what it accepted, by idempotency key.
type accessPoint struct {
	*httptest.Server
	answer   atomic.Pointer[func(n int, w http.ResponseWriter, r *http.Request) bool]
	requests atomic.Int64

	mu       sync.Mutex
	arrived  map[string]int    // requests per key
	accepted map[string]int    // 2xx answers per key
	bodies   map[string][]byte // first body per key
	badKeys  []string          // keys that did not match the envelope
	changed  []string          // keys that came again with a different body
}

func newAccessPoint(t testing.TB) *accessPoint {
	ap := &accessPoint{arrived: map[string]int{}, accepted: map[string]int{}, bodies: map[string][]byte{}}
	ap.Server = httptest.NewServer(http.HandlerFunc(ap.serve))
	t.Cleanup(ap.Close)
	return ap
}

// setAnswer scripts the access point: fn writes the answer and reports
// whether the document counts as accepted.
func (ap *accessPoint) setAnswer(fn func(n int, w http.ResponseWriter, r *http.Request) bool) {
	ap.answer.Store(&fn)
}

func (ap *accessPoint) serve(w http.ResponseWriter, r *http.Request) {
	n := int(ap.requests.Add(1))
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	key := r.Header.Get(peppol.IdempotencyHeader)
	ap.mu.Lock()
	ap.arrived[key]++
	if env, err := peppol.ParseEnvelope(body, ""); err != nil || env.InstanceID != key {
		ap.badKeys = append(ap.badKeys, key)
	}
	if first, seen := ap.bodies[key]; seen && !bytes.Equal(first, body) {
		ap.changed = append(ap.changed, key)
	} else if !seen {
		ap.bodies[key] = body
	}
	ap.mu.Unlock()
	ok := true
	if fn := ap.answer.Load(); fn != nil {
		ok = (*fn)(n, w, r)
	} else {
		w.WriteHeader(http.StatusOK)
	}
	if ok {
		ap.mu.Lock()
		ap.accepted[key]++
		ap.mu.Unlock()
	}
}

func (ap *accessPoint) counts(key string) (arrived, accepted int) {
	ap.mu.Lock()
	defer ap.mu.Unlock()
	return ap.arrived[key], ap.accepted[key]
}

// check fails t if a request's idempotency key was not its envelope's
// instance identifier, or if a key came back with different bytes.
func (ap *accessPoint) check(t testing.TB) {
	t.Helper()
	ap.mu.Lock()
	defer ap.mu.Unlock()
	if len(ap.badKeys) > 0 {
		t.Errorf("requests whose idempotency key is not the envelope's instance identifier: %v", ap.badKeys)
	}
	if len(ap.changed) > 0 {
		t.Errorf("repeated deliveries with different bytes under the same key: %v", ap.changed)
	}
}

// httpSender is the real HTTP sender, tuned for tests: one attempt per
// Send, so that retries are the outbox's.
func httpSender(url string, timeout time.Duration) *peppol.HTTPSender {
	return &peppol.HTTPSender{URL: url, Attempts: 1, Timeout: timeout}
}

// fastOptions make retries and polling quick enough for tests. The lease
// is long enough not to run out on a loaded machine (or under the race
// detector) while a worker is alive; tests about leases running out set
// their own.
func fastOptions(s peppol.Sender) Options {
	return Options{Sender: s, Workers: 4, Lease: 5 * time.Second, PollInterval: 20 * time.Millisecond, Backoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond}
}

func waitFor(t testing.TB, o *Outbox, timeout time.Duration, ids ...string) []Item {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	items, err := o.Wait(ctx, ids...)
	if err != nil {
		t.Fatalf("waiting for %d documents: %v (states %v)", len(ids), err, states(items))
	}
	return items
}

func states(items []Item) []string {
	var s []string
	for _, it := range items {
		s = append(s, fmt.Sprintf("%s=%s(%d: %s)", it.ID, it.State, it.Attempts, it.LastError))
	}
	return s
}
