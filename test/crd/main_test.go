// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package crd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// namespace holds the objects of the tests.
const namespace = "crd-test"

var (
	cl     client.Client
	scheme *runtime.Scheme
	crdDir string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	cp, err := local.Start(ctx, local.Options{Progress: os.Stderr})
	if err != nil {
		fmt.Fprintf(os.Stderr, "crd: cannot start the control plane: %v\n", err)
		return 1
	}
	defer cp.Stop()

	root, err := local.RepoRoot()
	if err == nil {
		crdDir = filepath.Join(root, stack.CRDDir)
		scheme, err = stack.NewScheme()
	}
	if err == nil {
		cl, err = client.New(cp.Config, client.Options{Scheme: scheme})
	}
	if err == nil {
		_, err = local.InstallCRDs(ctx, cl, time.Minute, crdDir)
	}
	for _, ns := range []string{namespace, "crossplane-system"} {
		if err == nil {
			err = cl.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "crd: %v\n", err)
		return 1
	}
	return m.Run()
}
