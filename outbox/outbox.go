package outbox

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

// State is where a document is on its way out.
type State string

// States.
const (
	Queued    State = "queued"    // waiting for its next attempt
	Sending   State = "sending"   // a worker is sending it now
	Delivered State = "delivered" // the Sender confirmed it
	Failed    State = "failed"    // the Sender refused it for good; LastError says why
)

// Final reports whether a document has reached the end of its way:
// delivered, or failed until someone retries it.
func (s State) Final() bool { return s == Delivered || s == Failed }

// Item is the state of one document in the outbox.
type Item struct {
	// ID is the envelope's instance identifier, the outbox's key and the
	// idempotency key sent to the access point.
	ID string
	// Name labels the document for people (a file name); may be "".
	Name string
	// Routing, in the identifiers' string form.
	Sender, Receiver, DocumentType, Process string
	State                                   State
	// Attempts counts the tries so far, including one cut short by a
	// crash.
	Attempts int
	// LastError is why the last attempt failed ("" after success).
	LastError string
	// Receipt is the access point's reference (Receipt.MessageID).
	Receipt string
	Created time.Time
	Updated time.Time
	// NextAttempt is when a queued document is tried next.
	NextAttempt time.Time
	// Delivered is when the Sender confirmed it; zero until then.
	Delivered time.Time
}

// Options tune an Outbox. The zero value works with the defaults given.
type Options struct {
	// Sender delivers the documents; Run needs one, the rest of the
	// Outbox does not (ehf outbox list opens one without).
	Sender peppol.Sender
	// Workers is how many documents are sent at once by Run; default 4.
	Workers int
	// Lease is how long a claimed document stays reserved for its worker
	// without news; the worker renews it every third of it while the
	// Sender works. After a crash, the document is sent again once its
	// lease has run out. Default 30 seconds.
	Lease time.Duration
	// SendTimeout bounds one call of Sender.Send; default 10 minutes.
	SendTimeout time.Duration
	// PollInterval is how often Run looks for work that other processes
	// queued or that became due; default 1 second. Documents sent through
	// this Outbox wake it at once.
	PollInterval time.Duration
	// Backoff is the wait after the first failed attempt, doubled after
	// each further one (with jitter) up to MaxBackoff; defaults 5 seconds
	// and 1 hour.
	Backoff    time.Duration
	MaxBackoff time.Duration
	// MaxAttempts gives a document up (failed) after so many temporary
	// failures; 0, the default, retries until the Sender confirms.
	MaxAttempts int
	// Logf, when set, receives problems Run works around (a database
	// hiccup, a result that could not be recorded).
	Logf func(format string, args ...any)
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Errors.
var (
	// ErrNotFound: no document with that instance identifier.
	ErrNotFound = errors.New("no such document in the outbox")
	// ErrConflict: the instance identifier is already used for a
	// different document.
	ErrConflict = errors.New("the instance identifier is already used for a different document")
	// ErrDelivered: Retry of a document that was delivered.
	ErrDelivered = errors.New("the document was already delivered")
	// ErrBusy: Retry of a document a worker is sending right now.
	ErrBusy = errors.New("the document is being sent right now")
	// ErrNoSender: Run without Options.Sender.
	ErrNoSender = errors.New("the outbox has no Sender to deliver with")
)

// Outbox is a durable queue of envelopes in front of a Sender. It is safe
// for concurrent use.
type Outbox struct {
	db      *sql.DB
	d       dialect
	opts    Options
	wakeCh  chan struct{}
	closeMu sync.Once
}

// Open opens (and if needed creates) the outbox in a database: an SQLite
// file path, or a postgres:// URL.
func Open(ctx context.Context, dsn string, opts Options) (*Outbox, error) {
	db, d, err := openDB(dsn)
	if err != nil {
		return nil, err
	}
	o := &Outbox{db: db, d: d, opts: opts, wakeCh: make(chan struct{}, 1)}
	o.defaults()
	// A connection for each worker (its outcome and lease renewals) and a
	// few for claiming, accepting and reading, so that a lease renewal
	// never waits for a connection while its lease runs out.
	db.SetMaxOpenConns(o.opts.Workers + 4)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("outbox: cannot reach the %s database: %w", d.name, err)
	}
	if err := migrate(ctx, db, d); err != nil {
		db.Close()
		return nil, fmt.Errorf("outbox: preparing the %s database: %w", d.name, err)
	}
	return o, nil
}

