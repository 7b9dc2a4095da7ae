package schemas

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// kitServer serves the shared kit on loopback, as a mirror for
// "install --from URL". fault, when it returns a non-empty string for a
// path, makes the server misbehave for it: "wrong-hash" serves the file
// with one byte changed, "cut" declares the full length but sends half and
// drops the connection, "short" sends half with no declared length,
// "stall" sends half and then nothing, "404" refuses it.
func kitServer(t *testing.T, fault func(path string) string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	shared := sharedDir(t)
	var requests atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		rel := strings.TrimPrefix(r.URL.Path, "/")
		b, err := os.ReadFile(filepath.Join(shared, filepath.FromSlash(rel)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		mode := ""
		if fault != nil {
			mode = fault(rel)
		}
		switch mode {
		case "wrong-hash":
			b = append([]byte(nil), b...)
			b[len(b)/2] ^= 0x20
			w.Write(b)
		case "cut":
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			w.Write(b[:len(b)/2])
			// Returning with less than the declared length makes the server
			// close the connection; the client sees an unexpected EOF.
		case "short":
			w.Write(b[:len(b)/2])
			w.(http.Flusher).Flush()
		case "stall":
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			w.Write(b[:len(b)/2])
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-release:
			}
		case "404":
			http.NotFound(w, r)
		default:
			w.Write(b)
		}
	}))
	t.Cleanup(func() {
		close(release)
		srv.Close()
	})
	return srv, &requests
}

// installed reads the installation and fails the test on error.
func installed(t *testing.T, home string) *Installation {
	t.Helper()
	in, err := Installed(home)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// assertIntact checks that a set is installed, from the given source, with
// every file as catalogued, and that no working folder was left behind.
func assertIntact(t *testing.T, home, set, source string) {
	t.Helper()
	in := installed(t, home)
	s, ok := in.Sets[set]
	if !ok {
		t.Fatalf("%s is not installed", set)
	}
	if s.Source != source {
		t.Errorf("%s: installed from %q, want %q", set, s.Source, source)
	}
	if s.Dir != filepath.Join(Dir(home), set) {
		t.Errorf("%s: installed in %s", set, s.Dir)
	}
	if _, problems, err := Verify(home, set); err != nil || len(problems) > 0 {
		t.Errorf("%s: verify: %v %v", set, err, problems)
	}
	entries, _ := os.ReadDir(Dir(home))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tmpPrefix) || strings.HasPrefix(e.Name(), oldPrefix) || e.Name() == ".lock" {
			t.Errorf("left behind in the install folder: %s", e.Name())
		}
	}
}

