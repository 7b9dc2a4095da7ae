package schemas

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// EnvHome is the environment variable that moves ehf's cache folder.
const EnvHome = "EHF_HOME"

// Home returns ehf's cache folder: $EHF_HOME when set, otherwise "ehf" in
// the user's cache directory (os.UserCacheDir). getenv is os.Getenv in
// production; tests pass their own.
func Home(getenv func(string) string) (string, error) {
	if getenv != nil {
		if h := getenv(EnvHome); h != "" {
			return filepath.Abs(h)
		}
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for ehf (set %s): %w", EnvHome, err)
	}
	if dir == "" {
		return "", errors.New("no cache directory for ehf (set " + EnvHome + ")")
	}
	return filepath.Join(dir, "ehf"), nil
}

// Dir is the install folder under home: each installed set is a folder
// in it named after the set, and the paths in a Selection are relative to
// it.
func Dir(home string) string { return filepath.Join(home, "schemas") }
