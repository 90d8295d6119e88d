package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
)

// socketName is the control socket's name inside its folder.
const socketName = "control.sock"

// maxSocketPath is the longest path a Unix socket may have: its address
// holds 108 bytes on Linux and 104 on macOS and the BSDs, the closing NUL
// included. A database may lie deeper than that, so the socket is not put
// beside it (see controlPaths).
const maxSocketPath = 103

// controlPaths returns where the control socket of the database at dbPath
// may be, in the order `pulse run` tries to make it and `pulse backup` and
// `pulse export` look for it: in a folder named from a hash of the
// database's absolute path (symbolic links resolved, so two names of one
// file meet), under $XDG_RUNTIME_DIR when it is set, then under $TMPDIR or
// /tmp, as os.TempDir chooses. Both sides read the same environment, and a
// client tries every place, so a backup from a login shell with
// $XDG_RUNTIME_DIR finds a pulse run by a service without it.
func controlPaths(env Env, dbPath string) []string {
	var bases []string
	if d, ok := env("XDG_RUNTIME_DIR"); ok && filepath.IsAbs(d) {
		bases = append(bases, d)
	}
	tmp := "/tmp"
	if d, ok := env("TMPDIR"); ok && filepath.IsAbs(d) {
		tmp = d
	}
	if !slices.Contains(bases, tmp) {
		bases = append(bases, tmp)
	}
	name := controlDirName(dbPath)
	paths := make([]string, len(bases))
	for i, b := range bases {
		paths[i] = filepath.Join(b, name, socketName)
	}
	return paths
}

// controlDirName names the control socket's folder after the database at
// dbPath: pulse- and 16 hex digits of the SHA-256 of its absolute path.
func controlDirName(dbPath string) string {
	path, err := filepath.Abs(dbPath)
	if err != nil {
		path = dbPath
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	sum := sha256.Sum256([]byte(path))
	return "pulse-" + hex.EncodeToString(sum[:8])
}

// privateDir checks that dir is a folder no one but this user may enter:
// a folder itself (a symbolic link is refused, wherever it points), owned
// by this user, mode 0700. With create, a missing one is made so. In a
// shared /tmp another user may have made the folder first; then it is
// refused, never used.
func privateDir(dir string, create bool) error {
	if create {
		err := os.Mkdir(dir, 0o700)
		switch {
		case err == nil:
			// The umask may have taken bits from the owner.
			if err := os.Chmod(dir, 0o700); err != nil {
				return fmt.Errorf("make %s: %w", dir, err)
			}
		case !errors.Is(err, fs.ErrExist):
			return fmt.Errorf("make %s: %w", dir, err)
		}
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	switch {
	case fi.Mode().Type() == fs.ModeSymlink:
		return fmt.Errorf("%s is a symbolic link; refusing it", dir)
	case !fi.IsDir():
		return fmt.Errorf("%s is not a folder", dir)
	case fi.Mode().Perm() != 0o700:
		return fmt.Errorf("%s has mode %v; it must be 0700", dir, fi.Mode().Perm())
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); !ok || int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("%s belongs to another user", dir)
	}
	return nil
}
