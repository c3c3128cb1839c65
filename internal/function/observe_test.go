// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
)

func TestGatewayHealth(t *testing.T) {
	type want struct {
		available bool
		degraded  bool
		describe  string
	}
	cases := map[string]struct {
		reason string
		g      gatewayHealth
		want   want
	}{
		"Available": {
			reason: "An available gateway with a True Ready condition carries traffic.",
			g:      gatewayHealth{observed: true, state: "available", ready: true},
			want:   want{available: true, describe: "available"},
		},
		"AvailableNotReady": {
			reason: "An available state without a True Ready condition is not trusted.",
			g:      gatewayHealth{observed: true, state: "available"},
			want:   want{degraded: true, describe: "available but not ready"},
		},
		"NotObserved": {
			reason: "A gateway that was never observed is being created, not degraded.",
			g:      gatewayHealth{},
			want:   want{describe: "in an unknown state"},
		},
		"FirstPending": {
			reason: "A gateway pending for the first time is being created, not degraded.",
			g:      gatewayHealth{observed: true, state: "pending"},
			want:   want{describe: "pending"},
		},
		"PendingAfterRecreation": {
			reason: "A gateway pending after a recreation is degraded.",
			g:      gatewayHealth{observed: true, state: "pending", recreated: true},
			want:   want{degraded: true, describe: "pending after it was recreated"},
		},
		"Failed": {
			reason: "A failed gateway is degraded.",
			g:      gatewayHealth{observed: true, state: "failed"},
			want:   want{degraded: true, describe: "failed"},
		},
		"Deleted": {
			reason: "A deleted gateway is degraded.",
			g:      gatewayHealth{observed: true, state: "deleted"},
			want:   want{degraded: true, describe: "deleted"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := want{available: tc.g.available(), degraded: tc.g.degraded(), describe: tc.g.describe()}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("\n%s\ngatewayHealth: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestObserve(t *testing.T) {
	p := plan{
		gateways: []gateway{{name: "nat-us-east-1a"}, {name: regionalGateway}},
		routes:   []route{{name: "route-us-east-1a-rtb-0000000a"}, {name: "route-us-east-1b-rtb-0000000b"}},
	}
	type want struct {
		gateways map[resource.Name]gatewayHealth
		routes   map[resource.Name]routeHealth
		err      string
	}
	cases := map[string]struct {
		reason   string
		observed map[string]*fnv1.Resource
		want     want
	}{
		"Observed": {
			reason: "Observed NATGateways and Routes should be read; the primary address is the public IP; a regional gateway's addresses are kept by zone.",
			observed: map[string]*fnv1.Resource{
				"nat-us-east-1a": observedNAT(zoneA, "nat-0000000a", "available", true, true),
				"nat-regional": {Resource: resource.MustStructJSON(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"NATGateway",
					"status":{"atProvider":{"natGatewayId":"nat-0000000f","state":"pending","addresses":[
					{"availabilityZone":"us-east-1a","publicIp":"198.51.100.1"},
					{"availabilityZone":"us-east-1a","publicIp":"198.51.100.9","isPrimary":true},
					{"availabilityZone":"us-east-1b","privateIp":"10.0.0.2"}]}}}`)},
				"route-us-east-1a-rtb-0000000a": observedRoute(zoneA, "rtb-0000000a", "nat-0000000a", "active"),
				"other":                         observedEIP(zoneA, true),
			},
			want: want{
				gateways: map[resource.Name]gatewayHealth{
					"nat-us-east-1a": {observed: true, id: "nat-0000000a", state: "available", publicIP: "203.0.113.1", ready: true, recreated: true},
					regionalGateway:  {observed: true, id: "nat-0000000f", state: "pending", publicIP: "198.51.100.9", zoneIPs: map[string]string{zoneA: "198.51.100.9"}},
				},
				routes: map[resource.Name]routeHealth{
					"route-us-east-1a-rtb-0000000a": {observed: true, state: "active", natGatewayID: "nat-0000000a"},
				},
			},
		},
		"BadGateway": {
			reason: "An observed NATGateway that does not fit the type should be an error.",
			observed: map[string]*fnv1.Resource{
				"nat-us-east-1a": {Resource: resource.MustStructJSON(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"NATGateway","status":{"atProvider":{"state":7}}}`)},
			},
			want: want{err: "cannot read observed NATGateway nat-us-east-1a: unrecognized type: string"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			observed, err := request.GetObservedComposedResources(&fnv1.RunFunctionRequest{Observed: &fnv1.State{Resources: tc.observed}})
			if err != nil {
				t.Fatal(err)
			}
			got := want{}
			got.gateways, err = observeGateways(p, observed)
			if err == nil {
				got.routes, err = observeRoutes(p, observed)
			}
			if err != nil {
				got.err = err.Error()
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{}, gatewayHealth{}, routeHealth{})); diff != "" {
				t.Errorf("\n%s\nobserve: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestRouteActiveVia(t *testing.T) {
	cases := map[string]struct {
		reason string
		r      routeHealth
		id     string
		want   bool
	}{
		"Active":        {reason: "An active route through the gateway is active via it.", r: routeHealth{state: "active", natGatewayID: "nat-1"}, id: "nat-1", want: true},
		"OtherGateway":  {reason: "An active route through another gateway is not.", r: routeHealth{state: "active", natGatewayID: "nat-2"}, id: "nat-1"},
		"Blackhole":     {reason: "A blackhole route is not.", r: routeHealth{state: "blackhole", natGatewayID: "nat-1"}, id: "nat-1"},
		"UnknownTarget": {reason: "No route is active via a gateway without an ID.", r: routeHealth{state: "active"}, id: ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.r.activeVia(tc.id)); diff != "" {
				t.Errorf("\n%s\nactiveVia(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
