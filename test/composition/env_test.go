// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package composition

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// pollInterval is the provider's --poll: a gateway deleted out of band is
// noticed within it.
const pollInterval = 10 * time.Second

// natInventoryInterval is the provider's --nat-inventory-interval (its
// default): how often it lists the NAT gateways of a provider config, which
// is how soon it notices a deleted gateway.
const natInventoryInterval = 10 * time.Second

// durations of ec2sim's NAT gateway lifecycle, scaled down from AWS's
// minutes. A recreated gateway stays pending for long enough that the
// failover of its zone's routes is seen; a deleted gateway stays listed as
// deleted, as it does in EC2 for about an hour.
var durations = ec2sim.Durations{Pending: 6 * time.Second, Deleting: 2 * time.Second, Retention: 30 * time.Minute}

// circuitBreakerBurst is Crossplane's --circuit-breaker-burst: the tokens of
// watch events an XR may spend at once before Crossplane stops reconciling
// it on every event (Responsive=False, WatchCircuitOpen) and only lets an
// event through every 30s, for 5 minutes; writes_test.go says how events are
// counted. A three-zone XEgress spends about 125 while it is created, in two
// bursts: its 10 managed resources are created and written at once, and they
// are written again when its gateways become available, which on ec2sim is
// 6s later, too soon for the bucket to refill. With Crossplane's default,
// 100, the circuit of most new XEgresses would open, and a failover in the
// next 5 minutes would wait up to 30s for the XR to react. The suite runs
// with the burst the README advises, checks that the circuit stays closed,
// and prints the burst each phase needs.
const circuitBreakerBurst = 200

// credentials of the ec2sim account every scenario uses: the examples'
// Compositions use the ClusterProviderConfig named default, so there is one
// account, and scenarios keep apart by VPC and namespace.
var credentials = stack.Credentials{AccessKeyID: "AKIAEGRESSCOMPOSITION", SecretAccessKey: stack.DefaultSecretKey}

// Example files applied as they are.
var (
	xrdFiles         = []string{"examples/function/xrd.yaml", "examples/function/xrd-legacy.yaml"}
	compositionFiles = []string{"examples/function/composition.yaml", "examples/function/composition-legacy.yaml"}
	providerConfig   = "examples/provider/clusterproviderconfig.yaml"
)

// An environment is everything the scenarios share: a control plane with
// garbage collection, Crossplane core, the function, ec2sim and the
// provider, with the provider's CRDs, a ClusterProviderConfig for ec2sim,
// and the examples' XRDs and Compositions.
type environment struct {
	cp       *local.ControlPlane
	xp       *local.Crossplane
	client   client.Client
	sim      *stack.EC2Sim
	provider *stack.Provider
	function *local.Process
	// functionAddr is where the function listens.
	functionAddr string
	ec2          *ec2.Client
}

// binaries are the commands the suite builds.
type binaries struct {
	stack.Binaries
	Function string
}

