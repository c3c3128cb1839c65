// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package pkgtest

import (
	"context"
	"strings"
	"testing"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	extv1alpha1 "github.com/crossplane/crossplane/apis/v2/apiextensions/v1alpha1"
	pkgmetav1 "github.com/crossplane/crossplane/apis/v2/pkg/meta/v1"
	pkgv1 "github.com/crossplane/crossplane/apis/v2/pkg/v1"
	pkgv1beta1 "github.com/crossplane/crossplane/apis/v2/pkg/v1beta1"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/internal/packaging"
)

// managedKinds are the provider's managed resources: Crossplane makes a
// ManagedResourceDefinition of each, by the CRD's name.
var managedKinds = []string{
	"elasticips.ec2.aws.m.egresskit.io",
	"natgateways.ec2.aws.m.egresskit.io",
	"routes.ec2.aws.m.egresskit.io",
}

// configKinds stay plain CRDs: Crossplane converts no provider config kind.
var configKinds = []string{
	"clusterproviderconfigs.aws.m.egresskit.io",
	"providerconfigs.aws.m.egresskit.io",
	"providerconfigusages.aws.m.egresskit.io",
}

// providerFlags replace the Deployment's flags of the same name when the
// suite runs the provider: loopback ports, and debug logs, which show when
// controllers start.
var providerFlags = []string{"--debug"}

// gateQuiet is how long the provider runs before activation without
// starting a managed resource controller.
const gateQuiet = 5 * time.Second

// TestInstall installs both packages with Crossplane's package manager from
// the suite's registry, then activates, heals, composes and upgrades
// through the binaries the packages carry.
func TestInstall(t *testing.T) {
	env := setup(t)

	begin := time.Now()
	provider, fn := env.install(t)
	rev := env.activeProviderRevision(t, provider.Spec.Package)
	env.checkInactive(t, rev)
	fnProc := env.serveFunction(t, packaging.FunctionName)
	env.waitHealthy(t, provider, fn)
	t.Logf("installed %s and %s in %s: revisions Installed and Healthy, %d MRDs Inactive",
		provider.Spec.Package, fn.Spec.Package, time.Since(begin).Round(100*time.Millisecond), len(managedKinds))

	run := env.runProvider(t, rev, providerFlags...)
	env.checkGateClosed(t, run)
	env.activate(t, run)

	ec := env.configureProvider(t)
	xr := env.compose(t, ec)
	env.heal(t, ec, xr)

	env.upgrade(t, provider, run, ec, xr)
	if fnProc.Running() {
		t.Logf("function %s served every XR of the suite", fn.Spec.Package)
	} else {
		t.Errorf("the function exited: %v", fnProc.Wait())
	}
}

// install applies the DeploymentRuntimeConfig, Provider and Function of
// examples/install, naming the packages in the suite's registry, and waits
// until both are Installed. The runtime config's Deployment is scaled to
// zero: no kubelet runs its pod, the suite runs the process.
func (env *environment) install(t *testing.T) (*pkgv1.Provider, *pkgv1.Function) {
	t.Helper()
	drc, ok := env.readOne(t, fileRuntimeConfig).(*pkgv1beta1.DeploymentRuntimeConfig)
	if !ok || drc.Spec.DeploymentTemplate == nil || drc.Spec.DeploymentTemplate.Spec == nil {
		t.Fatalf("%s holds no DeploymentRuntimeConfig with a deployment template", fileRuntimeConfig)
	}
	drc.Spec.DeploymentTemplate.Spec.Replicas = ptr.To[int32](0)
	provider, ok := env.readOne(t, fileProvider).(*pkgv1.Provider)
	if !ok {
		t.Fatalf("%s holds no Provider", fileProvider)
	}
	provider.Spec.Package = env.packageRef(packaging.ProviderName, version1)
	fn, ok := env.readOne(t, fileFunction).(*pkgv1.Function)
	if !ok {
		t.Fatalf("%s holds no Function", fileFunction)
	}
	fn.Spec.Package = env.packageRef(packaging.FunctionName, version1)
	if fn.GetName() != packaging.FunctionName || provider.GetName() != packaging.ProviderName {
		t.Fatalf("examples/install names %s and %s, want %s and %s", provider.GetName(), fn.GetName(), packaging.ProviderName, packaging.FunctionName)
	}
	for _, o := range []client.Object{drc, provider, fn} {
		env.create(t, o)
	}
	env.waitFor(t, provider, 3*time.Minute, func() error { return wantConditions(provider, pkgv1.TypeInstalled) })
	env.waitFor(t, fn, 3*time.Minute, func() error { return wantConditions(fn, pkgv1.TypeInstalled) })
	return provider, fn
}