// TestInstallFromHTTP installs every set through a real HTTP server on
// loopback serving the shared kit, then checks the result file by file.
func TestInstallFromHTTP(t *testing.T) {
	srv, requests := kitServer(t, nil)
	home := t.TempDir()
	var mu sync.Mutex
	progress := map[string]int{}
	inst := &Installer{Home: home, From: srv.URL, Progress: func(p Progress) {
		mu.Lock()
		progress[p.Set]++
		mu.Unlock()
	}}
	results, err := inst.Install(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(Sets) {
		t.Fatalf("%d results for %d sets", len(results), len(Sets))
	}
	for _, r := range results {
		set, _ := LookupSet(r.Set)
		if r.Skipped || r.Files != len(set.Files()) || progress[r.Set] != r.Files {
			t.Errorf("%s: %+v, %d progress reports", r.Set, r, progress[r.Set])
		}
		assertIntact(t, home, r.Set, srv.URL)
	}
	if int(requests.Load()) != len(Catalogue) {
		t.Errorf("%d requests for %d files", requests.Load(), len(Catalogue))
	}

	// A second install finds everything in place and fetches nothing.
	before := requests.Load()
	results, err = inst.Install(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !r.Skipped {
			t.Errorf("%s reinstalled although intact", r.Set)
		}
	}
	if requests.Load() != before {
		t.Errorf("second install made %d requests", requests.Load()-before)
	}
}

// TestInstallRefusesBadDownloads serves a wrong file, a cut-off file, a
// short file, a stalled file and a missing file, each after a good install
// of the same set, and checks that each is refused with a clear error and
// that the previous install is untouched.
func TestInstallRefusesBadDownloads(t *testing.T) {
	const set = "peppol-billing-3.0.19"
	victim := "rules/peppol-billing-3.0.19/PEPPOL-EN16931-UBL.sch"
	tests := []struct {
		mode string
		want []string
	}{
		{"wrong-hash", []string{"PEPPOL-EN16931-UBL.sch", "wrong SHA-256", "not the official file", "refused"}},
		{"cut", []string{"PEPPOL-EN16931-UBL.sch", "failed after", "unexpected EOF"}},
		{"short", []string{"PEPPOL-EN16931-UBL.sch", "truncated"}},
		{"stall", []string{"PEPPOL-EN16931-UBL.sch", "stalled", "nothing received for 300ms"}},
		{"404", []string{"PEPPOL-EN16931-UBL.sch", "404"}},
	}
	for _, tc := range tests {
		t.Run(tc.mode, func(t *testing.T) {
			home := t.TempDir()
			good, _ := kitServer(t, nil)
			if _, err := (&Installer{Home: home, From: good.URL}).Install(context.Background(), set); err != nil {
				t.Fatal(err)
			}
			before := installed(t, home).Sets[set]

			bad, _ := kitServer(t, func(p string) string {
				if p == victim {
					return tc.mode
				}
				return ""
			})
			start := time.Now()
			inst := &Installer{Home: home, From: bad.URL, Force: true, StallTimeout: 300 * time.Millisecond}
			results, err := inst.Install(context.Background(), set)
			if err == nil {
				t.Fatal("the bad download was accepted")
			}
			if tc.mode == "stall" && time.Since(start) > 10*time.Second {
				t.Errorf("the stall took %s to detect", time.Since(start))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			t.Logf("refused: %v", err)
			if len(results) != 1 || results[0].Err == nil {
				t.Errorf("results: %+v", results)
			}
			assertIntact(t, home, set, good.URL)
			if after := installed(t, home).Sets[set]; !after.Installed.Equal(before.Installed) {
				t.Errorf("the previous install was replaced: %v -> %v", before.Installed, after.Installed)
			}
		})
	}
}

// TestInstallFromFolder installs from a local folder laid out like the
// kit, as on a machine without internet.
func TestInstallFromFolder(t *testing.T) {
	shared := sharedDir(t)
	home := t.TempDir()
	results, err := (&Installer{Home: home, From: shared}).Install(context.Background(), "ubl-2.1", "peppol-billing-2026.5", "ehf-g3")
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 {
		t.Fatalf("results: %+v", results)
	}
	for _, r := range results {
		assertIntact(t, home, r.Set, shared)
	}
	in := installed(t, home)
	if in.Has("peppol-2026.5") || len(in.Sets) != 3 {
		t.Errorf("installed sets: %v", in.Sets)
	}

	// A folder that lacks a file is refused, naming the file.
	empty := t.TempDir()
	_, err = (&Installer{Home: t.TempDir(), From: empty}).Install(context.Background(), "peppol-billing-3.0.19")
	if err == nil || !strings.Contains(err.Error(), "CEN-EN16931-UBL.sch") && !strings.Contains(err.Error(), "PEPPOL-EN16931-UBL.sch") {
		t.Errorf("install from an empty folder: %v", err)
	}
}

// TestInstallCancelled stops an install half way, as Ctrl-C would, and
// checks the previous copy is untouched and nothing is left behind.
func TestInstallCancelled(t *testing.T) {
	const set = "peppol-billing-3.0.19"
	home := t.TempDir()
	shared := sharedDir(t)
	if _, err := (&Installer{Home: home, From: shared}).Install(context.Background(), set); err != nil {
		t.Fatal(err)
	}
	srv, _ := kitServer(t, func(p string) string {
		if strings.HasSuffix(p, "PEPPOL-EN16931-UBL.sch") {
			return "stall"
		}
		return ""
	})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	_, err := (&Installer{Home: home, From: srv.URL, Force: true}).Install(ctx, set)
	if err == nil || !errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("cancelled install: %v", err)
	}
	assertIntact(t, home, set, shared)
}

// TestInterruptedSwap recreates what a crash between the two renames of a
// swap leaves (the old copy moved aside, the new one not yet in place) and
// checks that the old copy is still found and that the next install puts
// it back.
func TestInterruptedSwap(t *testing.T) {
	const set = "peppol-billing-3.0.19"
	home := t.TempDir()
	shared := sharedDir(t)
	if _, err := (&Installer{Home: home, From: shared}).Install(context.Background(), set); err != nil {
		t.Fatal(err)
	}
	dir := Dir(home)
	aside := filepath.Join(dir, oldPrefix+set+"-0123456789ab")
	if err := os.Rename(filepath.Join(dir, set), aside); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, tmpPrefix+set+"-half"), 0o755)

	in := installed(t, home)
	s, ok := in.Sets[set]
	if !ok || s.Dir != aside {
		t.Fatalf("after the crash: %+v (found %v)", s, ok)
	}
	if _, problems, _ := Verify(home, set); len(problems) > 0 {
		t.Errorf("old copy: %v", problems)
	}
	results, err := (&Installer{Home: home, From: shared}).Install(context.Background(), set)
	if err != nil || !results[0].Skipped {
		t.Fatalf("install after the crash: %+v %v", results, err)
	}
	assertIntact(t, home, set, shared)
}

