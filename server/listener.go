package server

import (
	"net"
	"sync"
	"sync/atomic"
)

// limitListener accepts at most max connections at once. Past that,
// Accept waits until one closes and new connections queue in the kernel,
// which costs the server nothing: every accepted connection costs a
// goroutine and its buffers, so accepting without a bound is how 10,000
// idle sockets become a memory problem.
type limitListener struct {
	net.Listener
	slots chan struct{}
	open  atomic.Int64
	done  chan struct{}
	once  sync.Once
}

func newLimitListener(l net.Listener, max int) *limitListener {
	return &limitListener{Listener: l, slots: make(chan struct{}, max), done: make(chan struct{})}
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	l.open.Add(1)
	return &limitConn{Conn: c, l: l}, nil
}

func (l *limitListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

type limitConn struct {
	net.Conn
	l    *limitListener
	once sync.Once
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.open.Add(-1)
		<-c.l.slots
	})
	return err
}
