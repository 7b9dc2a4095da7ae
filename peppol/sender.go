package peppol

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Sender hands an envelope to an access point, which carries it over the
// Peppol network to the receiver's access point. ERP vendors and their
// customers use different access points with different APIs, so ehf talks
// to them through this interface: HTTPSender posts to an HTTP API,
// FolderSender drops files for access points that collect them, and
// TestSender stands in for one in tests. To reach another access point,
// write a type with this one method.
//
// A Send implementation must follow these rules, which ehf's outbox relies
// on to deliver every document at least once and never lose one:
//
//   - Return a nil error only when the access point has taken
//     responsibility for the envelope (it answered "accepted", or the file
//     is durably in its folder). The outbox then marks the document
//     delivered and never sends it again.
//   - Return an error wrapping ErrRejected (see Reject) when sending the
//     same envelope again cannot succeed: the access point refused it as
//     invalid, unauthorised or unroutable. The outbox marks it failed with
//     the reason and does not retry.
//   - Return any other error for failures that may pass (network errors,
//     timeouts, a busy or broken server). The outbox tries again later.
//   - Honour ctx: return promptly when it is cancelled or its deadline
//     passes. The outbox gives every attempt a deadline.
//   - Be safe for concurrent use: the outbox sends from several goroutines.
//   - Pass env.InstanceID to the access point as the message's idempotency
//     key where its API has one: after a crash or a timeout the outbox
//     sends the same envelope again, with the same instance identifier, and
//     the access point should recognise the repeat.
type Sender interface {
	Send(ctx context.Context, env *Envelope) (Receipt, error)
}

// SenderFunc adapts a function to the Sender interface.
type SenderFunc func(ctx context.Context, env *Envelope) (Receipt, error)

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, env *Envelope) (Receipt, error) { return f(ctx, env) }

// Receipt is an access point's acknowledgement of an envelope.
type Receipt struct {
	// InstanceID is the envelope's instance identifier.
	InstanceID string
	// MessageID is the access point's own reference for the message, when
	// it gives one (an HTTP API's message ID, a file path); "" otherwise.
	MessageID string
	// At is when the access point accepted the message.
	At time.Time
	// Attempts is how many tries the Sender itself needed (1 when the
	// first succeeded).
	Attempts int
}

// ErrRejected marks a permanent failure: the access point refused the
// envelope and sending it again unchanged will not help.
var ErrRejected = errors.New("rejected by the access point")

// RejectedError is a permanent failure with the access point's reason.
type RejectedError struct {
	// StatusCode is the HTTP status, when the access point speaks HTTP.
	StatusCode int
	// Reason is what the access point said, shortened to one line.
	Reason string
}

// Error implements error.
func (e *RejectedError) Error() string {
	if e.StatusCode != 0 {
		return fmt.Sprintf("rejected by the access point (HTTP %d): %s", e.StatusCode, e.Reason)
	}
	return "rejected by the access point: " + e.Reason
}

// Unwrap lets errors.Is(err, ErrRejected) hold.
func (e *RejectedError) Unwrap() error { return ErrRejected }

// Reject returns a permanent failure with reason, for Sender
// implementations.
func Reject(reason string) error { return &RejectedError{Reason: reason} }

// IsPermanent reports whether err says that an envelope must not be sent
// again: it wraps ErrRejected, or the envelope itself is invalid.
func IsPermanent(err error) bool {
	return errors.Is(err, ErrRejected) || errors.Is(err, ErrEnvelope)
}
