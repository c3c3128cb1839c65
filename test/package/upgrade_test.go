// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package pkgtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"
	kmeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	extv1alpha1 "github.com/crossplane/crossplane/apis/v2/apiextensions/v1alpha1"
	pkgv1 "github.com/crossplane/crossplane/apis/v2/pkg/v1"

	ec2v1alpha1 "github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/internal/packaging"
)

// upToDate is what the managed reconciler logs, in debug, when it has
// observed a resource and found nothing to do.
const upToDate = "External resource is up to date"

// A managedRecord is what must survive an upgrade of a managed resource:
// the same object, naming the same cloud resource.
type managedRecord struct {
	UID          string
	ExternalName string
}

// upgrade pushes the second version of the provider, points the Provider at
// it and runs the new revision's binary in place of the old one, as a
// Deployment rollout would. Every managed resource must be the same object
// naming the same cloud resource, EC2 must hold the same NAT gateways, and
// the XR must stay Ready.
func (env *environment) upgrade(t *testing.T, provider *pkgv1.Provider, old *providerRun, ec *ec2.Client, xr *unstructured.Unstructured) {
	t.Helper()
	ctx := t.Context()
	before := env.managedRecords(t, xr.GetNamespace())
	gateways := natGatewayIDs(t, ec)

	begin := time.Now()
	ref := env.packageRef(packaging.ProviderName, version2)
	if _, err := packaging.Push(ctx, env.builds.crank, env.registry, version2,
		[]packaging.Artifact{env.builds.artifact(t, version2, packaging.ProviderName)}); err != nil {
		t.Fatal(err)
	}
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		if err := env.client.Get(ctx, client.ObjectKeyFromObject(provider), provider); err != nil {
			return err
		}
		provider.Spec.Package = ref
		return env.client.Update(ctx, provider)
	})
	if err != nil {
		t.Fatalf("cannot upgrade Provider %s to %s: %v", provider.GetName(), ref, err)
	}
	rev := env.activeProviderRevision(t, ref)
	env.waitFor(t, rev, 3*time.Minute, func() error { return wantConditions(rev, pkgv1.TypeRevisionHealthy) })
	oldRev := &pkgv1.ProviderRevision{}
	oldRev.SetName(old.revision)
	env.waitFor(t, oldRev, time.Minute, func() error {
		if s := oldRev.GetDesiredState(); s != pkgv1.PackageRevisionInactive {
			return errors.Errorf("desired state %s", s)
		}
		return nil
	})

	// The rollout: the old revision's process stops, the new one starts
	// with its own ServiceAccount and RBAC.
	if err := old.proc.Stop(); err != nil {
		t.Fatalf("cannot stop the provider of %s: %v", old.revision, err)
	}
	run := env.runProvider(t, rev, providerFlags...)
	if !strings.Contains(run.proc.Tail(1<<20), `"version": "`+version2+`"`) {
		t.Errorf("the provider of %s does not say it is %s:\n%s", rev.GetName(), version2, run.proc.Tail(20))
	}
	err = local.Poll(ctx, 3*time.Minute, func(context.Context) error {
		if n := strings.Count(run.proc.Tail(1<<20), upToDate); n < len(before) {
			return errors.Errorf("the new provider found %d of %d managed resources up to date", n, len(before))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	env.waitFor(t, provider, 3*time.Minute, func() error { return wantConditions(provider, pkgv1.TypeInstalled, pkgv1.TypeHealthy) })
	env.waitFor(t, xr, 3*time.Minute, func() error { return unstructuredReady(xr) })

	if diff := cmp.Diff(before, env.managedRecords(t, xr.GetNamespace())); diff != "" {
		t.Errorf("managed resources changed in the upgrade: -before, +after:\n%s", diff)
	}
	if diff := cmp.Diff(gateways, natGatewayIDs(t, ec)); diff != "" {
		t.Errorf("NAT gateways in EC2 changed in the upgrade: -before, +after:\n%s", diff)
	}
	for _, n := range managedKinds {
		mrd := &extv1alpha1.ManagedResourceDefinition{}
		mrd.SetName(n)
		env.waitFor(t, mrd, time.Minute, func() error {
			if !metav1.IsControlledBy(mrd, rev) {
				return errNotYet("the MRD to be controlled by " + rev.GetName())
			}
			return nil
		})
	}
	env.checkNotForbidden(t, run)
	t.Logf("upgrade: %s took over from %s in %s; %d managed resources and %d NAT gateways kept, none recreated",
		rev.GetName(), old.revision, time.Since(begin).Round(100*time.Millisecond), len(before), len(gateways))
}

// managedRecords returns the managed resources of a namespace by kind and
// name.
func (env *environment) managedRecords(t *testing.T, ns string) map[string]managedRecord {
	t.Helper()
	out := map[string]managedRecord{}
	for kind, l := range map[string]client.ObjectList{
		"NATGateway": &ec2v1alpha1.NATGatewayList{},
		"ElasticIP":  &ec2v1alpha1.ElasticIPList{},
		"Route":      &ec2v1alpha1.RouteList{},
	} {
		if err := env.client.List(t.Context(), l, client.InNamespace(ns)); err != nil {
			t.Fatal(err)
		}
		items, err := kmeta.ExtractList(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range items {
			mo, ok := o.(client.Object)
			if !ok {
				t.Fatalf("cannot use %T as an object", o)
			}
			out[kind+"/"+mo.GetName()] = managedRecord{UID: string(mo.GetUID()), ExternalName: meta.GetExternalName(mo)}
		}
	}
	return out
}

// natGatewayIDs returns the IDs and states of every NAT gateway EC2 lists.
func natGatewayIDs(t *testing.T, ec *ec2.Client) map[string]string {
	t.Helper()
	out := map[string]string{}
	p := ec2.NewDescribeNatGatewaysPaginator(ec, &ec2.DescribeNatGatewaysInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range page.NatGateways {
			out[aws.ToString(g.NatGatewayId)] = string(g.State)
		}
	}
	return out
}
