// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package stack

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/local"
)

// TestEC2SimNetwork builds the binaries, starts ec2sim checking signatures,
// and seeds a network through the SDK.
func TestEC2SimNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts ec2sim")
	}
	bin, err := Build(t.Context(), t.TempDir(), local.TestLog(t))
	if err != nil {
		t.Fatal(err)
	}
	sim, err := StartEC2Sim(t.Context(), EC2SimOptions{Binary: bin.EC2Sim, SecretKey: "s3cret", LogDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := sim.Process.Stop(); err != nil {
			t.Errorf("cannot stop ec2sim: %v", err)
		}
	})

	s := &Stack{SecretKey: "s3cret"}
	creds := s.Credentials("network")
	c := NewEC2Client(sim.URL, DefaultRegion, creds)
	n, err := SeedNetwork(t.Context(), c, "network", 2)
	if err != nil {
		t.Fatal(err)
	}
	eips, err := AllocateAddresses(t.Context(), c, "network", 2)
	if err != nil {
		t.Fatal(err)
	}

	st, err := sim.Admin.State(t.Context(), creds.AccessKeyID, DefaultRegion)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Regions) != 1 {
		t.Fatalf("ec2sim holds %d regions of the account, want 1", len(st.Regions))
	}
	r := st.Regions[0]
	subnets := map[string]string{}
	for _, sn := range r.Subnets {
		subnets[sn.ID] = sn.AvailabilityZone + " " + sn.CidrBlock
	}
	want := map[string]string{
		n.Zones[0].PublicSubnetID:  "us-east-1a 10.0.0.0/20",
		n.Zones[0].PrivateSubnetID: "us-east-1a 10.0.16.0/20",
		n.Zones[1].PublicSubnetID:  "us-east-1b 10.0.32.0/20",
		n.Zones[1].PrivateSubnetID: "us-east-1b 10.0.48.0/20",
	}
	if diff := cmp.Diff(want, subnets); diff != "" {
		t.Errorf("subnets: -want +got:\n%s", diff)
	}
	var tables []string
	for _, rt := range r.RouteTables {
		if !rt.Main {
			tables = append(tables, rt.ID)
		}
	}
	if diff := cmp.Diff([]string{n.Zones[0].PrivateRouteTableID, n.Zones[1].PrivateRouteTableID}, tables, sortStrings); diff != "" {
		t.Errorf("private route tables: -want +got:\n%s", diff)
	}
	if len(r.Vpcs) != 1 || r.Vpcs[0].ID != n.VpcID || len(r.Addresses) != 2 || r.Addresses[0].Tags["Name"] != "network" {
		t.Errorf("VPCs %+v and addresses %+v, want %s and %v tagged Name=network", r.Vpcs, r.Addresses, n.VpcID, eips)
	}

	// ec2sim checks signatures, as EC2 does.
	wrong := creds
	wrong.SecretAccessKey = "wrong"
	_, err = NewEC2Client(sim.URL, DefaultRegion, wrong).DescribeVpcs(t.Context(), &ec2.DescribeVpcsInput{})
	if err == nil || !strings.Contains(err.Error(), "AuthFailure") {
		t.Errorf("a request signed with the wrong secret: %v, want AuthFailure", err)
	}
}

var sortStrings = cmp.Transformer("sort", func(in []string) []string { return slices.Sorted(slices.Values(in)) })

// TestWaitForDescribes waits in vain on a control plane without a provider
// and checks that the error says why: the object and its events.
func TestWaitForDescribes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane")
	}
	cp := local.StartForTest(t, local.Options{})
	scheme, err := NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	cl, err := client.New(cp.Config, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	root, err := local.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := local.InstallCRDs(t.Context(), cl, time.Minute, root+"/"+CRDDir); err != nil {
		t.Fatal(err)
	}
	s := &Stack{Client: cl, Scheme: scheme}
	gw := &v1alpha1.NATGateway{
		ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "unserved"},
		Spec: v1alpha1.NATGatewaySpec{
			ManagedResourceSpec: xpv2.ManagedResourceSpec{ProviderConfigReference: ProviderConfigRef()},
			ForProvider:         v1alpha1.NATGatewayParameters{Region: DefaultRegion, SubnetID: aws.String("subnet-0a1b2c3d4e5f67890"), ConnectivityType: aws.String("private")},
		},
	}
	if err := cl.Create(t.Context(), gw); err != nil {
		t.Fatal(err)
	}
	err = s.WaitFor(t.Context(), gw, time.Second, Ready())
	if err == nil {
		t.Fatal("WaitFor of a NATGateway no provider serves: want an error")
	}
	for _, want := range []string{
		"NATGateway default/unserved: still not done after 1s: want Synced=True",
		"--- NATGateway default/unserved:\napiVersion: ec2.aws.m.egresskit.io/v1alpha1",
		"subnetId: subnet-0a1b2c3d4e5f67890",
		"--- events:",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("WaitFor error does not say %q:\n%v", want, err)
		}
	}
	if err := cl.Delete(t.Context(), gw); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitGone(t.Context(), gw, 30*time.Second); err != nil {
		t.Errorf("WaitGone of a deleted object without finalizers: %v", err)
	}
}
