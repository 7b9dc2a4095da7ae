package peppol

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// FolderSender delivers envelopes as files in a folder, for access points
// (and integration platforms) that pick messages up from a directory.
//
// Each envelope becomes INSTANCEID.xml, written atomically: to a temporary
// file in the same folder whose name starts with a dot and ends in .tmp,
// flushed to disk, then renamed, and the folder itself flushed, so that a
// reader never sees half a file and a crash never leaves one behind under
// the final name. A collector must ignore dot files. Sending the same
// envelope again replaces the file with identical content rather than
// adding a second one.
type FolderSender struct {
	// Dir is the folder; it must exist.
	Dir string
}

// Send writes env into the folder.
func (s *FolderSender) Send(ctx context.Context, env *Envelope) (Receipt, error) {
	if err := ctx.Err(); err != nil {
		return Receipt{}, err
	}
	data, err := env.Marshal()
	if err != nil {
		return Receipt{}, err
	}
	final := filepath.Join(s.Dir, fileName(env.InstanceID)+".xml")
	tmp, err := os.CreateTemp(s.Dir, ".ehf-*.tmp")
	if err != nil {
		// A folder that is missing or full may be back later (a mount, a
		// cleanup): not a reason to give the document up.
		return Receipt{}, fmt.Errorf("outbox folder: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return Receipt{}, fmt.Errorf("outbox folder: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return Receipt{}, fmt.Errorf("outbox folder: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Receipt{}, fmt.Errorf("outbox folder: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return Receipt{}, fmt.Errorf("outbox folder: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return Receipt{}, fmt.Errorf("outbox folder: %w", err)
	}
	ok = true
	if err := syncDir(s.Dir); err != nil {
		return Receipt{}, fmt.Errorf("outbox folder: the file is in place but the folder could not be flushed: %w", err)
	}
	return Receipt{InstanceID: env.InstanceID, MessageID: final, At: time.Now(), Attempts: 1}, nil
}

// syncDir flushes a directory, making a rename in it durable. Some
// systems cannot open a directory for that; there the rename is as durable
// as the system makes it.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !os.IsPermission(err) && !strings.Contains(err.Error(), "invalid argument") {
		return err
	}
	return nil
}

// fileName makes an instance identifier safe as a file name. Identifiers
// are usually UUIDs and pass unchanged; anything else has its unsafe
// characters replaced and a hash of the original appended, so that two
// different identifiers never share a file.
func fileName(id string) string {
	safe := true
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || (c == '.' && i > 0)) {
			safe = false
			break
		}
	}
	if safe && id != "" && len(id) <= 100 {
		return id
	}
	b := []byte(id)
	if len(b) > 60 {
		b = b[:60]
	}
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			b[i] = '_'
		}
	}
	return fmt.Sprintf("%s-%x", b, sha256.Sum256([]byte(id)))[:len(b)+1+16]
}
