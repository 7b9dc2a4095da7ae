package server

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// exposition is a parsed scrape: every sample by its full series name.
type exposition struct {
	types   map[string]string
	samples map[string]float64
}

var (
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$`)
	labelPair  = regexp.MustCompile(`^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\["\\n])*)"(,|$)`)
)

// parseExposition reads the Prometheus text format strictly: HELP and
// TYPE before a family's samples, label values quoted and escaped,
// numeric values, no series twice.
func parseExposition(text string) (*exposition, error) {
	e := &exposition{types: map[string]string{}, samples: map[string]float64{}}
	if !strings.HasSuffix(text, "\n") {
		return nil, fmt.Errorf("does not end in a newline")
	}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		n := i + 1
		switch {
		case strings.HasPrefix(line, "# HELP "):
			continue
		case strings.HasPrefix(line, "# TYPE "):
			f := strings.Fields(line)
			if len(f) != 4 {
				return nil, fmt.Errorf("line %d: %q", n, line)
			}
			switch f[3] {
			case "counter", "gauge", "histogram":
			default:
				return nil, fmt.Errorf("line %d: type %q", n, f[3])
			}
			if _, dup := e.types[f[2]]; dup {
				return nil, fmt.Errorf("line %d: %s typed twice", n, f[2])
			}
			e.types[f[2]] = f[3]
			continue
		case strings.HasPrefix(line, "#"), line == "":
			return nil, fmt.Errorf("line %d: %q", n, line)
		}
		m := sampleLine.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("line %d: not a sample: %q", n, line)
		}
		name, labels := m[1], m[3]
		for rest := labels; rest != ""; {
			p := labelPair.FindStringSubmatch(rest)
			if p == nil {
				return nil, fmt.Errorf("line %d: bad labels %q", n, labels)
			}
			rest = rest[len(p[0]):]
		}
		family := name
		for _, suf := range []string{"_bucket", "_sum", "_count"} {
			if b, ok := strings.CutSuffix(name, suf); ok && e.types[b] == "histogram" {
				family = b
			}
		}
		if _, ok := e.types[family]; !ok {
			return nil, fmt.Errorf("line %d: %s has no TYPE before it", n, name)
		}
		v, err := strconv.ParseFloat(m[4], 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: value %q", n, m[4])
		}
		key := name
		if m[2] != "" {
			key += m[2]
		}
		if _, dup := e.samples[key]; dup {
			return nil, fmt.Errorf("line %d: %s twice", n, key)
		}
		e.samples[key] = v
	}
	return e, nil
}

func scrape(t *testing.T, url string) *exposition {
	t.Helper()
	a := do(t, nil, "GET", url+"/metrics", nil)
	if a.code != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("%d %s", a.code, a.header.Get("Content-Type"))
	}
	e, err := parseExposition(string(a.body))
	if err != nil {
		t.Fatalf("%v\n%s", err, a.body)
	}
	return e
}

func TestMetrics(t *testing.T) {
	ts := start(t, Config{MaxBodySize: 64 << 10})
	plain, broken := readFile(t, plainXML), readFile(t, brokenXML)
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() { defer wg.Done(); post(t, ts.url+"/v1/validate", plain) }()
	}
	wg.Wait()
	brokenAnswer := post(t, ts.url+"/v1/validate", broken)
	post(t, ts.url+"/v1/validate", readFile(t, truncatedXML))
	post(t, ts.url+"/v1/validate", bytes.Repeat([]byte("x"), 100<<10))
	do(t, nil, "DELETE", ts.url+"/v1/validate", nil)
	do(t, nil, "BREW", ts.url+"/nowhere", nil)

	e := scrape(t, ts.url)
	want := map[string]float64{
		`ehf_http_requests_total{route="/v1/validate",method="POST",code="200"}`:   6,
		`ehf_http_requests_total{route="/v1/validate",method="POST",code="400"}`:   1,
		`ehf_http_requests_total{route="/v1/validate",method="POST",code="413"}`:   1,
		`ehf_http_requests_total{route="/v1/validate",method="DELETE",code="405"}`: 1,
		`ehf_http_requests_total{route="other",method="other",code="404"}`:         1,
		`ehf_validations_total{result="valid"}`:                                    5,
		`ehf_validations_total{result="invalid"}`:                                  1,
		`ehf_validations_total{result="unreadable"}`:                               1,
		`ehf_rejected_total{reason="too_large"}`:                                   1,
		`ehf_http_request_duration_seconds_count{route="/v1/validate"}`:            9,
		`ehf_http_requests_in_flight`:                                              1, // the scrape itself
		`ehf_ready`:                                                                1,
		`ehf_workers`:                                                              float64(ts.cfg.Workers),
		`ehf_body_bytes`:                                                           0,
		`ehf_queue_length`:                                                         0,
	}
	for k, v := range want {
		if got, ok := e.samples[k]; !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}

	// findings by rule: each finding of the broken document is counted
	var rep struct{ Findings []struct{ ID, Flag string } }
	brokenAnswer.json(t, &rep)
	perRule := map[string]float64{}
	for _, f := range rep.Findings {
		perRule[`ehf_findings_total{rule="`+f.ID+`",flag="`+f.Flag+`"}`]++
	}
	if len(perRule) == 0 {
		t.Fatal("the broken document has no findings")
	}
	for k, v := range perRule {
		if e.samples[k] != v {
			t.Errorf("%s = %v, want %v", k, e.samples[k], v)
		}
	}

	// the histogram is cumulative and ends in +Inf = count
	prev := -1.0
	for _, le := range append(latencyBuckets, 0) {
		l := strconv.FormatFloat(le, 'g', -1, 64)
		if le == 0 {
			l = "+Inf"
		}
		v, ok := e.samples[`ehf_http_request_duration_seconds_bucket{route="/v1/validate",le="`+l+`"}`]
		if !ok || v < prev {
			t.Errorf("bucket le=%s: %v after %v", l, v, prev)
		}
		prev = v
	}
	if prev != 9 {
		t.Errorf("+Inf bucket %v, want 9", prev)
	}
	if s := e.samples[`ehf_http_request_duration_seconds_sum{route="/v1/validate"}`]; s <= 0 || s > 60 {
		t.Errorf("sum %v", s)
	}
}

func TestMetricsEscaping(t *testing.T) {
	m := newMetrics()
	m.finding("A\"B\\C\nD", "fatal")
	m.request("/x", "GET", 200, 3*time.Millisecond)
	var b bytes.Buffer
	m.write(&b, gauges{})
	e, err := parseExposition(b.String())
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if e.samples[`ehf_findings_total{rule="A\"B\\C\nD",flag="fatal"}`] != 1 {
		t.Errorf("escaped label not found in\n%s", b.String())
	}
	if e.samples[`ehf_http_request_duration_seconds_bucket{route="/x",le="0.0025"}`] != 0 ||
		e.samples[`ehf_http_request_duration_seconds_bucket{route="/x",le="0.005"}`] != 1 {
		t.Errorf("3ms in the wrong bucket:\n%s", b.String())
	}
}

// The rule label cannot grow without end.
func TestMetricsRuleCap(t *testing.T) {
	m := newMetrics()
	for i := range maxRuleSeries + 10 {
		m.finding("R-"+strconv.Itoa(i), "fatal")
	}
	if len(m.findings) != maxRuleSeries || m.findingsDropped.Load() != 10 {
		t.Errorf("%d series, %d dropped", len(m.findings), m.findingsDropped.Load())
	}
}
