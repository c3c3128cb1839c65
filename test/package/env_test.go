// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package pkgtest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	xpapis "github.com/crossplane/crossplane/apis/v2"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
	"github.com/egresskit/provider-aws-egress/internal/packaging"
)

// Files of examples/install that a user applies, each applied by the suite.
const (
	installDir          = "examples/install"
	fileRuntimeConfig   = installDir + "/deploymentruntimeconfig.yaml"
	fileProvider        = installDir + "/provider.yaml"
	fileFunction        = installDir + "/function.yaml"
	fileActivation      = installDir + "/activationpolicy.yaml"
	fileProviderConfig  = installDir + "/clusterproviderconfig.yaml"
	fileCrossplaneValue = installDir + "/crossplane-values.yaml"

	// dirMonitoring holds the Prometheus rules and dashboard.
	dirMonitoring = "examples/monitoring"
)

// packageRuntime is core's --package-runtime. No kubelet runs pods here:
// the provider gets the Deployment runtime, so that Crossplane makes its
// ServiceAccount, Deployment (scaled to zero by the suite) and TLS Secrets
// and its RBAC manager binds the ServiceAccount, and the suite runs the
// process; the function gets the External runtime, whose part (endpoint,
// TLS, health) the suite plays, as the Deployment runtime would overwrite
// the endpoint with a Service's name.
const packageRuntime = "Provider=Deployment;Function=External"

// orgPath is the organisation the suite pushes to in its registry.
const orgPath = "egresskit"

// durations of ec2sim's NAT gateway lifecycle, scaled down from AWS's
// minutes; a deleted gateway stays listed as deleted, as in EC2.
var durations = ec2sim.Durations{Pending: 2 * time.Second, Deleting: 2 * time.Second, Retention: 30 * time.Minute}

// credentials of the ec2sim account of the suite.
var credentials = stack.Credentials{AccessKeyID: "AKIAEGRESSPACKAGE", SecretAccessKey: stack.DefaultSecretKey}

// An environment is a control plane with Crossplane core and its RBAC
// manager, a registry holding the packages, and ec2sim.
type environment struct {
	cp       *local.ControlPlane
	xp       *local.Crossplane
	client   client.Client
	kube     kubernetes.Interface
	scheme   *runtime.Scheme
	builds   builds
	registry string
	sim      *stack.EC2Sim
	logs     string
}

// setup builds the packages while the control plane, Crossplane core, its
// RBAC manager, the registry and ec2sim start, and pushes the first
// version.
func setup(t *testing.T) *environment {
	t.Helper()
	ctx := t.Context()
	begin := time.Now()
	type result struct {
		b   builds
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := buildPackages(ctx, local.TestLog(t))
		done <- result{b, err}
	}()

	env := &environment{logs: t.TempDir()}
	var err error
	if env.scheme, err = stack.NewScheme(); err != nil {
		t.Fatal(err)
	}
	if err := xpapis.AddToScheme(env.scheme); err != nil {
		t.Fatal(err)
	}
	env.cp = local.StartForTest(t, local.Options{
		ControllerManager: true,
		// Crossplane's Deployment runtime waits for a Deployment to be
		// Available, which the deployment controller says.
		Controllers: []string{"deployment-controller", "replicaset-controller"},
	})
	if env.client, err = client.New(env.cp.Config, client.Options{Scheme: env.scheme}); err != nil {
		t.Fatal(err)
	}
	if env.kube, err = kubernetes.NewForConfig(env.cp.Config); err != nil {
		t.Fatal(err)
	}
	// The Deployment runtime reads Crossplane's own ServiceAccount for its
	// image pull secrets.
	env.create(t, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: local.DefaultCrossplaneNamespace}})
	env.create(t, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "crossplane", Namespace: local.DefaultCrossplaneNamespace}})
	env.xp = local.StartCrossplaneForTest(t, env.cp, local.CrossplaneOptions{
		PackageRuntime: packageRuntime,
		Args:           crossplaneArgs(t),
	})
	env.startRBACManager(t)
	env.registry = startRegistry(t) + "/" + orgPath

	if env.sim, err = stack.StartEC2Sim(ctx, stack.EC2SimOptions{Binary: buildEC2Sim(t), Durations: durations, SecretKey: credentials.SecretAccessKey, LogDir: env.logs}); err != nil {
		t.Fatal(err)
	}
	stopForTest(t, env.sim.Process)

	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	env.builds = r.b
	refs, err := packaging.Push(ctx, env.builds.crank, env.registry, version1, env.builds.byVersion[version1])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("environment ready in %s: Crossplane core (--package-runtime=%s) and its RBAC manager, ec2sim, packages pushed: %s, %s",
		time.Since(begin).Round(time.Second), packageRuntime, refs[packaging.ProviderName], refs[packaging.FunctionName])
	return env
}

// crossplaneArgs returns the args of the Crossplane Helm values in
// examples/install, which core then runs with.
func crossplaneArgs(t *testing.T) []string {
	t.Helper()
	root, err := local.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, fileCrossplaneValue))
	if err != nil {
		t.Fatal(err)
	}
	var values struct {
		Args []string `json:"args"`
	}
	if err := yaml.Unmarshal(data, &values); err != nil || len(values.Args) == 0 {
		t.Fatalf("%s holds no args: %v", fileCrossplaneValue, err)
	}
	return values.Args
}

// buildEC2Sim builds ec2sim, which stands in for EC2.
func buildEC2Sim(t *testing.T) string {
	t.Helper()
	b, err := stack.Build(t.Context(), t.TempDir(), local.TestLog(t), stack.CmdEC2Sim)
	if err != nil {
		t.Fatal(err)
	}
	return b.EC2Sim
}

// startRBACManager runs Crossplane's RBAC manager, which makes the roles of
// each provider revision and binds them to its ServiceAccount.
func (env *environment) startRBACManager(t *testing.T) {
	t.Helper()
	p := local.StartProcessForTest(t, local.ProcessOptions{
		Name:   "crossplane-rbac",
		Path:   env.xp.Process.Options().Path,
		Args:   []string{"rbac", "start", "--debug"},
		Env:    []string{"KUBECONFIG=" + env.cp.Kubeconfig, "POD_NAMESPACE=" + local.DefaultCrossplaneNamespace},
		LogDir: env.logs,
	})
	// It has no health endpoint: it is up once its controllers run.
	err := local.Poll(t.Context(), time.Minute, func(context.Context) error {
		if !p.Running() {
			return errStopped(p)
		}
		if !strings.Contains(p.Tail(200), "Starting workers") {
			return errNotYet("the RBAC manager's controllers to start")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("cannot start Crossplane's RBAC manager: %v", err)
	}
}

// create creates o, which may exist already.
func (env *environment) create(t *testing.T, o client.Object) {
	t.Helper()
	if err := env.client.Create(t.Context(), o); err != nil && !kerrors.IsAlreadyExists(err) {
		t.Fatalf("cannot create %s %s: %v", stack.Kind(o), o.GetName(), err)
	}
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
