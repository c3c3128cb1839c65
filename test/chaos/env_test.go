// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package chaos

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// appIDEnv names the AWS SDK's application ID, which it writes into the
// User-Agent of every request, so ec2sim counts each replica's calls apart.
const appIDEnv = "AWS_SDK_UA_APP_ID"

// envOptions configure a test's ec2sim and providers.
type envOptions struct {
	// ns is the namespace and ec2sim account of the test.
	ns string
	// durations of ec2sim's NAT gateway lifecycle.
	durations ec2sim.Durations
	// sim are further ec2sim flags.
	sim []string
	// provider are the provider's flags.
	provider []string
	// replicas is how many providers run; each is named by its app ID.
	replicas []string
	// routeTables is how many route tables to add to the network, beyond
	// one per zone.
	routeTables int
	// quiet runs the providers without debug logs.
	quiet bool
}

// An env is one test's ec2sim, providers and seeded network, on the shared
// control plane.
type env struct {
	t     *testing.T
	ns    string
	creds stack.Credentials
	ec2   *ec2.Client
	net   *stack.Network
	// tables are the route tables routes may use: the zones' and the extra
	// ones.
	tables []string
	sim    *stack.EC2Sim
	// replicas are the providers by app ID, in the order of envOptions.
	replicas map[string]*stack.Provider
	// stk joins the pieces for stack's waits and descriptions, with the
	// first replica as its provider.
	stk *stack.Stack
	dir string
}

// newEnv starts ec2sim and the providers and prepares the namespace. It
// stops them when the test ends.
func newEnv(t *testing.T, o envOptions) *env {
	t.Helper()
	dir, err := local.MkdirTemp("chaos-" + o.ns + "-")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ns: o.ns, dir: dir, replicas: map[string]*stack.Provider{}}
	t.Cleanup(e.stop)
	ctx := t.Context()
	if e.sim, err = stack.StartEC2Sim(ctx, stack.EC2SimOptions{
		Binary: shared.binaries.EC2Sim, Durations: o.durations, SecretKey: stack.DefaultSecretKey,
		Args: o.sim, LogDir: filepath.Join(dir, "ec2sim"),
	}); err != nil {
		t.Fatal(err)
	}
	e.stk = &stack.Stack{ControlPlane: shared.cp, Client: shared.client, Scheme: shared.scheme, EC2Sim: e.sim, Binaries: shared.binaries, SecretKey: stack.DefaultSecretKey, Dir: dir}
	e.creds = e.stk.Credentials(o.ns)
	if err := stack.PrepareNamespace(ctx, shared.client, stack.NamespaceOptions{Name: o.ns, Endpoint: e.sim.URL, Credentials: e.creds}); err != nil {
		t.Fatal(err)
	}
	e.ec2 = e.stk.EC2Client(e.creds)
	if e.net, err = stack.SeedNetwork(ctx, e.ec2, o.ns, 3); err != nil {
		t.Fatal(err)
	}
	for _, z := range e.net.Zones {
		e.tables = append(e.tables, z.PrivateRouteTableID)
	}
	for i := range o.routeTables {
		id, err := createRouteTable(ctx, e.ec2, e.net.VpcID, fmt.Sprintf("%s-extra-%d", o.ns, i))
		if err != nil {
			t.Fatal(err)
		}
		e.tables = append(e.tables, id)
	}
	replicas := o.replicas
	if len(replicas) == 0 {
		replicas = []string{"provider"}
	}
	for _, id := range replicas {
		p, err := stack.StartProvider(ctx, stack.ProviderOptions{
			Binary: shared.binaries.Provider, Kubeconfig: shared.cp.Kubeconfig, Debug: !o.quiet, Metrics: true,
			Args: o.provider, Env: []string{appIDEnv + "=" + id}, LogDir: filepath.Join(dir, id),
		})
		if err != nil {
			t.Fatal(err)
		}
		e.replicas[id] = p
		if e.stk.Provider == nil {
			e.stk.Provider = p
		}
	}
	t.Logf("ec2sim at %s (log %s); providers %v (logs under %s)", e.sim.URL, e.sim.Process.LogPath(), replicas, dir)
	return e
}

// provider returns the only (or first) provider.
func (e *env) provider() *stack.Provider { return e.stk.Provider }

func (e *env) stop() {
	for id, p := range e.replicas {
		if err := p.Stop(); err != nil {
			e.t.Errorf("cannot stop provider %s: %v", id, err)
		}
	}
	e.forget()
	if e.sim != nil {
		if err := e.sim.Process.Stop(); err != nil {
			e.t.Errorf("cannot stop ec2sim: %v", err)
		}
	}
	if e.t.Failed() {
		e.t.Logf("logs kept in %s", e.dir)
		return
	}
	_ = os.RemoveAll(e.dir)
}

// forget removes what is left of the namespace's managed resources without
// the provider, so the next test's provider has none of them to reconcile:
// their EC2 resources go with this test's ec2sim.
func (e *env) forget() {
	ctx := context.Background()
	all, err := e.managed(ctx)
	if err != nil {
		e.t.Errorf("cannot list what is left: %v", err)
		return
	}
	for _, mr := range all {
		if len(mr.GetFinalizers()) > 0 {
			p := client.MergeFrom(mr.DeepCopyObject().(client.Object))
			mr.SetFinalizers(nil)
			if err := client.IgnoreNotFound(shared.client.Patch(ctx, mr, p)); err != nil {
				e.t.Errorf("cannot remove the finalizers of %s: %v", mr.GetName(), err)
			}
		}
		if err := client.IgnoreNotFound(shared.client.Delete(ctx, mr)); err != nil {
			e.t.Errorf("cannot delete %s: %v", mr.GetName(), err)
		}
	}
}

// state returns ec2sim's view of the test's account.
func (e *env) state(ctx context.Context) (ec2sim.RegionState, error) {
	st, err := e.sim.Admin.State(ctx, e.creds.AccessKeyID, stack.DefaultRegion)
	if err != nil || len(st.Regions) != 1 {
		return ec2sim.RegionState{}, err
	}
	return st.Regions[0], nil
}

// poll calls check until it returns nil or timeout passes.
func poll(ctx context.Context, timeout time.Duration, check func(ctx context.Context) error) error {
	return local.Poll(ctx, timeout, check)
}
