// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRepoRoot(t *testing.T) {
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ModulePath, modulePath(filepath.Join(root, "go.mod"))); diff != "" {
		t.Errorf("module of %s/go.mod: -want, +got:\n%s", root, diff)
	}
	if _, err := os.Stat(filepath.Join(root, buildScript)); err != nil {
		t.Errorf("build script not found from the root: %v", err)
	}
}

func TestFindToolsFromEnv(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "bin")
	if err := os.MkdirAll(bin, 0o750); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvToolsBin, bin)
	t.Setenv(EnvCrossplaneCRDs, "")

	// Nothing there yet: the error names every missing binary and the fix.
	_, err := FindTools(t.Context(), nil, ToolsKube)
	if err == nil {
		t.Fatal("FindTools(kube) with an empty bin dir: want error, got none")
	}
	for _, want := range []string{BinEtcd, BinKubeAPIServer, BinControllerManager, EnvToolsBin, "cluster/tools/build.sh kube"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("FindTools(kube) error %q does not mention %q", err, want)
		}
	}

	for _, b := range []string{BinEtcd, BinKubeAPIServer, BinControllerManager, BinCrossplane} {
		if err := os.WriteFile(filepath.Join(bin, b), []byte("#!/bin/sh\n"), 0o750); err != nil {
			t.Fatal(err)
		}
	}
	got, err := FindTools(t.Context(), nil, ToolsKube)
	if err != nil {
		t.Fatalf("FindTools(kube): %v", err)
	}
	want := Tools{BinDir: bin, CrossplaneCRDs: filepath.Join(filepath.Dir(bin), "crossplane-crds")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FindTools(kube): -want, +got:\n%s", diff)
	}

	// The Crossplane group needs the CRDs next to the binaries too.
	if _, err := FindTools(t.Context(), nil, ToolsCrossplane); err == nil || !strings.Contains(err.Error(), "Crossplane CRDs") {
		t.Errorf("FindTools(crossplane) without CRDs: want an error naming the CRDs, got %v", err)
	}

	if _, err := FindTools(t.Context(), nil, "kubelet"); err == nil || !strings.Contains(err.Error(), `unknown group "kubelet"`) {
		t.Errorf("FindTools(kubelet): want unknown group error, got %v", err)
	}
}
