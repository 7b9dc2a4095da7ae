package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/ehf-project/ehf/peppol"
)

// claimed is a document a worker has reserved: claim is the token that
// proves the reservation is still its own.
type claimed struct {
	id       string
	claim    int64
	attempts int
	envelope []byte
}

// Run delivers documents until ctx ends: it claims due documents, sends
// each through the Sender on one of Options.Workers workers, and records
// the outcome. Temporary failures are queued again with backoff; permanent
// ones (peppol.IsPermanent) are marked failed. Run returns nil when ctx
// ends, after its workers have stopped and put back what they were
// sending; it returns an error only when the database is closed.
//
// Several Runs, in one process or many, may share an outbox.
func (o *Outbox) Run(ctx context.Context) error {
	if o.opts.Sender == nil {
		return ErrNoSender
	}
	workers := o.opts.Workers
	busy := make(chan struct{}, workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		if ctx.Err() != nil {
			return nil
		}
		if free := workers - len(busy); free > 0 {
			items, err := o.claim(ctx, free)
			switch {
			case ctx.Err() != nil:
				// Claimed just as we were told to stop: give them back
				// now rather than leave them to their leases.
				for _, c := range items {
					o.putBack(c)
				}
				return nil
			case isClosed(err):
				return fmt.Errorf("outbox: %w", err)
			case err != nil:
				o.logf("outbox: looking for work: %v", err)
			}
			for _, c := range items {
				busy <- struct{}{}
				wg.Add(1)
				go func() {
					defer wg.Done()
					o.deliver(ctx, c)
					<-busy
					o.wake()
				}()
			}
			if err == nil && len(items) == free {
				continue // there may be more
			}
		}
		t := time.NewTimer(o.opts.PollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-o.wakeCh:
			t.Stop()
		case <-t.C:
		}
	}
}

func isClosed(err error) bool {
	return err != nil && (errors.Is(err, sql.ErrConnDone) || err.Error() == "sql: database is closed")
}

// Deliver sends what is due now, on the calling goroutine's workers, and
// returns how many documents it tried. Tests and one-shot tools use it;
// long-running programs use Run.
func (o *Outbox) Deliver(ctx context.Context) (int, error) {
	if o.opts.Sender == nil {
		return 0, ErrNoSender
	}
	total := 0
	for {
		items, err := o.claim(ctx, o.opts.Workers)
		if err != nil {
			return total, err
		}
		if len(items) == 0 {
			return total, nil
		}
		var wg sync.WaitGroup
		for _, c := range items {
			wg.Go(func() { o.deliver(ctx, c) })
		}
		wg.Wait()
		total += len(items)
	}
}

