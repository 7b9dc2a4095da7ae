package server

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// At most workers jobs run and at most queue wait; the next is refused at
// once.
func TestPoolBounds(t *testing.T) {
	p := newPool(2, 3, time.Minute)
	defer p.stop()
	hold := make(chan struct{})
	var running, peak atomic.Int64
	job := func() {
		n := running.Add(1)
		for {
			old := peak.Load()
			if n <= old || peak.CompareAndSwap(old, n) {
				break
			}
		}
		<-hold
		running.Add(-1)
	}
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.do(context.Background(), job); err != nil {
				t.Errorf("job %d: %v", i, err)
			}
		}()
	}
	waitFor(t, func() bool { return p.running.Load() == 2 && p.queued() == 3 })
	st := time.Now()
	if err := p.do(context.Background(), job); !errors.Is(err, errBusy) {
		t.Errorf("sixth job: %v, want busy", err)
	}
	if time.Since(st) > time.Second {
		t.Error("refusing took time")
	}
	close(hold)
	wg.Wait()
	if peak.Load() != 2 {
		t.Errorf("%d jobs ran at once", peak.Load())
	}
}

// A job whose requester gives up while it waits never runs; one that has
// started is waited for.
func TestPoolAbandon(t *testing.T) {
	p := newPool(1, 4, 50*time.Millisecond)
	defer p.stop()
	hold := make(chan struct{})
	go p.do(context.Background(), func() { <-hold })
	waitFor(t, func() bool { return p.running.Load() == 1 })

	var ran atomic.Bool
	if err := p.do(context.Background(), func() { ran.Store(true) }); !errors.Is(err, errBusy) {
		t.Errorf("queue timeout: %v", err)
	}
	// (on a pool whose queue timeout cannot race the cancellation)
	p2 := newPool(1, 4, time.Hour)
	defer p2.stop()
	hold2 := make(chan struct{})
	defer close(hold2)
	go p2.do(context.Background(), func() { <-hold2 })
	waitFor(t, func() bool { return p2.running.Load() == 1 })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(10*time.Millisecond, cancel)
	if err := p2.do(ctx, func() { ran.Store(true) }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	close(hold)
	if err := p.do(context.Background(), func() {}); err != nil {
		t.Fatal(err)
	}
	if ran.Load() {
		t.Error("an abandoned job ran")
	}

	// started, then the requester's context ends: the result still comes
	started := make(chan struct{})
	ctx, cancel = context.WithCancel(context.Background())
	var done atomic.Bool
	go func() { <-started; cancel() }()
	err := p.do(ctx, func() { close(started); time.Sleep(20 * time.Millisecond); done.Store(true) })
	if err != nil || !done.Load() {
		t.Errorf("started job: %v, done %v", err, done.Load())
	}
}

func TestPoolStop(t *testing.T) {
	p := newPool(1, 4, time.Minute)
	var n atomic.Int32
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.do(context.Background(), func() { time.Sleep(5 * time.Millisecond); n.Add(1) })
		}()
	}
	waitFor(t, func() bool { return p.running.Load()+int64(p.queued()) == 3 || n.Load() > 0 })
	p.stop()
	wg.Wait()
	if n.Load() != 3 {
		t.Errorf("%d of the queued jobs ran before stop returned", n.Load())
	}
	if err := p.do(context.Background(), func() {}); !errors.Is(err, errStopped) {
		t.Errorf("after stop: %v", err)
	}
	p.stop() // twice is fine
}
