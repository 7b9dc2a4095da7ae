package server

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// errBusy says that the queue is full, or that a job waited longer than
// the queue timeout: the client should come back later (503).
var errBusy = errors.New("the server is busy")

// errStopped says that the pool no longer takes jobs (shutting down).
var errStopped = errors.New("the server is shutting down")

// pool runs CPU-bound work on a fixed set of goroutines fed by a bounded
// queue. However many requests arrive, at most workers jobs run and at
// most queue wait; the rest are refused at once rather than piling up as
// goroutines and memory.
type pool struct {
	jobs    chan *job
	timeout time.Duration
	workers int

	mu      sync.RWMutex // guards stopped against sends on a closed channel
	stopped bool
	wg      sync.WaitGroup

	running atomic.Int64 // jobs being run now
}

// Job states; a job is run by a worker or given up by its requester,
// never both.
const (
	jobQueued int32 = iota
	jobRunning
	jobAbandoned
)

type job struct {
	fn    func()
	state atomic.Int32
	done  chan struct{}
}

func newPool(workers, queue int, timeout time.Duration) *pool {
	p := &pool{jobs: make(chan *job, queue), timeout: timeout, workers: workers}
	p.wg.Add(workers)
	for range workers {
		go p.work()
	}
	return p
}

func (p *pool) work() {
	defer p.wg.Done()
	for j := range p.jobs {
		if !j.state.CompareAndSwap(jobQueued, jobRunning) {
			continue // its requester stopped waiting
		}
		p.running.Add(1)
		j.fn()
		p.running.Add(-1)
		close(j.done)
	}
}

// do runs fn on a worker and waits for it. It fails with errBusy when the
// queue is full or the job waited past the queue timeout, errStopped after
// stop, and ctx's error when the requester gives up while the job waits
// (a job that has started always finishes, so fn never runs half).
func (p *pool) do(ctx context.Context, fn func()) error {
	j := &job{fn: fn, done: make(chan struct{})}
	p.mu.RLock()
	if p.stopped {
		p.mu.RUnlock()
		return errStopped
	}
	select {
	case p.jobs <- j:
		p.mu.RUnlock()
	default:
		p.mu.RUnlock()
		return errBusy
	}
	t := time.NewTimer(p.timeout)
	defer t.Stop()
	var err error
	select {
	case <-j.done:
		return nil
	case <-ctx.Done():
		err = ctx.Err()
	case <-t.C:
		err = errBusy
	}
	if j.state.CompareAndSwap(jobQueued, jobAbandoned) {
		return err
	}
	<-j.done // already running: let it finish, its result is wanted
	return nil
}

// queued is how many jobs wait for a worker.
func (p *pool) queued() int { return len(p.jobs) }

// stop refuses new jobs, lets the queued ones run and waits for the
// workers to finish.
func (p *pool) stop() {
	p.mu.Lock()
	if !p.stopped {
		p.stopped = true
		close(p.jobs)
	}
	p.mu.Unlock()
	p.wg.Wait()
}