// claim reserves up to n due documents: queued ones whose time has come
// and ones whose worker's lease ran out (it died mid-send). PostgreSQL
// skips rows another instance is claiming at the same moment; SQLite has
// one writer at a time anyway.
func (o *Outbox) claim(ctx context.Context, n int) ([]claimed, error) {
	now := o.now()
	lease := now + o.opts.Lease.Milliseconds()
	lock := ""
	if o.d.postgres {
		lock = ` FOR UPDATE SKIP LOCKED`
	}
	q := o.d.rebind(`UPDATE ehf_outbox
		SET state = ?, attempts = attempts + 1, claim = claim + 1, lease_until = ?, updated_at = ?
		WHERE id IN (
			SELECT id FROM ehf_outbox
			WHERE (state = ? AND next_at <= ?) OR (state = ? AND lease_until <= ?)
			ORDER BY next_at, created_at
			LIMIT ?` + lock + `)
		RETURNING id, claim, attempts, envelope`)
	var out []claimed
	err := o.write(ctx, true, func(tx querier) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, q, string(Sending), lease, now, string(Queued), now, string(Sending), now, n)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c claimed
			if err := rows.Scan(&c.id, &c.claim, &c.attempts, &c.envelope); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// deliver sends one claimed document and records the outcome.
func (o *Outbox) deliver(ctx context.Context, c claimed) {
	env, err := peppol.ParseEnvelope(c.envelope, c.id)
	if err != nil {
		// Only Send writes envelopes, after checking them; one that no
		// longer reads was damaged in the database and cannot be sent.
		o.record(ctx, c, peppol.Receipt{}, fmt.Errorf("the stored envelope is damaged: %w", err))
		return
	}
	sctx, cancel := context.WithTimeout(ctx, o.opts.SendTimeout)
	stop := o.keepLease(sctx, c)
	rc, err := o.opts.Sender.Send(sctx, env)
	stop()
	cancel()
	if err != nil && ctx.Err() != nil {
		// Shutting down: put it back for whoever runs next, without
		// counting against it.
		o.putBack(c)
		return
	}
	o.record(ctx, c, rc, err)
}

// keepLease renews the worker's lease while the Sender works, so that a
// slow access point does not make another worker send the same document,
// while a dead worker's lease still runs out quickly.
func (o *Outbox) keepLease(ctx context.Context, c claimed) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(o.opts.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				now := o.now()
				_, err := o.db.ExecContext(ctx, o.d.rebind(`UPDATE ehf_outbox SET lease_until = ? WHERE id = ? AND claim = ? AND state = ?`),
					now+o.opts.Lease.Milliseconds(), c.id, c.claim, string(Sending))
				if err != nil && ctx.Err() == nil {
					o.logf("outbox: renewing the lease on %s: %v", c.id, err)
				}
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// record stores the outcome of an attempt. A success is recorded whatever
// happened to the claim meanwhile: the access point has the document, and
// that is what counts. A failure is recorded only while the claim is still
// this worker's, so a stale worker cannot overwrite a newer attempt.
func (o *Outbox) record(ctx context.Context, c claimed, rc peppol.Receipt, sendErr error) {
	now := o.now()
	var q string
	var args []any
	switch {
	case sendErr == nil:
		q = `UPDATE ehf_outbox SET state = ?, receipt = ?, last_error = '', delivered_at = ?, updated_at = ?, lease_until = 0 WHERE id = ? AND state <> ?`
		args = []any{string(Delivered), rc.MessageID, now, now, c.id, string(Delivered)}
	case peppol.IsPermanent(sendErr), o.opts.MaxAttempts > 0 && c.attempts >= o.opts.MaxAttempts:
		msg := sendErr.Error()
		if !peppol.IsPermanent(sendErr) {
			msg = fmt.Sprintf("gave up after %d attempts: %s", c.attempts, msg)
		}
		q = `UPDATE ehf_outbox SET state = ?, last_error = ?, updated_at = ?, lease_until = 0 WHERE id = ? AND claim = ? AND state = ?`
		args = []any{string(Failed), msg, now, c.id, c.claim, string(Sending)}
	default:
		q = `UPDATE ehf_outbox SET state = ?, last_error = ?, next_at = ?, updated_at = ?, lease_until = 0 WHERE id = ? AND claim = ? AND state = ?`
		args = []any{string(Queued), sendErr.Error(), now + o.backoff(c.attempts).Milliseconds(), now, c.id, c.claim, string(Sending)}
	}
	o.update(ctx, c.id, o.d.rebind(q), args...)
}

// putBack returns a claimed document to the queue, due now.
func (o *Outbox) putBack(c claimed) {
	now := o.now()
	o.update(context.Background(), c.id, o.d.rebind(`UPDATE ehf_outbox SET state = ?, attempts = attempts - 1, next_at = ?, updated_at = ?, lease_until = 0 WHERE id = ? AND claim = ? AND state = ?`),
		string(Queued), now, now, c.id, c.claim, string(Sending))
}

// update runs an outcome's UPDATE, trying a few times: the outcome is
// worth keeping even when ctx has ended or the database hiccups. If it
// still fails, the lease runs out and the document is sent again, which
// the idempotency key makes harmless.
func (o *Outbox) update(ctx context.Context, id, q string, args ...any) {
	var err error
	for try := 0; try < 5; try++ {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		err = o.write(uctx, true, func(tx querier) error {
			_, err := tx.ExecContext(uctx, q, args...)
			return err
		})
		cancel()
		if err == nil || isClosed(err) {
			break
		}
		time.Sleep(time.Duration(50<<try) * time.Millisecond)
	}
	if err != nil {
		o.logf("outbox: recording the outcome for %s: %v (it will be sent again when its lease runs out)", id, err)
	}
}

// backoff is the wait after the n-th failed attempt.
func (o *Outbox) backoff(n int) time.Duration {
	d := o.opts.Backoff
	for i := 1; i < n && d < o.opts.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, o.opts.MaxBackoff)
	// ±20% so that documents that failed together spread out.
	return d*4/5 + rand.N(d*2/5+1)
}

func (o *Outbox) logf(format string, args ...any) {
	if o.opts.Logf != nil {
		o.opts.Logf(format, args...)
	}
}
