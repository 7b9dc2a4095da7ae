package server

import (
	"crypto/sha256"
	"crypto/subtle"
	_ "embed"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// route is one path the server answers, with the one method it takes.
type route struct {
	path   string
	method string
	auth   bool // needs the bearer token when one is configured
	handle func(w http.ResponseWriter, r *http.Request, rc *reqCtx)
}

// routeTable lists every route; openapi.json describes exactly these.
func (s *Server) routeTable() map[string]*route {
	rs := []*route{
		{"/v1/validate", http.MethodPost, true, s.handleValidate},
		{"/v1/lookup", http.MethodPost, true, s.handleLookup},
		{"/healthz", http.MethodGet, false, s.handleHealth},
		{"/readyz", http.MethodGet, false, s.handleReady},
		{"/metrics", http.MethodGet, false, s.handleMetrics},
		{"/openapi.json", http.MethodGet, false, s.handleOpenAPI},
	}
	m := make(map[string]*route, len(rs))
	for _, r := range rs {
		m[r.path] = r
	}
	return m
}

// reqCtx is what the middleware and a handler share about one request.
type reqCtx struct {
	id    string
	attrs []slog.Attr // added by handlers to the request's log line
}

func (rc *reqCtx) log(attrs ...slog.Attr) { rc.attrs = append(rc.attrs, attrs...) }

// serveHTTP routes a request and does what every request gets: a request
// ID, the token check, a log line and the metrics.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	s.metrics.inFlight.Add(1)
	defer s.metrics.inFlight.Add(-1)

	rc := &reqCtx{id: r.Header.Get("X-Request-ID")}
	if !token(rc.id, 128) {
		rc.id = s.ids.next()
	}
	sw := &statusWriter{ResponseWriter: w}
	sw.Header().Set("X-Request-ID", rc.id)
	if ll := s.ll.Load(); ll != nil && ll.open.Load() > int64(s.cfg.MaxConns)*9/10 {
		// nearly out of connections: let this one go after its answer
		sw.Header().Set("Connection", "close")
	}

	rt := s.routes[r.URL.Path]
	routeName := "other"
	switch {
	case rt == nil:
		s.fail(sw, r, rc, http.StatusNotFound, "no such path: see /openapi.json for the API", nil)
	case r.Method != rt.method:
		routeName = rt.path
		sw.Header().Set("Allow", rt.method)
		s.fail(sw, r, rc, http.StatusMethodNotAllowed, rt.path+" takes "+rt.method, nil)
	case rt.auth && s.cfg.Token != "" && !s.authorized(r):
		routeName = rt.path
		sw.Header().Set("WWW-Authenticate", `Bearer realm="ehf"`)
		s.reject("unauthorized")
		s.fail(sw, r, rc, http.StatusUnauthorized, "this server needs an Authorization: Bearer token", nil)
	default:
		routeName = rt.path
		rt.handle(sw, r, rc)
	}
	if sw.code == 0 {
		sw.code = http.StatusOK
	}
	d := time.Since(start)
	s.metrics.request(routeName, methodLabel(r.Method), sw.code, d)

	level := slog.LevelInfo
	if sw.code >= 500 {
		level = slog.LevelWarn
	}
	if !s.log.Enabled(r.Context(), level) {
		return
	}
	attrs := append([]slog.Attr{
		slog.String("request_id", rc.id),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", sw.code),
		slog.Int64("bytes_in", max(r.ContentLength, 0)),
		slog.Int64("bytes_out", sw.n),
		slog.Float64("ms", float64(d.Microseconds())/1000),
		slog.String("remote", r.RemoteAddr),
	}, rc.attrs...)
	s.log.LogAttrs(r.Context(), level, "request", attrs...)
}

// authorized compares the bearer token in constant time; hashing first
// keeps the comparison from telling the token's length.
func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(h[len(prefix):])))
	want := sha256.Sum256([]byte(s.cfg.Token))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

func (s *Server) reject(reason string) { s.metrics.reject(reason) }

// methodLabel keeps the metric's method label to a closed set: the
// method is whatever the client wrote.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// statusWriter remembers the status and size of the answer.
type statusWriter struct {
	http.ResponseWriter
	code int
	n    int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.n += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request, rc *reqCtx) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request, rc *reqCtx) {
	if !s.ready.Load() {
		s.setRetryAfter(w)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request, rc *reqCtx) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.metrics.write(w, s.gauges())
}

//go:embed openapi.json
var openapiJSON []byte

// OpenAPI returns the OpenAPI 3.1 description of the API.
func OpenAPI() []byte { return append([]byte(nil), openapiJSON...) }

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request, rc *reqCtx) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openapiJSON)
}
