// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package chaos

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// soakFor is how long TestSoak injects faults once its gateways are Ready.
var soakFor = flag.Duration("soak", 3*time.Minute, "how long TestSoak runs its faults once every NAT gateway is Ready")

// soakStrict fails TestSoak when a transient error stayed Synced=False longer
// than one retry. make soak sets it. The short soak of make test reports such
// errors only: it ends before its 300 resources are first Ready, so a retry
// waits behind the creates still queued at the reconcile rate limit.
var soakStrict = flag.Bool("soak-strict", false, "fail TestSoak when a transient error stays Synced=False longer than one retry")

// cluster is the control plane, its client and the built binaries the
// package's tests share.
type cluster struct {
	cp       *local.ControlPlane
	client   client.Client
	scheme   *runtime.Scheme
	binaries stack.Binaries
}

var shared *cluster

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	flag.Parse()
	if testing.Short() {
		fmt.Fprintln(os.Stderr, "chaos: skipped in -short mode")
		return 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	c, err := startCluster(ctx)
	if err != nil {
		fmt.Fprintf(os.Stderr, "chaos: %v\n", err)
		if c != nil {
			_ = c.stop()
		}
		return 1
	}
	shared = c
	code := m.Run()
	if err := c.stop(); err != nil {
		fmt.Fprintf(os.Stderr, "chaos: cannot stop the control plane: %v\n", err)
		return 1
	}
	return code
}

// startCluster builds the provider and ec2sim, starts a control plane and
// installs the provider's CRDs.
func startCluster(ctx context.Context) (*cluster, error) {
	dir, err := local.MkdirTemp("chaos-bin-")
	if err != nil {
		return nil, err
	}
	c := &cluster{}
	if c.binaries, err = stack.Build(ctx, dir, os.Stderr); err != nil {
		return nil, err
	}
	if c.scheme, err = stack.NewScheme(); err != nil {
		return nil, err
	}
	if c.cp, err = local.Start(ctx, local.Options{Progress: os.Stderr}); err != nil {
		return nil, err
	}
	if c.client, err = client.New(c.cp.Config, client.Options{Scheme: c.scheme}); err != nil {
		return c, err
	}
	root, err := local.RepoRoot()
	if err != nil {
		return c, err
	}
	if _, err := local.InstallCRDs(ctx, c.client, time.Minute, filepath.Join(root, stack.CRDDir)); err != nil {
		return c, err
	}
	return c, nil
}

func (c *cluster) stop() error {
	var err error
	if c.cp != nil {
		err = c.cp.Stop()
	}
	if c.binaries.Provider != "" {
		_ = os.RemoveAll(filepath.Dir(c.binaries.Provider))
	}
	return err
}
