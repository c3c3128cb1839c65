// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// DefaultStopGrace is how long Stop waits for a process to exit after
// SIGTERM before it sends SIGKILL.
const DefaultStopGrace = 5 * time.Second

// ProcessOptions configure a managed subprocess.
type ProcessOptions struct {
	// Name names the process in messages and its log file,
	// <LogDir>/<Name>.log. Required; letters, digits, '-', '_' and '.'.
	Name string

	// Path is the binary to run: a path, relative to Dir if Dir is set, or a
	// name looked up in PATH. Required.
	Path string

	// Args are the arguments, without the binary.
	Args []string

	// Env is added to the environment of the current process.
	Env []string

	// Dir is the working directory. Empty means the current one.
	Dir string

	// LogDir holds the log file. Empty means a new temporary directory,
	// left in place for inspection. Starting the same name in the same
	// LogDir again appends to its log.
	LogDir string

	// StopGrace is how long Stop waits after SIGTERM. Zero means
	// DefaultStopGrace.
	StopGrace time.Duration
}

// A Process is a subprocess that runs in its own process group, writes
// stdout and stderr to a log file and, on Linux, is killed when the process
// that started it dies. Stop and Kill act on the whole group.
type Process struct {
	opts    ProcessOptions
	cmd     *exec.Cmd
	logPath string
	started time.Time

	done    chan struct{}
	exitErr error
}

// StartProcess starts a managed subprocess.
func StartProcess(o ProcessOptions) (*Process, error) {
	if err := validateProcessOptions(o); err != nil {
		return nil, err
	}
	if o.StopGrace == 0 {
		o.StopGrace = DefaultStopGrace
	}
	if o.LogDir == "" {
		d, err := MkdirTemp(o.Name + "-")
		if err != nil {
			return nil, errors.Wrap(err, "cannot create log directory")
		}
		o.LogDir = d
	}
	if err := os.MkdirAll(o.LogDir, 0o750); err != nil {
		return nil, errors.Wrap(err, "cannot create log directory")
	}

	logPath := filepath.Join(o.LogDir, o.Name+".log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640) //nolint:gosec // path built from validated options
	if err != nil {
		return nil, errors.Wrapf(err, "cannot open log file of %s", o.Name)
	}
	defer logFile.Close() //nolint:errcheck // the child holds its own descriptor

	cmd := exec.Command(o.Path, o.Args...) //nolint:gosec,noctx // Running the given binary is the point, and it runs until Stop, not until a context ends.
	cmd.Dir = o.Dir
	cmd.Env = append(os.Environ(), o.Env...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = sysProcAttr()

	started := time.Now()
	fmt.Fprintf(logFile, "=== %s starting %s %s\n", started.Format(time.RFC3339Nano), o.Path, strings.Join(o.Args, " ")) //nolint:errcheck // best effort header
	if err := startCommand(cmd); err != nil {
		return nil, errors.Wrapf(err, "cannot start %s", o.Name)
	}

	p := &Process{opts: o, cmd: cmd, logPath: logPath, started: started, done: make(chan struct{})}
	register(p)
	go p.wait()
	return p, nil
}

func validateProcessOptions(o ProcessOptions) error {
	if o.Name == "" {
		return errors.New("cannot start a process without a name")
	}
	for _, r := range o.Name {
		ok := r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !ok {
			return errors.Errorf("cannot start process %q: a name may hold only letters, digits, '-', '_' and '.'", o.Name)
		}
	}
	if err := checkBinary(o); err != nil {
		return err
	}
	if o.StopGrace < 0 {
		return errors.Errorf("cannot start %s: negative stop grace %s", o.Name, o.StopGrace)
	}
	return nil
}

// checkBinary checks that o.Path names an executable file.
func checkBinary(o ProcessOptions) error {
	if o.Path == "" {
		return errors.Errorf("cannot start %s: no binary path given", o.Name)
	}
	if !strings.ContainsRune(o.Path, filepath.Separator) {
		// A plain name is looked up in PATH, as exec.Command does.
		_, err := exec.LookPath(o.Path)
		return errors.Wrapf(err, "cannot start %s", o.Name)
	}
	path := o.Path
	if !filepath.IsAbs(path) && o.Dir != "" {
		path = filepath.Join(o.Dir, path) // exec.Cmd resolves it in Dir
	}
	fi, err := os.Stat(path)
	if err != nil {
		return errors.Wrapf(err, "cannot start %s", o.Name)
	}
	if fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
		return errors.Errorf("cannot start %s: %s is not an executable file", o.Name, path)
	}
	return nil
}

func (p *Process) wait() {
	err := p.cmd.Wait()
	// Whatever the leader left behind in its group goes with it.
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	p.exitErr = err
	close(p.done)
	unregister(p)
}

// Name returns the name the process was started with.
func (p *Process) Name() string { return p.opts.Name }

// Pid returns the process ID, which is also its process group ID.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// LogPath returns the path of the log file holding stdout and stderr.
func (p *Process) LogPath() string { return p.logPath }

// Options returns the options the process was started with, so that a
// caller can start it again with StartProcess.
func (p *Process) Options() ProcessOptions { return p.opts }

// Done is closed once the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Running reports whether the process has not exited yet.
func (p *Process) Running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// Wait waits for the process to exit and returns its exit error: nil for
// status 0, an *exec.ExitError otherwise.
func (p *Process) Wait() error {
	<-p.done
	return p.exitErr
}

// Stop sends SIGTERM to the process group and SIGKILL if the process has not
// exited within the stop grace. It returns once the process has exited; a
// process that has already exited is not an error.
func (p *Process) Stop() error {
	return p.signal(syscall.SIGTERM, p.opts.StopGrace)
}

// Kill sends SIGKILL to the process group, as kill -9 would, and returns once
// the process has exited.
func (p *Process) Kill() error {
	return p.signal(syscall.SIGKILL, 0)
}

func (p *Process) signal(sig syscall.Signal, grace time.Duration) error {
	if !p.Running() {
		return nil
	}
	if err := syscall.Kill(-p.Pid(), sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return errors.Wrapf(err, "cannot send %s to %s", sig, p.opts.Name)
	}
	if sig != syscall.SIGKILL {
		select {
		case <-p.done:
			return nil
		case <-time.After(grace):
		}
		if err := syscall.Kill(-p.Pid(), syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
			return errors.Wrapf(err, "cannot kill %s", p.opts.Name)
		}
	}
	select {
	case <-p.done:
		return nil
	case <-time.After(30 * time.Second):
		return errors.Errorf("cannot stop %s (pid %d): still running 30s after SIGKILL", p.opts.Name, p.Pid())
	}
}

// Tail returns up to the last n lines of the log file.
func (p *Process) Tail(n int) string {
	return tailFile(p.logPath, n)
}

// exitError describes how the process ended, with the tail of its log.
func (p *Process) exitError() error {
	return errors.Errorf("%s exited (%v) after %s; last lines of %s:\n%s",
		p.opts.Name, p.exitErr, time.Since(p.started).Round(time.Millisecond), p.logPath, p.Tail(tailLines))
}

// tailLines is how many log lines errors and failed tests show.
const tailLines = 40

func tailFile(path string, n int) string {
	f, err := os.Open(path) //nolint:gosec // our own log file
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	defer f.Close() //nolint:errcheck // read only

	const window = 64 << 10
	if fi, err := f.Stat(); err == nil && fi.Size() > window {
		if _, err := f.Seek(-window, io.SeekEnd); err != nil {
			return fmt.Sprintf("(cannot read %s: %v)", path, err)
		}
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
