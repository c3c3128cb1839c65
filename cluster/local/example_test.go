// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/egresskit/provider-aws-egress/cluster/local"
)

// A long-running program, such as the demo, stops everything on Ctrl-C.
//
//nolint:testableexamples // It starts processes, so go test compiles it but does not run it.
func ExampleStart() {
	ctx, stop := local.HandleSignals(context.Background())
	defer stop()

	cp, err := local.Start(ctx, local.Options{ControllerManager: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	defer cp.Stop()

	provider, err := local.StartProcess(local.ProcessOptions{
		Name:   "provider",
		Path:   "bin/provider",
		Args:   []string{"--debug"},
		Env:    []string{"KUBECONFIG=" + cp.Kubeconfig},
		LogDir: cp.Dir,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	defer provider.Stop()

	<-ctx.Done()
}

// A test gets a control plane, Crossplane core and a provider process that
// are all stopped when it ends, with their logs printed if it failed.
//
//nolint:govet,testableexamples // Compiled, never run: t stands for the test's *testing.T, so it is nil here.
func ExampleStartForTest() {
	var t *testing.T // the test's *testing.T

	cp := local.StartForTest(t, local.Options{ControllerManager: true})
	_ = local.StartCrossplaneForTest(t, cp, local.CrossplaneOptions{})
	cl, err := cp.Client()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := local.InstallCRDs(t.Context(), cl, time.Minute, "package/crds"); err != nil {
		t.Fatal(err)
	}
	provider := local.StartProcessForTest(t, local.ProcessOptions{
		Name: "provider",
		Path: "bin/provider",
		Env:  []string{"KUBECONFIG=" + cp.Kubeconfig},
	})

	// kill -9 in the middle of a call, then start it again.
	if err := provider.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = local.StartProcessForTest(t, provider.Options())
}
