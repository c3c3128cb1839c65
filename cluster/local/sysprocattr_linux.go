// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"os/exec"
	"runtime"
	"sync"
	"syscall"
)

// sysProcAttr puts the child in its own process group, so that Stop reaches
// everything it starts, and has the kernel kill it when its parent dies, so
// that a crashed or interrupted test leaves nothing behind.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

type spawnRequest struct {
	cmd *exec.Cmd
	err chan error
}

//nolint:gochecknoglobals // One thread of the process starts every child; see startCommand.
var (
	spawnOnce sync.Once
	spawns    = make(chan spawnRequest)
)

// startCommand starts cmd from one OS thread that lives as long as this
// process. The kernel sends Pdeathsig when the parent *thread* exits, and
// the Go runtime may retire threads, so children are started from a thread
// that is never retired.
func startCommand(cmd *exec.Cmd) error {
	spawnOnce.Do(func() {
		go func() {
			runtime.LockOSThread() // never unlocked: keeps the thread alive
			for r := range spawns {
				r.err <- r.cmd.Start()
			}
		}()
	})
	r := spawnRequest{cmd: cmd, err: make(chan error, 1)}
	spawns <- r
	return <-r.err
}
