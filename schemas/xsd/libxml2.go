//go:build cgo

package xsd

/*
#cgo pkg-config: libxml-2.0
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

// One problem reported by libxml2, copied out of its (reused) error struct.
typedef struct {
	int line;
	int col;
	int level;
	long elem;   // document-order number of the element concerned, 0 if none
	char *msg;
} ehf_err;

// The problems of one compile or one validation. Allocated on the C heap so
// that libxml2 never holds a pointer into Go memory.
typedef struct {
	ehf_err *items;
	int n, cap, max, dropped;
	int use_elem; // the nodes are ours and numbered (see ehf_number)
} ehf_errs;

static ehf_errs *ehf_errs_new(int max) {
	ehf_errs *l = calloc(1, sizeof(ehf_errs));
	if (l != NULL) l->max = max;
	return l;
}

static void ehf_errs_free(ehf_errs *l) {
	if (l == NULL) return;
	for (int i = 0; i < l->n; i++) free(l->items[i].msg);
	free(l->items);
	free(l);
}

static ehf_err *ehf_errs_at(ehf_errs *l, int i) { return &l->items[i]; }

static void ehf_add(ehf_errs *l, int line, int col, int level, long elem, const char *msg) {
	if (l->n >= l->max) { l->dropped++; return; }
	if (l->n == l->cap) {
		int nc = l->cap ? l->cap * 2 : 8;
		ehf_err *ni = realloc(l->items, nc * sizeof(ehf_err));
		if (ni == NULL) { l->dropped++; return; }
		l->items = ni;
		l->cap = nc;
	}
	ehf_err *o = &l->items[l->n++];
	o->line = line;
	o->col = col;
	o->level = level;
	o->elem = elem;
	o->msg = msg ? strdup(msg) : NULL;
}

// Structured error handler. The parameter is declared const so that it fits
// both libxml2 before 2.12 (xmlErrorPtr) and after (const xmlError *); it is
// registered through a cast.
static void ehf_collect(void *ctx, const xmlError *e) {
	ehf_errs *l = (ehf_errs *)ctx;
	if (l == NULL || e == NULL || e->level == XML_ERR_NONE) return;
	long elem = 0;
	int line = e->line;
	xmlNodePtr node = (xmlNodePtr)e->node;
	if (l->use_elem && node != NULL) {
		if (node->type == XML_ATTRIBUTE_NODE) node = node->parent;
		if (node != NULL && node->type == XML_ELEMENT_NODE) {
			elem = (long)(intptr_t)node->_private;
			long ln = xmlGetLineNo(node);
			if (ln > 0) line = (int)ln;
		}
	}
	ehf_add(l, line, e->int2, e->level, elem, e->message);
}

// ehf_init runs once, before any other call: it initialises libxml2 (which
// must happen on one thread before concurrent use) and replaces the entity
// loader with libxml2's own one that refuses http:// and ftp:// resources,
// so that neither a schema import nor a document can make libxml2 go to the
// network.
static void ehf_init(void) {
	xmlInitParser();
	xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
}

static xmlSchemaPtr ehf_compile(const char *path, ehf_errs *errs) {
	// Errors from reading the schema files go to the thread's structured
	// handler; errors about the schema itself to the parser context's.
	xmlSetStructuredErrorFunc(errs, (xmlStructuredErrorFunc)ehf_collect);
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
	xmlSchemaPtr s = NULL;
	if (pc != NULL) {
		xmlSchemaSetParserStructuredErrors(pc, (xmlStructuredErrorFunc)ehf_collect, errs);
		s = xmlSchemaParse(pc);
		xmlSchemaFreeParserCtxt(pc);
	}
	xmlSetStructuredErrorFunc(NULL, NULL);
	return s;
}

// ehf_number gives every element of the document its document-order number
// (1, 2, ...) in the _private field, which libxml2 leaves to applications.
// The error handler reads it back, so that an error can be placed at the
// exact start tag, column included, which libxml2 does not record.
static void ehf_number(xmlDocPtr doc) {
	xmlNodePtr root = xmlDocGetRootElement(doc);
	long n = 0;
	xmlNodePtr cur = root;
	while (cur != NULL) {
		if (cur->type == XML_ELEMENT_NODE) {
			cur->_private = (void *)(intptr_t)(++n);
			if (cur->children != NULL) {
				cur = cur->children;
				continue;
			}
		}
		while (cur != NULL && cur != root && cur->next == NULL) cur = cur->parent;
		if (cur == NULL || cur == root) break;
		cur = cur->next;
	}
}

// ehf_validate parses buf and validates it. It returns 0 when the document
// is valid, a positive number when it is not (or is not well-formed; then
// *wellformed is 0), and a negative number on an internal libxml2 failure.
// Everything it allocates is freed before it returns.
static int ehf_validate(xmlSchemaPtr schema, const char *buf, int len, int options,
                        ehf_errs *errs, int *wellformed) {
	*wellformed = 0;
	xmlParserCtxtPtr pc = xmlNewParserCtxt();
	if (pc == NULL) return -1;
	// Parse errors are raised through the thread's structured handler even
	// with XML_PARSE_NOERROR (which only keeps them off stderr); collect the
	// first, most telling one.
	xmlSetStructuredErrorFunc(errs, (xmlStructuredErrorFunc)ehf_collect);
	xmlDocPtr doc = xmlCtxtReadMemory(pc, buf, len, "document.xml", NULL, options);
	xmlSetStructuredErrorFunc(NULL, NULL);
	int ok = doc != NULL && pc->wellFormed;
	xmlFreeParserCtxt(pc);
	if (!ok) {
		if (doc != NULL) xmlFreeDoc(doc);
		return 1;
	}
	*wellformed = 1;
	// Warnings from parsing (a relative namespace URI, say) are not schema
	// errors; drop them.
	for (int i = 0; i < errs->n; i++) free(errs->items[i].msg);
	errs->n = 0;
	errs->dropped = 0;

	ehf_number(doc);
	errs->use_elem = 1;
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
	if (vc == NULL) {
		xmlFreeDoc(doc);
		return -1;
	}
	xmlSchemaSetValidStructuredErrors(vc, (xmlStructuredErrorFunc)ehf_collect, errs);
	int rc = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	xmlFreeDoc(doc);
	return rc;
}
*/
import "C"

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

