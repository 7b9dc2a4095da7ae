package elma

import (
	"container/list"
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// cache keeps answers (and negative answers) until they expire, bounded in
// entries and in approximate bytes, least recently used first out. Lookups
// of the same key that run at the same time share one fetch.
type cache struct {
	now        func() time.Time
	maxEntries int
	maxBytes   int

	mu    sync.Mutex
	ll    *list.List // front = most recently used
	items map[string]*list.Element
	bytes int
	calls map[string]*call

	hits, misses, fetches atomic.Int64
}

type entry struct {
	key     string
	val     any
	err     error
	size    int
	expires time.Time
}

// call is one fetch in flight.
type call struct {
	done chan struct{}
	val  any
	err  error
}

// CacheStats counts cache use.
type CacheStats struct {
	Hits, Misses, Fetches int64 // Misses - Fetches lookups joined a fetch in flight
	Entries, Bytes        int
}

func newCache(now func() time.Time, maxEntries, maxBytes int) *cache {
	return &cache{now: now, maxEntries: maxEntries, maxBytes: maxBytes, ll: list.New(),
		items: map[string]*list.Element{}, calls: map[string]*call{}}
}

// get returns a live entry.
func (c *cache) get(key string) (any, error, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, nil, false
	}
	e := el.Value.(*entry)
	if !c.now().Before(e.expires) {
		c.remove(el)
		return nil, nil, false
	}
	c.ll.MoveToFront(el)
	return e.val, e.err, true
}

// hit is get for callers that go on to do on a miss: it counts hits only,
// so that the cheap path of a cached lookup allocates nothing.
func (c *cache) hit(key string) (any, error, bool) {
	v, err, ok := c.get(key)
	if ok {
		c.hits.Add(1)
	}
	return v, err, ok
}

// put stores an answer for ttl; ttl <= 0 stores nothing.
func (c *cache) put(key string, val any, err error, ttl time.Duration, size int) {
	if ttl <= 0 || c.maxEntries <= 0 || size > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
	e := &entry{key: key, val: val, err: err, size: size, expires: c.now().Add(ttl)}
	c.items[key] = c.ll.PushFront(e)
	c.bytes += size
	for c.ll.Len() > c.maxEntries || c.bytes > c.maxBytes {
		c.remove(c.ll.Back())
	}
}

func (c *cache) remove(el *list.Element) {
	e := el.Value.(*entry)
	c.ll.Remove(el)
	delete(c.items, e.key)
	c.bytes -= e.size
}

// fetchFunc computes an answer and says how long it (or its error) may be
// cached and how big it is.
type fetchFunc func(ctx context.Context) (val any, err error, ttl time.Duration, size int)

// do returns the cached answer for key or fetches it. Concurrent calls for
// the same key wait for one fetch. The fetch runs on a context that is not
// cancelled when the first caller gives up (others may still be waiting)
// but is bounded by detach; each caller stops waiting when its own ctx
// ends.
func (c *cache) do(ctx context.Context, key string, detach func(context.Context) (context.Context, context.CancelFunc), fetch fetchFunc) (any, error) {
	if v, err, ok := c.get(key); ok {
		c.hits.Add(1)
		return v, err
	}
	c.misses.Add(1)
	c.mu.Lock()
	cl, inFlight := c.calls[key]
	if !inFlight {
		cl = &call{done: make(chan struct{})}
		c.calls[key] = cl
	}
	c.mu.Unlock()
	if !inFlight {
		c.fetches.Add(1)
		go func() {
			fctx, cancel := detach(ctx)
			defer cancel()
			val, err, ttl, size := fetch(fctx)
			c.put(key, val, err, ttl, size)
			c.mu.Lock()
			cl.val, cl.err = val, err
			delete(c.calls, key)
			c.mu.Unlock()
			close(cl.done)
		}()
	}
	select {
	case <-cl.done:
		return cl.val, cl.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// stats returns the counters.
func (c *cache) stats() CacheStats {
	c.mu.Lock()
	n, b := c.ll.Len(), c.bytes
	c.mu.Unlock()
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Fetches: c.fetches.Load(), Entries: n, Bytes: b}
}
