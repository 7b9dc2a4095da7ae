package server

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The reader's hardening cases, sent over HTTP: each is answered 400 (or
// 413) quickly, with a position, and the server goes on answering.
func TestHostileDocuments(t *testing.T) {
	ts := start(t, Config{})
	laughs := `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<lolz>&lol2;</lolz>`
	var attrs strings.Builder
	attrs.WriteString("<a")
	for i := range 10000 {
		fmt.Fprintf(&attrs, " a%d='1'", i)
	}
	attrs.WriteString("/>")
	cases := []struct {
		name string
		body string
		want string // in the error
		line int
	}{
		{"billion laughs", laughs, "DOCTYPE declarations are not accepted", 2},
		{"external entity", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`, "DOCTYPE", 1},
		{"entity without DTD", "<r>&x;</r>", "undefined entity", 1},
		{"100,000 nested elements", strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000), "nested more than 256 deep", 1},
		{"10,000 attributes", attrs.String(), "more than 256 attributes", 1},
		{"invalid UTF-8", "<a>\n\xc3\x28</a>", "invalid UTF-8", 2},
		{"not XML", "%PDF-1.7\n", "", 1},
		{"empty", "", "", 0},
		{"SBDH without payload", `<StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"><StandardBusinessDocumentHeader/></StandardBusinessDocument>`, "holds no document", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			a := post(t, ts.url+"/v1/validate", []byte(c.body))
			var e errorBody
			a.json(t, &e)
			if a.code != http.StatusBadRequest || !strings.Contains(e.Error, c.want) || e.File != "-" {
				t.Errorf("%d %s", a.code, a.body)
			}
			if c.line > 0 && e.Line != c.line {
				t.Errorf("line %d, want %d: %s", e.Line, c.line, a.body)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	if a := post(t, ts.url+"/v1/validate", readFile(t, plainXML)); a.code != 200 {
		t.Errorf("after the hostile documents: %d", a.code)
	}
	if n := ts.mem.used.Load(); n != 0 {
		t.Errorf("%d body bytes still held", n)
	}
}

// A gigabyte sent to a server that takes 32 MiB: refused at the limit
// without reading the rest, announced or not.
func TestHugeBody(t *testing.T) {
	ts := start(t, Config{})
	t.Run("announced", func(t *testing.T) {
		req, _ := http.NewRequest("POST", ts.url+"/v1/validate", io.LimitReader(repeatReader('x'), 1<<30))
		req.ContentLength = 1 << 30
		req.Header.Set("Content-Type", "application/xml")
		start := time.Now()
		resp, err := testClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 413 || time.Since(start) > 5*time.Second {
			t.Errorf("%d after %v", resp.StatusCode, time.Since(start))
		}
	})
	t.Run("chunked", func(t *testing.T) {
		c, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(30 * time.Second))
		io.WriteString(c, "POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\nTransfer-Encoding: chunked\r\n\r\n")
		var sent atomic.Int64
		go func() {
			chunk := fmt.Sprintf("%x\r\n%s\r\n", 64<<10, bytes.Repeat([]byte("<a>"), (64<<10)/3+1)[:64<<10])
			for sent.Load() < 1<<30 {
				n, err := io.WriteString(c, chunk)
				sent.Add(int64(n))
				if err != nil {
					return
				}
			}
		}()
		start := time.Now()
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 413 {
			t.Errorf("status %d", resp.StatusCode)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("took %v", d)
		}
		if s := sent.Load(); s > 64<<20 {
			t.Errorf("the client got to send %d MiB", s>>20)
		}
	})
	waitFor(t, func() bool { return ts.mem.used.Load() == 0 })
}

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// Many large bodies at once: the server holds at most MaxBodyMemory of
// them and answers the rest 503, instead of growing.
func TestBodyMemoryBound(t *testing.T) {
	hold := make(chan struct{})
	var peak atomic.Int64
	ts := start(t, Config{MaxBodySize: 1 << 20, MaxBodyMemory: 4 << 20, Workers: 1},
		func(s *Server) {
			s.beforeCheck = func() {
				if u := s.mem.used.Load(); u > peak.Load() {
					peak.Store(u)
				}
				<-hold
			}
		})
	body := bytes.Repeat([]byte(" "), 900<<10)
	var wg sync.WaitGroup
	var ok, busy atomic.Int32
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := post(t, ts.url+"/v1/validate", body)
			switch a.code {
			case 400: // all blanks is not a document: it was read and parsed
				ok.Add(1)
			case 503:
				busy.Add(1)
			default:
				t.Errorf("status %d: %s", a.code, a.body)
			}
		}()
	}
	waitFor(t, func() bool { return busy.Load() >= 16 })
	if u := ts.mem.used.Load(); u > 4<<20 {
		t.Errorf("%d bytes held, limit %d", u, 4<<20)
	}
	close(hold)
	wg.Wait()
	if ok.Load() != 4 || busy.Load() != 16 {
		t.Errorf("%d read, %d refused; want 4 and 16", ok.Load(), busy.Load())
	}
	if peak.Load() > 4<<20 {
		t.Errorf("peak %d body bytes, limit %d", peak.Load(), 4<<20)
	}
	if n := ts.mem.used.Load(); n != 0 {
		t.Errorf("%d body bytes still held", n)
	}
}

