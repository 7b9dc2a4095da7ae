package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/ehf-project/ehf/ehf"
)

// Queue takes valid documents for durable, asynchronous delivery: the
// outbox. With a Queue the server answers 202 once the document is
// committed, and delivery (with its retries) goes on without the client.
type Queue interface {
	// Enqueue commits the document before it returns, and says under which
	// ID it waits; added is false when the same document was queued before
	// (a repeat, which is not delivered twice).
	Enqueue(ctx context.Context, d *QueuedDoc) (id string, added bool, err error)
}

// QueuedDoc is a valid document on its way to the Queue.
type QueuedDoc struct {
	// Body is the request body as posted: a UBL document or an SBDH
	// envelope. It is only valid during Enqueue.
	Body []byte
	// Doc is Body parsed.
	Doc *ehf.Document
	// Name is the name query parameter ("-" by default).
	Name string
	// RequestID is the request's X-Request-ID.
	RequestID string
}

// ErrUnroutable is wrapped by a Queue's error when the document cannot be
// sent as it is (it names no receiver, its envelope is wrong): the client
// must change it (422). Any other Queue error is taken as the queue being
// unavailable for now (503).
var ErrUnroutable = errors.New("the document cannot be routed")

// enqueue hands a valid document to the Queue; it reports whether the
// report is still to be written (with 202), having answered otherwise.
func (s *Server) enqueue(w http.ResponseWriter, r *http.Request, rc *reqCtx, body []byte, doc *ehf.Document, name string) bool {
	// committed or not, the answer must say which: finish even if the
	// client hangs up meanwhile
	ctx := context.WithoutCancel(r.Context())
	id, added, err := s.cfg.Outbox.Enqueue(ctx, &QueuedDoc{Body: body, Doc: doc, Name: name, RequestID: rc.id})
	switch {
	case errors.Is(err, ErrUnroutable):
		s.metrics.forward("unroutable", 0)
		s.fail(w, r, rc, http.StatusUnprocessableEntity, "the document is valid but cannot be sent: "+err.Error(), nil)
		return false
	case err != nil:
		s.metrics.forward("queue_unavailable", 0)
		s.log.Error("outbox unavailable", "request_id", rc.id, "err", err)
		s.fail(w, r, rc, http.StatusServiceUnavailable, "the document is valid but the outbox cannot take it now; try again shortly", nil)
		return false
	}
	w.Header().Set("Ehf-Outbox-ID", id)
	if !added {
		w.Header().Set("Ehf-Outbox-Repeat", "true")
		s.metrics.forward("repeat", 0)
	} else {
		s.metrics.forward("queued", 0)
	}
	rc.log(slog.String("outbox_id", id), slog.Bool("repeat", !added))
	return true
}
