package server

import (
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Shutdown: /readyz turns 503 at once, the listener closes after the
// delay, the request in flight is finished and answered, and Serve
// returns nil.
func TestGracefulShutdown(t *testing.T) {
	hold := make(chan struct{})
	entered := make(chan struct{}, 1)
	ts := start(t, Config{ShutdownDelay: 300 * time.Millisecond}, func(s *Server) {
		s.beforeCheck = func() {
			select {
			case entered <- struct{}{}:
				<-hold
			default:
			}
		}
	})
	data := readFile(t, plainXML)

	var wg sync.WaitGroup
	var inflight *answer
	wg.Add(1)
	go func() {
		defer wg.Done()
		inflight = post(t, ts.url+"/v1/validate", data)
	}()
	<-entered

	served := make(chan error, 1)
	go func() { served <- ts.stop(t) }()

	// during the delay: still serving, but no longer ready
	waitFor(t, func() bool { return !ts.Ready() })
	if a := do(t, nil, "GET", ts.url+"/readyz", nil); a.code != 503 {
		t.Errorf("readyz while shutting down: %d", a.code)
	}
	// after it: new connections are refused
	waitFor(t, func() bool {
		c, err := net.DialTimeout("tcp", ts.addr, time.Second)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	select {
	case err := <-served:
		t.Fatalf("Serve returned (%v) with a request in flight", err)
	case <-time.After(100 * time.Millisecond):
	}

	close(hold)
	wg.Wait()
	if inflight.code != 200 || !strings.Contains(string(inflight.body), `"valid":true`) {
		t.Errorf("the request in flight was answered %d: %s", inflight.code, inflight.body)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after the last request")
	}
	if !strings.Contains(ts.logs.String(), `"msg":"stopped"`) {
		t.Errorf("no stop in the log:\n%s", ts.logs.String())
	}
}

// A request that outlives ShutdownTimeout is cut off, and Serve says so.
func TestShutdownTimeout(t *testing.T) {
	hold := make(chan struct{})
	entered := make(chan struct{}, 1)
	ts := start(t, Config{ShutdownTimeout: 200 * time.Millisecond}, func(s *Server) {
		s.beforeCheck = func() {
			select {
			case entered <- struct{}{}:
				<-hold
			default:
			}
		}
	})
	go func() {
		req := readFile(t, plainXML)
		// the answer never comes: the connection is cut
		c, err := net.Dial("tcp", ts.addr)
		if err != nil {
			return
		}
		defer c.Close()
		c.Write([]byte("POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Length: " + strconv.Itoa(len(req)) + "\r\n\r\n"))
		c.Write(req)
		var b [1]byte
		c.Read(b[:])
	}()
	<-entered
	time.AfterFunc(time.Second, func() { close(hold) })
	err := ts.stop(t)
	if err == nil || !strings.Contains(err.Error(), "cut off") {
		t.Errorf("Serve returned %v, want the requests cut off", err)
	}
}
