// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/egresskit/provider-aws-egress/internal/function/input/v1beta1"
)

func TestZoneStatuses(t *testing.T) {
	e := egress{topology: v1beta1.TopologyPerAZ, connectivity: v1beta1.ConnectivityPublic, zones: []zone{{name: zoneA}, {name: zoneB}, {name: zoneC}}}
	p := plan{
		gateways: []gateway{{name: "nat-us-east-1a", zone: zoneA}, {name: "nat-us-east-1b", zone: zoneB}},
		routes: []route{
			{name: "route-a1", zone: zoneA}, {name: "route-a2", zone: zoneA},
			{name: "route-b1", zone: zoneB},
		},
		home: map[string]resource.Name{zoneA: "nat-us-east-1a", zoneB: "nat-us-east-1b"},
	}
	o := observation{
		gateways: map[resource.Name]gatewayHealth{
			"nat-us-east-1a": {observed: true, id: "nat-a", state: "available", publicIP: "203.0.113.1", ready: true},
			"nat-us-east-1b": {observed: true, id: "nat-b", state: "failed"},
		},
		routes: map[resource.Name]routeHealth{
			"route-a1": {observed: true, state: "active", natGatewayID: "nat-a"},
			"route-a2": {observed: true, state: "blackhole", natGatewayID: "nat-a"},
			"route-b1": {observed: true, state: "active", natGatewayID: "nat-a"},
		},
	}
	r := routing{zoneA: "nat-us-east-1a", zoneB: "nat-us-east-1a"}
	want := []zoneStatus{
		{Zone: zoneA, GatewayID: "nat-a", PublicIP: "203.0.113.1", State: "available", ServedBy: zoneA, RouteTables: 2, ActiveRoutes: 1},
		{Zone: zoneB, GatewayID: "nat-b", State: "failed", ServedBy: zoneA, RouteTables: 1, ActiveRoutes: 1, RoutesActive: true, Degraded: true},
	}
	got := zoneStatuses(e, p, o, r)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("zoneStatuses(...): -want, +got:\n%s", diff)
	}
	wantSummary := summary{Topology: "PerAZ", Connectivity: "public", Zones: 2, DegradedZones: 1, Gateways: 2, AvailableGateways: 1}
	if diff := cmp.Diff(wantSummary, summarize(e, p, o, got)); diff != "" {
		t.Errorf("summarize(...): -want, +got:\n%s", diff)
	}
}

func TestReport(t *testing.T) {
	p := plan{
		gateways: []gateway{{name: "nat-us-east-1a", zone: zoneA}, {name: "nat-us-east-1b", zone: zoneB}},
		home:     map[string]resource.Name{zoneA: "nat-us-east-1a", zoneB: "nat-us-east-1b"},
		unused:   []string{"spec.gatewayZone us-east-1a is not used: topology PerAZ does not place a single gateway"},
	}
	o := observation{
		gateways: map[resource.Name]gatewayHealth{
			"nat-us-east-1a": {observed: true, state: "deleting"},
			"nat-us-east-1b": {observed: true, state: "available", ready: true},
		},
	}
	r := routing{zoneA: "nat-us-east-1b", zoneB: "nat-us-east-1b"}
	zones := []zoneStatus{{Zone: zoneA, ServedBy: zoneB, Degraded: true}, {Zone: zoneB, ServedBy: zoneB, Ready: true}}
	degradedA := "zone us-east-1a is degraded: its NAT gateway is deleting; its routes use the gateway of zone us-east-1b until it is available again"

	cases := map[string]struct {
		reason string
		claim  bool
		want   *fnv1.RunFunctionResponse
	}{
		"Composite": {
			reason: "A degraded zone and an unused setting should each be a Warning, and the condition should name the degraded zone.",
			want: &fnv1.RunFunctionResponse{
				Results: []*fnv1.Result{
					warning(degradedA, compositeOnly),
					warning("spec.gatewayZone us-east-1a is not used: topology PerAZ does not place a single gateway", compositeOnly),
				},
				Conditions: []*fnv1.Condition{condition(condFalse, ReasonDegraded, degradedA, compositeOnly)},
			},
		},
		"Claim": {
			reason: "The results and the condition of a claim's XR should reach the claim.",
			claim:  true,
			want: &fnv1.RunFunctionResponse{
				Results: []*fnv1.Result{
					warning(degradedA, compositeAnd),
					warning("spec.gatewayZone us-east-1a is not used: topology PerAZ does not place a single gateway", compositeAnd),
				},
				Conditions: []*fnv1.Condition{condition(condFalse, ReasonDegraded, degradedA, compositeAnd)},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := &fnv1.RunFunctionResponse{}
			report(got, egress{topology: v1beta1.TopologyPerAZ, failover: true}, p, o, r, zones, tc.claim)
			if diff := cmp.Diff(tc.want, got, protocmp.Transform()); diff != "" {
				t.Errorf("\n%s\nreport(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
