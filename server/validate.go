package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/ehf-project/ehf/ehf"
	"github.com/ehf-project/ehf/internal/report"
)

// params are the query parameters of /v1/validate.
type params struct {
	key  valKey
	lang string
	name string
}

// parseParams reads the query, filling in the server's defaults; the
// message says what is wrong with it.
func (s *Server) parseParams(q url.Values) (params, string) {
	p := params{key: s.defKey, lang: "en", name: "-"}
	if v := q.Get("ruleset"); v != "" {
		if !token(v, 64) {
			return p, fmt.Sprintf("ruleset %q is not a rule set name; choose one of %s", clip(v), strings.Join(ehf.RuleSets(), ", "))
		}
		p.key.ruleSet = v
	}
	if v := q.Get("engine"); v != "" {
		if !token(v, 64) {
			return p, fmt.Sprintf("engine %q is not native or schematron", clip(v))
		}
		p.key.engine = ehf.Engine(v)
	}
	if v := q.Get("date"); v != "" {
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return p, fmt.Sprintf("date %q is not a day like 2026-11-24", clip(v))
		}
		p.key.date = v
	}
	switch v := q.Get("lang"); v {
	case "":
	case "en", "nb", "no", "nob":
		p.lang = v
	default:
		return p, fmt.Sprintf("lang %q is not en or nb (bokmål)", clip(v))
	}
	if v, ok := q["name"]; ok {
		n := v[0]
		if len(n) > 256 || !utf8.ValidString(n) || strings.ContainsFunc(n, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return p, "name must be at most 256 characters of text without control characters"
		}
		p.name = n
	}
	return p, ""
}

// clip shortens what a client sent before it goes into a message.
func clip(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// isXML accepts application/xml, text/xml and application/*+xml, and a
// request without a Content-Type (some pipelines send none).
func isXML(ct string) bool {
	if ct == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/xml" || mt == "text/xml" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+xml"))
}

// outcome is a worker's result for one document.
type outcome struct {
	syntax *ehf.SyntaxError
	err    error
	parsed *ehf.Document // kept for the queue only
	panic  any           // what a rule panicked with
	valid  bool
	doc    string
	fatal  int
	body   *bytes.Buffer // the report, as one jsonl line
}

var jsonBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (s *Server) handleValidate(w http.ResponseWriter, r *http.Request, rc *reqCtx) {
	if !isXML(r.Header.Get("Content-Type")) {
		s.reject("content_type")
		s.fail(w, r, rc, http.StatusUnsupportedMediaType, "send the document as application/xml (or text/xml)", nil)
		return
	}
	if ce := r.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		// a compressed body is a decompression bomb waiting to happen
		s.reject("content_type")
		s.fail(w, r, rc, http.StatusUnsupportedMediaType, "send the document uncompressed (no Content-Encoding)", nil)
		return
	}
	p, msg := s.parseParams(r.URL.Query())
	if msg != "" {
		s.fail(w, r, rc, http.StatusBadRequest, msg, nil)
		return
	}
	v := s.defVal
	if p.key != s.defKey {
		var err error
		if v, err = s.vals.get(p.key); err != nil {
			s.fail(w, r, rc, http.StatusBadRequest, err.Error(), nil)
			return
		}
	}

	bb, err := readBody(r, s.cfg.MaxBodySize, &s.mem)
	switch {
	case errors.Is(err, errTooLarge):
		s.reject("too_large")
		s.fail(w, r, rc, http.StatusRequestEntityTooLarge, fmt.Sprintf("the document is over the limit of %d bytes", s.cfg.MaxBodySize), nil)
		return
	case errors.Is(err, errNoMemory):
		s.reject("body_memory")
		s.fail(w, r, rc, http.StatusServiceUnavailable, "the server holds as many documents as it may; try again shortly", nil)
		return
	case errors.Is(err, errReadSlow):
		s.reject("slow_body")
		s.fail(w, r, rc, http.StatusRequestTimeout, "the body did not arrive in time", nil)
		return
	case err != nil:
		s.reject("body_error")
		s.fail(w, r, rc, http.StatusBadRequest, "the body could not be read", nil)
		return
	}
	defer bb.free(&s.mem)

	var out outcome
	err = s.pool.do(r.Context(), func() {
		// a rule that panics on some document must cost that request,
		// not the process and everyone else's requests
		defer func() {
			if x := recover(); x != nil {
				out = outcome{panic: x}
				s.log.Error("validation panicked", "request_id", rc.id, "panic", fmt.Sprint(x), "stack", string(debug.Stack()))
			}
		}()
		out = s.check(v, bb.data, p)
	})
	switch {
	case errors.Is(err, errBusy):
		s.reject("busy")
		s.fail(w, r, rc, http.StatusServiceUnavailable, "every validation worker is busy; try again shortly", nil)
		return
	case errors.Is(err, errStopped):
		s.reject("shutting_down")
		s.fail(w, r, rc, http.StatusServiceUnavailable, "the server is shutting down; try another instance", nil)
		return
	case err != nil:
		// the client went away while waiting; nobody reads this answer
		s.reject("client_gone")
		s.fail(w, r, rc, http.StatusServiceUnavailable, "the request was cancelled", nil)
		return
	}
	if out.body != nil {
		defer jsonBufs.Put(out.body)
	}
	switch {
	case out.panic != nil:
		s.metrics.result("error")
		s.fail(w, r, rc, http.StatusInternalServerError, "the validator failed on this document; the server's log has the details under this request ID", nil)
		return
	case out.syntax != nil:
		s.metrics.result("unreadable")
		s.fail(w, r, rc, http.StatusBadRequest, out.syntax.Error(), out.syntax)
		return
	case out.err != nil:
		s.metrics.result("unreadable")
		s.fail(w, r, rc, http.StatusBadRequest, out.err.Error(), nil)
		return
	}
	rc.log(slog.String("document", out.doc), slog.Bool("valid", out.valid), slog.Int("fatal", out.fatal))
	if out.valid {
		s.metrics.result("valid")
	} else {
		s.metrics.result("invalid")
	}

	code := http.StatusOK
	switch {
	case (s.fwd != nil || s.cfg.Outbox != nil) && !out.valid:
		code = http.StatusUnprocessableEntity
	case s.fwd != nil:
		if !s.forward(w, r, rc, bb.data, out.doc) {
			return
		}
	case s.cfg.Outbox != nil:
		if !s.enqueue(w, r, rc, bb.data, out.parsed, p.name) {
			return
		}
		code = http.StatusAccepted
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(out.body.Len()))
	w.WriteHeader(code)
	w.Write(out.body.Bytes())
}

