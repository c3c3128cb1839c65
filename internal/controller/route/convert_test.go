// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

func TestFindRoute(t *testing.T) {
	ipv6 := types.Route{DestinationIpv6CidrBlock: aws.String("::/0"), NatGatewayId: aws.String(natNew)}
	pl := types.Route{DestinationPrefixListId: aws.String(plDest), NatGatewayId: aws.String(natNew)}
	rt := table(natRoute(natOld, types.RouteStateActive), ipv6, pl)

	cases := map[string]struct {
		reason string
		p      v1alpha1.RouteParameters
		want   *types.Route
	}{
		"CIDR":          {reason: "An IPv4 destination finds its route only.", p: route().Spec.ForProvider, want: &rt.Routes[1]},
		"IPv6":          {reason: "An IPv6 destination finds its route only.", p: route(withDestination(nil, aws.String("0::/0"), nil)).Spec.ForProvider, want: &rt.Routes[2]},
		"PrefixList":    {reason: "A prefix list destination finds its route only.", p: route(withDestination(nil, nil, aws.String(plDest))).Spec.ForProvider, want: &rt.Routes[3]},
		"Missing":       {reason: "A destination without a route finds nothing.", p: route(withDestination(aws.String("10.9.0.0/16"), nil, nil)).Spec.ForProvider},
		"LocalNotOwned": {reason: "The local route matches only its own destination.", p: route(withDestination(aws.String(vpcCIDR), nil, nil)).Spec.ForProvider, want: &rt.Routes[0]},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := findRoute(rt, tc.p)
			if got != tc.want {
				t.Errorf("\n%s\nfindRoute(...) = %+v, want %+v", tc.reason, got, tc.want)
			}
		})
	}
}

func TestGenerateObservation(t *testing.T) {
	cases := map[string]struct {
		reason string
		r      types.Route
		want   v1alpha1.RouteObservation
	}{
		"NATRoute": {
			reason: "A route to a NAT gateway reports the gateway, state and origin.",
			r:      natRoute(natNew, types.RouteStateBlackhole),
			want:   observed(natNew, "blackhole", ""),
		},
		"TransitGatewayRoute": {
			reason: "A route to another kind of target reports it as gatewayId.",
			r:      types.Route{DestinationPrefixListId: aws.String(plDest), TransitGatewayId: aws.String("tgw-0a1b2c3d4e5f60001"), State: types.RouteStateActive},
			want: v1alpha1.RouteObservation{
				RouteTableID: aws.String(tableID), Destination: aws.String(plDest), State: aws.String("active"), GatewayID: aws.String("tgw-0a1b2c3d4e5f60001"),
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, generateObservation(tableID, tc.r)); diff != "" {
				t.Errorf("\n%s\ngenerateObservation(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestTarget(t *testing.T) {
	cases := map[string]struct {
		reason string
		r      types.Route
		want   string
	}{
		"NAT":     {reason: "A NAT gateway target is named by its ID.", r: natRoute(natOld, types.RouteStateActive), want: natOld},
		"Gateway": {reason: "Another target is named by its ID.", r: types.Route{GatewayId: aws.String(igw)}, want: igw},
		"None":    {reason: "A route without a target says so.", r: types.Route{}, want: "no target"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, target(tc.r)); diff != "" {
				t.Errorf("\n%s\ntarget(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
