package elma

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// httpTTL says how long an HTTP answer may be reused, from its
// Cache-Control (no-store, no-cache, max-age), Age and Expires headers;
// def when the answer says nothing, never more than max.
func httpTTL(h http.Header, now time.Time, def, max time.Duration) time.Duration {
	ttl, known := time.Duration(0), false
	for _, v := range h.Values("Cache-Control") {
		for _, d := range strings.Split(v, ",") {
			name, arg, _ := strings.Cut(strings.TrimSpace(d), "=")
			switch strings.ToLower(name) {
			case "no-store", "no-cache":
				return 0
			case "max-age":
				n, err := strconv.ParseInt(strings.Trim(arg, `"`), 10, 64)
				if err != nil || n < 0 {
					return 0 // unreadable freshness: do not reuse
				}
				ttl, known = time.Duration(min(n, int64(max/time.Second)+1))*time.Second, true
			}
		}
	}
	if known {
		if age, err := strconv.ParseInt(h.Get("Age"), 10, 64); err == nil && age > 0 {
			ttl -= time.Duration(age) * time.Second
		}
	} else if exp := h.Get("Expires"); exp != "" {
		t, err := http.ParseTime(exp)
		if err != nil {
			return 0 // "Expires: 0" and other invalid dates mean already expired
		}
		base := now
		if d, err := http.ParseTime(h.Get("Date")); err == nil {
			base = d
		}
		ttl, known = t.Sub(base), true
	}
	if !known {
		ttl = def
	}
	return clamp(ttl, max)
}

func clamp(ttl, max time.Duration) time.Duration {
	if ttl < 0 {
		return 0
	}
	if ttl > max {
		return max
	}
	return ttl
}
