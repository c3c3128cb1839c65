// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"testing"

	"github.com/google/go-cmp/cmp"

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
