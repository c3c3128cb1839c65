// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/utils/ptr"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"

	"github.com/egresskit/provider-aws-egress/internal/function/input/v1beta1"
)

func TestGetSpec(t *testing.T) {
	xr, err := request.GetObservedCompositeResource(&fnv1.RunFunctionRequest{Observed: &fnv1.State{Composite: namespacedXR(`{
		"crossplane":{"compositionRef":{"name":"xegresses.egress.egresskit.io"}},
		"region":"us-east-1","vpcId":"vpc-0000000f","topology":"Single","connectivity":"public","gatewayZone":"us-east-1a",
		"publicSubnets":[{"zone":"us-east-1a","subnetId":"subnet-0000000a"}],
		"privateRouteTables":[{"zone":"us-east-1a","routeTableIds":["rtb-0000000a"]}],
		"allocations":[{"zone":"us-east-1a","allocationId":"eipalloc-0000000a"}],
		"providerConfigRef":{"kind":"ProviderConfig","name":"aws"},"tags":{"team":"web"}}`)}})
	if err != nil {
		t.Fatal(err)
	}
	want := xrSpec{
		Region: "us-east-1", VpcID: "vpc-0000000f", Topology: "Single", Connectivity: "public", GatewayZone: zoneA,
		PublicSubnets:      []publicSubnet{{Zone: zoneA, SubnetID: "subnet-0000000a"}},
		PrivateRouteTables: []privateRouteTables{{Zone: zoneA, RouteTableIDs: []string{"rtb-0000000a"}}},
		Allocations:        []allocation{{Zone: zoneA, AllocationID: "eipalloc-0000000a"}},
		ProviderConfigRef:  &v1beta1.ProviderConfigReference{Kind: "ProviderConfig", Name: "aws"},
		Tags:               map[string]string{"team": "web"},
	}
	got, err := getSpec(xr)
	if err != nil {
		t.Fatalf("getSpec(...): %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("getSpec(...): -want, +got:\n%s", diff)
	}
}

func TestNewEgress(t *testing.T) {
	subnets := []publicSubnet{{Zone: zoneB, SubnetID: "subnet-0000000b"}, {Zone: zoneA, SubnetID: "subnet-0000000a"}}
	type args struct {
		in *v1beta1.Input
		s  xrSpec
	}
	cases := map[string]struct {
		reason string
		args   args
		want   egress
	}{
		"Defaults": {
			reason: "Without input or spec settings the egress should be PerAZ, public, with failover, to 0.0.0.0/0, with zones sorted.",
			args:   args{in: &v1beta1.Input{}, s: xrSpec{Region: "us-east-1", PublicSubnets: subnets}},
			want: egress{
				region: "us-east-1", topology: "PerAZ", connectivity: "public", failover: true,
				destination: netip.MustParsePrefix("0.0.0.0/0"),
				zones:       []zone{{name: zoneA, subnetID: "subnet-0000000a"}, {name: zoneB, subnetID: "subnet-0000000b"}},
			},
		},
		"InputDefaults": {
			reason: "The input's settings should apply where the spec has none.",
			args: args{
				in: &v1beta1.Input{Topology: "Single", Connectivity: "private", Failover: ptr.To(false), RouteDestination: "192.168.0.0/16",
					ProviderConfigRef: &v1beta1.ProviderConfigReference{Kind: "ClusterProviderConfig", Name: "prod"}, Tags: map[string]string{"a": "1"}},
				s: xrSpec{Region: "us-east-1", PublicSubnets: subnets[:1]},
			},
			want: egress{
				region: "us-east-1", topology: "Single", connectivity: "private",
				destination:       netip.MustParsePrefix("192.168.0.0/16"),
				providerConfigRef: &v1beta1.ProviderConfigReference{Kind: "ClusterProviderConfig", Name: "prod"},
				tags:              map[string]string{"a": "1"},
				zones:             []zone{{name: zoneB, subnetID: "subnet-0000000b"}},
			},
		},
		"SpecWins": {
			reason: "The spec's settings should win over the input's; tags merge.",
			args: args{
				in: &v1beta1.Input{Topology: "Single", Connectivity: "private", ProviderConfigRef: &v1beta1.ProviderConfigReference{Kind: "ClusterProviderConfig", Name: "prod"},
					Tags: map[string]string{"a": "1", "b": "1"}},
				s: xrSpec{Region: "us-east-1", Topology: "PerAZ", Connectivity: "public", PublicSubnets: subnets[:1],
					PrivateRouteTables: []privateRouteTables{{Zone: zoneB, RouteTableIDs: []string{"rtb-0000000b"}}},
					Allocations:        []allocation{{Zone: zoneB, AllocationID: "eipalloc-0000000b"}},
					ProviderConfigRef:  &v1beta1.ProviderConfigReference{Kind: "ProviderConfig", Name: "team"}, Tags: map[string]string{"b": "2"}},
			},
			want: egress{
				region: "us-east-1", topology: "PerAZ", connectivity: "public", failover: true,
				destination:       netip.MustParsePrefix("0.0.0.0/0"),
				providerConfigRef: &v1beta1.ProviderConfigReference{Kind: "ProviderConfig", Name: "team"},
				tags:              map[string]string{"a": "1", "b": "2"},
				zones:             []zone{{name: zoneB, subnetID: "subnet-0000000b", routeTableIDs: []string{"rtb-0000000b"}, allocationID: "eipalloc-0000000b"}},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := newEgress(tc.args.in, tc.args.s)
			if err != nil {
				t.Fatalf("\n%s\nnewEgress(...): %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(egress{}, zone{}), cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
				t.Errorf("\n%s\nnewEgress(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
