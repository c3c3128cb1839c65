// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

//go:build unix && !linux

package local

import (
	"os/exec"
	"syscall"
)

// sysProcAttr puts the child in its own process group, so that Stop reaches
// everything it starts. Only Linux can also tie the child's life to ours.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

func startCommand(cmd *exec.Cmd) error {
	return cmd.Start()
}