// setup starts the environment and stops it when t ends, printing the end
// of every log first if t failed.
func setup(t *testing.T) *environment {
	t.Helper()
	ctx := t.Context()
	begin := time.Now()

	// The build runs while the control plane and Crossplane start.
	built := make(chan error, 1)
	bins := binaries{}
	go func() {
		var err error
		bins, err = build(ctx, t.TempDir())
		built <- err
	}()

	env := &environment{}
	env.cp = local.StartForTest(t, local.Options{ControllerManager: true})
	env.xp = local.StartCrossplaneForTest(t, env.cp, local.CrossplaneOptions{Args: []string{
		"--debug", fmt.Sprintf("--circuit-breaker-burst=%d", circuitBreakerBurst),
	}})
	s, err := stack.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	if env.client, err = client.New(env.cp.Config, client.Options{Scheme: s}); err != nil {
		t.Fatalf("cannot create API server client: %v", err)
	}
	if err := <-built; err != nil {
		t.Fatal(err)
	}

	root, err := local.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := local.InstallCRDs(ctx, env.client, time.Minute, filepath.Join(root, stack.CRDDir)); err != nil {
		t.Fatal(err)
	}

	logs := t.TempDir()
	if env.sim, err = stack.StartEC2Sim(ctx, stack.EC2SimOptions{Binary: bins.EC2Sim, Durations: durations, SecretKey: credentials.SecretAccessKey, LogDir: logs}); err != nil {
		t.Fatal(err)
	}
	stopForTest(t, env.sim.Process)
	env.ec2 = stack.NewEC2Client(env.sim.URL, stack.DefaultRegion, credentials)

	if env.provider, err = stack.StartProvider(ctx, stack.ProviderOptions{
		Binary:     bins.Provider,
		Kubeconfig: env.cp.Kubeconfig,
		Poll:       pollInterval,
		Debug:      true,
		Args:       []string{"--nat-inventory-interval=" + natInventoryInterval.String()},
		LogDir:     logs,
	}); err != nil {
		t.Fatal(err)
	}
	stopForTest(t, env.provider.Process())

	env.function, env.functionAddr = startFunction(t, bins.Function, env.xp.FunctionTLS.ServerDir)
	env.applyClusterProviderConfig(t)
	env.applyCompositions(t)
	t.Logf("environment ready in %s: Crossplane core, function at %s (mTLS), provider (--poll %s, --nat-inventory-interval %s), ec2sim at %s",
		time.Since(begin).Round(time.Second), env.functionAddr, pollInterval, natInventoryInterval, env.sim.URL)
	return env
}

// build builds the provider, ec2sim and the function with one go build.
func build(ctx context.Context, dir string) (binaries, error) {
	root, err := local.RepoRoot()
	if err != nil {
		return binaries{}, err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", dir+string(filepath.Separator),
		stack.CmdProvider, stack.CmdEC2Sim, "./cmd/function")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return binaries{}, errors.Wrapf(err, "cannot build the provider, ec2sim and the function: %s", out)
	}
	return binaries{
		Binaries: stack.Binaries{Provider: filepath.Join(dir, "provider"), EC2Sim: filepath.Join(dir, "ec2sim")},
		Function: filepath.Join(dir, "function"),
	}, nil
}

// stopForTest stops p when t ends, after printing the end of its log if t
// failed.
func stopForTest(t *testing.T, p *local.Process) {
	t.Helper()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%s log (%s):\n%s", p.Name(), p.LogPath(), p.Tail(80))
		}
		if err := p.Stop(); err != nil {
			t.Errorf("cannot stop %s: %v", p.Name(), err)
		}
	})
}

// applyClusterProviderConfig applies the example ClusterProviderConfig and
// its Secret, with ec2sim's endpoint and the credentials of the suite's
// ec2sim account under the key the ClusterProviderConfig reads.
func (env *environment) applyClusterProviderConfig(t *testing.T) {
	t.Helper()
	s, err := stack.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	objs, err := stack.ReadObjects(s, providerConfig)
	if err != nil {
		t.Fatal(err)
	}
	var secret *corev1.Secret
	var cpc *apisv1alpha1.ClusterProviderConfig
	for _, o := range objs {
		switch o := o.(type) {
		case *corev1.Secret:
			secret = o
		case *apisv1alpha1.ClusterProviderConfig:
			cpc = o
		default:
			t.Fatalf("%s holds an unexpected %T", providerConfig, o)
		}
	}
	if secret == nil || cpc == nil || cpc.Spec.Credentials.SecretRef == nil || cpc.Spec.Credentials.SecretRef.Name != secret.Name {
		t.Fatalf("%s does not hold a ClusterProviderConfig and the Secret it reads", providerConfig)
	}
	secret.StringData = map[string]string{cpc.Spec.Credentials.SecretRef.Key: credentials.Profile()}
	cpc.Spec.Endpoint = &apisv1alpha1.Endpoint{URL: env.sim.URL}
	for _, o := range []client.Object{secret, cpc} {
		if err := env.client.Create(t.Context(), o); err != nil {
			t.Fatalf("cannot create %s %s: %v", stack.Kind(o), o.GetName(), err)
		}
	}
}
