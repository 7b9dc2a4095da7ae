package schemas

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// DefaultStallTimeout is how long a download may go without receiving a
// byte before it is abandoned.
const DefaultStallTimeout = 30 * time.Second

// parallelDownloads is how many files of a set are fetched at once.
const parallelDownloads = 4

// Installer downloads rule sets, or copies them from a local mirror, into
// the install folder. Every file is checked against the catalogue's SHA-256
// before it is used, and a set replaces its previous copy only once all of
// its files are in place: an install that fails or is interrupted leaves
// the previous copy as it was. Installed files are data; nothing fetched is
// ever run.
type Installer struct {
	Home string // ehf home (see Home)

	// From is where to get the files: "" for the official sources at their
	// pinned commits, or a folder or an http(s) URL laid out like the shared
	// kit (ubl-2.1/xsd/..., rules/...).
	From string

	Client       *http.Client  // nil: a client with sensible timeouts
	StallTimeout time.Duration // 0: DefaultStallTimeout
	Force        bool          // reinstall sets that are installed and intact

	// Progress, when set, is called after each file is fetched and checked.
	// It may be called from several goroutines, never at the same time.
	Progress func(Progress)

	now func() time.Time
}

// Progress reports one file fetched.
type Progress struct {
	Set         string
	File        string
	Done, Total int   // files of this set done so far, and in all
	Bytes       int64 // bytes of this set so far
}

// Result says what happened to one set.
type Result struct {
	Set     string
	Files   int
	Bytes   int64
	Skipped bool // already installed and intact; nothing fetched
	Err     error
}

// Install installs the named sets (every set in the catalogue when none is
// named). It returns one Result per set, and an error joining the failures.
func (in *Installer) Install(ctx context.Context, sets ...string) ([]Result, error) {
	if len(sets) == 0 {
		sets = SetNames()
	}
	for _, name := range sets {
		if _, ok := LookupSet(name); !ok {
			return nil, fmt.Errorf("unknown rule set %q (known: %s)", name, strings.Join(SetNames(), ", "))
		}
	}
	if in.Home == "" {
		return nil, errors.New("install: no ehf home folder given")
	}
	dir := Dir(in.Home)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	unlock, err := lock(dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	cleanLeftovers(dir)

	var results []Result
	var errs []error
	for _, name := range sets {
		set, _ := LookupSet(name)
		r := in.installSet(ctx, dir, set)
		results = append(results, r)
		if r.Err != nil {
			errs = append(errs, r.Err)
		}
	}
	return results, errors.Join(errs...)
}

func (in *Installer) installSet(ctx context.Context, dir string, set Set) Result {
	res := Result{Set: set.Name}
	final := filepath.Join(dir, set.Name)
	if !in.Force {
		if _, err := readManifest(final); err == nil && len(verifySet(set, final)) == 0 {
			res.Skipped = true
			return res
		}
	}
	tmp, err := os.MkdirTemp(dir, tmpPrefix+set.Name+"-")
	if err != nil {
		res.Err = err
		return res
	}
	defer os.RemoveAll(tmp) // after a successful swap it is gone already

	files := set.Files()
	res.Files = len(files)
	res.Bytes, res.Err = in.fetchAll(ctx, set, files, tmp)
	if res.Err != nil {
		return res
	}
	m := manifest{Set: set.Name, Installed: in.clock().UTC(), Source: in.sourceName(), Files: map[string]string{}}
	for _, a := range files {
		m.Files[a.Path] = a.SHA256
	}
	if err := writeManifest(tmp, &m); err != nil {
		res.Err = fmt.Errorf("%s: %w", set.Name, err)
		return res
	}
	if err := swap(dir, set.Name, tmp); err != nil {
		res.Err = fmt.Errorf("%s: %w", set.Name, err)
	}
	return res
}

func (in *Installer) clock() time.Time {
	if in.now != nil {
		return in.now()
	}
	return time.Now()
}

func (in *Installer) sourceName() string {
	if in.From == "" {
		return "official"
	}
	return in.From
}

// fetchAll fetches the files of a set into tmp, a few at a time, and stops
// at the first failure.
func (in *Installer) fetchAll(ctx context.Context, set Set, files []Artefact, tmp string) (int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan Artefact)
	var (
		mu       sync.Mutex
		firstErr error
		done     int
		total    int64
		wg       sync.WaitGroup
	)
	for range parallelDownloads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range jobs {
				n, err := in.fetch(ctx, a, filepath.Join(tmp, filepath.FromSlash(a.Path)))
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
						cancel()
					}
				} else {
					done++
					total += n
					if in.Progress != nil {
						in.Progress(Progress{Set: set.Name, File: a.Path, Done: done, Total: len(files), Bytes: total})
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, a := range files {
		select {
		case jobs <- a:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = fmt.Errorf("%s: %w", set.Name, context.Cause(ctx))
	}
	return total, firstErr
}

// fetch copies one file to dst, hashing it on the way, and refuses it
// unless it is exactly the catalogued file.
func (in *Installer) fetch(ctx context.Context, a Artefact, dst string) (int64, error) {
	name := a.Set + "/" + a.Path
	body, where, stalled, err := in.open(ctx, a)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	defer body.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return 0, err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, err
	}
	h := sha256.New()
	// One byte more than expected is enough to tell an oversized file.
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(body, a.Size+1))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case stalled != nil && stalled():
		return n, fmt.Errorf("%s: download from %s stalled: nothing received for %s (after %d of %d bytes)", name, where, in.stallTimeout(), n, a.Size)
	case err != nil:
		return n, fmt.Errorf("%s: download from %s failed after %d of %d bytes: %w", name, where, n, a.Size, err)
	case n < a.Size:
		return n, fmt.Errorf("%s: truncated: got %d of %d bytes from %s", name, n, a.Size, where)
	case n > a.Size:
		return n, fmt.Errorf("%s: %s sent more than the %d bytes of the official file; refused", name, where, a.Size)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != a.SHA256 {
		return n, fmt.Errorf("%s: wrong SHA-256 from %s: got %s, expected %s; this is not the official file (%s@%s), refused", name, where, sum, a.SHA256, a.Repo, a.Commit)
	}
	return n, nil
}

