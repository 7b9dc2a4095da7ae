// Package outbox makes sending a Peppol document durable: an envelope
// accepted by Outbox.Send is committed to a database before Send returns,
// then delivered in the background through a peppol.Sender, with retries,
// until the access point confirms it. Nothing accepted is lost when the
// process dies, and a restart resumes where the last one stopped.
//
// Every document is in one of four states: queued (waiting for its next
// attempt), sending (claimed by a worker), delivered (the Sender
// confirmed) or failed (the Sender refused it for good, with the reason).
// List, Get and Retry inspect and change them.
//
// # Databases
//
// Open takes a data source: a file path gives an embedded SQLite database
// (pure Go, no cgo; write-ahead log, every commit flushed to disk), and a
// postgres:// URL a PostgreSQL database. With PostgreSQL, several ehf
// processes on several machines can share one outbox: workers claim
// documents with SELECT ... FOR UPDATE SKIP LOCKED, so no document is
// claimed by two of them at once.
//
// # Delivery guarantee
//
// Delivery is at least once. A worker marks a document sending, with a
// lease it keeps renewing while the Sender works, before it sends. If the
// process dies mid-send, the lease runs out and the document is sent again
// (by a restarted process or another instance), with the same instance
// identifier, which HTTPSender passes to the access point as its
// idempotency key. So a document is never lost, and a repeat can only
// reach the access point under the key it already knows.
package outbox
