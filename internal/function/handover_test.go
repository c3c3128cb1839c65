// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
)

// composedNAT is an observed NATGateway as the function composed it: with
// its zone label and a reference to the ElasticIP of its zone.
func composedNAT(zone, id, state string, ready bool) *fnv1.Resource {
	return &fnv1.Resource{Resource: resource.MustStructJSON(fmt.Sprintf(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"NATGateway",
		"metadata":{"name":"web-nat-%s","namespace":"team-a","labels":{"egresskit.io/zone":"%s"}},
		"spec":{"forProvider":{"region":"us-east-1","connectivityType":"public","subnetId":"subnet-0000000%s",
		"allocationIdRef":{"name":"web-eip-%s"},"allocationId":"eipalloc-1000000%s"}},
		"status":{"conditions":[%s],"atProvider":{"natGatewayId":"%s","state":"%s"}}}`,
		zone, zone, zone[len(zone)-1:], zone, zone[len(zone)-1:], readyCondition(ready), id, state))}
}

// keptNAT and keptEIP are the desired states of composedNAT and observedEIP
// kept as they are.
func keptNAT(zone string) *fnv1.Resource {
	return desired(fmt.Sprintf(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"NATGateway",
		"metadata":{"name":"web-nat-%s","namespace":"team-a","labels":{"egresskit.io/zone":"%s"}},
		"spec":{"forProvider":{"region":"us-east-1","connectivityType":"public","subnetId":"subnet-0000000%s",
		"allocationIdRef":{"name":"web-eip-%s"},"allocationId":"eipalloc-1000000%s"}}}`,
		zone, zone, zone[len(zone)-1:], zone, zone[len(zone)-1:]), fnv1.Ready_READY_TRUE)
}

