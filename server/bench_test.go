package server

import (
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"github.com/ehf-project/ehf/internal/sharedtest"
	"github.com/ehf-project/ehf/server/loadgen"
)

// BenchmarkServeValidate drives a real server over loopback with 32
// concurrent keep-alive clients posting base-example.xml, and reports
// throughput and latency percentiles. The target: at least 2,000
// validations/s on 2 cores with p99 under 50 ms. Measure on a quiet
// machine (the load generator shares the cores):
//
//	go test ./server -run '^$' -bench ServeValidate -benchtime 20000x
func BenchmarkServeValidate(b *testing.B) {
	data := readFile(b, sharedtest.Path(b, filepath.Join("examples", "peppol-3.0.19", "examples", "base-example.xml")))
	// as "ehf serve" sets the collector (see tuneGC in cmd/ehf/serve.go)
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	ts := start(b, Config{Logger: slog.New(slog.DiscardHandler)})
	b.ResetTimer()
	r, err := loadgen.Run(context.Background(), loadgen.Options{
		URL: ts.url + "/v1/validate", Body: data, Header: http.Header{"Content-Type": {"application/xml"}},
		Clients: 32, Requests: b.N, Warmup: 500 * time.Millisecond,
	})
	if err != nil {
		b.Fatal(err)
	}
	if r.OK != r.Requests {
		b.Fatalf("not every request was answered 200:\n%s", r)
	}
	b.ReportMetric(r.Throughput, "validations/s")
	b.ReportMetric(float64(r.P50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(r.P99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(len(data)), "doc-bytes")
}
