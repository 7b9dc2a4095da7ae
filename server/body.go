package server

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
)

// budget is a count of bytes that may be held at once, shared by all
// requests. Reservations never wait: a request that does not fit is
// refused, so a flood of large bodies cannot make the server hold more
// than the budget.
type budget struct {
	limit int64
	used  atomic.Int64
}

func (b *budget) reserve(n int64) bool {
	for {
		u := b.used.Load()
		if u+n > b.limit {
			return false
		}
		if b.used.CompareAndSwap(u, u+n) {
			return true
		}
	}
}

func (b *budget) release(n int64) { b.used.Add(-n) }

// Why a body could not be read.
var (
	errTooLarge  = errors.New("body over the size limit")
	errNoMemory  = errors.New("body memory budget exhausted")
	errReadSlow  = errors.New("body not received in time")
	errReadFault = errors.New("body could not be read")
)

// bodyBuf is a request body read into memory, with the share of the
// budget it holds. Buffers are reused: the parse tree of a document refers
// into its bytes, so release comes only after the answer is written.
type bodyBuf struct {
	data     []byte
	reserved int64
}

const (
	firstChunk   = 16 << 10 // what a body of unknown length starts with
	firstKnown   = 1 << 20  // the most reserved at once for an announced length
	poolMaxBytes = 1 << 20  // larger buffers go back to the garbage collector
)

var bufPool = sync.Pool{New: func() any { return new(bodyBuf) }}

// readBody reads r's body, at most max bytes, reserving memory from b as
// it grows. The buffer doubles as data arrives, up to the announced length
// (sized once when that is under a megabyte), so a client that announces
// a large body and then trickles it holds about what it has sent, not
// what it announced.
func readBody(r *http.Request, max int64, b *budget) (*bodyBuf, error) {
	if r.ContentLength > max {
		return nil, errTooLarge
	}
	limit := max + 1 // +1 so that one byte too many is seen
	first := int64(firstChunk)
	if r.ContentLength >= 0 {
		limit = r.ContentLength + 1 // +1 so the last Read sees EOF without growing
		first = firstKnown
	}
	bb := bufPool.Get().(*bodyBuf)
	bb.data = bb.data[:0]
	if err := bb.grow(min(first, limit), b); err != nil {
		bb.free(b)
		return nil, err
	}
	for {
		if len(bb.data) == cap(bb.data) {
			next := min(int64(cap(bb.data))*2, limit)
			if next <= int64(cap(bb.data)) {
				bb.free(b)
				return nil, errTooLarge
			}
			if err := bb.grow(next, b); err != nil {
				bb.free(b)
				return nil, err
			}
		}
		n, err := r.Body.Read(bb.data[len(bb.data):cap(bb.data)])
		bb.data = bb.data[:len(bb.data)+n]
		if int64(len(bb.data)) > max {
			bb.free(b)
			return nil, errTooLarge
		}
		if err == io.EOF {
			return bb, nil
		}
		if err != nil {
			bb.free(b)
			var mbe *http.MaxBytesError
			var ne net.Error
			switch {
			case errors.As(err, &mbe):
				return nil, errTooLarge
			case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
				return nil, errReadSlow
			}
			return nil, errReadFault
		}
	}
}

// grow makes room for n bytes in all, reserving the difference.
func (bb *bodyBuf) grow(n int64, b *budget) error {
	if n <= int64(cap(bb.data)) {
		if bb.reserved < int64(cap(bb.data)) {
			// a reused buffer: it now counts against the budget
			if !b.reserve(int64(cap(bb.data)) - bb.reserved) {
				return errNoMemory
			}
			bb.reserved = int64(cap(bb.data))
		}
		return nil
	}
	if !b.reserve(n - bb.reserved) {
		return errNoMemory
	}
	bb.reserved = n
	nd := make([]byte, len(bb.data), n)
	copy(nd, bb.data)
	bb.data = nd
	return nil
}

// free gives the memory back to the budget and the buffer to the pool.
func (bb *bodyBuf) free(b *budget) {
	if bb == nil {
		return
	}
	b.release(bb.reserved)
	bb.reserved = 0
	if cap(bb.data) > poolMaxBytes {
		bb.data = nil
	}
	bb.data = bb.data[:0]
	bufPool.Put(bb)
}
