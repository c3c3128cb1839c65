// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"io"
	"strings"
	"testing"
)

// testLog writes progress lines to a test's log.
type testLog struct{ t testing.TB }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestLog returns a writer that logs each write to t, for Progress options.
func TestLog(t testing.TB) io.Writer { return testLog{t: t} }

// StartForTest starts a control plane for a test and stops it in the
// test's cleanup, after printing the end of each component's log if the
// test failed. It fails the test if the control plane cannot start.
// Progress goes to the test log unless o.Progress is set.
func StartForTest(t testing.TB, o Options) *ControlPlane {
	t.Helper()
	if o.Progress == nil {
		o.Progress = TestLog(t)
	}
	cp, err := Start(t.Context(), o)
	if err != nil {
		t.Fatalf("cannot start control plane: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("control plane logs (%s):\n%s", cp.Dir, cp.Logs(tailLines))
		}
		if err := cp.Stop(); err != nil {
			t.Errorf("cannot stop control plane: %v", err)
		}
	})
	return cp
}

// StartCrossplaneForTest starts Crossplane core for a test against cp and
// stops it in the test's cleanup, before cp stops.
func StartCrossplaneForTest(t testing.TB, cp *ControlPlane, o CrossplaneOptions) *Crossplane {
	t.Helper()
	x, err := StartCrossplane(t.Context(), cp, o)
	if err != nil {
		t.Fatalf("cannot start Crossplane: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("crossplane log (%s):\n%s", x.Process.LogPath(), x.Process.Tail(tailLines))
		}
		if err := x.Stop(); err != nil {
			t.Errorf("cannot stop Crossplane: %v", err)
		}
	})
	return x
}

// StartProcessForTest starts a managed subprocess for a test, logging to
// the test's temporary directory unless o.LogDir is set, and stops it in
// the test's cleanup, after printing the end of its log if the test failed.
func StartProcessForTest(t testing.TB, o ProcessOptions) *Process {
	t.Helper()
	if o.LogDir == "" {
		o.LogDir = t.TempDir()
	}
	p, err := StartProcess(o)
	if err != nil {
		t.Fatalf("cannot start %s: %v", o.Name, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%s log (%s):\n%s", p.Name(), p.LogPath(), p.Tail(tailLines))
		}
		if err := p.Stop(); err != nil {
			t.Errorf("cannot stop %s: %v", p.Name(), err)
		}
	})
	return p
}
