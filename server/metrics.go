package server

import (
	"bufio"
	"cmp"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// metrics counts what the server does, and writes it in the Prometheus
// text exposition format (version 0.0.4) by hand: the format is a few
// lines of text, not worth a dependency.
//
// Every label value comes from a closed set (routes, methods, status
// codes, the rule pack's IDs), so a client cannot make the series grow;
// rule IDs are capped all the same.
type metrics struct {
	mu       sync.Mutex
	requests map[reqLabels]*atomic.Uint64
	latency  map[string]*histogram // by route
	findings map[findLabels]*atomic.Uint64
	results  map[string]*atomic.Uint64 // validation results
	rejects  map[string]*atomic.Uint64 // requests refused before validation, by reason
	forwards map[string]*atomic.Uint64 // forwarding outcomes

	findingsDropped atomic.Uint64 // findings of rule IDs past maxRuleSeries
	inFlight        atomic.Int64
	forwardTries    atomic.Uint64
}

type reqLabels struct {
	route, method string
	code          int
}

type findLabels struct{ rule, flag string }

const maxRuleSeries = 2000

// latencyBuckets are the histogram's upper bounds in seconds: dense below
// 50 ms, where a healthy webhook answers.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type histogram struct {
	counts [14]atomic.Uint64 // one per bucket, then +Inf
	sumNs  atomic.Uint64
}

func (h *histogram) observe(d time.Duration) {
	s := d.Seconds()
	i, _ := slices.BinarySearch(latencyBuckets, s)
	h.counts[i].Add(1)
	h.sumNs.Add(uint64(max(d, 0)))
}

func newMetrics() *metrics {
	return &metrics{
		requests: map[reqLabels]*atomic.Uint64{},
		latency:  map[string]*histogram{},
		findings: map[findLabels]*atomic.Uint64{},
		results:  map[string]*atomic.Uint64{},
		rejects:  map[string]*atomic.Uint64{},
		forwards: map[string]*atomic.Uint64{},
	}
}

// counter returns m[k], creating it; it takes the lock only to find the
// counter, the increment itself is atomic.
func counter[K comparable](mu *sync.Mutex, m map[K]*atomic.Uint64, k K) *atomic.Uint64 {
	mu.Lock()
	c, ok := m[k]
	if !ok {
		c = new(atomic.Uint64)
		m[k] = c
	}
	mu.Unlock()
	return c
}

// request counts one answered request.
func (m *metrics) request(route, method string, code int, d time.Duration) {
	counter(&m.mu, m.requests, reqLabels{route, method, code}).Add(1)
	m.mu.Lock()
	h, ok := m.latency[route]
	if !ok {
		h = new(histogram)
		m.latency[route] = h
	}
	m.mu.Unlock()
	h.observe(d)
}

// result counts one document: valid, invalid or unreadable.
func (m *metrics) result(r string) { counter(&m.mu, m.results, r).Add(1) }

// reject counts a request refused before its document was looked at.
func (m *metrics) reject(reason string) { counter(&m.mu, m.rejects, reason).Add(1) }

// forward counts a forwarding outcome and its attempts.
func (m *metrics) forward(outcome string, attempts int) {
	counter(&m.mu, m.forwards, outcome).Add(1)
	m.forwardTries.Add(uint64(attempts))
}

// finding counts one finding of a rule.
func (m *metrics) finding(rule, flag string) {
	k := findLabels{rule, flag}
	m.mu.Lock()
	c, ok := m.findings[k]
	if !ok {
		if len(m.findings) >= maxRuleSeries {
			m.mu.Unlock()
			m.findingsDropped.Add(1)
			return
		}
		c = new(atomic.Uint64)
		m.findings[k] = c
	}
	m.mu.Unlock()
	c.Add(1)
}

// gauges are the values read at scrape time from the rest of the server.
type gauges struct {
	ready                   bool
	workers, running, queue int
	queueCap                int
	conns, maxConns         int
	bodyBytes, bodyLimit    int64
	validators              int
}

