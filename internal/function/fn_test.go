// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"context"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
)

const (
	compositeOnly = fnv1.Target_TARGET_COMPOSITE
	compositeAnd  = fnv1.Target_TARGET_COMPOSITE_AND_CLAIM
	readyFalse    = fnv1.Ready_READY_FALSE
	readyTrue     = fnv1.Ready_READY_TRUE
	readyUnset    = fnv1.Ready_READY_UNSPECIFIED
	condTrue      = fnv1.Status_STATUS_CONDITION_TRUE
	condFalse     = fnv1.Status_STATUS_CONDITION_FALSE
)

func TestRunFunction(t *testing.T) {
	perAZSummary := func(ready, degraded, available int) summary {
		return summary{Topology: "PerAZ", Connectivity: "public", Zones: 3, ReadyZones: ready, DegradedZones: degraded, Gateways: 3, AvailableGateways: available}
	}
	pending := func(zone string) zoneStatus {
		return zoneStatus{Zone: zone, ServedBy: zone, RouteTables: 1}
	}
	available := func(zone string) zoneStatus {
		s := zone[len(zone)-1:]
		return zoneStatus{Zone: zone, GatewayID: "nat-0000000" + s, PublicIP: publicIP(zone), State: "available", ServedBy: zone,
			RouteTables: 1, ActiveRoutes: 1, RoutesActive: true, Ready: true}
	}
	// Zone us-east-1b's gateway was deleted out of band; the provider
	// recreated it and the new gateway is pending.
	recreatedB := with(healthy(), map[string]*fnv1.Resource{
		"nat-" + zoneB:                     observedNAT(zoneB, "nat-0000001b", "pending", false, true),
		"route-" + zoneB + "-rtb-0000000b": observedRoute(zoneB, "rtb-0000000b", "nat-0000000b", "blackhole"),
	})
	degradedB := zoneStatus{Zone: zoneB, GatewayID: "nat-0000001b", PublicIP: publicIP(zoneB), State: "pending", ServedBy: zoneC,
		RouteTables: 1, Degraded: true}
	degradedBMsg := "zone us-east-1b is degraded: its NAT gateway is pending after it was recreated; its routes use the gateway of zone us-east-1c until it is available again"

	type args struct {
		req *fnv1.RunFunctionRequest
	}
	type want struct {
		rsp *fnv1.RunFunctionResponse
	}
	cases := map[string]struct {
		reason string
		args   args
		want   want
	}{
		"PerAZFirstRun": {
			reason: "With nothing observed yet, PerAZ should compose an ElasticIP, a NATGateway and routes per zone, none of them ready, and the XR should not be ready.",
			args:   args{req: newRequest(defaultInput, namespacedXR(threeZones("")), nil)},
			want: want{rsp: rsp(
				composite(readyFalse, perAZSummary(0, 0, 0), pending(zoneA), pending(zoneB), pending(zoneC)),
				perAZ(nil, nil), nil, pendingZones(zoneA, zoneB, zoneC))},
		},
		"PerAZAvailable": {
			reason: "When every gateway is available and every route active through it, every resource should be ready and the XR's readiness should be left to Crossplane.",
			args:   args{req: newRequest(defaultInput, namespacedXR(threeZones("")), healthy())},
			want: want{rsp: rsp(
				&fnv1.Resource{Resource: resource.MustStructJSON(`{"status":{
					"egress":{"topology":"PerAZ","connectivity":"public","zones":3,"readyZones":3,"degradedZones":0,"gateways":3,"availableGateways":3},
					"zones":[
					{"zone":"us-east-1a","gatewayId":"nat-0000000a","publicIp":"203.0.113.1","state":"available","servedBy":"us-east-1a","routeTables":1,"activeRoutes":1,"routesActive":true,"degraded":false,"ready":true},
					{"zone":"us-east-1b","gatewayId":"nat-0000000b","publicIp":"203.0.113.2","state":"available","servedBy":"us-east-1b","routeTables":1,"activeRoutes":1,"routesActive":true,"degraded":false,"ready":true},
					{"zone":"us-east-1c","gatewayId":"nat-0000000c","publicIp":"203.0.113.3","state":"available","servedBy":"us-east-1c","routeTables":1,"activeRoutes":1,"routesActive":true,"degraded":false,"ready":true}]}}`)},
				perAZ(allReady(), nil), nil,
				condition(condTrue, ReasonAvailable, "every zone has egress through an available gateway of its own (3 zones)", compositeOnly))},
		},
		"FailoverWhileGatewayRecreated": {
			reason: "While zone b's gateway is pending after it was recreated, zone b's routes should use the gateway of the next zone, and the XR should report zone b degraded.",
			args:   args{req: newRequest(defaultInput, namespacedXR(threeZones("")), recreatedB)},
			want: want{rsp: rsp(
				composite(readyFalse, perAZSummary(2, 1, 2), available(zoneA), degradedB, available(zoneC)),
				perAZ(with2(allReady(), map[string]fnv1.Ready{"nat-" + zoneB: readyFalse, "route-" + zoneB + "-rtb-0000000b": readyFalse}), map[string]string{zoneB: zoneC}),
				[]*fnv1.Result{warning(degradedBMsg, compositeOnly)},
				condition(condFalse, ReasonDegraded, degradedBMsg, compositeOnly))},
		},
		"FailoverWrapsAround": {
			reason: "A degraded last zone should fail over to the first zone in sorted order.",
			args: args{req: newRequest(defaultInput, namespacedXR(threeZones("")), with(healthy(), map[string]*fnv1.Resource{
				"nat-" + zoneC: observedNAT(zoneC, "nat-0000000c", "failed", false, false),
			}))},
			want: want{rsp: rsp(
				composite(readyFalse, perAZSummary(2, 1, 2), available(zoneA), available(zoneB),
					zoneStatus{Zone: zoneC, GatewayID: "nat-0000000c", PublicIP: publicIP(zoneC), State: "failed", ServedBy: zoneA, RouteTables: 1, Degraded: true}),
				perAZ(with2(allReady(), map[string]fnv1.Ready{"nat-" + zoneC: readyFalse}), map[string]string{zoneC: zoneA}),
				[]*fnv1.Result{warning("zone us-east-1c is degraded: its NAT gateway is failed; its routes use the gateway of zone us-east-1a until it is available again", compositeOnly)},
				condition(condFalse, ReasonDegraded, "zone us-east-1c is degraded: its NAT gateway is failed; its routes use the gateway of zone us-east-1a until it is available again", compositeOnly))},
		},
		"FailBack": {
			reason: "Once zone b's own gateway is available again its routes should point back at it; the zone is not ready until the route is active through it.",
			args: args{req: newRequest(defaultInput, namespacedXR(threeZones("")), with(healthy(), map[string]*fnv1.Resource{
				"nat-" + zoneB:                     observedNAT(zoneB, "nat-0000001b", "available", true, true),
				"route-" + zoneB + "-rtb-0000000b": observedRoute(zoneB, "rtb-0000000b", "nat-0000000c", "active"),
			}))},
			want: want{rsp: rsp(
				composite(readyFalse, perAZSummary(2, 0, 3), available(zoneA),
					zoneStatus{Zone: zoneB, GatewayID: "nat-0000001b", PublicIP: publicIP(zoneB), State: "available", ServedBy: zoneB, RouteTables: 1},
					available(zoneC)),
				perAZ(allReady(), nil), nil, pendingZones(zoneB))},
		},
		"FailoverOff": {
			reason: "With failover off a degraded zone should keep its own gateway and say so.",
			args: args{req: newRequest(`{"apiVersion":"egress.fn.egresskit.io/v1beta1","kind":"Input","failover":false}`,
				namespacedXR(threeZones("")), recreatedB)},
			want: want{rsp: rsp(
				composite(readyFalse, perAZSummary(2, 1, 2), available(zoneA),
					zoneStatus{Zone: zoneB, GatewayID: "nat-0000001b", PublicIP: publicIP(zoneB), State: "pending", ServedBy: zoneB, RouteTables: 1, Degraded: true},
					available(zoneC)),
				perAZ(with2(allReady(), map[string]fnv1.Ready{"nat-" + zoneB: readyFalse, "route-" + zoneB + "-rtb-0000000b": readyFalse}), nil),
				[]*fnv1.Result{warning("zone us-east-1b is degraded: its NAT gateway is pending after it was recreated; failover is off", compositeOnly)},
				condition(condFalse, ReasonDegraded, "zone us-east-1b is degraded: its NAT gateway is pending after it was recreated; failover is off", compositeOnly))},
		},
		"NoHealthyPeer": {
			reason: "When no other gateway is available a degraded zone should keep its own gateway rather than fail over to nothing.",
			args: args{req: newRequest(defaultInput, namespacedXR(`{"region":"us-east-1",
				"publicSubnets":[{"zone":"us-east-1a","subnetId":"subnet-0000000a"},{"zone":"us-east-1b","subnetId":"subnet-0000000b"}]}`),
				map[string]*fnv1.Resource{
					"nat-" + zoneA: observedNAT(zoneA, "nat-0000000a", "deleted", false, false),
					"nat-" + zoneB: observedNAT(zoneB, "nat-0000000b", "pending", false, false),
				})},
			want: want{rsp: rsp(
				composite(readyFalse, summary{Topology: "PerAZ", Connectivity: "public", Zones: 2, DegradedZones: 1, Gateways: 2},
					zoneStatus{Zone: zoneA, GatewayID: "nat-0000000a", PublicIP: publicIP(zoneA), State: "deleted", ServedBy: zoneA, RoutesActive: true, Degraded: true},
					zoneStatus{Zone: zoneB, GatewayID: "nat-0000000b", PublicIP: publicIP(zoneB), State: "pending", ServedBy: zoneB, RoutesActive: true}),
				map[string]*fnv1.Resource{
					"eip-" + zoneA: desired(eip("web", "", zoneA), readyFalse),
					"nat-" + zoneA: desired(publicNAT("web", "", zoneA, "subnet-0000000a"), readyFalse),
					"eip-" + zoneB: desired(eip("web", "", zoneB), readyFalse),
					"nat-" + zoneB: desired(publicNAT("web", "", zoneB, "subnet-0000000b"), readyFalse),
				},
				[]*fnv1.Result{warning("zone us-east-1a is degraded: its NAT gateway is deleted; no other gateway is available to fail over to", compositeOnly)},
				condition(condFalse, ReasonDegraded, "zone us-east-1a is degraded: its NAT gateway is deleted; no other gateway is available to fail over to", compositeOnly))},
		},
		"Single": {
			reason: "Single should compose one gateway in the chosen zone and send every zone's routes through it.",
			args:   args{req: newRequest(defaultInput, namespacedXR(threeZones(`"topology":"Single","gatewayZone":"us-east-1b",`)), nil)},
			want: want{rsp: rsp(
				composite(readyFalse, summary{Topology: "Single", Connectivity: "public", Zones: 3, Gateways: 1},
					zoneStatus{Zone: zoneA, ServedBy: zoneB, RouteTables: 1},
					zoneStatus{Zone: zoneB, ServedBy: zoneB, RouteTables: 1},
					zoneStatus{Zone: zoneC, ServedBy: zoneB, RouteTables: 1}),
				map[string]*fnv1.Resource{
					"eip-" + zoneB:                     desired(eip("web", "", zoneB), readyFalse),
					"nat-" + zoneB:                     desired(publicNAT("web", "", zoneB, "subnet-0000000b"), readyFalse),
					"route-" + zoneA + "-rtb-0000000a": desired(routeJSON("web", "", zoneA, "rtb-0000000a", "web-nat-us-east-1b"), readyFalse),
					"route-" + zoneB + "-rtb-0000000b": desired(routeJSON("web", "", zoneB, "rtb-0000000b", "web-nat-us-east-1b"), readyFalse),
					"route-" + zoneC + "-rtb-0000000c": desired(routeJSON("web", "", zoneC, "rtb-0000000c", "web-nat-us-east-1b"), readyFalse),
				},
				nil, pendingZones(zoneA, zoneB, zoneC))},
		},
		"SingleDefaultsToFirstZone": {
			reason: "Single without gatewayZone should place the gateway in the first zone in sorted order, and report an allocation of another zone as unused.",
			args: args{req: newRequest(defaultInput, namespacedXR(`{"region":"us-east-1","topology":"Single",
				"publicSubnets":[{"zone":"us-east-1b","subnetId":"subnet-0000000b"},{"zone":"us-east-1a","subnetId":"subnet-0000000a"}],
				"allocations":[{"zone":"us-east-1b","allocationId":"eipalloc-0000000b"}]}`), nil)},
			want: want{rsp: rsp(
				composite(readyFalse, summary{Topology: "Single", Connectivity: "public", Zones: 2, Gateways: 1},
					zoneStatus{Zone: zoneA, ServedBy: zoneA, RoutesActive: true},
					zoneStatus{Zone: zoneB, ServedBy: zoneA, RoutesActive: true}),
				map[string]*fnv1.Resource{
					"eip-" + zoneA: desired(eip("web", "", zoneA), readyFalse),
					"nat-" + zoneA: desired(publicNAT("web", "", zoneA, "subnet-0000000a"), readyFalse),
				},
				[]*fnv1.Result{warning("allocation eipalloc-0000000b of zone us-east-1b is not used: topology Single runs no gateway in that zone", compositeOnly)},
				pendingZones(zoneA, zoneB))},
		},
		"Regional": {
			reason: "Regional should compose one regional gateway with the bring-your-own addresses of every zone, and send every route through it.",
			args: args{req: newRequest(defaultInput, namespacedXR(`{"region":"us-east-1","topology":"Regional","vpcId":"vpc-0000000f",
				"privateRouteTables":[{"zone":"us-east-1a","routeTableIds":["rtb-0000000a"]},{"zone":"us-east-1b","routeTableIds":["rtb-0000000b"]}],
				"allocations":[{"zone":"us-east-1b","allocationId":"eipalloc-0000000b"},{"zone":"us-east-1a","allocationId":"eipalloc-0000000a"}]}`),
				map[string]*fnv1.Resource{
					"nat-regional": {Resource: resource.MustStructJSON(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"NATGateway",
						"metadata":{"name":"web-nat-regional","namespace":"team-a"},"spec":{"forProvider":{"region":"us-east-1"}},
						"status":{"conditions":[` + readyCondition(true) + `],"atProvider":{"natGatewayId":"nat-0000000f","state":"available",
						"addresses":[{"availabilityZone":"us-east-1a","publicIp":"198.51.100.1"},{"availabilityZone":"us-east-1b","publicIp":"198.51.100.2"}]}}}`)},
					"route-" + zoneA + "-rtb-0000000a": observedRoute(zoneA, "rtb-0000000a", "nat-0000000f", "active"),
				})},
			want: want{rsp: rsp(
				composite(readyFalse, summary{Topology: "Regional", Connectivity: "public", Zones: 2, ReadyZones: 1, Gateways: 1, AvailableGateways: 1},
					zoneStatus{Zone: zoneA, GatewayID: "nat-0000000f", PublicIP: "198.51.100.1", State: "available", ServedBy: "regional", RouteTables: 1, ActiveRoutes: 1, RoutesActive: true, Ready: true},
					zoneStatus{Zone: zoneB, GatewayID: "nat-0000000f", PublicIP: "198.51.100.2", State: "available", ServedBy: "regional", RouteTables: 1}),
				map[string]*fnv1.Resource{
					"nat-regional": desired(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"NATGateway",
						"metadata":{"name":"web-nat-regional"},
						"spec":{"forProvider":{"region":"us-east-1","connectivityType":"public","availabilityMode":"regional","vpcId":"vpc-0000000f",
						"availabilityZoneAddresses":[{"availabilityZone":"us-east-1a","allocationIds":["eipalloc-0000000a"]},{"availabilityZone":"us-east-1b","allocationIds":["eipalloc-0000000b"]}]}}}`, readyTrue),
					"route-" + zoneA + "-rtb-0000000a": desired(routeJSON("web", "", zoneA, "rtb-0000000a", "web-nat-regional"), readyTrue),
					"route-" + zoneB + "-rtb-0000000b": desired(routeJSON("web", "", zoneB, "rtb-0000000b", "web-nat-regional"), readyFalse),
				},
				nil, pendingZones(zoneB))},
		},
		"None": {
			reason: "None should compose nothing, report no zones, and leave the XR's readiness to Crossplane.",
			args:   args{req: newRequest(defaultInput, namespacedXR(threeZones(`"topology":"None",`)), nil)},
			want: want{rsp: rsp(
				composite(readyUnset, summary{Topology: "None", Connectivity: "public"}),
				map[string]*fnv1.Resource{}, nil,
				condition(condTrue, ReasonAvailable, "topology None composes no gateways and no routes", compositeOnly))},
		},
		"PrivateConnectivity": {
			reason: "Private gateways should have no ElasticIPs.",
			args: args{req: newRequest(`{"apiVersion":"egress.fn.egresskit.io/v1beta1","kind":"Input","connectivity":"private"}`,
				namespacedXR(`{"region":"us-east-1","publicSubnets":[{"zone":"us-east-1a","subnetId":"subnet-0000000a"}],
				"privateRouteTables":[{"zone":"us-east-1a","routeTableIds":["rtb-0000000a"]}]}`), nil)},
			want: want{rsp: rsp(
				composite(readyFalse, summary{Topology: "PerAZ", Connectivity: "private", Zones: 1, Gateways: 1}, pending(zoneA)),
				map[string]*fnv1.Resource{
					"nat-" + zoneA:                     desired(nat("web", "", zoneA, `"connectivityType":"private","subnetId":"subnet-0000000a"`), readyFalse),
					"route-" + zoneA + "-rtb-0000000a": desired(routeJSON("web", "", zoneA, "rtb-0000000a", "web-nat-us-east-1a"), readyFalse),
				},
				nil, pendingZones(zoneA))},
		},
		"BringYourOwnAllocation": {
			reason: "A zone with its own allocation should get no ElasticIP, and its gateway, named for the allocation, should use it directly.",
			args:   args{req: newRequest(defaultInput, namespacedXR(threeZones(`"allocations":[{"zone":"us-east-1b","allocationId":"eipalloc-0000000b"}],`)), nil)},
			want: want{rsp: rsp(
				composite(readyFalse, perAZSummary(0, 0, 0), pending(zoneA), pending(zoneB), pending(zoneC)),
				func() map[string]*fnv1.Resource {
					r := perAZ(nil, map[string]string{zoneB: zoneB + "-eipalloc-0000000b"})
					delete(r, "eip-"+zoneB)
					delete(r, "nat-"+zoneB)
					r["nat-"+zoneB+"-eipalloc-0000000b"] = desired(byoNAT("web", zoneB, "subnet-0000000b", "eipalloc-0000000b"), readyFalse)
					return r
				}(),
				nil, pendingZones(zoneA, zoneB, zoneC))},
		},
		"InputDefaults": {
			reason: "The input's providerConfigRef, tags and route destination should reach every resource; the XR's tags win over the input's.",
			args: args{req: newRequest(`{"apiVersion":"egress.fn.egresskit.io/v1beta1","kind":"Input",
				"providerConfigRef":{"kind":"ProviderConfig","name":"aws"},"tags":{"team":"platform","cost-center":"42"},"routeDestination":"64:ff9b::/96"}`,
				namespacedXR(`{"region":"us-east-1","tags":{"team":"web"},"publicSubnets":[{"zone":"us-east-1a","subnetId":"subnet-0000000a"}],
				"privateRouteTables":[{"zone":"us-east-1a","routeTableIds":["rtb-0000000a"]}]}`), nil)},
			want: want{rsp: rsp(
				composite(readyFalse, summary{Topology: "PerAZ", Connectivity: "public", Zones: 1, Gateways: 1}, pending(zoneA)),
				map[string]*fnv1.Resource{
					"eip-" + zoneA: desired(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"ElasticIP",
						"metadata":{"name":"web-eip-us-east-1a","labels":{"egresskit.io/zone":"us-east-1a"}},
						"spec":{"providerConfigRef":{"kind":"ProviderConfig","name":"aws"},
						"forProvider":{"region":"us-east-1","tags":{"team":"web","cost-center":"42"}}}}`, readyFalse),
					"nat-" + zoneA: desired(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"NATGateway",
						"metadata":{"name":"web-nat-us-east-1a","labels":{"egresskit.io/zone":"us-east-1a"}},
						"spec":{"providerConfigRef":{"kind":"ProviderConfig","name":"aws"},
						"forProvider":{"region":"us-east-1","connectivityType":"public","subnetId":"subnet-0000000a",
						"allocationIdRef":{"name":"web-eip-us-east-1a"},"tags":{"team":"web","cost-center":"42"}}}}`, readyFalse),
					"route-" + zoneA + "-rtb-0000000a": desired(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"Route",
						"metadata":{"name":"web-route-us-east-1a-rtb-0000000a","labels":{"egresskit.io/zone":"us-east-1a","egresskit.io/route-table":"rtb-0000000a"}},
						"spec":{"providerConfigRef":{"kind":"ProviderConfig","name":"aws"},
						"forProvider":{"region":"us-east-1","routeTableId":"rtb-0000000a","destinationIpv6CidrBlock":"64:ff9b::/96",
						"natGatewayIdRef":{"name":"web-nat-us-east-1a"}}}}`, readyFalse),
				},
				nil, pendingZones(zoneA))},
		},
		"ClaimNamespace": {
			reason: "The resources of a cluster-scoped XR created through a claim should go to the claim's namespace, and results should reach the claim.",
			args: args{req: newRequest(defaultInput, claimXR(`{"region":"us-east-1","publicSubnets":[{"zone":"us-east-1a","subnetId":"subnet-0000000a"}],
				"privateRouteTables":[{"zone":"us-east-1a","routeTableIds":["rtb-0000000a"]}]}`), nil)},
			want: want{rsp: rsp(
				composite(readyFalse, summary{Topology: "PerAZ", Connectivity: "public", Zones: 1, Gateways: 1}, pending(zoneA)),
				map[string]*fnv1.Resource{
					"eip-" + zoneA:                     desired(eip("web-x7k2p", "team-b", zoneA), readyFalse),
					"nat-" + zoneA:                     desired(publicNAT("web-x7k2p", "team-b", zoneA, "subnet-0000000a"), readyFalse),
					"route-" + zoneA + "-rtb-0000000a": desired(routeJSON("web-x7k2p", "team-b", zoneA, "rtb-0000000a", "web-x7k2p-nat-us-east-1a"), readyFalse),
				},
				nil,
				condition(condFalse, ReasonPending, "waiting for an available gateway and active routes in zones us-east-1a", compositeAnd))},
		},
		"ClusterXRWithInputNamespace": {
			reason: "The resources of a cluster-scoped XR without a claim should go to the input's resourceNamespace.",
			args: args{req: newRequest(`{"apiVersion":"egress.fn.egresskit.io/v1beta1","kind":"Input","resourceNamespace":"egress-system"}`,
				clusterXR(`{"region":"us-east-1","connectivity":"private","publicSubnets":[{"zone":"us-east-1a","subnetId":"subnet-0000000a"}]}`), nil)},
			want: want{rsp: rsp(
				composite(readyFalse, summary{Topology: "PerAZ", Connectivity: "private", Zones: 1, Gateways: 1},
					zoneStatus{Zone: zoneA, ServedBy: zoneA, RoutesActive: true}),
				map[string]*fnv1.Resource{
					"nat-" + zoneA: desired(nat("shared", "egress-system", zoneA, `"connectivityType":"private","subnetId":"subnet-0000000a"`), readyFalse),
				},
				nil, pendingZones(zoneA))},
		},
		"KeepEarlierSteps": {
			reason: "Resources and readiness that an earlier step set should be kept.",
			args: args{req: func() *fnv1.RunFunctionRequest {
				r := newRequest(defaultInput, namespacedXR(`{"region":"us-east-1","connectivity":"private","publicSubnets":[{"zone":"us-east-1a","subnetId":"subnet-0000000a"}]}`), nil)
				r.Desired = &fnv1.State{Resources: map[string]*fnv1.Resource{
					"nat-" + zoneA: {Resource: resource.MustStructJSON(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"NATGateway"}`), Ready: readyTrue},
					"bucket":       {Resource: resource.MustStructJSON(`{"apiVersion":"example.org/v1","kind":"Bucket"}`)},
				}}
				return r
			}()},
			want: want{rsp: rsp(
				composite(readyFalse, summary{Topology: "PerAZ", Connectivity: "private", Zones: 1, Gateways: 1},
					zoneStatus{Zone: zoneA, ServedBy: zoneA, RoutesActive: true}),
				map[string]*fnv1.Resource{
					"nat-" + zoneA: desired(nat("web", "", zoneA, `"connectivityType":"private","subnetId":"subnet-0000000a"`), readyTrue),
					"bucket":       {Resource: resource.MustStructJSON(`{"apiVersion":"example.org/v1","kind":"Bucket"}`)},
				},
				nil, pendingZones(zoneA))},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := New(logging.NewNopLogger())
			rsp, err := f.RunFunction(context.Background(), tc.args.req)
			if err != nil {
				t.Fatalf("\n%s\nf.RunFunction(...): unexpected error: %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want.rsp, rsp, protocmp.Transform()); diff != "" {
				t.Errorf("\n%s\nf.RunFunction(...): -want rsp, +got rsp:\n%s", tc.reason, diff)
			}
		})
	}
}

// with2 returns m with some entries replaced.
func with2(m, replace map[string]fnv1.Ready) map[string]fnv1.Ready {
	out := map[string]fnv1.Ready{}
	maps.Copy(out, m)
	maps.Copy(out, replace)
	return out
}
