package peppol

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// IdempotencyHeader carries the envelope's instance identifier on every
// request HTTPSender makes, so that an access point can recognise a
// repeated delivery of the same message.
const IdempotencyHeader = "Idempotency-Key"

// HTTPSender posts envelopes to an access point's HTTP API: the SBDH
// document as the request body (Content-Type application/xml), the
// instance identifier in the Idempotency-Key header, and whatever Header
// adds (typically Authorization).
//
// A 2xx answer means accepted. 5xx, 408 Request Timeout, 429 Too Many
// Requests, timeouts and network errors are retried with exponential
// backoff up to Attempts times; 408 and 429 are 4xx codes but say "later",
// not "never". Every other answer (4xx, and redirects, which are not
// followed: re-posting an invoice elsewhere is not the client's call) is a
// RejectedError and is not retried.
//
// The zero value is not usable; set URL. An HTTPSender is safe for
// concurrent use once in use; do not change its fields then.
type HTTPSender struct {
	// URL is the endpoint that accepts envelopes.
	URL string
	// Header is added to every request, e.g. Authorization.
	Header http.Header
	// TLSConfig configures the default client: RootCAs for a private CA,
	// Certificates for client certificate authentication.
	TLSConfig *tls.Config
	// Client replaces the default client (TLSConfig is then unused). Its
	// redirect policy is the caller's business.
	Client *http.Client
	// Timeout bounds one attempt, from connecting to reading the answer;
	// default 30 seconds.
	Timeout time.Duration
	// Attempts is how many times one Send tries; default 3.
	Attempts int
	// Backoff is the pause after the first failed attempt, doubled after
	// each further one (with jitter) up to MaxBackoff; defaults 1 second
	// and 30 seconds. A Retry-After answer is honoured up to MaxBackoff.
	Backoff    time.Duration
	MaxBackoff time.Duration

	once   sync.Once
	client *http.Client
}

// maxAnswer is how much of an answer is read: enough for any receipt or
// error message, not enough for a hostile server to fill memory.
const maxAnswer = 64 << 10

func (s *HTTPSender) init() {
	s.once.Do(func() {
		if s.Client != nil {
			s.client = s.Client
			return
		}
		t := http.DefaultTransport.(*http.Transport).Clone()
		if s.TLSConfig != nil {
			t.TLSClientConfig = s.TLSConfig.Clone()
		}
		t.MaxIdleConnsPerHost = 32
		s.client = &http.Client{
			Transport: t,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		}
	})
}

// Send posts env, retrying as described on HTTPSender.
func (s *HTTPSender) Send(ctx context.Context, env *Envelope) (Receipt, error) {
	s.init()
	body, err := env.Marshal()
	if err != nil {
		return Receipt{}, err
	}
	attempts := s.Attempts
	if attempts <= 0 {
		attempts = 3
	}
	backoff, maxBackoff := s.Backoff, s.MaxBackoff
	if backoff <= 0 {
		backoff = time.Second
	}
	if maxBackoff <= 0 {
		maxBackoff = 30 * time.Second
	}
	var last error
	for n := 1; ; n++ {
		rc, wait, err := s.attempt(ctx, env, body)
		if err == nil {
			rc.Attempts = n
			return rc, nil
		}
		last = err
		if IsPermanent(err) || n >= attempts || ctx.Err() != nil {
			break
		}
		pause := backoff << (n - 1)
		if pause <= 0 || pause > maxBackoff {
			pause = maxBackoff
		}
		// Jitter keeps a fleet of senders from retrying in step.
		pause = pause/2 + rand.N(pause/2+1)
		if wait > pause {
			pause = min(wait, maxBackoff)
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return Receipt{}, fmt.Errorf("%w (after %d attempts; last: %v)", ctx.Err(), n, last)
		case <-t.C:
		}
	}
	if IsPermanent(last) {
		return Receipt{}, last
	}
	return Receipt{}, fmt.Errorf("access point %s: %w", s.URL, last)
}

// attempt makes one request. wait is the server's Retry-After, if any.
func (s *HTTPSender) attempt(ctx context.Context, env *Envelope, body []byte) (Receipt, time.Duration, error) {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return Receipt{}, 0, &RejectedError{Reason: "cannot make a request to " + s.URL + ": " + err.Error()}
	}
	for k, vs := range s.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Content-Type", "application/xml")
	req.Header.Set(IdempotencyHeader, env.InstanceID)
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "ehf")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		if ctx.Err() == nil && actx.Err() != nil {
			return Receipt{}, 0, fmt.Errorf("no answer within %v: %w", timeout, context.DeadlineExceeded)
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return Receipt{}, 0, fmt.Errorf("no answer within %v: %w", timeout, err)
		}
		return Receipt{}, 0, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	code := resp.StatusCode
	switch {
	case code >= 200 && code <= 299:
		// The status is the acceptance; a body cut short by the network
		// after it does not undo that.
		return Receipt{InstanceID: env.InstanceID, MessageID: messageID(resp, answer), At: time.Now()}, 0, nil
	case code >= 500 || code == http.StatusRequestTimeout || code == http.StatusTooManyRequests:
		if err != nil {
			return Receipt{}, 0, fmt.Errorf("HTTP %d, answer unreadable: %w", code, err)
		}
		return Receipt{}, retryAfter(resp.Header.Get("Retry-After")), fmt.Errorf("HTTP %d: %s", code, reason(answer, resp.Status))
	default:
		return Receipt{}, 0, &RejectedError{StatusCode: code, Reason: reason(answer, resp.Status)}
	}
}

// messageID finds the access point's reference for the message: a JSON
// answer's id, messageId or transmissionId, else the Location header.
func messageID(resp *http.Response, answer []byte) string {
	var m map[string]any
	if json.Unmarshal(answer, &m) == nil {
		for _, k := range []string{"messageId", "messageID", "transmissionId", "id"} {
			switch v := m[k].(type) {
			case string:
				return oneLine(v, 200)
			case float64:
				return strconv.FormatFloat(v, 'f', -1, 64)
			}
		}
	}
	return oneLine(resp.Header.Get("Location"), 200)
}

// reason turns an error answer into one line: a JSON answer's message,
// error or detail, else the text, else the status line.
func reason(answer []byte, status string) string {
	var m map[string]any
	if json.Unmarshal(answer, &m) == nil {
		for _, k := range []string{"message", "error", "detail", "title"} {
			if v, ok := m[k].(string); ok && v != "" {
				return oneLine(v, 300)
			}
		}
	}
	if s := oneLine(string(answer), 300); s != "" && utf8.ValidString(s) {
		return s
	}
	return status
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}
