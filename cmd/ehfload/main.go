// Command ehfload is the load generator for "ehf serve": many concurrent
// keep-alive clients post one document over and over, and it reports
// throughput and latency percentiles.
//
//	ehf serve --log-level warn &
//	ehfload -file invoice.xml -c 32 -d 20s http://127.0.0.1:8080/v1/validate
//
// Each client waits for its answer before sending again, so -c is the
// number of requests in flight and the throughput is what the server
// sustains at that concurrency.
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ehf-project/ehf/server/loadgen"
)

type headers []string

func (h *headers) String() string     { return strings.Join(*h, ", ") }
func (h *headers) Set(s string) error { *h = append(*h, s); return nil }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run is main without the process: exit status 0 when every measured
// request was answered with the expected status, 1 when some were not,
// 2 on bad usage.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("ehfload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("file", "", "the document to post (required)")
	clients := fs.Int("c", 32, "concurrent clients (requests in flight)")
	dur := fs.Duration("d", 10*time.Second, "how long to measure")
	n := fs.Int("n", 0, "measure this many requests instead of -d")
	warm := fs.Duration("warmup", 2*time.Second, "load before measuring (connections, caches)")
	ctype := fs.String("content-type", "application/xml", "Content-Type of the requests")
	ok := fs.Int("ok", 200, "the status that counts as success")
	timeout := fs.Duration("timeout", 30*time.Second, "time limit of one request")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	insecure := fs.Bool("insecure", false, "accept any TLS certificate (self-signed test servers)")
	var hdrs headers
	fs.Var(&hdrs, "H", `extra header "Name: value" (repeatable)`)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: ehfload [flags] URL\n\nPosts -file to URL from -c clients at once and reports throughput and\nlatency (p50, p90, p99, p99.9, max). A token in EHF_TOKEN is sent as a\nbearer token.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 || *file == "" {
		fmt.Fprintln(stderr, "ehfload: give -file and one URL (see ehfload -h)")
		return 2
	}
	body, err := os.ReadFile(*file)
	if err != nil {
		fmt.Fprintln(stderr, "ehfload:", err)
		return 2
	}
	h := http.Header{"Content-Type": {*ctype}}
	if tok := getenv("EHF_TOKEN"); tok != "" {
		h.Set("Authorization", "Bearer "+tok)
	}
	for _, x := range hdrs {
		k, v, found := strings.Cut(x, ":")
		if !found || strings.TrimSpace(k) == "" {
			fmt.Fprintf(stderr, "ehfload: -H %q is not \"Name: value\"\n", x)
			return 2
		}
		h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	o := loadgen.Options{URL: fs.Arg(0), Body: body, Header: h, Clients: *clients, Duration: *dur, Requests: *n,
		Warmup: *warm, Timeout: *timeout, OK: *ok}
	if *warm == 0 {
		o.Warmup = -1
	}
	if *insecure {
		o.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	}
	r, err := loadgen.Run(ctx, o)
	if err != nil && r == nil {
		fmt.Fprintln(stderr, "ehfload:", err)
		return 2
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(jsonResult(r, *file, len(body)))
	} else {
		fmt.Fprintf(stdout, "%s (%d bytes) -> %s\n", *file, len(body), o.URL)
		fmt.Fprint(stdout, r.String())
	}
	if r.OK == 0 || r.OK != r.Requests {
		return 1
	}
	return 0
}

type result struct {
	File       string         `json:"file"`
	Bytes      int            `json:"bytes"`
	Clients    int            `json:"clients"`
	Requests   int            `json:"requests"`
	OK         int            `json:"ok"`
	Errors     int            `json:"errors"`
	Statuses   map[string]int `json:"statuses"`
	Seconds    float64        `json:"seconds"`
	Throughput float64        `json:"ok_per_second"`
	P50        float64        `json:"p50_ms"`
	P90        float64        `json:"p90_ms"`
	P99        float64        `json:"p99_ms"`
	P999       float64        `json:"p999_ms"`
	Max        float64        `json:"max_ms"`
}

func jsonResult(r *loadgen.Result, file string, size int) result {
	msf := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	out := result{File: file, Bytes: size, Clients: r.Clients, Requests: r.Requests, OK: r.OK, Errors: r.Errors,
		Statuses: map[string]int{}, Seconds: r.Elapsed.Seconds(), Throughput: r.Throughput,
		P50: msf(r.P50), P90: msf(r.P90), P99: msf(r.P99), P999: msf(r.P999), Max: msf(r.Max)}
	for c, n := range r.Statuses {
		out.Statuses[fmt.Sprint(c)] = n
	}
	return out
}