func init() { C.ehf_init() }

// compileMu serialises schema compilation: libxml2's schema parser is not
// safe to run on several threads at once (validation is).
var compileMu sync.Mutex

// maxErrors caps what one document reports; past it a last Error says how
// many more there were.
const maxErrors = 100

// Available reports whether the XSD layer is built in (it needs cgo and
// libxml2).
func Available() bool { return true }

// handle owns the compiled libxml2 schema. Validations hold the read lock
// for as long as they use it; freeing takes the write lock, so a schema is
// never freed under a running validation.
type handle struct {
	mu  sync.RWMutex
	ptr *C.xmlSchema
}

func (h *handle) free() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr != nil {
		C.xmlSchemaFree(h.ptr)
		h.ptr = nil
	}
}

// Schema is a compiled XML Schema. It is safe for concurrent use by many
// goroutines.
type Schema struct {
	h    *handle
	path string
}

// Compile reads and compiles the schema at path. Imports and includes are
// resolved relative to the file, from the local disk only: a schema that
// needs anything from the network fails to compile.
func Compile(path string) (*Schema, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("xsd: %w", err)
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("xsd: cannot read schema: %w", err)
	}
	cpath := C.CString(abs)
	defer C.free(unsafe.Pointer(cpath))
	errs := C.ehf_errs_new(20)
	if errs == nil {
		return nil, errors.New("xsd: out of memory")
	}
	defer C.ehf_errs_free(errs)

	compileMu.Lock()
	ptr := C.ehf_compile(cpath, errs)
	compileMu.Unlock()

	if ptr == nil {
		var msgs []string
		for _, e := range rawErrors(errs) {
			if e.level >= levelError {
				msgs = append(msgs, strings.TrimSpace(e.msg))
			}
		}
		if len(msgs) == 0 {
			msgs = append(msgs, "libxml2 gave no reason")
		}
		return nil, fmt.Errorf("xsd: cannot compile %s: %s", path, strings.Join(msgs, "; "))
	}
	s := &Schema{h: &handle{ptr: ptr}, path: abs}
	runtime.AddCleanup(s, func(h *handle) { h.free() }, s.h)
	return s, nil
}

// Path is the absolute path the schema was compiled from.
func (s *Schema) Path() string { return s.path }

// Close frees the compiled schema now rather than when it is garbage
// collected. Validate after Close reports an error.
func (s *Schema) Close() { s.h.free() }

func rawErrors(l *C.ehf_errs) []rawError {
	out := make([]rawError, 0, int(l.n))
	for i := 0; i < int(l.n); i++ {
		e := C.ehf_errs_at(l, C.int(i))
		msg := ""
		if e.msg != nil {
			msg = C.GoString(e.msg)
		}
		out = append(out, rawError{line: int(e.line), col: int(e.col), level: int(e.level), elem: int64(e.elem), msg: msg})
	}
	return out
}

// Validate checks one document against the schema. It returns nil when the
// document is valid. A document that is not well-formed XML gives a single
// Error at the place the parser stopped.
func (s *Schema) Validate(doc []byte) []Error {
	if len(bytes.TrimSpace(doc)) == 0 {
		return []Error{emptyDocument()}
	}
	if len(doc) > math.MaxInt32 {
		return []Error{tooLarge()}
	}
	opts := C.XML_PARSE_NONET | C.XML_PARSE_NOERROR | C.XML_PARSE_NOWARNING | C.XML_PARSE_BIG_LINES
	// libxml2 refuses text nodes over 10 MB unless told otherwise, which
	// would reject an invoice with a large attachment. The limit guards
	// against entity expansion, and there is no entity without a DOCTYPE.
	if !bytes.Contains(doc, []byte("<!DOCTYPE")) {
		opts |= C.XML_PARSE_HUGE
	}
	errs := C.ehf_errs_new(maxErrors)
	if errs == nil {
		return []Error{{Message: "XSD check failed: out of memory", MessageNB: "XSD-kontrollen feilet: tomt for minne"}}
	}
	defer C.ehf_errs_free(errs)
	var wellformed C.int

	s.h.mu.RLock()
	if s.h.ptr == nil {
		s.h.mu.RUnlock()
		return []Error{{Message: "XSD check failed: the schema was closed", MessageNB: "XSD-kontrollen feilet: skjemaet er lukket"}}
	}
	rc := C.ehf_validate(s.h.ptr, (*C.char)(unsafe.Pointer(&doc[0])), C.int(len(doc)), C.int(opts), errs, &wellformed)
	s.h.mu.RUnlock()

	if rc == 0 {
		return nil
	}
	raw := rawErrors(errs)
	dropped := int(errs.dropped)
	if wellformed == 0 {
		return []Error{notWellFormed(raw)}
	}
	if rc < 0 && len(raw) == 0 {
		return []Error{{Message: "XSD check failed inside libxml2", MessageNB: "XSD-kontrollen feilet inne i libxml2"}}
	}
	return buildErrors(doc, raw, dropped)
}