// activeProviderRevision returns the active ProviderRevision of the package
// ref once it exists.
func (env *environment) activeProviderRevision(t *testing.T, ref string) *pkgv1.ProviderRevision {
	t.Helper()
	var rev *pkgv1.ProviderRevision
	err := local.Poll(t.Context(), 2*time.Minute, func(ctx context.Context) error {
		l := &pkgv1.ProviderRevisionList{}
		if err := env.client.List(ctx, l, client.MatchingLabels{pkgv1.LabelParentPackage: packaging.ProviderName}); err != nil {
			return err
		}
		for i := range l.Items {
			r := &l.Items[i]
			if r.Spec.Package == ref && r.GetDesiredState() == pkgv1.PackageRevisionActive {
				rev = r
				return nil
			}
		}
		return errNotYet("an active ProviderRevision of " + ref)
	})
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

// checkInactive checks what the package manager made of a safe-start
// provider: a ManagedResourceDefinition of each managed kind, Inactive,
// controlled by the revision, and no CRD for it; plain CRDs of the provider
// config kinds.
func (env *environment) checkInactive(t *testing.T, rev *pkgv1.ProviderRevision) {
	t.Helper()
	env.waitFor(t, rev, time.Minute, func() error {
		if !pkgmetav1.CapabilitiesContainFuzzyMatch(rev.Status.Capabilities, pkgmetav1.ProviderCapabilitySafeStart) {
			return errors.Errorf("capabilities %v, want safe-start", rev.Status.Capabilities)
		}
		return nil
	})
	for _, n := range managedKinds {
		mrd := &extv1alpha1.ManagedResourceDefinition{}
		mrd.SetName(n)
		env.waitFor(t, mrd, 2*time.Minute, func() error {
			if mrd.Spec.State.IsActive() {
				return errors.Errorf("state %s before any activation policy", mrd.Spec.State)
			}
			if !metav1.IsControlledBy(mrd, rev) {
				return errNotYet("the MRD to be controlled by " + rev.GetName())
			}
			return nil
		})
		if err := env.client.Get(t.Context(), client.ObjectKey{Name: n}, &apiextensionsv1.CustomResourceDefinition{}); !kerrors.IsNotFound(err) {
			t.Errorf("CRD %s exists while its MRD is %s (err %v)", n, mrd.Spec.State, err)
		}
	}
	for _, n := range configKinds {
		crd := &apiextensionsv1.CustomResourceDefinition{}
		crd.SetName(n)
		env.waitFor(t, crd, 2*time.Minute, func() error { return nil })
	}
}

// waitHealthy waits until the Provider and the Function are Healthy.
func (env *environment) waitHealthy(t *testing.T, provider *pkgv1.Provider, fn *pkgv1.Function) {
	t.Helper()
	env.waitFor(t, provider, 3*time.Minute, func() error { return wantConditions(provider, pkgv1.TypeInstalled, pkgv1.TypeHealthy) })
	env.waitFor(t, fn, 3*time.Minute, func() error { return wantConditions(fn, pkgv1.TypeInstalled, pkgv1.TypeHealthy) })
}

// checkGateClosed checks that the provider, running with the RBAC of its
// revision while every MRD is Inactive, starts no managed resource
// controller and is refused nothing.
func (env *environment) checkGateClosed(t *testing.T, run *providerRun) {
	t.Helper()
	select {
	case <-time.After(gateQuiet):
	case <-t.Context().Done():
	}
	if started := startedControllers(run.proc.Tail(1 << 20)); len(started) > 0 {
		t.Errorf("the provider started %v while every MRD was Inactive", started)
	}
	env.checkNotForbidden(t, run)
	t.Logf("safe-start: no managed resource controller after %s with every MRD Inactive", gateQuiet)
}

// activate applies the ManagedResourceActivationPolicy of examples/install
// and waits until every MRD is Active with its CRD Established and the
// provider runs a controller of each kind.
func (env *environment) activate(t *testing.T, run *providerRun) {
	t.Helper()
	begin := time.Now()
	mrap, ok := env.readOne(t, fileActivation).(*extv1alpha1.ManagedResourceActivationPolicy)
	if !ok {
		t.Fatalf("%s holds no ManagedResourceActivationPolicy", fileActivation)
	}
	env.create(t, mrap)
	for _, n := range managedKinds {
		mrd := &extv1alpha1.ManagedResourceDefinition{}
		mrd.SetName(n)
		env.waitFor(t, mrd, 2*time.Minute, func() error {
			if !mrd.Spec.State.IsActive() {
				return errors.Errorf("state %s", mrd.Spec.State)
			}
			return wantConditions(mrd, extv1alpha1.TypeEstablished)
		})
	}
	err := local.Poll(t.Context(), time.Minute, func(context.Context) error {
		started := startedControllers(run.proc.Tail(1 << 20))
		if len(started) < len(managedKinds) {
			return errors.Errorf("the provider started %v", started)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	env.waitFor(t, mrap, time.Minute, func() error {
		if len(mrap.Status.Activated) != len(managedKinds) {
			return errors.Errorf("activated %v", mrap.Status.Activated)
		}
		return nil
	})
	env.checkNotForbidden(t, run)
	t.Logf("activation: %s activated %v; the provider started their controllers %s after the policy",
		mrap.GetName(), mrap.Status.Activated, time.Since(begin).Round(100*time.Millisecond))
}

// startedControllers returns the managed resource controllers a provider
// log says it started.
func startedControllers(log string) []string {
	var out []string
	for line := range strings.SplitSeq(log, "\n") {
		if !strings.Contains(line, "Starting Controller") {
			continue
		}
		for _, k := range managedKinds {
			plural, _, _ := strings.Cut(k, ".")
			kind := strings.TrimSuffix(plural, "s")
			if strings.Contains(line, "managed/"+kind+".ec2.aws.m.egresskit.io") {
				out = append(out, kind)
			}
		}
	}
	return out
}

// checkNotForbidden fails the test when the API server refused the
// provider anything: the package's RBAC was not enough.
func (env *environment) checkNotForbidden(t *testing.T, run *providerRun) {
	t.Helper()
	for line := range strings.SplitSeq(run.proc.Tail(1<<20), "\n") {
		if strings.Contains(line, "forbidden") {
			t.Errorf("the provider of %s, as %s, was refused: %s", run.revision, run.sa, line)
			return
		}
	}
}
