package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ehf-project/ehf/peppol"
)

const creditnote = "../../testdata/invoices/creditnote.xml"

// sendAP is an access point API on loopback for the send tests.
type sendAP struct {
	*httptest.Server
	status atomic.Int32 // answer; 0 means 200
	mu     sync.Mutex
	keys   []string
	auth   []string
	bodies [][]byte
}

func newSendAP(t *testing.T) *sendAP {
	ap := &sendAP{}
	ap.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ap.mu.Lock()
		ap.keys = append(ap.keys, r.Header.Get(peppol.IdempotencyHeader))
		ap.auth = append(ap.auth, r.Header.Get("Authorization"))
		ap.bodies = append(ap.bodies, body)
		n := len(ap.keys)
		ap.mu.Unlock()
		switch code := int(ap.status.Load()); code {
		case 0:
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"messageId": "AP-%d"}`, n)
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(code)
			fmt.Fprintf(w, `{"message": "answer %d"}`, code)
		}
	}))
	t.Cleanup(ap.Close)
	return ap
}

func (ap *sendAP) requests() int {
	ap.mu.Lock()
	defer ap.mu.Unlock()
	return len(ap.keys)
}

// runSendCLI runs ehf with an environment of its own.
func runSendCLI(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestSendDelivers(t *testing.T) {
	ap := newSendAP(t)
	db := filepath.Join(t.TempDir(), "outbox.db")
	vars := map[string]string{"EHF_AP_AUTH": "Bearer t0ken"}
	args := []string{"send", "--no-lookup", "--no-xsd", "--db", db, "--to-ap", ap.URL + "/v1/send", plain, creditnote}
	code, out, errs := runSendCLI(t, vars, args...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], plain+": delivered to iso6523-actorid-upis::0192:970000003 (instance ") ||
		!strings.Contains(lines[0], "access point reference AP-") || !strings.HasPrefix(lines[1], creditnote+": delivered") {
		t.Errorf("output:\n%s", out)
	}
	if ap.requests() != 2 || ap.auth[0] != "Bearer t0ken" {
		t.Fatalf("%d requests, auth %q", ap.requests(), ap.auth)
	}
	for i, body := range ap.bodies {
		env, err := peppol.ParseEnvelope(body, "")
		if err != nil || env.InstanceID != ap.keys[i] || env.CountryC1 != "NO" || !env.Sender.Equal(peppol.MustParseParticipantID("0192:987654325")) {
			t.Errorf("request %d: %v %+v", i, err, env)
		}
	}
	// The same files again: recognised, not sent again.
	code, out, _ = runSendCLI(t, vars, args...)
	if code != exitOK || strings.Count(out, "sent before, not sent again") != 2 || ap.requests() != 2 {
		t.Errorf("second run: exit %d, %d requests\n%s", code, ap.requests(), out)
	}
	// Unless asked to.
	code, _, _ = runSendCLI(t, vars, append([]string{"send", "--new-id"}, args[1:len(args)-1]...)...)
	if code != exitOK || ap.requests() != 3 || ap.keys[2] == ap.keys[0] {
		t.Errorf("--new-id: exit %d, %d requests", code, ap.requests())
	}
}

func TestSendRefusesInvalid(t *testing.T) {
	ap := newSendAP(t)
	db := filepath.Join(t.TempDir(), "outbox.db")
	code, out, _ := runSendCLI(t, nil, "send", "--no-lookup", "--no-xsd", "--db", db, "--to-ap", ap.URL, broken)
	if code != exitInvalid || !strings.Contains(out, "refused: ") || !strings.Contains(out, broken+":8:3: EHF-DATE") || ap.requests() != 0 {
		t.Errorf("exit %d, %d requests\n%s", code, ap.requests(), out)
	}
	code, out, _ = runSendCLI(t, nil, "send", "--force", "--no-lookup", "--no-xsd", "--db", db, "--to-ap", ap.URL, broken)
	if code != exitOK || !strings.Contains(out, "delivered") || ap.requests() != 1 {
		t.Errorf("--force: exit %d, %d requests\n%s", code, ap.requests(), out)
	}
}

// A 4xx fails the document with the access point's reason; once the
// problem is fixed, ehf outbox retry delivers it.
func TestSendRejectedThenRetry(t *testing.T) {
	ap := newSendAP(t)
	ap.status.Store(http.StatusForbidden)
	db := filepath.Join(t.TempDir(), "outbox.db")
	code, out, _ := runSendCLI(t, nil, "send", "--no-lookup", "--no-xsd", "--db", db, "--to-ap", ap.URL, plain)
	if code != exitInvalid || !strings.Contains(out, "failed: rejected by the access point (HTTP 403): answer 403") || ap.requests() != 1 {
		t.Fatalf("exit %d, %d requests\n%s", code, ap.requests(), out)
	}
	code, out, _ = runSendCLI(t, nil, "outbox", "list", "--db", db, "--state", "failed", "--format", "jsonl")
	var it itemJSON
	if code != exitOK || json.Unmarshal([]byte(out), &it) != nil || it.State != "failed" || it.Attempts != 1 || !strings.Contains(it.LastError, "HTTP 403") || it.Name != plain {
		t.Fatalf("list: exit %d\n%s", code, out)
	}
	// Sending it again while the access point still refuses: retried,
	// and failed again.
	code, out, _ = runSendCLI(t, nil, "send", "--no-lookup", "--no-xsd", "--db", db, "--to-ap", ap.URL, plain)
	if code != exitInvalid || !strings.Contains(out, "failed: rejected") || ap.requests() != 2 {
		t.Fatalf("send again: exit %d, %d requests\n%s", code, ap.requests(), out)
	}
	ap.status.Store(0)
	code, out, errs := runSendCLI(t, nil, "outbox", "retry", "--db", db, "--to-ap", ap.URL, it.ID)
	if code != exitOK || !strings.Contains(out, plain+": delivered") || ap.requests() != 3 {
		t.Fatalf("retry: exit %d, %d requests\n%s%s", code, ap.requests(), out, errs)
	}
	code, out, _ = runSendCLI(t, nil, "outbox", "list", "--db", db)
	if code != exitOK || !strings.Contains(out, "delivered  3") || !strings.Contains(out, "0 queued, 0 sending, 1 delivered, 0 failed") {
		t.Errorf("list after retry: exit %d\n%s", code, out)
	}
	// Retrying what was delivered changes nothing.
	code, _, errs = runSendCLI(t, nil, "outbox", "retry", "--db", db, "--to-ap", ap.URL, it.ID)
	if code != exitOK || !strings.Contains(errs, "already delivered") || ap.requests() != 3 {
		t.Errorf("retry delivered: exit %d, %d requests\n%s", code, ap.requests(), errs)
	}
}

// An access point that stays down leaves the document queued, not lost;
// a later retry delivers it.
func TestSendQueuedWhileDown(t *testing.T) {
	ap := newSendAP(t)
	ap.status.Store(http.StatusServiceUnavailable)
	db := filepath.Join(t.TempDir(), "outbox.db")
	code, out, _ := runSendCLI(t, nil, "send", "--no-lookup", "--no-xsd", "--db", db, "--to-ap", ap.URL, "--wait", "500ms", plain)
	if code != exitInvalid || !strings.Contains(out, "queued: not delivered within 500ms") || !strings.Contains(out, "HTTP 503") || !strings.Contains(out, "ehf outbox retry") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	ap.status.Store(0)
	code, out, errs := runSendCLI(t, nil, "outbox", "retry", "--db", db, "--to-ap", ap.URL, "--format", "jsonl")
	var r sendResult
	if code != exitOK || json.Unmarshal([]byte(out), &r) != nil || r.State != "delivered" || r.File != plain {
		t.Errorf("retry: exit %d\n%s%s", code, out, errs)
	}
}

func TestSendToFolder(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "outbox.db")
	code, out, _ := runSendCLI(t, nil, "send", "--no-lookup", "--no-xsd", "--db", db, "--outbox", dir, "--format", "jsonl", plain)
	var r sendResult
	if code != exitOK || json.Unmarshal([]byte(out), &r) != nil || r.State != "delivered" || r.Receipt != filepath.Join(dir, r.InstanceID+".xml") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	data, err := os.ReadFile(r.Receipt)
	if err != nil {
		t.Fatal(err)
	}
	env, err := peppol.ParseEnvelope(data, r.Receipt)
	if err != nil || env.InstanceID != r.InstanceID {
		t.Fatalf("%v", err)
	}
	src, _ := os.ReadFile(plain)
	if !bytes.Contains(src, env.Payload) {
		t.Error("the payload in the folder is not the invoice's bytes")
	}
}

// The receiver lookup: a real elma client against an SMP on loopback
// that does not know the receiver, and a stand-in that says yes.
func TestSendLookup(t *testing.T) {
	smp := httptest.NewServer(http.NotFoundHandler())
	defer smp.Close()
	ap := newSendAP(t)
	db := filepath.Join(t.TempDir(), "outbox.db")
	code, out, errs := runSendCLI(t, nil, "send", "--no-xsd", "--smp", smp.URL, "--db", db, "--to-ap", ap.URL, plain)
	if code != exitInvalid || !strings.Contains(out, "0192:970000003 is not registered in the Peppol network to receive Invoice documents") || ap.requests() != 0 {
		t.Fatalf("exit %d, %d requests\n%s%s", code, ap.requests(), out, errs)
	}
	old := newReceiverChecker
	defer func() { newReceiverChecker = old }()
	var asked []string
	newReceiverChecker = func(*lookupFlags) (receiverChecker, error) {
		return checkerFunc(func(ctx context.Context, p peppol.ParticipantID, d peppol.DocumentTypeID) (bool, error) {
			asked = append(asked, p.Value+" "+d.Value)
			return true, nil
		}), nil
	}
	code, out, _ = runSendCLI(t, nil, "send", "--no-xsd", "--db", db, "--to-ap", ap.URL, creditnote)
	if code != exitOK || ap.requests() != 1 || len(asked) != 1 || asked[0] != "0192:970000003 "+peppol.BISBillingCreditNoteValue {
		t.Errorf("exit %d, asked %q\n%s", code, asked, out)
	}
}

type checkerFunc func(ctx context.Context, p peppol.ParticipantID, d peppol.DocumentTypeID) (bool, error)

func (f checkerFunc) CanReceive(ctx context.Context, p peppol.ParticipantID, d peppol.DocumentTypeID) (bool, error) {
	return f(ctx, p, d)
}

func TestSendOverrides(t *testing.T) {
	db := filepath.Join(t.TempDir(), "outbox.db")
	code, out, _ := runSendCLI(t, nil, "send", "--no-lookup", "--no-xsd", "--dry-run", "--db", db, "--format", "jsonl",
		"--receiver", "0088:5790000435975", "--country", "se", plain)
	var r sendResult
	if code != exitOK || json.Unmarshal([]byte(out), &r) != nil || r.State != "ready" || r.Receiver != "iso6523-actorid-upis::0088:5790000435975" {
		t.Errorf("exit %d\n%s", code, out)
	}
	code, out, _ = runSendCLI(t, nil, "send", "--no-lookup", "--no-xsd", "--dry-run", "--receiver", "nonsense", plain)
	if code != exitInvalid || !strings.Contains(out, "refused: --receiver: ") {
		t.Errorf("bad --receiver: exit %d\n%s", code, out)
	}
}

func TestSendUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "outbox.db")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no files", []string{"send", "--to-ap", "http://127.0.0.1:1"}, "at least one file"},
		{"no destination", []string{"send", "--db", db, plain}, "--to-ap URL"},
		{"two destinations", []string{"send", "--to-ap", "http://x", "--outbox", ".", plain}, "not both"},
		{"not a URL", []string{"send", "--to-ap", "ftp://x", plain}, "not an http:// or https:// URL"},
		{"missing folder", []string{"send", "--outbox", "/nonexistent/folder", plain}, "not a folder"},
		{"bad header", []string{"send", "--to-ap", "http://x", "--ap-header", "nocolon", plain}, "Name: value"},
		{"bad format", []string{"send", "--format", "xml", "--to-ap", "http://x", plain}, "unknown --format"},
		{"outbox without subcommand", []string{"outbox"}, "Usage: ehf outbox"},
		{"outbox unknown", []string{"outbox", "purge"}, "unknown subcommand"},
		{"list bad state", []string{"outbox", "list", "--db", db, "--state", "lost"}, "unknown state"},
		{"retry without destination", []string{"outbox", "retry", "--db", db}, "--to-ap URL"},
		{"retry unknown id", []string{"outbox", "retry", "--db", db, "--to-ap", "http://127.0.0.1:1", "nope"}, "no such document"},
		{"db is a folder", []string{"outbox", "list", "--db", t.TempDir()}, "is a folder"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runSendCLI(t, nil, c.args...)
			if code != exitUsage || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stderr %q (want %q)\n%s", code, errs, c.want, out)
			}
		})
	}
}

// Without --db the outbox lives in the user's state folder.
func TestOutboxDefaultDatabase(t *testing.T) {
	state := t.TempDir()
	vars := map[string]string{"XDG_STATE_HOME": state}
	code, out, errs := runSendCLI(t, vars, "outbox", "list")
	if code != exitOK || !strings.Contains(out, "0 queued, 0 sending, 0 delivered, 0 failed") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(state, "ehf", "outbox.db")); err != nil {
		t.Error(err)
	}
	other := filepath.Join(t.TempDir(), "o.db")
	if code, _, _ := runSendCLI(t, map[string]string{"EHF_OUTBOX_DB": other}, "outbox", "list"); code != exitOK {
		t.Fatal(code)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("EHF_OUTBOX_DB ignored: %v", err)
	}
}

// A document already in an envelope goes as it is: its routing, its
// instance identifier, its bytes.
func TestSendWrapped(t *testing.T) {
	src, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	env, err := peppol.NewEnvelope(src, peppol.Header{
		Sender:       peppol.MustParseParticipantID("0192:987654325"),
		Receiver:     peppol.MustParseParticipantID("0192:974760673"),
		DocumentType: peppol.BISBillingInvoice,
		Process:      peppol.BillingProcess,
		CountryC1:    "NO",
		InstanceID:   "wrapped-by-the-erp-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := env.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "wrapped.xml")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ap := newSendAP(t)
	db := filepath.Join(t.TempDir(), "outbox.db")
	code, out, _ := runSendCLI(t, nil, "send", "--no-lookup", "--no-xsd", "--db", db, "--to-ap", ap.URL, file)
	if code != exitOK || !strings.Contains(out, "delivered to iso6523-actorid-upis::0192:974760673 (instance wrapped-by-the-erp-1") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if ap.keys[0] != "wrapped-by-the-erp-1" || !bytes.Equal(ap.bodies[0], data) {
		t.Error("the access point did not get the envelope as it was")
	}
}
