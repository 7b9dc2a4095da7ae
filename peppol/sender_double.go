package peppol

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// TestSender is a Sender for tests of code that sends: it keeps every
// envelope it accepts and fails when told to. It is safe for concurrent
// use. The zero value accepts everything at once.
//
//	s := &peppol.TestSender{Fail: func(env *peppol.Envelope, attempt int) error {
//		if attempt == 1 {
//			return errors.New("access point busy") // retried
//		}
//		return nil
//	}}
type TestSender struct {
	// Fail, when set, is asked before each delivery, with the attempt
	// number for this instance identifier (1 for the first); a non-nil
	// error is returned instead of accepting. Return Reject(...) for a
	// permanent refusal.
	Fail func(env *Envelope, attempt int) error
	// Delay is how long each Send takes; ctx cancels it.
	Delay time.Duration

	mu       sync.Mutex
	accepted []*Envelope
	attempts map[string]int
}

// Send records env, or fails as Fail says.
func (s *TestSender) Send(ctx context.Context, env *Envelope) (Receipt, error) {
	if s.Delay > 0 {
		t := time.NewTimer(s.Delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return Receipt{}, ctx.Err()
		case <-t.C:
		}
	}
	if err := ctx.Err(); err != nil {
		return Receipt{}, err
	}
	if err := env.Validate(); err != nil {
		return Receipt{}, err
	}
	s.mu.Lock()
	if s.attempts == nil {
		s.attempts = map[string]int{}
	}
	s.attempts[env.InstanceID]++
	n := s.attempts[env.InstanceID]
	s.mu.Unlock()
	if s.Fail != nil {
		if err := s.Fail(env, n); err != nil {
			return Receipt{}, err
		}
	}
	cp := *env
	cp.Payload = append([]byte(nil), env.Payload...)
	cp.Scopes = append([]Scope(nil), env.Scopes...)
	s.mu.Lock()
	s.accepted = append(s.accepted, &cp)
	k := len(s.accepted)
	s.mu.Unlock()
	return Receipt{InstanceID: env.InstanceID, MessageID: fmt.Sprintf("test-%d", k), At: time.Now(), Attempts: 1}, nil
}

// Accepted returns the envelopes accepted so far, in order; a repeated
// delivery of the same instance identifier appears each time.
func (s *TestSender) Accepted() []*Envelope {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Envelope(nil), s.accepted...)
}

// Attempts is how many times Send was called for an instance identifier.
func (s *TestSender) Attempts(instanceID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts[instanceID]
}

// Delivered is how many times an instance identifier was accepted.
func (s *TestSender) Delivered(instanceID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, e := range s.accepted {
		if e.InstanceID == instanceID {
			n++
		}
	}
	return n
}
