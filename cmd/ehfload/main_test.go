package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/server"
)

// ehfload against a real ehf server on loopback.
func TestLoadAgainstServer(t *testing.T) {
	s, err := server.New(server.Config{Token: "lt", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()
	url := "http://" + ln.Addr().String() + "/v1/validate"
	doc := "../../testdata/invoices/plain.xml"
	env := func(k string) string {
		if k == "EHF_TOKEN" {
			return "lt"
		}
		return ""
	}

	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-file", doc, "-c", "4", "-n", "200", "-warmup", "0", "-json", "-H", "X-Request-ID: load", url}, &out, &errb, env)
	var r result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("%v: %s %s", err, out.String(), errb.String())
	}
	if code != 0 || r.OK < 200 || r.Statuses["200"] != r.OK || r.P50 <= 0 || r.P99 < r.P50 || r.Throughput <= 0 {
		t.Errorf("exit %d: %+v", code, r)
	}

	// without the token every answer is 401: exit 1, and the text report says so
	out.Reset()
	code = run(context.Background(), []string{"-file", doc, "-c", "2", "-n", "20", "-warmup", "0", url}, &out, &errb, func(string) string { return "" })
	if code != 1 || !strings.Contains(out.String(), "401: ") || !strings.Contains(out.String(), "p99") {
		t.Errorf("exit %d:\n%s", code, out.String())
	}
}

func TestUsage(t *testing.T) {
	f := filepath.Join(t.TempDir(), "d.xml")
	os.WriteFile(f, []byte("<a/>"), 0o600)
	for _, args := range [][]string{
		{},
		{"-file", f},
		{"http://127.0.0.1:1/"},
		{"-file", "/nonexistent.xml", "http://127.0.0.1:1/"},
		{"-file", f, "-H", "novalue", "http://127.0.0.1:1/"},
		{"-bogus"},
	} {
		if code := run(context.Background(), args, io.Discard, io.Discard, func(string) string { return "" }); code != 2 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}
