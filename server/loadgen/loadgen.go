// Package loadgen drives an HTTP endpoint with many concurrent clients
// and measures throughput and latency percentiles. It is the engine of
// cmd/ehfload and of the server's benchmark.
//
// Each client sends one request at a time over its own keep-alive
// connection (a closed loop), so the offered load adapts to the server:
// throughput is what the server sustains, and latency includes any time a
// request waits in the server's queue.
package loadgen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options describe a run.
type Options struct {
	// URL receives every request.
	URL string
	// Method is POST by default.
	Method string
	// Body is sent with every request.
	Body []byte
	// Header is added to every request (Content-Type, Authorization, ...).
	Header http.Header
	// Clients is how many requests are in flight at once (default 64).
	Clients int
	// Duration is how long to measure (default 10s), after Warmup.
	Duration time.Duration
	// Requests, when positive, ends the run after that many measured
	// requests instead.
	Requests int
	// Warmup runs the load for this long before measuring, so that
	// connections are open and caches warm (default 1s; negative: none).
	Warmup time.Duration
	// Timeout bounds one request (default 30s).
	Timeout time.Duration
	// OK is the status counted as success (default 200).
	OK int
	// Transport replaces the default one (TLS settings, for instance).
	Transport *http.Transport
}

// Result is what a run measured.
type Result struct {
	Requests   int           // requests completed while measuring
	OK         int           // of which answered with the OK status
	Errors     int           // of which failed without an answer
	Statuses   map[int]int   // answers by status
	Elapsed    time.Duration // measuring time
	Throughput float64       // OK answers per second
	P50, P90   time.Duration
	P99, P999  time.Duration
	Max        time.Duration
	Mean       time.Duration
	FirstError string // the first transport error, if any
	Clients    int
}

// String is a short report of the run.
func (r *Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d requests in %.2fs with %d clients: %.0f ok/s\n", r.Requests, r.Elapsed.Seconds(), r.Clients, r.Throughput)
	fmt.Fprintf(&b, "latency p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  mean %s\n", ms(r.P50), ms(r.P90), ms(r.P99), ms(r.P999), ms(r.Max), ms(r.Mean))
	codes := make([]int, 0, len(r.Statuses))
	for c := range r.Statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	b.WriteString("status")
	for _, c := range codes {
		fmt.Fprintf(&b, "  %d: %d", c, r.Statuses[c])
	}
	if r.Errors > 0 {
		fmt.Fprintf(&b, "  errors: %d (first: %s)", r.Errors, r.FirstError)
	}
	b.WriteByte('\n')
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

// Run drives the load until the duration or request count is reached, or
// ctx ends.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.URL == "" {
		return nil, errors.New("no URL to load")
	}
	if o.Method == "" {
		o.Method = http.MethodPost
	}
	if o.Clients <= 0 {
		o.Clients = 64
	}
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	if o.Warmup == 0 {
		o.Warmup = time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.OK == 0 {
		o.OK = http.StatusOK
	}
	tr := o.Transport
	if tr == nil {
		tr = &http.Transport{
			Proxy:       nil,
			DialContext: (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		}
	}
	tr.MaxIdleConns = o.Clients
	tr.MaxIdleConnsPerHost = o.Clients
	tr.MaxConnsPerHost = o.Clients
	client := &http.Client{Transport: tr, Timeout: o.Timeout}
	defer tr.CloseIdleConnections()

	type sample struct {
		d      time.Duration
		status int
		err    error
	}
	type clientLog struct {
		samples []sample
	}
	logs := make([]clientLog, o.Clients)

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu        sync.Mutex
		measuring bool
		measured  int
		start     time.Time
	)
	var wg sync.WaitGroup
	for i := range o.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			log := &logs[i]
			buf := make([]byte, 32<<10)
			for runCtx.Err() == nil {
				st := time.Now()
				status, err := once(runCtx, client, o, buf)
				d := time.Since(st)
				if runCtx.Err() != nil {
					return
				}
				mu.Lock()
				m := measuring && st.After(start)
				if m {
					measured++
					if o.Requests > 0 && measured >= o.Requests {
						cancel()
					}
				}
				mu.Unlock()
				if m {
					log.samples = append(log.samples, sample{d, status, err})
				}
				if err != nil {
					// a refused connection should not become a busy loop
					select {
					case <-time.After(10 * time.Millisecond):
					case <-runCtx.Done():
					}
				}
			}
		}()
	}
	if o.Warmup > 0 {
		select {
		case <-time.After(o.Warmup):
		case <-runCtx.Done():
		}
	}
	mu.Lock()
	measuring, start = true, time.Now()
	mu.Unlock()
	if o.Requests <= 0 {
		select {
		case <-time.After(o.Duration):
		case <-runCtx.Done():
		}
		cancel()
	} else {
		<-runCtx.Done()
	}
	end := time.Now()
	wg.Wait()

	r := &Result{Statuses: map[int]int{}, Elapsed: end.Sub(start), Clients: o.Clients}
	var lat []time.Duration
	var sum time.Duration
	for _, l := range logs {
		for _, s := range l.samples {
			r.Requests++
			if s.err != nil {
				r.Errors++
				if r.FirstError == "" {
					r.FirstError = s.err.Error()
				}
				continue
			}
			r.Statuses[s.status]++
			if s.status == o.OK {
				r.OK++
			}
			lat = append(lat, s.d)
			sum += s.d
		}
	}
	if r.Elapsed > 0 {
		r.Throughput = float64(r.OK) / r.Elapsed.Seconds()
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
		r.P50, r.P90, r.P99, r.P999, r.Max = q(0.50), q(0.90), q(0.99), q(0.999), lat[len(lat)-1]
		r.Mean = sum / time.Duration(len(lat))
	}
	if ctx.Err() != nil {
		return r, ctx.Err()
	}
	return r, nil
}

// once sends one request and reads the whole answer, so the connection
// is reused.
func once(ctx context.Context, c *http.Client, o Options, buf []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, o.Method, o.URL, bytes.NewReader(o.Body))
	if err != nil {
		return 0, err
	}
	for k, v := range o.Header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	for {
		if _, err := resp.Body.Read(buf); err != nil {
			if err != io.EOF {
				resp.Body.Close()
				return resp.StatusCode, err
			}
			break
		}
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