// Slow-loris: clients that send their headers or body a byte at a time
// are cut off at the timeouts, and everyone else is served meanwhile.
func TestSlowLoris(t *testing.T) {
	ts := start(t, Config{ReadHeaderTimeout: 500 * time.Millisecond, ReadTimeout: 1500 * time.Millisecond})
	head := "POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\nContent-Length: 100000\r\n\r\n"
	const n = 50
	type result struct {
		headers bool
		d       time.Duration
		status  int
		err     error
	}
	results := make(chan result, 2*n)
	trickle := func(headers bool) {
		c, err := net.Dial("tcp", ts.addr)
		if err != nil {
			results <- result{err: err}
			return
		}
		defer c.Close()
		start := time.Now()
		msg := head + strings.Repeat("x", 100000)
		if !headers {
			io.WriteString(c, head)
			msg = msg[len(head):]
		}
		// a byte every 20ms until the server gives up on us
		go func() {
			for i := 0; i < len(msg); i++ {
				if _, err := c.Write([]byte{msg[i]}); err != nil {
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		r := result{headers: headers, d: time.Since(start)}
		if err == nil {
			r.status = resp.StatusCode
		} else if !isClosed(err) {
			r.err = err
		}
		results <- r
	}
	for range n {
		go trickle(true)
		go trickle(false)
	}
	// meanwhile, ordinary requests are answered at once
	data := readFile(t, plainXML)
	time.Sleep(100 * time.Millisecond)
	for range 20 {
		st := time.Now()
		if a := post(t, ts.url+"/v1/validate", data); a.code != 200 {
			t.Errorf("status %d during the attack", a.code)
		}
		if d := time.Since(st); d > 3*time.Second {
			t.Errorf("an ordinary request took %v during the attack", d)
		}
	}
	for range 2 * n {
		r := <-results
		switch {
		case r.err != nil:
			t.Errorf("slow client: %v", r.err)
		case r.d > 10*time.Second:
			t.Errorf("a slow client was cut off only after %v", r.d)
		case r.headers && r.status != 0 && r.status != http.StatusBadRequest:
			// net/http hangs up, or says 400, on a request cut off in its headers
			t.Errorf("a client slow to send its headers was answered %d", r.status)
		case !r.headers && r.status != http.StatusRequestTimeout:
			t.Errorf("a client slow to send its body was answered %d, want 408", r.status)
		}
	}
	waitFor(t, func() bool { return ts.ll.Load().open.Load() <= 1 })
}

// isClosed reports whether err is the server hanging up: what a
// connection cut off during its headers sees.
func isClosed(err error) bool {
	return err == io.EOF || err == io.ErrUnexpectedEOF || strings.Contains(err.Error(), "connection reset")
}

// heldConns is how many connections the helper process opens.
const heldConns = 10000

// TestTenThousandConnections opens 10,000 connections from another process
// (so that each side needs only 10,000 descriptors), each stopped half-way
// through its headers, and checks that the server keeps answering quickly
// and within its memory bound, and lets go of everything afterwards.
func TestTenThousandConnections(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 10,000 connections; skipped in -short")
	}
	if err := raiseFileLimit(heldConns + 500); err != nil {
		t.Skipf("cannot open %d descriptors: %v (raise the hard limit: ulimit -Hn)", heldConns+500, err)
	}
	ts := start(t, Config{ReadHeaderTimeout: 2 * time.Minute})
	data := readFile(t, plainXML)
	post(t, ts.url+"/v1/validate", data) // warm the client's connection
	runtime.GC()
	before := memInUse()
	goroutines := runtime.NumGoroutine()

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldConnections$")
	cmd.Env = append(os.Environ(), "EHF_HOLD_ADDR="+ts.addr, "EHF_HOLD_N="+strconv.Itoa(heldConns))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if strings.HasPrefix(line, "skip:") {
		t.Skip(strings.TrimSpace(line))
	}
	if err != nil || !strings.HasPrefix(line, "holding") {
		t.Fatalf("helper: %q %v", line, err)
	}
	waitFor(t, func() bool { return ts.ll.Load().open.Load() >= heldConns })

	// the server still answers, and quickly
	var worst time.Duration
	for range 50 {
		st := time.Now()
		if a := post(t, ts.url+"/v1/validate", data); a.code != 200 {
			t.Fatalf("status %d with %d connections open", a.code, heldConns)
		}
		worst = max(worst, time.Since(st))
	}
	if worst > 2*time.Second {
		t.Errorf("slowest answer with %d connections open: %v", heldConns, worst)
	}
	if a := do(t, nil, "GET", ts.url+"/metrics", nil); !strings.Contains(string(a.body), "ehf_connections_open "+strconv.Itoa(heldConns+1)) {
		t.Errorf("metrics do not show %d open connections", heldConns+1)
	}
	runtime.GC()
	per := (memInUse() - before) / heldConns
	t.Logf("%d connections held: %d bytes of heap and stack each, slowest answer %v", heldConns, per, worst)
	if per > connMemBound {
		t.Errorf("each held connection costs %d bytes, the documented bound is %d", per, connMemBound)
	}

	stdin.Close()
	cmd.Wait()
	waitFor(t, func() bool { return ts.ll.Load().open.Load() <= 1 })
	waitFor(t, func() bool { return runtime.NumGoroutine() <= goroutines+10 })
}

// connMemBound is the memory one idle connection may cost: the package
// documentation promises 30 KiB.
const connMemBound = 30 << 10

func memInUse() int64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse + ms.StackInuse)
}

