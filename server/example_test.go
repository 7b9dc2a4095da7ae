package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/ehf-project/ehf/server"
)

// Serve the webhook on a loopback port and validate one document.
func ExampleServer_Serve() {
	s, err := server.New(server.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		panic(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Serve(ctx, ln) }()

	f, err := os.Open("../testdata/invoices/plain.xml")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	resp, err := http.Post("http://"+ln.Addr().String()+"/v1/validate?date=2026-11-24", "application/xml", f)
	if err != nil {
		panic(err)
	}
	var rep struct {
		Valid    bool     `json:"valid"`
		Document string   `json:"document"`
		RuleSets []string `json:"rulesets"`
	}
	json.NewDecoder(resp.Body).Decode(&rep)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, rep.Valid, rep.Document, rep.RuleSets[0])

	stop() // graceful: finishes requests in flight
	select {
	case err := <-done:
		fmt.Println("stopped:", err)
	case <-time.After(time.Minute):
	}
	// Output:
	// 200 true peppol-billing-invoice peppol-billing-2026.5
	// stopped: <nil>
}
