// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

func lookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("cannot find %s: %v", name, err)
	}
	return p
}

// alive reports whether a process exists (a zombie counts as gone).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return syscall.Kill(pid, 0) == nil
	}
	// pid (comm) state ...
	s := string(b)
	fields := strings.Fields(s[strings.LastIndex(s, ")")+1:])
	return len(fields) > 0 && fields[0] != "Z"
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still alive", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func readPid(t *testing.T, path string) int {
	t.Helper()
	var pid int
	err := Poll(t.Context(), 10*time.Second, func(context.Context) error {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		pid, err = strconv.Atoi(strings.TrimSpace(string(b)))
		return err
	})
	if err != nil {
		t.Fatalf("cannot read pid from %s: %v", path, err)
	}
	return pid
}

func TestStartProcessRejectsBadOptions(t *testing.T) {
	sh := lookPath(t, "sh")
	dir := t.TempDir()
	cases := map[string]struct {
		reason string
		opts   ProcessOptions
		want   string
	}{
		"NoName": {
			reason: "A process needs a name for its log file.",
			opts:   ProcessOptions{Path: sh},
			want:   "cannot start a process without a name",
		},
		"NameWithSlash": {
			reason: "A name must not escape the log directory.",
			opts:   ProcessOptions{Name: "../x", Path: sh},
			want:   `cannot start process "../x": a name may hold only letters, digits, '-', '_' and '.'`,
		},
		"NoPath": {
			reason: "A process needs a binary.",
			opts:   ProcessOptions{Name: "x"},
			want:   "cannot start x: no binary path given",
		},
		"MissingBinary": {
			reason: "A missing binary is named in the error.",
			opts:   ProcessOptions{Name: "x", Path: filepath.Join(dir, "missing")},
			want:   "cannot start x: stat " + filepath.Join(dir, "missing") + ": no such file or directory",
		},
		"Directory": {
			reason: "A directory is not a binary.",
			opts:   ProcessOptions{Name: "x", Path: dir},
			want:   "cannot start x: " + dir + " is not an executable file",
		},
		"NotInPath": {
			reason: "A plain name is looked up in PATH.",
			opts:   ProcessOptions{Name: "x", Path: "egresskit-no-such-binary"},
			want:   `cannot start x: exec: "egresskit-no-such-binary": executable file not found in $PATH`,
		},
		"RelativeToDir": {
			reason: "A relative path is resolved in Dir, as exec.Cmd does.",
			opts:   ProcessOptions{Name: "x", Path: "./missing", Dir: dir},
			want:   "cannot start x: stat " + filepath.Join(dir, "missing") + ": no such file or directory",
		},
		"NegativeGrace": {
			reason: "A negative stop grace makes no sense.",
			opts:   ProcessOptions{Name: "x", Path: sh, StopGrace: -time.Second},
			want:   "cannot start x: negative stop grace -1s",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := StartProcess(tc.opts)
			if p != nil {
				t.Cleanup(func() { _ = p.Kill() })
			}
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nStartProcess(...): -want error, +got error:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestProcessLogsAndExit(t *testing.T) {
	dir := t.TempDir()
	o := ProcessOptions{Name: "echo", Path: lookPath(t, "sh"), Args: []string{"-c", "echo out; echo err >&2; exit 3"}, LogDir: dir}
	p, err := StartProcess(o)
	if err != nil {
		t.Fatal(err)
	}
	var exit *exec.ExitError
	if err := p.Wait(); !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("Wait(): want exit status 3, got %v", err)
	}
	if p.Running() {
		t.Error("Running(): want false after exit")
	}
	if err := p.Stop(); err != nil {
		t.Errorf("Stop() of an exited process: %v", err)
	}

	// A second start with the same options appends to the same log.
	p2, err := StartProcess(p.Options())
	if err != nil {
		t.Fatal(err)
	}
	_ = p2.Wait()

	got := p.Tail(100)
	if n := strings.Count(got, "=== "); n != 2 {
		t.Errorf("log: want 2 start headers, got %d in:\n%s", n, got)
	}
	if n := strings.Count(got, "\nout\nerr"); n != 2 {
		t.Errorf("log: want stdout and stderr of both runs, got:\n%s", got)
	}
	if diff := cmp.Diff("out\nerr", p.Tail(2)); diff != "" {
		t.Errorf("Tail(2): -want, +got:\n%s", diff)
	}
	if diff := cmp.Diff(filepath.Join(dir, "echo.log"), p.LogPath()); diff != "" {
		t.Errorf("LogPath(): -want, +got:\n%s", diff)
	}
}

func TestProcessStopReachesGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	// The shell ignores SIGTERM, so Stop must escalate to SIGKILL; its child
	// must go too.
	p := StartProcessForTest(t, ProcessOptions{
		Name:      "group",
		Path:      lookPath(t, "sh"),
		Args:      []string{"-c", `trap "" TERM; sleep 300 & echo $! > ` + pidFile + `; wait; sleep 300`},
		StopGrace: 200 * time.Millisecond,
	})
	child := readPid(t, pidFile)

	start := time.Now()
	if err := p.Stop(); err != nil {
		t.Fatalf("Stop(): %v", err)
	}
	if p.Running() {
		t.Error("Running(): want false after Stop")
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("Stop() returned after %s, before the grace for a process that ignores SIGTERM", d)
	}
	waitGone(t, p.Pid())
	waitGone(t, child)
}

func TestProcessKill(t *testing.T) {
	p := StartProcessForTest(t, ProcessOptions{Name: "sleep", Path: lookPath(t, "sleep"), Args: []string{"300"}})
	if err := p.Kill(); err != nil {
		t.Fatalf("Kill(): %v", err)
	}
	var exit *exec.ExitError
	if err := p.Wait(); !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Errorf("Wait(): want killed by SIGKILL, got %v", err)
	}
	waitGone(t, p.Pid())
}

