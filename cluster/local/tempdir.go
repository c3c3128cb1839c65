// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// tempPrefix starts the name of every directory MkdirTemp makes.
const tempPrefix = "egresskit-"

// ownerFile, in a directory MkdirTemp made, holds the process ID of the
// process that made it.
const ownerFile = ".egresskit-owner"

// MkdirTemp makes a directory under the system's temporary directory whose
// name starts with egresskit-<pattern>, and records in it that this process
// owns it. First it removes the directories that earlier processes made this
// way and left behind when they were killed before they could clean up (an
// etcd data directory alone takes tens of megabytes).
func MkdirTemp(pattern string) (string, error) {
	SweepTemp(os.TempDir())
	dir, err := os.MkdirTemp("", tempPrefix+pattern)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		return "", errors.Join(errors.Wrapf(err, "cannot record the owner of %s", dir), os.RemoveAll(dir))
	}
	return dir, nil
}

// SweepTemp removes the directories under root that MkdirTemp made for a
// process that no longer runs, and returns what it removed. A directory
// without an owner record is left alone: its maker may not have written the
// record yet.
func SweepTemp(root string) []string {
	dirs, err := filepath.Glob(filepath.Join(root, tempPrefix+"*"))
	if err != nil {
		return nil
	}
	var removed []string
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile)) //nolint:gosec // a path under root with our prefix
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 || running(pid) {
			continue
		}
		if os.RemoveAll(dir) == nil {
			removed = append(removed, dir)
		}
	}
	return removed
}

// running tells whether a process with ID pid exists. A process of another
// user, which may not be signalled, exists too.
func running(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
