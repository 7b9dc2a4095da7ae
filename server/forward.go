package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// forwarder posts valid documents on to the next hop. Every attempt for a
// document carries the same Idempotency-Key, so a next hop that saw an
// attempt whose answer was lost can recognise the retry; the key is the
// client's own Idempotency-Key when it sent one, else the SHA-256 of the
// body, so a pipeline that posts the same document twice gets one
// delivery at a hop that honours the key.
type forwarder struct {
	url      string
	header   http.Header
	client   *http.Client
	attempts int
	timeout  time.Duration // per attempt
	backoff  time.Duration // first wait; doubles
	maxWait  time.Duration
	sleep    func(ctx context.Context, d time.Duration) error // replaced in tests
}

func newForwarder(c *Config) *forwarder {
	if c.Forward == "" {
		return nil
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return &forwarder{
		url:      c.Forward,
		header:   c.ForwardHeader,
		client:   &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		attempts: c.ForwardAttempts,
		timeout:  c.ForwardTimeout,
		backoff:  c.ForwardBackoff,
		maxWait:  5 * time.Second,
		sleep:    sleepCtx,
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// delivery is what forwarding came to.
type delivery struct {
	status   int // the next hop's last status; 0 when it never answered
	attempts int
	key      string
	err      error // nil when delivered
}

// idempotencyKey is the client's key when it is a sane token, else the
// body's SHA-256.
func idempotencyKey(r *http.Request, body []byte) string {
	if k := r.Header.Get("Idempotency-Key"); token(k, 200) {
		return k
	}
	sum := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// send offers body to the next hop until it takes it (2xx), refuses it
// for good (a 4xx other than 408, 425 and 429), or the attempts run out.
func (f *forwarder) send(ctx context.Context, body []byte, contentType, key, reqID, docType string) delivery {
	d := delivery{key: key}
	wait := f.backoff
	for d.attempts < f.attempts {
		if d.attempts > 0 {
			if err := f.sleep(ctx, wait); err != nil {
				d.err = fmt.Errorf("gave up after %d attempts: %w", d.attempts, err)
				return d
			}
			wait = min(wait*2, f.maxWait)
		}
		d.attempts++
		status, retryAfter, err := f.once(ctx, body, contentType, key, reqID, docType)
		d.status = status
		switch {
		case err == nil && status >= 200 && status < 300:
			d.err = nil
			return d
		case err != nil:
			d.err = err
		default:
			d.err = fmt.Errorf("the next hop answered %d %s", status, http.StatusText(status))
			if !retryable(status) {
				return d
			}
		}
		// jitter on the upper half: retries of many documents after one
		// outage spread out instead of arriving together
		wait = wait/2 + rand.N(wait/2+1)
		if retryAfter > wait {
			// the hop said when; waiting less would only be refused again
			wait = min(retryAfter, f.maxWait)
		}
	}
	d.err = fmt.Errorf("gave up after %d attempts: %w", d.attempts, d.err)
	return d
}

func retryable(status int) bool {
	switch status {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests:
		return true
	}
	return status >= 500
}

func (f *forwarder) once(ctx context.Context, body []byte, contentType, key, reqID, docType string) (status int, retryAfter time.Duration, err error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	for k, v := range f.header {
		req.Header[k] = v
	}
	if contentType == "" {
		contentType = "application/xml"
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Idempotency-Key", key)
	req.Header.Set("X-Request-ID", reqID)
	req.Header.Set("Ehf-Document", docType)
	req.Header.Set("User-Agent", "ehf-serve")
	resp, err := f.client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	// read a little of the answer so the connection can be reused
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		retryAfter = time.Duration(s) * time.Second
	}
	return resp.StatusCode, retryAfter, nil
}
