package main

import (
	"bytes"
	"context"
	"github.com/ehf-project/ehf/internal/sharedtest"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ehf-project/ehf/schemas"
)

// kitDir returns the shared kit, or skips the test when it is absent.
func kitDir(t *testing.T) string { sharedtest.Path(t, "rules"); return sharedtest.Dir(t) }

// runSchemasCmd runs "ehf schemas ..." with EHF_HOME set to home.
func runSchemasCmd(t *testing.T, home string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(k string) string {
		if k == "EHF_HOME" {
			return home
		}
		return ""
	}}
	code := run(context.Background(), e, append([]string{"schemas"}, args...))
	return code, stdout.String(), stderr.String()
}

func TestSchemasCommand(t *testing.T) {
	kit := kitDir(t)
	home := t.TempDir()

	code, out, errOut := runSchemasCmd(t, home, "install", "--from", kit, "ubl-2.1", "peppol-billing-3.0.19", "peppol-billing-2026.5")
	if code != exitOK {
		t.Fatalf("install: %d\n%s%s", code, out, errOut)
	}
	ubl, _ := schemas.LookupSet("ubl-2.1")
	for _, w := range []string{"ubl-2.1", "installed", strconv.Itoa(len(ubl.Files())) + " files", "peppol-billing-2026.5", "installed in " + filepath.Join(home, "schemas")} {
		if !strings.Contains(out, w) {
			t.Errorf("install output lacks %q:\n%s", w, out)
		}
	}
	if errOut != "" {
		t.Errorf("progress or errors on a non-terminal stderr: %q", errOut)
	}

	code, out, _ = runSchemasCmd(t, home, "install", "--from", kit, "ubl-2.1")
	if code != exitOK || !strings.Contains(out, "already installed and intact") {
		t.Errorf("second install: %d\n%s", code, out)
	}

	code, out, _ = runSchemasCmd(t, home, "list", "--date", "2026-09-01")
	if code != exitOK {
		t.Fatalf("list: %d", code)
	}
	lines := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			lines[f[0]] = l
		}
	}
	if l := lines["peppol-billing-2026.5"]; !strings.Contains(l, "in force") || strings.Contains(l, " no ") {
		t.Errorf("list, 2026.5: %q", l)
	}
	if l := lines["peppol-billing-3.0.19"]; strings.Contains(l, "in force") || !strings.Contains(l, "to 2026-08-16") {
		t.Errorf("list, 3.0.19: %q", l)
	}
	if !strings.Contains(out, "in force but not installed; run: ehf schemas install peppol-2026.5 cen-en16931-ubl-1.3.16 ehf-g3") {
		t.Errorf("list lacks the install hint:\n%s", out)
	}

	code, out, _ = runSchemasCmd(t, home, "verify")
	if code != exitOK || strings.Count(out, "ok ") != 3 {
		t.Errorf("verify: %d\n%s", code, out)
	}

	doc := filepath.Join(kit, "examples", "peppol-3.0.19", "examples", "base-example.xml")
	code, out, _ = runSchemasCmd(t, home, "select", "--date", "2026-08-16", doc)
	if code != exitOK || !strings.Contains(out, "peppol-billing-3.0.19/PEPPOL-EN16931-UBL.sch") || !strings.Contains(out, "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd") || strings.Contains(out, "missing:") {
		t.Errorf("select: %d\n%s", code, out)
	}
	order := filepath.Join(kit, "examples", "ehf-g3", "src", "ordering-3.0", "rules", "example", "Order_Example.xml")
	code, out, _ = runSchemasCmd(t, home, "select", order)
	if code != exitOK || !strings.Contains(out, "EHF order 3.0") || !strings.Contains(out, "missing:  ehf-g3; run: ehf schemas install ehf-g3") {
		t.Errorf("select of an EHF order: %d\n%s", code, out)
	}

	// Damage a file: verify fails and says how to repair.
	os.WriteFile(filepath.Join(home, "schemas", "peppol-billing-3.0.19", "CEN-EN16931-UBL.sch"), []byte("x"), 0o644)
	code, out, _ = runSchemasCmd(t, home, "verify")
	if code != exitInvalid || !strings.Contains(out, "FAILED peppol-billing-3.0.19/CEN-EN16931-UBL.sch: changed") || !strings.Contains(out, "to repair: ehf schemas install peppol-billing-3.0.19") {
		t.Errorf("verify after damage: %d\n%s", code, out)
	}
}

func TestSchemasInstallRefusesWrongFile(t *testing.T) {
	kit := kitDir(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := os.ReadFile(filepath.Join(kit, filepath.FromSlash(strings.TrimPrefix(r.URL.Path, "/"))))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		b[0] ^= 1
		w.Write(b)
	}))
	defer srv.Close()
	home := t.TempDir()
	code, out, errOut := runSchemasCmd(t, home, "install", "--from", srv.URL, "peppol-billing-3.0.19")
	if code != exitInvalid || !strings.Contains(out, "FAILED") || !strings.Contains(out, "wrong SHA-256") || !strings.Contains(errOut, "untouched") {
		t.Errorf("install of a wrong file: %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := runSchemasCmd(t, home, "verify"); code != exitInvalid || !strings.Contains(out, "nothing installed") {
		t.Errorf("verify with nothing installed: %d\n%s", code, out)
	}
}

func TestSchemasUsage(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, exitUsage, "Usage:"},
		{[]string{"help"}, exitOK, "Rule sets: ubl-2.1"},
		{[]string{"frobnicate"}, exitUsage, `unknown subcommand "frobnicate"`},
		{[]string{"install", "peppol-9"}, exitUsage, `unknown rule set "peppol-9"`},
		{[]string{"install", "--from", filepath.Join(home, "absent")}, exitUsage, "is not a folder or an http(s) URL"},
		{[]string{"verify", "nope"}, exitUsage, `unknown rule set "nope"`},
		{[]string{"list", "--date", "17.08.2026"}, exitUsage, "is not a date"},
		{[]string{"select"}, exitUsage, "name at least one document"},
		{[]string{"select", filepath.Join(home, "absent.xml")}, exitUsage, "absent.xml"},
		{[]string{"install", "-h"}, exitOK, "Usage: ehf schemas install"},
	}
	for _, tc := range tests {
		code, out, errOut := runSchemasCmd(t, home, tc.args...)
		if code != tc.code || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("ehf schemas %v: %d, want %d with %q\n%s%s", tc.args, code, tc.code, tc.want, out, errOut)
		}
	}
}
