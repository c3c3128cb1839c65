// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMkdirTemp(t *testing.T) {
	dir, err := MkdirTemp("unit-")
	if err != nil {
		t.Fatalf("MkdirTemp: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })

	if !strings.HasPrefix(filepath.Base(dir), "egresskit-unit-") {
		t.Errorf("MkdirTemp made %s, want a name that starts with egresskit-unit-", dir)
	}
	b, err := os.ReadFile(filepath.Join(dir, ownerFile))
	if err != nil {
		t.Fatalf("cannot read owner record: %v", err)
	}
	if diff := cmp.Diff(strconv.Itoa(os.Getpid()), string(b)); diff != "" {
		t.Errorf("owner record: -want +got:\n%s", diff)
	}
	if removed := SweepTemp(filepath.Dir(dir)); slices.Contains(removed, dir) {
		t.Errorf("SweepTemp removed %s, whose owner is this running process", dir)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("directory of a running owner is gone: %v", err)
	}
}

func TestSweepTemp(t *testing.T) {
	root := t.TempDir()
	dead := exitedPID(t)

	cases := map[string]struct {
		reason string
		owner  *string
		kept   bool
	}{
		"egresskit-dead": {reason: "A directory whose owner has exited is removed.", owner: ptrTo(strconv.Itoa(dead))},
		"egresskit-live": {reason: "A directory whose owner runs is kept.", owner: ptrTo(strconv.Itoa(os.Getpid())), kept: true},
		"egresskit-new":  {reason: "A directory without an owner record yet is kept.", kept: true},
		"egresskit-junk": {reason: "A directory whose owner record is not a process ID is kept.", owner: ptrTo("etcd"), kept: true},
		"other-dead":     {reason: "A directory without the egresskit- prefix is never touched.", owner: ptrTo(strconv.Itoa(dead)), kept: true},
	}
	for name, tc := range cases {
		dir := filepath.Join(root, name)
		if err := os.Mkdir(dir, 0o750); err != nil {
			t.Fatal(err)
		}
		if tc.owner != nil {
			if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(*tc.owner), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}

	removed := SweepTemp(root)

	if diff := cmp.Diff([]string{filepath.Join(root, "egresskit-dead")}, removed); diff != "" {
		t.Errorf("SweepTemp removed: -want +got:\n%s", diff)
	}
	for name, tc := range cases {
		_, err := os.Stat(filepath.Join(root, name))
		if got := err == nil; got != tc.kept {
			t.Errorf("%s: %s\nkept: want %t, got %t (%v)", name, tc.reason, tc.kept, got, err)
		}
	}
}

// exitedPID returns the process ID of a process that has exited and been
// reaped.
func exitedPID(t *testing.T) int {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), lookPath(t, "true"))
	if err := cmd.Run(); err != nil {
		t.Fatalf("cannot run true: %v", err)
	}
	return cmd.Process.Pid
}

func ptrTo(s string) *string { return &s }
