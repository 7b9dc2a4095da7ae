package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL, pure Go
	_ "modernc.org/sqlite"             // SQLite, pure Go
)

// schemaVersion is the layout this package writes. A database with a
// higher version was written by a newer ehf and is left alone.
const schemaVersion = 1

// dialect hides the few differences between SQLite and PostgreSQL.
type dialect struct {
	name     string
	blob     string // column type for the envelope
	postgres bool
}

var (
	sqliteDialect   = dialect{name: "sqlite", blob: "BLOB"}
	postgresDialect = dialect{name: "postgres", blob: "BYTEA", postgres: true}
)

// rebind turns the ? placeholders the queries are written with into
// PostgreSQL's $1, $2, ...
func (d dialect) rebind(q string) string {
	if !d.postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// IsPostgres reports whether a data source names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openDB opens the database a data source names.
func openDB(dsn string) (*sql.DB, dialect, error) {
	if IsPostgres(dsn) {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, dialect{}, fmt.Errorf("outbox: %w", err)
		}
		return db, postgresDialect, nil
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, dialect{}, fmt.Errorf("outbox: %q is neither a postgres:// URL nor a file path for an SQLite database (without ? or #)", dsn)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, dialect{}, fmt.Errorf("outbox: %s is a folder; name the database file, such as %s", path, filepath.Join(path, "outbox.db"))
	}
	// Write-ahead log so that readers (ehf outbox list) never block the
	// sender; FULL so that a commit is on disk when Send returns; a busy
	// timeout and BEGIN IMMEDIATE so that two processes sharing the file
	// wait for each other instead of failing.
	q := url.Values{}
	q.Set("_busy_timeout", "15000")
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, dialect{}, fmt.Errorf("outbox: %w", err)
	}
	return db, sqliteDialect, nil
}

// migrate creates the tables when they are missing and checks the version
// of existing ones. On PostgreSQL an advisory lock keeps two instances
// starting at once from creating them twice.
func migrate(ctx context.Context, db *sql.DB, d dialect) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if d.postgres {
		// The number is arbitrary and only has to be the same in every
		// ehf process: "ehfobx" in ASCII.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(111656104014456)`); err != nil {
			return err
		}
	}
	stmts := []string{
		`CREATE TABLE IF NOT EXISTS ehf_outbox_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS ehf_outbox (
			id             TEXT PRIMARY KEY,
			name           TEXT NOT NULL,
			sender         TEXT NOT NULL,
			receiver       TEXT NOT NULL,
			doc_type       TEXT NOT NULL,
			process        TEXT NOT NULL,
			payload_sha256 TEXT NOT NULL,
			envelope       ` + d.blob + ` NOT NULL,
			state          TEXT NOT NULL,
			attempts       BIGINT NOT NULL DEFAULT 0,
			claim          BIGINT NOT NULL DEFAULT 0,
			last_error     TEXT NOT NULL DEFAULT '',
			receipt        TEXT NOT NULL DEFAULT '',
			created_at     BIGINT NOT NULL,
			updated_at     BIGINT NOT NULL,
			next_at        BIGINT NOT NULL,
			lease_until    BIGINT NOT NULL DEFAULT 0,
			delivered_at   BIGINT NOT NULL DEFAULT 0
		)`,
		`CREATE INDEX IF NOT EXISTS ehf_outbox_due ON ehf_outbox (state, next_at)`,
		`CREATE INDEX IF NOT EXISTS ehf_outbox_created ON ehf_outbox (created_at)`,
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	var v string
	err = tx.QueryRowContext(ctx, d.rebind(`SELECT v FROM ehf_outbox_meta WHERE k = ?`), "schema").Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.ExecContext(ctx, d.rebind(`INSERT INTO ehf_outbox_meta (k, v) VALUES (?, ?)`), "schema", strconv.Itoa(schemaVersion)); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		if n, _ := strconv.Atoi(v); n > schemaVersion {
			return fmt.Errorf("the outbox database has layout version %s, written by a newer ehf (this one knows %d)", v, schemaVersion)
		}
	}
	return tx.Commit()
}

// itemColumns are the columns an Item is read from, in scanItem's order.
const itemColumns = `id, name, sender, receiver, doc_type, process, state, attempts, last_error, receipt, created_at, updated_at, next_at, delivered_at`

type scanner interface{ Scan(dest ...any) error }

func scanItem(s scanner) (Item, error) {
	var it Item
	var state string
	var created, updated, next, delivered int64
	err := s.Scan(&it.ID, &it.Name, &it.Sender, &it.Receiver, &it.DocumentType, &it.Process, &state, &it.Attempts,
		&it.LastError, &it.Receipt, &created, &updated, &next, &delivered)
	if err != nil {
		return Item{}, err
	}
	it.State = State(state)
	it.Created, it.Updated = fromMillis(created), fromMillis(updated)
	if it.State == Queued {
		it.NextAttempt = fromMillis(next)
	}
	it.Delivered = fromMillis(delivered)
	return it, nil
}
