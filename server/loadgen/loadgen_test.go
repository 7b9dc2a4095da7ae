package loadgen

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	var n, bad atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if string(b) != "<x/>" || r.Header.Get("Content-Type") != "application/xml" {
			bad.Add(1)
		}
		if n.Add(1)%10 == 0 {
			w.WriteHeader(503)
			return
		}
		time.Sleep(time.Millisecond)
		io.WriteString(w, `{"valid":true}`)
	}))
	defer srv.Close()
	r, err := Run(context.Background(), Options{
		URL: srv.URL, Body: []byte("<x/>"), Header: http.Header{"Content-Type": {"application/xml"}},
		Clients: 8, Duration: 300 * time.Millisecond, Warmup: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if bad.Load() != 0 {
		t.Errorf("%d requests arrived without the body or header", bad.Load())
	}
	if r.Requests < 20 || r.OK+r.Statuses[503]+r.Errors != r.Requests || r.Statuses[503] == 0 {
		t.Errorf("%+v", r)
	}
	if r.P50 < time.Millisecond || r.P50 > r.P99 || r.P99 > r.Max || r.Throughput <= 0 {
		t.Errorf("percentiles %v %v %v, %f/s", r.P50, r.P99, r.Max, r.Throughput)
	}
	// warm-up requests are not counted
	if int64(r.Requests) >= n.Load() {
		t.Errorf("measured %d of %d sent", r.Requests, n.Load())
	}
	if s := r.String(); !strings.Contains(s, "p99") || !strings.Contains(s, "503: ") {
		t.Errorf("report %q", s)
	}

	r, err = Run(context.Background(), Options{URL: srv.URL, Method: "GET", Clients: 4, Requests: 100, Warmup: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests < 100 || r.Requests > 104 {
		t.Errorf("asked for 100 requests, measured %d", r.Requests)
	}

	r, err = Run(context.Background(), Options{URL: "http://127.0.0.1:1/", Clients: 2, Duration: 100 * time.Millisecond, Warmup: -1})
	if err != nil || r.Errors == 0 || r.FirstError == "" || r.OK != 0 {
		t.Errorf("nobody listening: %v %+v", err, r)
	}
}
