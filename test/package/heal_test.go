// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package pkgtest

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/apiextensions/v2"
	xpcorev2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	ec2v1alpha1 "github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// Example files of the composition the suite runs through the installed
// function.
const (
	fileXRD         = "examples/function/xrd.yaml"
	fileComposition = "examples/function/composition.yaml"
	fileXR          = "examples/function/xr.yaml"
)

// zones is how many zones the suite's XR spans.
const zones = 2

// configureProvider applies the ClusterProviderConfig of examples/install,
// then points it at ec2sim with the suite account's keys in a Secret: the
// example's IRSA role needs EKS.
func (env *environment) configureProvider(t *testing.T) *ec2.Client {
	t.Helper()
	ctx := t.Context()
	cpc, ok := env.readOne(t, fileProviderConfig).(*apisv1alpha1.ClusterProviderConfig)
	if !ok {
		t.Fatalf("%s holds no ClusterProviderConfig", fileProviderConfig)
	}
	env.create(t, cpc)
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "ec2sim-credentials", Namespace: "crossplane-system"},
		StringData: map[string]string{"credentials": credentials.Profile()},
	}
	env.create(t, secret)
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		if err := env.client.Get(ctx, client.ObjectKeyFromObject(cpc), cpc); err != nil {
			return err
		}
		cpc.Spec.Credentials = apisv1alpha1.ClusterProviderCredentials{
			Source:    apisv1alpha1.CredentialsSourceSecret,
			SecretRef: &xpcorev2.SecretKeySelector{SecretReference: xpcorev2.SecretReference{Name: secret.Name, Namespace: secret.Namespace}, Key: "credentials"},
		}
		cpc.Spec.Endpoint = &apisv1alpha1.Endpoint{URL: env.sim.URL}
		return env.client.Update(ctx, cpc)
	})
	if err != nil {
		t.Fatalf("cannot point ClusterProviderConfig %s at ec2sim: %v", cpc.GetName(), err)
	}
	return stack.NewEC2Client(env.sim.URL, stack.DefaultRegion, credentials)
}

// compose applies the example XRD and Composition, and the example XR over
// a network seeded in ec2sim, and waits until the XR is Ready: the installed
// function composed it and the installed provider made its resources.
func (env *environment) compose(t *testing.T, ec *ec2.Client) *unstructured.Unstructured {
	t.Helper()
	ctx := t.Context()
	begin := time.Now()
	for _, f := range []string{fileXRD, fileComposition} {
		objs, err := stack.ReadObjects(env.scheme, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			env.create(t, o)
			if xrd, ok := o.(*xpv2.CompositeResourceDefinition); ok {
				env.waitFor(t, xrd, 2*time.Minute, func() error {
					if c := xrd.Status.GetCondition("Established"); c.Status != corev1.ConditionTrue {
						return errNotYet("the XRD to be Established: " + c.Message)
					}
					return nil
				})
			}
		}
	}

	xr := readUnstructured(t, fileXR)
	net, err := stack.SeedNetwork(ctx, ec, xr.GetName(), zones)
	if err != nil {
		t.Fatal(err)
	}
	subnets := make([]any, 0, len(net.Zones))
	tables := make([]any, 0, len(net.Zones))
	for _, z := range net.Zones {
		subnets = append(subnets, map[string]any{"zone": z.Name, "subnetId": z.PublicSubnetID})
		tables = append(tables, map[string]any{"zone": z.Name, "routeTableIds": []any{z.PrivateRouteTableID}})
	}
	for path, v := range map[string]any{"vpcId": net.VpcID, "publicSubnets": subnets, "privateRouteTables": tables} {
		if err := unstructured.SetNestedField(xr.Object, v, "spec", path); err != nil {
			t.Fatal(err)
		}
	}
	env.create(t, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: xr.GetNamespace()}})
	env.create(t, xr)
	env.waitFor(t, xr, 5*time.Minute, func() error { return unstructuredReady(xr) })
	t.Logf("composition: %s %s/%s over %d zones Ready in %s, composed by the installed function",
		xr.GetKind(), xr.GetNamespace(), xr.GetName(), zones, time.Since(begin).Round(100*time.Millisecond))
	return xr
}

// heal deletes a composed NAT gateway in EC2, out of band, and waits until
// the installed provider has made a new one and the XR is Ready again.
func (env *environment) heal(t *testing.T, ec *ec2.Client, xr *unstructured.Unstructured) {
	t.Helper()
	ctx := t.Context()
	l := &ec2v1alpha1.NATGatewayList{}
	if err := env.client.List(ctx, l, client.InNamespace(xr.GetNamespace())); err != nil || len(l.Items) != zones {
		t.Fatalf("want %d NATGateways in %s, have %d (%v)", zones, xr.GetNamespace(), len(l.Items), err)
	}
	ng := &l.Items[0]
	old := meta.GetExternalName(ng)
	begin := time.Now()
	if _, err := ec.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(old)}); err != nil {
		t.Fatalf("cannot delete NAT gateway %s out of band: %v", old, err)
	}
	env.waitFor(t, ng, 3*time.Minute, func() error {
		if n := meta.GetExternalName(ng); n == old {
			return errNotYet("a new NAT gateway for " + old)
		}
		return wantConditions(ng, "Synced", "Ready")
	})
	env.waitFor(t, xr, 3*time.Minute, func() error { return unstructuredReady(xr) })
	if ng.Status.AtProvider.NATGatewayID == nil || *ng.Status.AtProvider.NATGatewayID == old {
		t.Errorf("NATGateway %s reports gateway %v, want a new one", ng.GetName(), ng.Status.AtProvider.NATGatewayID)
	}
	t.Logf("healing: NAT gateway %s of NATGateway %s/%s deleted out of band, %s available and the XR Ready again after %s",
		old, ng.GetNamespace(), ng.GetName(), meta.GetExternalName(ng), time.Since(begin).Round(100*time.Millisecond))
}