// The helper processes below run this test binary again, as the process
// that starts children, so that the test can kill or interrupt it.
const helperEnv = "EGRESSKIT_LOCAL_HELPER"

func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("helper for other tests")
	}
	ctx := context.Background()
	if mode == "signals" {
		var stop context.CancelFunc
		ctx, stop = HandleSignals(ctx)
		defer stop()
	}
	p, err := StartProcess(ProcessOptions{Name: "sleep", Path: lookPath(t, "sleep"), Args: []string{"300"}, LogDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString(strconv.Itoa(p.Pid()) + "\n")
	<-ctx.Done()
	if p.Running() {
		t.Fatal("child still running after the signal")
	}
	os.Stdout.WriteString("stopped\n")
}

func startHelper(t *testing.T, mode string) (*exec.Cmd, *bufio.Scanner, int) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestHelperProcess$", "-test.v")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	s := bufio.NewScanner(out)
	for s.Scan() {
		if pid, err := strconv.Atoi(s.Text()); err == nil {
			return cmd, s, pid
		}
	}
	t.Fatalf("helper printed no child pid")
	return nil, nil, 0
}

func TestChildDiesWithParent(t *testing.T) {
	cmd, _, child := startHelper(t, "plain")
	if !alive(child) {
		t.Fatalf("child %d not running", child)
	}
	// kill -9 of the parent, as when a test run is aborted.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	waitGone(t, child)
}

func TestHandleSignalsStopsChildren(t *testing.T) {
	cmd, out, child := startHelper(t, "signals")
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	stopped := false
	for out.Scan() {
		if out.Text() == "stopped" {
			stopped = true
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("helper: want a clean exit after SIGINT, got %v", err)
	}
	if !stopped {
		t.Error("helper did not report its child stopped")
	}
	waitGone(t, child)
}

func TestStartProcessByName(t *testing.T) {
	p := StartProcessForTest(t, ProcessOptions{Name: "true", Path: "true"})
	if err := p.Wait(); err != nil {
		t.Errorf("Wait(): want status 0 from true found in PATH, got %v", err)
	}
}