func keptEIP(zone string) *fnv1.Resource {
	return desired(fmt.Sprintf(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"ElasticIP",
		"metadata":{"name":"web-eip-%s","namespace":"team-a"},
		"spec":{"forProvider":{"region":"us-east-1"}}}`, zone), fnv1.Ready_READY_TRUE)
}

// handedOver is the observed state of threeZones with every gateway
// available and every route active through its own gateway, as the function
// composed it.
func handedOver() map[string]*fnv1.Resource {
	out := healthy()
	for _, z := range []string{zoneA, zoneB, zoneC} {
		out["nat-"+z] = composedNAT(z, "nat-0000000"+z[len(z)-1:], "available", true)
	}
	return out
}

func TestRunFunctionHandover(t *testing.T) {
	ownB := `"allocations":[{"zone":"us-east-1b","allocationId":"eipalloc-0000000b"}],`
	newB := "nat-" + zoneB + "-eipalloc-0000000b"
	type want struct {
		// kept are the observed resources kept as they are.
		kept map[string]*fnv1.Resource
		// gone are resources of the observed state left out of the desired
		// state, so that Crossplane deletes them.
		gone []string
		// targets are the NATGateways that zones' routes point at.
		targets map[string]string
		// zones are the composite's status.zones.
		zones []zoneStatus
	}
	cases := map[string]struct {
		reason   string
		input    string
		xr       string
		observed map[string]*fnv1.Resource
		want     want
	}{
		"OwnAddressWhileCreating": {
			reason:   "While the gateway on zone b's own address is created, zone b's routes stay on its old gateway, which stays composed with its ElasticIP.",
			xr:       threeZones(ownB),
			observed: handedOver(),
			want: want{
				kept:    map[string]*fnv1.Resource{"nat-" + zoneB: keptNAT(zoneB), "eip-" + zoneB: keptEIP(zoneB)},
				targets: map[string]string{zoneA: "web-nat-us-east-1a", zoneB: "web-nat-us-east-1b", zoneC: "web-nat-us-east-1c"},
				zones: []zoneStatus{
					{Zone: zoneB, ServedBy: zoneB, RouteTables: 1, ActiveRoutes: 1, RoutesActive: true},
				},
			},
		},
		"OwnAddressAvailable": {
			reason: "Once the new gateway is available, zone b's routes move to it; the old gateway and its ElasticIP stay while the route is still active through it.",
			xr:     threeZones(ownB),
			observed: with(handedOver(), map[string]*fnv1.Resource{
				newB: composedNAT(zoneB+"-eipalloc-0000000b", "nat-0000002b", "available", true),
			}),
			want: want{
				kept:    map[string]*fnv1.Resource{"nat-" + zoneB: keptNAT(zoneB), "eip-" + zoneB: keptEIP(zoneB)},
				targets: map[string]string{zoneA: "web-nat-us-east-1a", zoneB: "web-" + newB, zoneC: "web-nat-us-east-1c"},
				zones: []zoneStatus{
					{Zone: zoneB, GatewayID: "nat-0000002b", State: "available", ServedBy: zoneB, RouteTables: 1},
				},
			},
		},
		"OwnAddressRoutesMoved": {
			reason: "Once zone b's routes are active through the new gateway, the zone is ready, and the old gateway and its ElasticIP are left to be deleted.",
			xr:     threeZones(ownB),
			observed: with(handedOver(), map[string]*fnv1.Resource{
				newB:                               composedNAT(zoneB+"-eipalloc-0000000b", "nat-0000002b", "available", true),
				"route-" + zoneB + "-rtb-0000000b": observedRoute(zoneB, "rtb-0000000b", "nat-0000002b", "active"),
			}),
			want: want{
				gone:    []string{"eip-" + zoneB, "nat-" + zoneB},
				targets: map[string]string{zoneA: "web-nat-us-east-1a", zoneB: "web-" + newB, zoneC: "web-nat-us-east-1c"},
				zones: []zoneStatus{
					{Zone: zoneB, GatewayID: "nat-0000002b", State: "available", ServedBy: zoneB, RouteTables: 1, ActiveRoutes: 1, RoutesActive: true, Ready: true},
				},
			},
		},
		"OldGatewayNotCarrying": {
			reason: "An old gateway that carries no active route is not kept, and the zone fails over to the next zone's gateway until its new one is available.",
			xr:     threeZones(ownB),
			observed: with(handedOver(), map[string]*fnv1.Resource{
				"nat-" + zoneB:                     composedNAT(zoneB, "nat-0000000b", "deleted", false),
				"route-" + zoneB + "-rtb-0000000b": observedRoute(zoneB, "rtb-0000000b", "nat-0000000b", "blackhole"),
			}),
			want: want{
				gone:    []string{"eip-" + zoneB, "nat-" + zoneB},
				targets: map[string]string{zoneA: "web-nat-us-east-1a", zoneB: "web-nat-us-east-1c", zoneC: "web-nat-us-east-1c"},
				zones:   []zoneStatus{{Zone: zoneB, ServedBy: zoneC, RouteTables: 1}},
			},
		},
		"OldGatewayNotCarryingFailoverOff": {
			reason: "With failover off, a zone whose old gateway carries no route waits for its new gateway.",
			input:  `{"apiVersion":"egress.fn.egresskit.io/v1beta1","kind":"Input","failover":false}`,
			xr:     threeZones(ownB),
			observed: with(handedOver(), map[string]*fnv1.Resource{
				"nat-" + zoneB:                     composedNAT(zoneB, "nat-0000000b", "deleted", false),
				"route-" + zoneB + "-rtb-0000000b": observedRoute(zoneB, "rtb-0000000b", "nat-0000000b", "blackhole"),
			}),
			want: want{
				gone:    []string{"eip-" + zoneB, "nat-" + zoneB},
				targets: map[string]string{zoneA: "web-nat-us-east-1a", zoneB: "web-" + newB, zoneC: "web-nat-us-east-1c"},
				zones:   []zoneStatus{{Zone: zoneB, ServedBy: zoneB, RouteTables: 1}},
			},
		},
		"SingleToPerAZ": {
			reason: "Moving from Single to PerAZ keeps zones b and c on zone a's gateway until their own gateways are available.",
			xr:     threeZones(""),
			observed: map[string]*fnv1.Resource{
				"eip-" + zoneA:                     observedEIP(zoneA, true),
				"nat-" + zoneA:                     composedNAT(zoneA, "nat-0000000a", "available", true),
				"route-" + zoneA + "-rtb-0000000a": observedRoute(zoneA, "rtb-0000000a", "nat-0000000a", "active"),
				"route-" + zoneB + "-rtb-0000000b": observedRoute(zoneB, "rtb-0000000b", "nat-0000000a", "active"),
				"route-" + zoneC + "-rtb-0000000c": observedRoute(zoneC, "rtb-0000000c", "nat-0000000a", "active"),
			},
			want: want{
				targets: map[string]string{zoneA: "web-nat-us-east-1a", zoneB: "web-nat-us-east-1a", zoneC: "web-nat-us-east-1a"},
				zones: []zoneStatus{
					{Zone: zoneB, ServedBy: zoneA, RouteTables: 1, ActiveRoutes: 1, RoutesActive: true},
					{Zone: zoneC, ServedBy: zoneA, RouteTables: 1, ActiveRoutes: 1, RoutesActive: true},
				},
			},
		},
		"PerAZToRegional": {
			reason:   "Moving from PerAZ to Regional keeps every zone on its own old gateway until the regional gateway is available.",
			xr:       threeZones(`"vpcId":"vpc-0000000f","topology":"Regional",`),
			observed: handedOver(),
			want: want{
				kept: map[string]*fnv1.Resource{
					"nat-" + zoneA: keptNAT(zoneA), "eip-" + zoneA: keptEIP(zoneA),
					"nat-" + zoneB: keptNAT(zoneB), "eip-" + zoneB: keptEIP(zoneB),
					"nat-" + zoneC: keptNAT(zoneC), "eip-" + zoneC: keptEIP(zoneC),
				},
				targets: map[string]string{zoneA: "web-nat-us-east-1a", zoneB: "web-nat-us-east-1b", zoneC: "web-nat-us-east-1c"},
				zones: []zoneStatus{
					{Zone: zoneA, ServedBy: zoneA, RouteTables: 1, ActiveRoutes: 1, RoutesActive: true},
					{Zone: zoneB, ServedBy: zoneB, RouteTables: 1, ActiveRoutes: 1, RoutesActive: true},
					{Zone: zoneC, ServedBy: zoneC, RouteTables: 1, ActiveRoutes: 1, RoutesActive: true},
				},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			input := tc.input
			if input == "" {
				input = defaultInput
			}
			rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), newRequest(input, namespacedXR(tc.xr), tc.observed))
			if err != nil {
				t.Fatalf("f.RunFunction(...): %v", err)
			}
			if r := rsp.GetResults(); len(r) > 0 && r[0].GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
				t.Fatalf("f.RunFunction(...): fatal result: %s", r[0].GetMessage())
			}
			got := rsp.GetDesired().GetResources()

			for name, want := range tc.want.kept {
				if diff := cmp.Diff(want, got[name], protocmp.Transform()); diff != "" {
					t.Errorf("\n%s\nkept %s: -want, +got:\n%s", tc.reason, name, diff)
				}
			}
			var gone []string
			for name := range tc.observed {
				if _, ok := got[name]; !ok {
					gone = append(gone, name)
				}
			}
			slices.Sort(gone)
			if diff := cmp.Diff(tc.want.gone, gone); diff != "" {
				t.Errorf("\n%s\nobserved resources left out: -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.targets, routeTargets(t, got)); diff != "" {
				t.Errorf("\n%s\nroute targets by zone: -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.zones, statusZones(t, rsp, tc.want.zones)); diff != "" {
				t.Errorf("\n%s\nstatus.zones: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// routeTargets returns the NATGateway each zone's route points at.
func routeTargets(t *testing.T, rs map[string]*fnv1.Resource) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range rs {
		o := r.GetResource().AsMap()
		if o["kind"] != "Route" {
			continue
		}
		zone, _, _ := unstructured.NestedString(o, "metadata", "labels", LabelZone)
		out[zone], _, _ = unstructured.NestedString(o, "spec", "forProvider", "natGatewayIdRef", "name")
	}
	return out
}

// statusZones returns the composite's status.zones of the zones of want, in
// the order of status.zones.
func statusZones(t *testing.T, rsp *fnv1.RunFunctionResponse, want []zoneStatus) []zoneStatus {
	t.Helper()
	b, err := json.Marshal(rsp.GetDesired().GetComposite().GetResource().AsMap()["status"])
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Zones []zoneStatus `json:"zones"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	var out []zoneStatus
	for _, z := range s.Zones {
		if slices.ContainsFunc(want, func(w zoneStatus) bool { return w.Zone == z.Zone }) {
			out = append(out, z)
		}
	}
	return out
}