// write prints every series, sorted, so that scrapes are stable.
func (m *metrics) write(out io.Writer, g gauges) error {
	w := bufio.NewWriter(out)
	m.mu.Lock()
	reqs := snapshot(m.requests)
	finds := snapshot(m.findings)
	results := snapshot(m.results)
	rejects := snapshot(m.rejects)
	forwards := snapshot(m.forwards)
	hists := make(map[string]*histogram, len(m.latency))
	for k, v := range m.latency {
		hists[k] = v
	}
	m.mu.Unlock()

	family(w, "ehf_http_requests_total", "counter", "HTTP requests answered, by route, method and status code.")
	slices.SortFunc(reqs, func(a, b kv[reqLabels]) int {
		return cmp.Or(cmp.Compare(a.k.route, b.k.route), cmp.Compare(a.k.method, b.k.method), cmp.Compare(a.k.code, b.k.code))
	})
	for _, r := range reqs {
		sample(w, "ehf_http_requests_total", r.v, "route", r.k.route, "method", r.k.method, "code", strconv.Itoa(r.k.code))
	}

	family(w, "ehf_http_request_duration_seconds", "histogram", "Time from the end of the request headers to the end of the answer, by route.")
	routes := make([]string, 0, len(hists))
	for r := range hists {
		routes = append(routes, r)
	}
	slices.Sort(routes)
	for _, r := range routes {
		h := hists[r]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i].Load()
			sample(w, "ehf_http_request_duration_seconds_bucket", cum, "route", r, "le", strconv.FormatFloat(le, 'g', -1, 64))
		}
		cum += h.counts[len(latencyBuckets)].Load()
		sample(w, "ehf_http_request_duration_seconds_bucket", cum, "route", r, "le", "+Inf")
		sampleFloat(w, "ehf_http_request_duration_seconds_sum", float64(h.sumNs.Load())/1e9, "route", r)
		sample(w, "ehf_http_request_duration_seconds_count", cum, "route", r)
	}

	family(w, "ehf_http_requests_in_flight", "gauge", "HTTP requests being handled now.")
	sampleInt(w, "ehf_http_requests_in_flight", m.inFlight.Load())

	family(w, "ehf_validations_total", "counter", "Documents validated, by result: valid, invalid (a fatal finding), unreadable (not well-formed XML) or error (the validator failed).")
	for _, r := range sorted(results) {
		sample(w, "ehf_validations_total", r.v, "result", r.k)
	}

	family(w, "ehf_findings_total", "counter", "Findings reported, by rule ID and flag.")
	slices.SortFunc(finds, func(a, b kv[findLabels]) int {
		return cmp.Or(cmp.Compare(a.k.rule, b.k.rule), cmp.Compare(a.k.flag, b.k.flag))
	})
	for _, f := range finds {
		sample(w, "ehf_findings_total", f.v, "rule", f.k.rule, "flag", f.k.flag)
	}
	family(w, "ehf_findings_uncounted_total", "counter", "Findings not counted by rule because too many rule IDs were seen.")
	sample(w, "ehf_findings_uncounted_total", m.findingsDropped.Load())

	family(w, "ehf_rejected_total", "counter", "Requests refused before validation, by reason.")
	for _, r := range sorted(rejects) {
		sample(w, "ehf_rejected_total", r.v, "reason", r.k)
	}

	family(w, "ehf_forwards_total", "counter", "Valid documents offered to the next hop, by outcome.")
	for _, r := range sorted(forwards) {
		sample(w, "ehf_forwards_total", r.v, "outcome", r.k)
	}
	family(w, "ehf_forward_attempts_total", "counter", "Attempts made to deliver documents to the next hop, retries included.")
	sample(w, "ehf_forward_attempts_total", m.forwardTries.Load())

	gauge := func(name, help string, v int64) {
		family(w, name, "gauge", help)
		sampleInt(w, name, v)
	}
	ready := int64(0)
	if g.ready {
		ready = 1
	}
	gauge("ehf_ready", "1 when the server takes requests, 0 while starting or shutting down.", ready)
	gauge("ehf_workers", "Validation workers.", int64(g.workers))
	gauge("ehf_workers_busy", "Validation workers running a document now.", int64(g.running))
	gauge("ehf_queue_length", "Requests waiting for a validation worker.", int64(g.queue))
	gauge("ehf_queue_capacity", "Requests that may wait for a worker before the server answers 503.", int64(g.queueCap))
	gauge("ehf_connections_open", "Open client connections.", int64(g.conns))
	gauge("ehf_connections_max", "Open client connections allowed.", int64(g.maxConns))
	gauge("ehf_body_bytes", "Bytes held in request bodies now.", g.bodyBytes)
	gauge("ehf_body_bytes_max", "Bytes that request bodies may hold together.", g.bodyLimit)
	gauge("ehf_validators_cached", "Compiled validators in the cache.", int64(g.validators))

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gauge("go_goroutines", "Goroutines that currently exist.", int64(runtime.NumGoroutine()))
	gauge("go_memstats_heap_inuse_bytes", "Bytes in in-use heap spans.", int64(ms.HeapInuse))
	gauge("go_memstats_stack_inuse_bytes", "Bytes in stack spans.", int64(ms.StackInuse))
	gauge("go_memstats_sys_bytes", "Bytes obtained from the operating system.", int64(ms.Sys))
	return w.Flush()
}

type kv[K any] struct {
	k K
	v uint64
}

func snapshot[K comparable](m map[K]*atomic.Uint64) []kv[K] {
	out := make([]kv[K], 0, len(m))
	for k, v := range m {
		out = append(out, kv[K]{k, v.Load()})
	}
	return out
}

func sorted(s []kv[string]) []kv[string] {
	slices.SortFunc(s, func(a, b kv[string]) int { return cmp.Compare(a.k, b.k) })
	return s
}

func family(w *bufio.Writer, name, typ, help string) {
	w.WriteString("# HELP ")
	w.WriteString(name)
	w.WriteByte(' ')
	w.WriteString(escapeHelp(help))
	w.WriteString("\n# TYPE ")
	w.WriteString(name)
	w.WriteByte(' ')
	w.WriteString(typ)
	w.WriteByte('\n')
}

func labels(w *bufio.Writer, kvs []string) {
	if len(kvs) == 0 {
		return
	}
	w.WriteByte('{')
	for i := 0; i+1 < len(kvs); i += 2 {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(kvs[i])
		w.WriteString(`="`)
		w.WriteString(escapeLabel(kvs[i+1]))
		w.WriteByte('"')
	}
	w.WriteByte('}')
}

func sample(w *bufio.Writer, name string, v uint64, kvs ...string) {
	w.WriteString(name)
	labels(w, kvs)
	w.WriteByte(' ')
	w.WriteString(strconv.FormatUint(v, 10))
	w.WriteByte('\n')
}

func sampleInt(w *bufio.Writer, name string, v int64, kvs ...string) {
	w.WriteString(name)
	labels(w, kvs)
	w.WriteByte(' ')
	w.WriteString(strconv.FormatInt(v, 10))
	w.WriteByte('\n')
}

func sampleFloat(w *bufio.Writer, name string, v float64, kvs ...string) {
	w.WriteString(name)
	labels(w, kvs)
	w.WriteByte(' ')
	w.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	w.WriteByte('\n')
}

var (
	labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
)

func escapeLabel(s string) string { return labelEscaper.Replace(s) }
func escapeHelp(s string) string  { return helpEscaper.Replace(s) }
