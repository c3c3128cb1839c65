// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"io"
	"strings"
	"testing"
)

// testLog writes progress lines to a test's log.
type testLog struct{ tb testing.TB }

func (w testLog) Write(p []byte) (int, error) {
	w.tb.Helper()
	w.tb.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestLog returns a writer that logs each write to tb, for Progress options.
func TestLog(tb testing.TB) io.Writer {
	tb.Helper()
	return testLog{tb: tb}
}

// StartForTest starts a control plane for a test and stops it in the
// test's cleanup, after printing the end of each component's log if the
// test failed. It fails the test if the control plane cannot start.
// Progress goes to the test log unless o.Progress is set.
func StartForTest(tb testing.TB, o Options) *ControlPlane {
	tb.Helper()
	if o.Progress == nil {
		o.Progress = TestLog(tb)
	}
	cp, err := Start(tb.Context(), o)
	if err != nil {
		tb.Fatalf("cannot start control plane: %v", err)
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("control plane logs (%s):\n%s", cp.Dir, cp.Logs(tailLines))
		}
		if err := cp.Stop(); err != nil {
			tb.Errorf("cannot stop control plane: %v", err)
		}
	})
	return cp
}

// StartCrossplaneForTest starts Crossplane core for a test against cp and
// stops it in the test's cleanup, before cp stops.
func StartCrossplaneForTest(tb testing.TB, cp *ControlPlane, o CrossplaneOptions) *Crossplane {
	tb.Helper()
	x, err := StartCrossplane(tb.Context(), cp, o)
	if err != nil {
		tb.Fatalf("cannot start Crossplane: %v", err)
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("crossplane log (%s):\n%s", x.Process.LogPath(), x.Process.Tail(tailLines))
		}
		if err := x.Stop(); err != nil {
			tb.Errorf("cannot stop Crossplane: %v", err)
		}
	})
	return x
}

// StartProcessForTest starts a managed subprocess for a test, logging to
// the test's temporary directory unless o.LogDir is set, and stops it in
// the test's cleanup, after printing the end of its log if the test failed.
func StartProcessForTest(tb testing.TB, o ProcessOptions) *Process {
	tb.Helper()
	if o.LogDir == "" {
		o.LogDir = tb.TempDir()
	}
	p, err := StartProcess(o)
	if err != nil {
		tb.Fatalf("cannot start %s: %v", o.Name, err)
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("%s log (%s):\n%s", p.Name(), p.LogPath(), p.Tail(tailLines))
		}
		if err := p.Stop(); err != nil {
			tb.Errorf("cannot stop %s: %v", p.Name(), err)
		}
	})
	return p
}
