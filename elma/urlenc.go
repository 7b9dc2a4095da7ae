package elma

import (
	"strings"

	"github.com/ehf-project/ehf/peppol"
)

// escapeID percent-encodes an identifier ("scheme::value") as one URL path
// segment, the way the SMP specifications require: every byte except the
// unreserved characters of RFC 3986 is encoded, so ':' becomes %3A, '#'
// %23 and '/' %2F. Go's url.PathEscape would leave ':' alone, which some
// SMPs do not accept.
func escapeID(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) * 2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// serviceGroupURL is the service group of p at the SMP base URL. The
// participant is written in canonical (lower) case.
func serviceGroupURL(base string, p peppol.ParticipantID) string {
	return strings.TrimSuffix(base, "/") + "/" + escapeID(p.Canonical().String())
}

// serviceMetadataURL is the signed service metadata of p for d at the SMP
// base URL. Document type values are case-sensitive and kept as they are.
func serviceMetadataURL(base string, p peppol.ParticipantID, d peppol.DocumentTypeID) string {
	return serviceGroupURL(base, p) + "/services/" + escapeID(d.Canonical().String())
}
