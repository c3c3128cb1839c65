// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
)

func TestWithReadiness(t *testing.T) {
	observed, err := request.GetObservedComposedResources(&fnv1.RunFunctionRequest{Observed: &fnv1.State{Resources: map[string]*fnv1.Resource{
		"eip-us-east-1a": observedEIP(zoneA, true),
		"eip-us-east-1b": observedEIP(zoneB, false),
		"nat-us-east-1a": {Resource: resource.MustStructJSON(`{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"NATGateway"}`)},
		"nat-us-east-1b": observedNAT(zoneB, "nat-0000000b", "available", true, false),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	earlier := map[resource.Name]*resource.DesiredComposed{
		"nat-us-east-1b": {Resource: composed.New(), Ready: resource.ReadyFalse},
		"eip-us-east-1b": {Resource: composed.New(), Ready: resource.ReadyUnspecified},
	}
	cds := map[resource.Name]*composed.Unstructured{}
	for _, n := range []resource.Name{"eip-us-east-1a", "eip-us-east-1b", "nat-us-east-1a", "nat-us-east-1b", "route-us-east-1a-rtb-0000000a"} {
		cds[n] = composed.New()
	}

	got := map[resource.Name]resource.Ready{}
	for n, dc := range withReadiness(cds, earlier, observed) {
		got[n] = dc.Ready
		if dc.Resource != cds[n] {
			t.Errorf("withReadiness(...): resource %s is not the composed one", n)
		}
	}
	want := map[resource.Name]resource.Ready{
		"eip-us-east-1a":                resource.ReadyTrue,  // observed Ready=True
		"eip-us-east-1b":                resource.ReadyFalse, // observed Ready=False; the earlier step had no opinion
		"nat-us-east-1a":                resource.ReadyFalse, // observed without conditions
		"nat-us-east-1b":                resource.ReadyFalse, // an earlier step said not ready, though observed Ready=True
		"route-us-east-1a-rtb-0000000a": resource.ReadyFalse, // not observed yet
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("withReadiness(...): -want, +got:\n%s", diff)
	}
}

func TestCompositeReady(t *testing.T) {
	cases := map[string]struct {
		reason  string
		current resource.Ready
		zones   []zoneStatus
		want    resource.Ready
	}{
		"AllZonesReady": {
			reason:  "When every zone is ready the readiness should be left as it was.",
			current: resource.ReadyUnspecified,
			zones:   []zoneStatus{{Zone: zoneA, Ready: true}, {Zone: zoneB, Ready: true}},
			want:    resource.ReadyUnspecified,
		},
		"ZoneNotReady": {
			reason:  "A zone that is not ready should make the XR not ready, whatever an earlier step said.",
			current: resource.ReadyTrue,
			zones:   []zoneStatus{{Zone: zoneA, Ready: true}, {Zone: zoneB}},
			want:    resource.ReadyFalse,
		},
		"NoZones": {
			reason:  "Without zones there is nothing to wait for.",
			current: resource.ReadyUnspecified,
			want:    resource.ReadyUnspecified,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, compositeReady(tc.current, tc.zones)); diff != "" {
				t.Errorf("\n%s\ncompositeReady(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestRunFunctionReadinessMatchesZones checks, over every observed state of
// zone b's gateway and route and zone c's gateway, that a response never
// tells Crossplane the composite is ready while it reports a zone not ready
// or degraded in status.zones, and that its EgressHealthy condition tells
// the same as status.zones. Crossplane writes that condition together with
// the XR's Ready condition, so both always agree on one version of the XR.
func TestRunFunctionReadinessMatchesZones(t *testing.T) {
	cases := map[string]struct {
		reason string
		input  string
		// earlier is the composite's readiness an earlier step set.
		earlier fnv1.Ready
	}{
		"FailoverOn": {
			reason: "With failover on the composite should be ready only when every zone is.",
			input:  defaultInput,
		},
		"FailoverOff": {
			reason: "With failover off the composite should be ready only when every zone is.",
			input:  `{"apiVersion":"egress.fn.egresskit.io/v1beta1","kind":"Input","failover":false}`,
		},
		"EarlierStepReady": {
			reason:  "An earlier step that said the composite is ready should not make it ready while a zone is not.",
			input:   defaultInput,
			earlier: readyTrue,
		},
		"EarlierStepNotReady": {
			reason:  "An earlier step that said the composite is not ready should keep it not ready when every zone is.",
			input:   defaultInput,
			earlier: readyFalse,
		},
	}
	states := []string{"", "pending", "available", "failed", "deleted"}
	routes := map[string]*fnv1.Resource{
		"ActiveViaOwn":  observedRoute(zoneB, "rtb-0000000b", "nat-0000000b", "active"),
		"ActiveViaPeer": observedRoute(zoneB, "rtb-0000000b", "nat-0000000c", "active"),
		"Blackhole":     observedRoute(zoneB, "rtb-0000000b", "nat-0000000b", "blackhole"),
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			checked := 0
			for _, state := range states {
				for _, ready := range []bool{false, true} {
					for _, recreated := range []bool{false, true} {
						for route, observedRouteB := range routes {
							for _, peerState := range []string{"available", "failed"} {
								observed := with(healthy(), map[string]*fnv1.Resource{
									"nat-" + zoneB:                     observedNAT(zoneB, "nat-0000000b", state, ready, recreated),
									"route-" + zoneB + "-rtb-0000000b": observedRouteB,
									"nat-" + zoneC:                     observedNAT(zoneC, "nat-0000000c", peerState, peerState == "available", false),
								})
								req := newRequest(tc.input, namespacedXR(threeZones("")), observed)
								if tc.earlier != readyUnset {
									req.Desired = &fnv1.State{Composite: &fnv1.Resource{Resource: resource.MustStructJSON(`{}`), Ready: tc.earlier}}
								}
								at := fmt.Sprintf("gateway b %q ready=%t recreated=%t, route b %s, gateway c %s", state, ready, recreated, route, peerState)
								checkReadinessMatchesZones(t, tc.reason, at, tc.earlier, req)
								checked++
							}
						}
					}
				}
			}
			if want := len(states) * 2 * 2 * len(routes) * 2; checked != want {
				t.Errorf("checked %d states, want %d", checked, want)
			}
		})
	}
}

// checkReadinessMatchesZones runs the function and checks that the
// composite's readiness and EgressHealthy agree with status.zones.
func checkReadinessMatchesZones(t *testing.T, reason, at string, earlier fnv1.Ready, req *fnv1.RunFunctionRequest) {
	t.Helper()
	rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: f.RunFunction(...): %v", at, err)
	}
	xr := rsp.GetDesired().GetComposite()
	zones := []zoneStatus{}
	j, err := json.Marshal(xr.GetResource().AsMap()["status"].(map[string]any)["zones"])
	if err != nil {
		t.Fatalf("%s: cannot read status.zones: %v", at, err)
	}
	if err := json.Unmarshal(j, &zones); err != nil {
		t.Fatalf("%s: cannot read status.zones: %v", at, err)
	}
	notReady, degraded := false, false
	for _, z := range zones {
		if z.Degraded && z.Ready {
			t.Errorf("\n%s\n%s: zone %s is both degraded and ready", reason, at, z.Zone)
		}
		notReady = notReady || !z.Ready
		degraded = degraded || z.Degraded
	}
	want := earlier
	if notReady {
		want = readyFalse
	}
	if diff := cmp.Diff(want, xr.GetReady()); diff != "" {
		t.Errorf("\n%s\n%s: zones %+v: composite readiness: -want +got:\n%s", reason, at, zones, diff)
	}
	var c *fnv1.Condition
	for _, rc := range rsp.GetConditions() {
		if rc.GetType() == ConditionTypeEgressHealthy {
			c = rc
		}
	}
	wantStatus, wantReason := condTrue, ReasonAvailable
	switch {
	case degraded:
		wantStatus, wantReason = condFalse, ReasonDegraded
	case notReady:
		wantStatus, wantReason = condFalse, ReasonPending
	}
	if diff := cmp.Diff([]any{wantStatus, wantReason}, []any{c.GetStatus(), c.GetReason()}); diff != "" {
		t.Errorf("\n%s\n%s: zones %+v: EgressHealthy status and reason: -want +got:\n%s", reason, at, zones, diff)
	}
}