// check parses and validates one document on a worker, and encodes the
// report there too: all the CPU-bound work of a request happens within
// the pool's bound.
func (s *Server) check(v *ehf.Validator, data []byte, p params) outcome {
	if s.beforeCheck != nil {
		s.beforeCheck()
	}
	doc, err := ehf.Parse(data, &ehf.ParseOptions{Name: p.name, MaxSize: s.cfg.MaxBodySize})
	if err != nil {
		var se *ehf.SyntaxError
		if errors.As(err, &se) {
			return outcome{syntax: se}
		}
		return outcome{err: err}
	}
	rep := v.Validate(doc)
	out := outcome{valid: rep.Valid(), doc: rep.Document, fatal: rep.Count(report.Fatal)}
	if s.cfg.Outbox != nil {
		out.parsed = doc
	}
	for i := range rep.Findings {
		f := &rep.Findings[i]
		s.metrics.finding(f.ID, f.Flag.String())
	}
	out.body = jsonBufs.Get().(*bytes.Buffer)
	out.body.Reset()
	enc := json.NewEncoder(out.body)
	enc.SetEscapeHTML(false)
	enc.Encode(rep.JSON(p.lang))
	return out
}

// forward offers a valid document to the next hop. It reports whether the
// answer is still to be written (the document was delivered); on failure
// it has answered 502.
func (s *Server) forward(w http.ResponseWriter, r *http.Request, rc *reqCtx, body []byte, docType string) bool {
	key := idempotencyKey(r, body)
	ct := r.Header.Get("Content-Type")
	// the next hop gets its chance even if this client hangs up: the
	// document is valid and the pipeline expects it to arrive
	ctx := context.WithoutCancel(r.Context())
	d := s.fwd.send(ctx, body, ct, key, rc.id, docType)
	w.Header().Set("Ehf-Forward-Attempts", strconv.Itoa(d.attempts))
	w.Header().Set("Idempotency-Key", key)
	if d.status != 0 {
		w.Header().Set("Ehf-Forward-Status", strconv.Itoa(d.status))
	}
	rc.log(slog.Int("forward_attempts", d.attempts), slog.Int("forward_status", d.status))
	if d.err != nil {
		s.metrics.forward("failed", d.attempts)
		s.fail(w, r, rc, http.StatusBadGateway, "the document is valid but the next hop did not take it: "+d.err.Error(), nil)
		return false
	}
	s.metrics.forward("delivered", d.attempts)
	return true
}

func errAttr(msg string) slog.Attr { return slog.String("error", msg) }
