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
	CmdFunction = "./cmd/function"
)

// Binaries are the paths of the built commands; empty when not built.
type Binaries struct {
	Provider string
	EC2Sim   string
	Function string
}

// Build builds commands of the repository that holds the working directory
// (CmdProvider and CmdEC2Sim when none are named) into dir with one go build,
// and returns their paths. Go's build cache makes a build after the first
// one quick. progress gets a line before and after, and the compiler's
// output.
func Build(ctx context.Context, dir string, progress io.Writer, cmds ...string) (Binaries, error) {
	root, err := local.RepoRoot()
	if err != nil {
		return Binaries{}, err
	}
	if len(cmds) == 0 {
		cmds = []string{CmdProvider, CmdEC2Sim}
	}
	b := Binaries{}
	for _, c := range cmds {
		path := filepath.Join(dir, filepath.Base(c))
		switch c {
		case CmdProvider:
			b.Provider = path
		case CmdEC2Sim:
			b.EC2Sim = path
		case CmdFunction:
			b.Function = path
		default:
			return Binaries{}, errors.Errorf("cannot build %s: not one of %s, %s and %s", c, CmdProvider, CmdEC2Sim, CmdFunction)
		}
	}
	begin := time.Now()
	fmt.Fprintf(progress, "building %s into %s...\n", strings.Join(cmds, " "), dir) //nolint:errcheck // progress is best effort

	args := append([]string{"build", "-trimpath", "-o", dir + string(filepath.Separator)}, cmds...)
	cmd := exec.CommandContext(ctx, "go", args...) //nolint:gosec // go build of the repository's own commands
	cmd.Dir = root
	cmd.Stdout = progress
	cmd.Stderr = progress
	if err := cmd.Run(); err != nil {
		return Binaries{}, errors.Wrapf(err, "cannot build %s", strings.Join(cmds, " "))
	}
	fmt.Fprintf(progress, "built %s in %s\n", strings.Join(cmds, " "), time.Since(begin).Round(100*time.Millisecond)) //nolint:errcheck // progress is best effort
	return b, nil
}
