// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package stack

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/cluster/local"
)

// The commands Build builds, as paths of the repository.
const (
	CmdProvider = "./cmd/provider"
	CmdEC2Sim   = "./cmd/ec2sim"
)

// Binaries are the paths of the built commands.
type Binaries struct {
	Provider string
	EC2Sim   string
}

// Build builds the provider and ec2sim commands of the repository that holds
// the working directory into dir with one go build, and returns their paths.
// Go's build cache makes a build after the first one quick. progress gets a
// line before and after, and the compiler's output.
func Build(ctx context.Context, dir string, progress io.Writer) (Binaries, error) {
	root, err := local.RepoRoot()
	if err != nil {
		return Binaries{}, err
	}
	cmds := []string{CmdProvider, CmdEC2Sim}
	begin := time.Now()
	fmt.Fprintf(progress, "building %s into %s...\n", strings.Join(cmds, " "), dir) //nolint:errcheck // progress is best effort

	args := append([]string{"build", "-trimpath", "-o", dir + string(filepath.Separator)}, cmds...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Stdout = progress
	cmd.Stderr = progress
	if err := cmd.Run(); err != nil {
		return Binaries{}, errors.Wrapf(err, "cannot build %s", strings.Join(cmds, " "))
	}
	fmt.Fprintf(progress, "built provider and ec2sim in %s\n", time.Since(begin).Round(100*time.Millisecond)) //nolint:errcheck // progress is best effort
	return Binaries{
		Provider: filepath.Join(dir, filepath.Base(CmdProvider)),
		EC2Sim:   filepath.Join(dir, filepath.Base(CmdEC2Sim)),
	}, nil
}
