package server

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"sync/atomic"

	"github.com/ehf-project/ehf/ehf"
)

// errorBody is every answer that is not a report: what went wrong, where
// in the document when that is known, and the request ID to quote.
type errorBody struct {
	Error     string `json:"error"`
	File      string `json:"file,omitempty"`
	Line      int    `json:"line,omitempty"`
	Column    int    `json:"column,omitempty"`
	RequestID string `json:"request_id"`
}

// fail answers with an error body. A 503 says when to come back; 408 and
// 413 close the connection, since the rest of the body is not wanted.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, rc *reqCtx, code int, msg string, se *ehf.SyntaxError) {
	b := errorBody{Error: msg, RequestID: rc.id}
	if se != nil {
		b.File, b.Line, b.Column = se.File, se.Line, se.Col
	}
	switch code {
	case http.StatusServiceUnavailable:
		s.setRetryAfter(w)
	case http.StatusRequestEntityTooLarge, http.StatusRequestTimeout:
		w.Header().Set("Connection", "close")
	}
	rc.log(errAttr(msg))
	writeJSON(w, code, b)
}

func (s *Server) setRetryAfter(w http.ResponseWriter) {
	secs := int((s.cfg.RetryAfter + 999_999_999) / 1_000_000_000)
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
}

// writeJSON writes v as the whole answer. HTML escaping is off, as in the
// CLI's output: the answers are read by programs, and "<" in a message
// should stay "<".
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// token reports whether s is 1 to max characters of letters, digits and
// . _ : - / + =: safe to echo in a header and write in a log.
func token(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.', c == '_', c == ':', c == '-', c == '/', c == '+', c == '=':
		default:
			return false
		}
	}
	return true
}

// idSource makes request IDs: a random prefix per process, so that IDs
// from several instances behind one balancer do not collide, and a
// counter, so that making one costs nothing.
type idSource struct {
	prefix string
	n      atomic.Uint64
}

func newIDSource() *idSource {
	var b [6]byte
	rand.Read(b[:])
	return &idSource{prefix: hex.EncodeToString(b[:]) + "-"}
}

func (s *idSource) next() string {
	return s.prefix + strconv.FormatUint(s.n.Add(1), 36)
}