func (in *Installer) stallTimeout() time.Duration {
	if in.StallTimeout > 0 {
		return in.StallTimeout
	}
	return DefaultStallTimeout
}

// open returns the content of one artefact from the configured source, a
// description of where it comes from, and for downloads a function telling
// whether the transfer was abandoned for stalling.
func (in *Installer) open(ctx context.Context, a Artefact) (io.ReadCloser, string, func() bool, error) {
	var u string
	switch {
	case in.From == "":
		u = a.URL()
	case isURL(in.From):
		u = strings.TrimSuffix(in.From, "/") + "/" + escapePath(a.KitPath())
	default:
		p := filepath.Join(in.From, filepath.FromSlash(a.KitPath()))
		f, err := os.Open(p)
		if err != nil {
			return nil, p, nil, err
		}
		return f, p, nil, nil
	}
	return in.download(ctx, u)
}

func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// download starts a GET whose context is cancelled when no byte arrives for
// the stall timeout, whether waiting for the response or reading the body.
func (in *Installer) download(ctx context.Context, u string) (io.ReadCloser, string, func() bool, error) {
	ctx, cancel := context.WithCancel(ctx)
	w := &watchdog{cancel: cancel, timeout: in.stallTimeout()}
	w.timer = time.AfterFunc(w.timeout, w.fire)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		w.stop()
		return nil, u, nil, err
	}
	req.Header.Set("User-Agent", "ehf-schemas-install")
	client := in.Client
	if client == nil {
		client = defaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		w.stop()
		if w.fired() {
			return nil, u, nil, fmt.Errorf("no response from %s within %s", u, w.timeout)
		}
		return nil, u, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		w.stop()
		return nil, u, nil, fmt.Errorf("%s answered %s", u, resp.Status)
	}
	w.timer.Reset(w.timeout)
	return &watchedBody{ReadCloser: resp.Body, w: w}, u, w.fired, nil
}

var defaultClient = &http.Client{
	Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		TLSHandshakeTimeout:   30 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		MaxIdleConnsPerHost:   parallelDownloads,
	},
}

type watchdog struct {
	mu      sync.Mutex
	timer   *time.Timer
	timeout time.Duration
	cancel  context.CancelFunc
	hit     bool
}

func (w *watchdog) fire() {
	w.mu.Lock()
	w.hit = true
	w.mu.Unlock()
	w.cancel()
}

func (w *watchdog) fired() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.hit
}

func (w *watchdog) stop() {
	w.timer.Stop()
	w.cancel()
}

type watchedBody struct {
	io.ReadCloser
	w *watchdog
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.w.timer.Reset(b.w.timeout)
	}
	return n, err
}

func (b *watchedBody) Close() error {
	b.w.stop()
	return b.ReadCloser.Close()
}

func writeManifest(dir string, m *manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(dir, manifestName), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// swap puts the complete new copy in tmp in place of the set. Renaming a
// folder is atomic, but a folder cannot be renamed over a non-empty one, so
// the old copy is first moved aside; should the process die between the
// two renames, Installed finds the old copy under its aside name and the
// next install puts it back.
func swap(dir, set, tmp string) error {
	final := filepath.Join(dir, set)
	if _, err := os.Lstat(final); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, final)
	}
	aside := filepath.Join(dir, oldPrefix+set+"-"+randomSuffix())
	if err := os.Rename(final, aside); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Rename(aside, final) // put the old copy back
		return err
	}
	return os.RemoveAll(aside)
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// cleanLeftovers runs with the install lock held: any working folder in
// dir is from an install that died. A set whose swap was interrupted gets
// its previous copy back; everything else is removed.
func cleanLeftovers(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(dir, name)
		switch {
		case strings.HasPrefix(name, tmpPrefix):
			os.RemoveAll(p)
		case strings.HasPrefix(name, oldPrefix):
			m, err := readManifest(p)
			if err == nil {
				if _, err := os.Lstat(filepath.Join(dir, m.Set)); errors.Is(err, fs.ErrNotExist) {
					if os.Rename(p, filepath.Join(dir, m.Set)) == nil {
						continue
					}
				}
			}
			os.RemoveAll(p)
		}
	}
}

// staleLock is the age past which a lock file is taken to be left by an
// install that died.
const staleLock = 30 * time.Minute

// lock makes sure only one install runs on a home at a time.
func lock(dir string) (func(), error) {
	p := filepath.Join(dir, ".lock")
	for attempt := 0; ; attempt++ {
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%d\n", os.Getpid())
			f.Close()
			return func() { os.Remove(p) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		if st, serr := os.Stat(p); serr == nil && time.Since(st.ModTime()) > staleLock && attempt == 0 {
			os.Remove(p)
			continue
		}
		return nil, fmt.Errorf("another ehf schemas install is running on %s (remove %s if it is not)", dir, p)
	}
}