func raiseFileLimit(n uint64) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	if lim.Cur >= n {
		return nil
	}
	if lim.Max < n {
		return fmt.Errorf("the hard limit is %d", lim.Max)
	}
	lim.Cur = n
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
}

// TestHelperHoldConnections is not a test: TestTenThousandConnections runs
// the test binary again with it to hold connections from another process.
func TestHelperHoldConnections(t *testing.T) {
	addr := os.Getenv("EHF_HOLD_ADDR")
	if addr == "" {
		t.Skip("helper process for TestTenThousandConnections")
	}
	n, _ := strconv.Atoi(os.Getenv("EHF_HOLD_N"))
	if err := raiseFileLimit(uint64(n) + 100); err != nil {
		fmt.Printf("skip: the helper cannot open %d descriptors: %v\n", n, err)
		return
	}
	conns := make([]net.Conn, 0, n)
	for len(conns) < n {
		c, err := net.DialTimeout("tcp", addr, 10*time.Second)
		if err != nil {
			fmt.Printf("dial %d: %v\n", len(conns), err)
			os.Exit(1)
		}
		io.WriteString(c, "POST /v1/validate HTTP/1.1\r\nHost: x\r\n")
		conns = append(conns, c)
	}
	fmt.Println("holding", n)
	io.Copy(io.Discard, os.Stdin) // until the test closes our stdin
	for _, c := range conns {
		c.Close()
	}
	os.Exit(0)
}

// A client that announces a large body and sends it slowly holds memory
// for what it has sent, not for what it announced.
func TestAnnouncedBodyReservedAsItArrives(t *testing.T) {
	ts := start(t, Config{})
	c, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\nContent-Length: 30000000\r\n\r\n")
	io.WriteString(c, strings.Repeat("<a>", 100000))
	waitFor(t, func() bool { return ts.mem.used.Load() > 0 })
	time.Sleep(50 * time.Millisecond)
	if u := ts.mem.used.Load(); u > 2<<20 {
		t.Errorf("%d bytes held for 300 kB sent", u)
	}
	c.Close()
	waitFor(t, func() bool { return ts.mem.used.Load() == 0 })
}