// TestVerifyFindsTampering changes and removes installed files.
func TestVerifyFindsTampering(t *testing.T) {
	home := t.TempDir()
	if _, err := (&Installer{Home: home, From: sharedDir(t)}).Install(context.Background(), "peppol-billing-3.0.19", "cen-en16931-ubl-1.3.16"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(Dir(home), "peppol-billing-3.0.19")
	os.WriteFile(filepath.Join(dir, "CEN-EN16931-UBL.sch"), []byte("<schema/>"), 0o644)
	os.Remove(filepath.Join(dir, "PEPPOL-EN16931-UBL.sch"))

	checked, problems, err := Verify(home)
	if err != nil {
		t.Fatal(err)
	}
	if len(checked) != 2 {
		t.Errorf("checked %v", checked)
	}
	var text []string
	for _, p := range problems {
		text = append(text, p.String())
	}
	got := strings.Join(text, "\n")
	for _, w := range []string{"peppol-billing-3.0.19/CEN-EN16931-UBL.sch: changed", "peppol-billing-3.0.19/PEPPOL-EN16931-UBL.sch: missing"} {
		if !strings.Contains(got, w) {
			t.Errorf("problems %q lack %q", got, w)
		}
	}
	if len(problems) != 2 {
		t.Errorf("%d problems: %s", len(problems), got)
	}
	if _, problems, _ := Verify(home, "peppol-2026.5"); len(problems) != 1 || problems[0].What != "not installed" {
		t.Errorf("verify of a set not installed: %v", problems)
	}
	if _, _, err := Verify(home, "nonsense"); err == nil {
		t.Error("verify of an unknown set succeeded")
	}

	// Install repairs the damaged set without being forced.
	results, err := (&Installer{Home: home, From: sharedDir(t)}).Install(context.Background(), "peppol-billing-3.0.19")
	if err != nil || results[0].Skipped {
		t.Fatalf("repair: %+v %v", results, err)
	}
	assertIntact(t, home, "peppol-billing-3.0.19", sharedDir(t))
}

func TestInstallLock(t *testing.T) {
	home := t.TempDir()
	os.MkdirAll(Dir(home), 0o755)
	unlock, err := lock(Dir(home))
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&Installer{Home: home, From: t.TempDir()}).Install(context.Background(), "ubl-2.1")
	if err == nil || !strings.Contains(err.Error(), "another ehf schemas install is running") {
		t.Errorf("install while locked: %v", err)
	}
	unlock()
	// A lock left by a process that died long ago is taken over.
	p := filepath.Join(Dir(home), ".lock")
	os.WriteFile(p, []byte("1\n"), 0o644)
	old := time.Now().Add(-2 * staleLock)
	os.Chtimes(p, old, old)
	if unlock, err := lock(Dir(home)); err != nil {
		t.Errorf("stale lock not taken over: %v", err)
	} else {
		unlock()
	}
}

func TestInstallUnknownSet(t *testing.T) {
	_, err := (&Installer{Home: t.TempDir()}).Install(context.Background(), "peppol-billing-9.9")
	if err == nil || !strings.Contains(err.Error(), "peppol-billing-2026.5") {
		t.Errorf("unknown set: %v", err)
	}
}

func TestHome(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	h, err := Home(getenv)
	if err != nil {
		t.Fatal(err)
	}
	cache, _ := os.UserCacheDir()
	if h != filepath.Join(cache, "ehf") {
		t.Errorf("default home %s", h)
	}
	env[EnvHome] = "/tmp/ehf-home"
	if h, _ := Home(getenv); h != "/tmp/ehf-home" {
		t.Errorf("EHF_HOME ignored: %s", h)
	}
	if Dir("/x") != filepath.Join("/x", "schemas") {
		t.Errorf("Dir: %s", Dir("/x"))
	}
}

func TestInstalledEmpty(t *testing.T) {
	in := installed(t, filepath.Join(t.TempDir(), "nothing-here"))
	if len(in.Sets) != 0 {
		t.Errorf("sets in an empty home: %v", in.Sets)
	}
	var nie *NotInstalledError
	if _, err := in.Path(FileRef{Set: "ubl-2.1", Path: "maindoc/UBL-Invoice-2.1.xsd"}); !errors.As(err, &nie) {
		t.Errorf("Path in an empty home: %v", err)
	}
}