func (o *Outbox) defaults() {
	p := &o.opts
	if p.Workers <= 0 {
		p.Workers = 4
	}
	if p.Lease <= 0 {
		p.Lease = 30 * time.Second
	}
	if p.SendTimeout <= 0 {
		p.SendTimeout = 10 * time.Minute
	}
	if p.PollInterval <= 0 {
		p.PollInterval = time.Second
	}
	if p.Backoff <= 0 {
		p.Backoff = 5 * time.Second
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = time.Hour
	}
	if p.Now == nil {
		p.Now = time.Now
	}
}

// Close closes the database. Stop Run first.
func (o *Outbox) Close() error {
	var err error
	o.closeMu.Do(func() { err = o.db.Close() })
	return err
}

// Dialect names the database: "sqlite" or "postgres".
func (o *Outbox) Dialect() string { return o.d.name }

func (o *Outbox) now() int64 { return o.opts.Now().UnixMilli() }

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// wake tells Run that there may be work.
func (o *Outbox) wake() {
	select {
	case o.wakeCh <- struct{}{}:
	default:
	}
}

// Send accepts env for delivery. When it returns without error the
// envelope is committed to the database, and Run delivers it. name labels
// the document in listings (a file name, or "").
//
// Sending an instance identifier that is already in the outbox again
// returns the existing item and added false, whatever its state: this is
// how a repeat (a rerun after a crash) is kept from being delivered twice.
// If the earlier document had a different payload or routing, the error
// is ErrConflict.
func (o *Outbox) Send(ctx context.Context, env *peppol.Envelope, name string) (it Item, added bool, err error) {
	data, err := env.Marshal()
	if err != nil {
		return Item{}, false, err
	}
	sum := fingerprint(env)
	now := o.now()
	// Standalone: the INSERT alone decides, and what follows only reads
	// a row that no longer changes in what is compared.
	err = o.write(ctx, true, func(tx querier) error {
		res, err := tx.ExecContext(ctx, o.d.rebind(`INSERT INTO ehf_outbox
			(id, name, sender, receiver, doc_type, process, payload_sha256, envelope, state, created_at, updated_at, next_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
			env.InstanceID, name, env.Sender.String(), env.Receiver.String(), env.DocumentType.String(), env.Process.String(),
			sum, data, string(Queued), now, now, now)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		added = n == 1
		if !added {
			var have string
			if err := tx.QueryRowContext(ctx, o.d.rebind(`SELECT payload_sha256 FROM ehf_outbox WHERE id = ?`), env.InstanceID).Scan(&have); err != nil {
				return err
			}
			if have != sum {
				return fmt.Errorf("%w: %s", ErrConflict, env.InstanceID)
			}
		}
		it, err = scanItem(tx.QueryRowContext(ctx, o.d.rebind(`SELECT `+itemColumns+` FROM ehf_outbox WHERE id = ?`), env.InstanceID))
		return err
	})
	if err != nil {
		if errors.Is(err, ErrConflict) {
			return Item{}, false, err
		}
		return Item{}, false, fmt.Errorf("outbox: accepting %s: %w", env.InstanceID, err)
	}
	if added {
		o.wake()
	}
	return it, added, nil
}

// fingerprint identifies what a message is, leaving out when its envelope
// was made: routing and payload.
func fingerprint(env *peppol.Envelope) string {
	h := sha256.New()
	for _, s := range []string{env.Sender.Canonical().String(), env.Receiver.Canonical().String(), env.DocumentType.Canonical().String(), env.Process.Canonical().String()} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write(env.Payload)
	return hex.EncodeToString(h.Sum(nil))
}

// querier is what both a *sql.DB and a *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// write runs fn in a transaction. On SQLite the transaction takes the
// write lock at once (BEGIN IMMEDIATE), so that it waits for another
// writer rather than failing halfway. On PostgreSQL, when each of fn's
// statements is safe on its own (standalone), they run without a
// transaction around them: every statement is atomic there anyway, and
// BEGIN and COMMIT would cost two more round trips per document.
func (o *Outbox) write(ctx context.Context, standalone bool, fn func(querier) error) error {
	if standalone && o.d.postgres {
		return fn(o.db)
	}
	tx, err := o.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Get returns the item with an instance identifier.
func (o *Outbox) Get(ctx context.Context, id string) (Item, error) {
	it, err := scanItem(o.db.QueryRowContext(ctx, o.d.rebind(`SELECT `+itemColumns+` FROM ehf_outbox WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return it, err
}

// Envelope returns the stored envelope of a document, as it is sent.
func (o *Outbox) Envelope(ctx context.Context, id string) (*peppol.Envelope, error) {
	var data []byte
	err := o.db.QueryRowContext(ctx, o.d.rebind(`SELECT envelope FROM ehf_outbox WHERE id = ?`), id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	return peppol.ParseEnvelope(data, id)
}

// Filter selects items for List.
type Filter struct {
	// States keeps items in these states; none means all.
	States []State
	// Limit keeps the newest Limit items; 0 means all.
	Limit int
}

// List returns items, oldest first.
func (o *Outbox) List(ctx context.Context, f Filter) ([]Item, error) {
	q := `SELECT ` + itemColumns + ` FROM ehf_outbox`
	var args []any
	if len(f.States) > 0 {
		q += ` WHERE state IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(f.States)), ", ") + `)`
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	q += ` ORDER BY created_at DESC, id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := o.db.QueryContext(ctx, o.d.rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// Counts returns how many documents are in each state.
func (o *Outbox) Counts(ctx context.Context) (map[State]int, error) {
	rows, err := o.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM ehf_outbox GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[State]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[State(s)] = n
	}
	return out, rows.Err()
}

// Retry queues a failed document again, or makes a queued one due now.
// A delivered document gives ErrDelivered (send it again as a new message
// if it must go again), one being sent ErrBusy.
func (o *Outbox) Retry(ctx context.Context, id string) (Item, error) {
	var it Item
	now := o.now()
	err := o.write(ctx, false, func(tx querier) error {
		var err error
		it, err = scanItem(tx.QueryRowContext(ctx, o.d.rebind(`SELECT `+itemColumns+` FROM ehf_outbox WHERE id = ?`), id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: %s", ErrNotFound, id)
		}
		if err != nil {
			return err
		}
		switch it.State {
		case Delivered:
			return fmt.Errorf("%w: %s", ErrDelivered, id)
		case Sending:
			return fmt.Errorf("%w: %s", ErrBusy, id)
		}
		_, err = tx.ExecContext(ctx, o.d.rebind(`UPDATE ehf_outbox SET state = ?, next_at = ?, updated_at = ? WHERE id = ? AND state IN (?, ?)`),
			string(Queued), now, now, id, string(Queued), string(Failed))
		if err != nil {
			return err
		}
		it, err = scanItem(tx.QueryRowContext(ctx, o.d.rebind(`SELECT `+itemColumns+` FROM ehf_outbox WHERE id = ?`), id))
		return err
	})
	if err != nil {
		return Item{}, err
	}
	o.wake()
	return it, nil
}

// getMany reads the items with these identifiers, a few hundred per query.
func (o *Outbox) getMany(ctx context.Context, ids []string) (map[string]Item, error) {
	out := make(map[string]Item, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 200)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		q := `SELECT ` + itemColumns + ` FROM ehf_outbox WHERE id IN (` + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + `)`
		rows, err := o.db.QueryContext(ctx, o.d.rebind(q), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			it, err := scanItem(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[it.ID] = it
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

// Wait returns the items with these identifiers once every one of them is
// delivered or failed, or when ctx ends (then with the states they have,
// and ctx's error). It watches the database, so it sees the work of other
// processes too.
func (o *Outbox) Wait(ctx context.Context, ids ...string) ([]Item, error) {
	out := make([]Item, len(ids))
	tick := 20 * time.Millisecond
	for {
		var pending []string
		for i, id := range ids {
			if !out[i].State.Final() {
				pending = append(pending, id)
			}
		}
		got, err := o.getMany(context.WithoutCancel(ctx), pending)
		if err != nil {
			return out, err
		}
		left := 0
		for i, id := range ids {
			if out[i].State.Final() {
				continue
			}
			it, ok := got[id]
			if !ok {
				return out, fmt.Errorf("%w: %s", ErrNotFound, id)
			}
			out[i] = it
			if !it.State.Final() {
				left++
			}
		}
		if left == 0 {
			return out, nil
		}
		t := time.NewTimer(tick)
		select {
		case <-ctx.Done():
			t.Stop()
			return out, ctx.Err()
		case <-t.C:
		}
		if tick < 250*time.Millisecond {
			tick *= 2
		}
	}
}
