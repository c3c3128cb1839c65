// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/function/input/v1beta1"
)

func TestValidateInput(t *testing.T) {
	cases := map[string]struct {
		reason string
		in     *v1beta1.Input
		want   string
	}{
		"Empty": {
			reason: "An absent input means all defaults.",
			in:     &v1beta1.Input{},
		},
		"Valid": {
			reason: "A complete, valid input should pass.",
			in: &v1beta1.Input{
				Topology: "Regional", Connectivity: "public", RouteDestination: "::/0", ResourceNamespace: "egress-system",
				ProviderConfigRef: &v1beta1.ProviderConfigReference{Kind: "ProviderConfig", Name: "aws"}, Tags: map[string]string{"team": "x"},
			},
		},
		"Invalid": {
			reason: "Every problem should be named.",
			in: &v1beta1.Input{
				Connectivity: "Public", RouteDestination: "10.0.0.1/8", ResourceNamespace: "Egress",
				ProviderConfigRef: &v1beta1.ProviderConfigReference{Kind: "Secret"}, Tags: map[string]string{"crossplane-name": "x", "k": strings.Repeat("v", 257)},
			},
			want: `connectivity "Public" is unknown; use public or private; providerConfigRef.kind "Secret" is unknown; use ProviderConfig or ClusterProviderConfig; ` +
				`providerConfigRef.name is required; tags: key "crossplane-name" uses the reserved prefix crossplane-; tags: the value of "k" has more than 256 characters; ` +
				`routeDestination "10.0.0.1/8" is not a CIDR block such as 0.0.0.0/0; ` +
				`resourceNamespace "Egress": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := ""
			if err := validateInput(tc.in); err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\nvalidateInput(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestValidateSpec(t *testing.T) {
	subnets := []publicSubnet{{Zone: zoneA, SubnetID: "subnet-0000000a"}, {Zone: zoneB, SubnetID: "subnet-0000000b"}}
	cases := map[string]struct {
		reason string
		s      xrSpec
		e      egress
		want   string
	}{
		"PerAZ": {
			reason: "A valid PerAZ spec should pass.",
			s: xrSpec{Region: "us-east-1", PublicSubnets: subnets,
				PrivateRouteTables: []privateRouteTables{{Zone: zoneA, RouteTableIDs: []string{"rtb-0000000a", "rtb-1000000a"}}},
				Allocations:        []allocation{{Zone: zoneB, AllocationID: "eipalloc-0000000b"}}},
			e: egress{topology: "PerAZ", connectivity: "public"},
		},
		"RegionalWithoutSubnets": {
			reason: "Regional needs no public subnets: the regional gateway spans the VPC.",
			s: xrSpec{Region: "us-east-1", VpcID: "vpc-0000000f",
				PrivateRouteTables: []privateRouteTables{{Zone: zoneA, RouteTableIDs: []string{"rtb-0000000a"}}}},
			e: egress{topology: "Regional", connectivity: "public"},
		},
		"RegionalPrivate": {
			reason: "A regional gateway is always public.",
			s:      xrSpec{Region: "us-east-1", VpcID: "vpc-0000000f"},
			e:      egress{topology: "Regional", connectivity: "private"},
			want:   "topology Regional needs public connectivity: a regional NAT gateway is always public",
		},
		"SingleGatewayZoneWithoutSubnet": {
			reason: "The Single gateway's zone needs a public subnet.",
			s:      xrSpec{Region: "us-east-1", PublicSubnets: subnets, GatewayZone: zoneC},
			e:      egress{topology: "Single", connectivity: "public"},
			want:   "spec.gatewayZone us-east-1c has no public subnet",
		},
		"Duplicates": {
			reason: "Subnets, allocations and zones listed twice should all be named.",
			s: xrSpec{Region: "us-east-1",
				PublicSubnets:      []publicSubnet{{Zone: zoneA, SubnetID: "subnet-0000000a"}, {Zone: zoneB, SubnetID: "subnet-0000000a"}},
				PrivateRouteTables: []privateRouteTables{{Zone: zoneA, RouteTableIDs: []string{"rtb-0000000a"}}, {Zone: zoneA}},
				Allocations:        []allocation{{Zone: zoneA, AllocationID: "eipalloc-0000000a"}, {Zone: zoneB, AllocationID: "eipalloc-0000000a"}}},
			e: egress{topology: "PerAZ", connectivity: "public"},
			want: "spec.publicSubnets[1].subnetId: subnet subnet-0000000a is listed twice; " +
				"spec.privateRouteTables[1].zone: zone us-east-1a is listed twice; spec.privateRouteTables[1].routeTableIds: zone us-east-1a lists no route tables; " +
				"spec.allocations[1].allocationId: allocation eipalloc-0000000a is listed twice",
		},
		"MissingFields": {
			reason: "Required fields of list items should be named.",
			s: xrSpec{Region: "us-east-1", PublicSubnets: []publicSubnet{{}},
				Allocations: []allocation{{Zone: zoneA}}},
			e:    egress{topology: "PerAZ", connectivity: "public"},
			want: "spec.publicSubnets[0].zone is required; spec.publicSubnets[0].subnetId is required; spec.allocations[0].allocationId is required; spec.allocations[0].zone: zone us-east-1a has neither a public subnet nor route tables",
		},
		"TooManyTags": {
			reason: "The input's and the spec's tags together are limited.",
			s:      xrSpec{Region: "us-east-1", PublicSubnets: subnets},
			e:      egress{topology: "PerAZ", connectivity: "public", tags: manyTags(41)},
			want:   "the input and spec.tags together carry 41 tags; at most 40 are allowed",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := ""
			if err := validateSpec(tc.s, tc.e); err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\nvalidateSpec(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func manyTags(n int) map[string]string {
	out := map[string]string{}
	for i := range n {
		out[strings.Repeat("k", i+1)] = "v"
	}
	return out
}
