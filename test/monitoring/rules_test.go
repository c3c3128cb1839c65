// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package monitoring

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// ruleTests are promtool's unit tests of stack.RulesFile.
const ruleTests = "testdata/rules_test.yaml"

// TestRules checks the rules file with promtool and runs its unit tests.
func TestRules(t *testing.T) {
	tools, err := local.FindTools(t.Context(), nil, local.ToolsPrometheus)
	if err != nil {
		t.Fatal(err)
	}
	root, err := local.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"check", "rules", filepath.Join(root, stack.RulesFile)},
		{"test", "rules", ruleTests},
	} {
		out, err := exec.CommandContext(t.Context(), tools.Path(local.BinPromtool), args...).CombinedOutput()
		t.Logf("promtool %v:\n%s", args, out)
		if err != nil {
			t.Errorf("promtool %v: %v", args, err)
		}
	}
}
