package outbox

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Environment of the helper process.
const (
	helperEnv     = "EHF_OUTBOX_HELPER" // "1" in the child
	helperDSN     = "EHF_OUTBOX_DSN"
	helperAP      = "EHF_OUTBOX_AP"
	helperCount   = "EHF_OUTBOX_COUNT" // documents to accept, numbered from helperFirst
	helperFirst   = "EHF_OUTBOX_FIRST"
	helperDrain   = "EHF_OUTBOX_DRAIN" // "1": exit once everything is delivered
	helperTimeout = 60 * time.Second   // a child whose parent vanished ends itself
)

// TestHelperProcess is not a test: TestCrash runs the test binary again
// with this test selected and helperEnv set, as the process it kills. It
// accepts documents (printing "accepted ID" after each Send returns, the
// moment the promise is made) while delivering them to the access point.
func TestHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		return
	}
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(3)
	}
	ctx, cancel := context.WithTimeout(context.Background(), helperTimeout)
	defer cancel()
	opts := fastOptions(httpSender(os.Getenv(helperAP), 5*time.Second))
	opts.Workers = 3
	opts.Lease = time.Second // what a dead process held is sent again soon
	o, err := Open(ctx, os.Getenv(helperDSN), opts)
	if err != nil {
		fail(err)
	}
	go o.Run(ctx)
	first, _ := strconv.Atoi(os.Getenv(helperFirst))
	n, _ := strconv.Atoi(os.Getenv(helperCount))
	for i := first; i < first+n; i++ {
		it, _, err := o.Send(ctx, newEnvelope(t, i), fmt.Sprintf("doc-%d", i))
		if err != nil {
			fail(err)
		}
		fmt.Printf("accepted %s\n", it.ID)
		time.Sleep(5 * time.Millisecond) // spread acceptance over the sending
	}
	if os.Getenv(helperDrain) == "1" {
		for ctx.Err() == nil {
			c, err := o.Counts(ctx)
			if err != nil {
				fail(err)
			}
			if c[Queued] == 0 && c[Sending] == 0 {
				fmt.Println("drained")
				os.Exit(0)
			}
			time.Sleep(20 * time.Millisecond)
		}
		fail(ctx.Err())
	}
	<-ctx.Done()
	os.Exit(4)
}

// child is a running helper process.
type child struct {
	cmd      *exec.Cmd
	mu       sync.Mutex
	accepted []string
	drained  chan struct{}
	exited   chan error
}

func startChild(t *testing.T, dsn, ap string, first, count int, drain bool) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	d := "0"
	if drain {
		d = "1"
	}
	cmd.Env = append(os.Environ(), helperEnv+"=1", helperDSN+"="+dsn, helperAP+"="+ap,
		helperFirst+"="+strconv.Itoa(first), helperCount+"="+strconv.Itoa(count), helperDrain+"="+d)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, drained: make(chan struct{}), exited: make(chan error, 1)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "accepted "):
				c.mu.Lock()
				c.accepted = append(c.accepted, strings.TrimPrefix(line, "accepted "))
				c.mu.Unlock()
			case line == "drained":
				close(c.drained)
			}
		}
		c.exited <- cmd.Wait()
	}()
	t.Cleanup(func() { cmd.Process.Kill() })
	return c
}

// kill ends the child with SIGKILL: no deferred function, no Close, no
// chance to put anything back.
func (c *child) kill(t *testing.T) []string {
	t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := <-c.exited; err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("the child did not die of SIGKILL: %v", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.accepted...)
}

// TestCrash kills a process that is sending (SIGKILL, while the access
// point holds one of its requests) twice, then restarts it, and checks the
// promise: every document the process accepted reaches the access point,
// and a document that reached it more than once did so under the same
// idempotency key with the same bytes.
func TestCrash(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	if testing.Short() {
		t.Skip("kills and restarts processes; skipped with -short")
	}
	forEachBackend(t, func(t *testing.T, dsn string) {
		ap := newAccessPoint(t)
		// When request number killAt arrives, the access point tells the
		// test, which kills the sender while the request is open; then
		// the access point takes the document anyway, as a real one may
		// have done when its answer was lost. The sender cannot know, and
		// must send it again.
		var killAt atomic.Int64
		holding := make(chan string, 1)
		resume := make(chan struct{}) // the held request may finish
		ap.setAnswer(func(n int, w http.ResponseWriter, r *http.Request) bool {
			if int64(n) == killAt.Load() {
				holding <- r.Header.Get("Idempotency-Key")
				<-resume
				return true
			}
			w.WriteHeader(http.StatusOK)
			return true
		})
		var accepted []string
		var interrupted []string
		crash := func(first, count int, at int64) {
			killAt.Store(at)
			c := startChild(t, dsn, ap.URL, first, count, false)
			select {
			case key := <-holding:
				interrupted = append(interrupted, key)
			case err := <-c.exited:
				t.Fatalf("the child ended before the kill: %v", err)
			case <-time.After(30 * time.Second):
				t.Fatal("request to kill at never came")
			}
			accepted = append(accepted, c.kill(t)...)
			resume <- struct{}{}
		}
		// Round 1: accept 30, die at the access point's 20th request.
		crash(0, 30, 20)
		// Round 2: restarted, it resumes the first batch while accepting
		// 20 more, and dies again mid-send.
		crash(30, 20, ap.requests.Load()+12)
		// Round 3: restarted, it accepts 5 more and finishes everything.
		killAt.Store(0)
		c := startChild(t, dsn, ap.URL, 50, 5, true)
		select {
		case <-c.drained:
		case err := <-c.exited:
			t.Fatalf("the last child ended before finishing: %v", err)
		case <-time.After(45 * time.Second):
			t.Fatal("the last child did not finish")
		}
		if err := <-c.exited; err != nil {
			t.Fatalf("the last child: %v", err)
		}
		c.mu.Lock()
		accepted = append(accepted, c.accepted...)
		c.mu.Unlock()

		if len(accepted) < 25 {
			t.Fatalf("only %d documents were accepted before the kills: the test did not test much", len(accepted))
		}
		o := open(t, dsn, Options{})
		for _, id := range accepted {
			arrived, ok := ap.counts(id)
			if ok == 0 {
				t.Errorf("accepted document %s never reached the access point (%d requests)", id, arrived)
			}
			if it, err := o.Get(context.Background(), id); err != nil || it.State != Delivered {
				t.Errorf("accepted document %s: %+v %v", id, it, err)
			}
		}
		// The documents cut off by the kills were sent again.
		for _, id := range interrupted {
			if arrived, ok := ap.counts(id); arrived < 2 || ok < 2 {
				t.Errorf("interrupted document %s: %d requests, %d taken; want it sent again", id, arrived, ok)
			}
		}
		ap.check(t)
		counts, _ := o.Counts(context.Background())
		t.Logf("%d accepted by the processes, states %v, %d requests to the access point, interrupted %v", len(accepted), counts, ap.requests.Load(), interrupted)
	})
}
