// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/function-sdk-go/resource"

	"github.com/egresskit/provider-aws-egress/internal/function/input/v1beta1"
)

func TestPlanFor(t *testing.T) {
	zones := []zone{
		{name: zoneA, subnetID: "subnet-0000000a", routeTableIDs: []string{"rtb-0000000a"}},
		{name: zoneB, subnetID: "subnet-0000000b", routeTableIDs: []string{"rtb-0000000b", "rtb-1000000b"}, allocationID: "eipalloc-0000000b"},
	}
	allRoutes := []route{
		{name: "route-us-east-1a-rtb-0000000a", zone: zoneA, routeTableID: "rtb-0000000a"},
		{name: "route-us-east-1b-rtb-0000000b", zone: zoneB, routeTableID: "rtb-0000000b"},
		{name: "route-us-east-1b-rtb-1000000b", zone: zoneB, routeTableID: "rtb-1000000b"},
	}
	homeOf := func(a, b resource.Name) map[string]resource.Name {
		return map[string]resource.Name{zoneA: a, zoneB: b}
	}

	cases := map[string]struct {
		reason string
		e      egress
		want   plan
	}{
		"PerAZ": {
			reason: "PerAZ should place a gateway in every zone, with an ElasticIP unless the zone brings its own address, which names its gateway.",
			e:      egress{topology: v1beta1.TopologyPerAZ, connectivity: v1beta1.ConnectivityPublic, zones: zones},
			want: plan{
				gateways: []gateway{
					{name: "nat-us-east-1a", zone: zoneA, subnetID: "subnet-0000000a", eip: "eip-us-east-1a"},
					{name: "nat-us-east-1b-eipalloc-0000000b", zone: zoneB, subnetID: "subnet-0000000b", allocationID: "eipalloc-0000000b"},
				},
				routes: allRoutes,
				home:   homeOf("nat-us-east-1a", "nat-us-east-1b-eipalloc-0000000b"),
			},
		},
		"PerAZPrivate": {
			reason: "Private gateways should get no ElasticIPs.",
			e:      egress{topology: v1beta1.TopologyPerAZ, connectivity: v1beta1.ConnectivityPrivate, zones: zones[:1]},
			want: plan{
				gateways: []gateway{{name: "nat-us-east-1a", zone: zoneA, subnetID: "subnet-0000000a"}},
				routes:   allRoutes[:1],
				home:     map[string]resource.Name{zoneA: "nat-us-east-1a"},
			},
		},
		"Single": {
			reason: "Single should place one gateway in the first zone and report the other zone's allocation as unused.",
			e:      egress{topology: v1beta1.TopologySingle, connectivity: v1beta1.ConnectivityPublic, zones: zones},
			want: plan{
				gateways: []gateway{{name: "nat-us-east-1a", zone: zoneA, subnetID: "subnet-0000000a", eip: "eip-us-east-1a"}},
				routes:   allRoutes,
				home:     homeOf("nat-us-east-1a", "nat-us-east-1a"),
				unused:   []string{"allocation eipalloc-0000000b of zone us-east-1b is not used: topology Single runs no gateway in that zone"},
			},
		},
		"SingleChosenZone": {
			reason: "Single should place its gateway in gatewayZone, using that zone's own address.",
			e:      egress{topology: v1beta1.TopologySingle, connectivity: v1beta1.ConnectivityPublic, zones: zones, gatewayZone: zoneB},
			want: plan{
				gateways: []gateway{{name: "nat-us-east-1b-eipalloc-0000000b", zone: zoneB, subnetID: "subnet-0000000b", allocationID: "eipalloc-0000000b"}},
				routes:   allRoutes,
				home:     homeOf("nat-us-east-1b-eipalloc-0000000b", "nat-us-east-1b-eipalloc-0000000b"),
			},
		},
		"Regional": {
			reason: "Regional should place one regional gateway with the zones' own addresses, and report gatewayZone as unused.",
			e:      egress{topology: v1beta1.TopologyRegional, connectivity: v1beta1.ConnectivityPublic, zones: zones, gatewayZone: zoneA},
			want: plan{
				gateways: []gateway{{name: regionalGateway, zoneAllocations: map[string]string{zoneB: "eipalloc-0000000b"}}},
				routes:   allRoutes,
				home:     homeOf(regionalGateway, regionalGateway),
				unused:   []string{"spec.gatewayZone us-east-1a is not used: topology Regional does not place a single gateway"},
			},
		},
		"None": {
			reason: "None should place nothing and report the allocation as unused.",
			e:      egress{topology: v1beta1.TopologyNone, connectivity: v1beta1.ConnectivityPublic, zones: zones},
			want: plan{
				home:   map[string]resource.Name{},
				unused: []string{"allocation eipalloc-0000000b of zone us-east-1b is not used: topology None runs no gateway in that zone"},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := planFor(tc.e)
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(plan{}, gateway{}, route{})); diff != "" {
				t.Errorf("\n%s\nplanFor(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
