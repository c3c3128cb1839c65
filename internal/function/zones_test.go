// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// TestRunFunctionZoneChanges checks that adding or removing a zone adds or
// removes only that zone's resources: the others keep their names and spec.
func TestRunFunctionZoneChanges(t *testing.T) {
	twoZones := `{"region":"us-east-1",
		"publicSubnets":[{"zone":"us-east-1a","subnetId":"subnet-0000000a"},{"zone":"us-east-1b","subnetId":"subnet-0000000b"}],
		"privateRouteTables":[{"zone":"us-east-1a","routeTableIds":["rtb-0000000a"]},{"zone":"us-east-1b","routeTableIds":["rtb-0000000b"]}]}`
	zoneCResources := []string{"eip-us-east-1c", "nat-us-east-1c", "route-us-east-1c-rtb-0000000c"}

	cases := map[string]struct {
		reason      string
		before      string
		after       string
		wantAdded   []string
		wantRemoved []string
	}{
		"AddZone": {
			reason:    "Adding zone c should add only zone c's resources.",
			before:    twoZones,
			after:     threeZones(""),
			wantAdded: zoneCResources,
		},
		"RemoveZone": {
			reason:      "Removing zone c should remove only zone c's resources.",
			before:      threeZones(""),
			after:       twoZones,
			wantRemoved: zoneCResources,
		},
		"AddZoneSingle": {
			reason:    "Adding a zone to Single should add only that zone's route.",
			before:    `{"region":"us-east-1","topology":"Single",` + twoZones[len(`{"region":"us-east-1",`):],
			after:     threeZones(`"topology":"Single",`),
			wantAdded: []string{"route-us-east-1c-rtb-0000000c"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			before := desiredResources(t, tc.before)
			after := desiredResources(t, tc.after)

			var added, removed []string
			for name, r := range after {
				b, ok := before[name]
				if !ok {
					added = append(added, name)
					continue
				}
				if diff := cmp.Diff(b, r, protocmp.Transform()); diff != "" {
					t.Errorf("\n%s\nresource %s changed: -before, +after:\n%s", tc.reason, name, diff)
				}
			}
			for name := range before {
				if _, ok := after[name]; !ok {
					removed = append(removed, name)
				}
			}
			slices.Sort(added)
			slices.Sort(removed)
			if diff := cmp.Diff(tc.wantAdded, added); diff != "" {
				t.Errorf("\n%s\nadded resources: -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.wantRemoved, removed); diff != "" {
				t.Errorf("\n%s\nremoved resources: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// desiredResources runs the function for the XEgress web with the supplied spec and
// nothing observed, and returns the desired composed resources.
func desiredResources(t *testing.T, spec string) map[string]*fnv1.Resource {
	t.Helper()
	rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), newRequest(defaultInput, namespacedXR(spec), nil))
	if err != nil {
		t.Fatalf("f.RunFunction(...): %v", err)
	}
	if len(rsp.GetResults()) > 0 {
		t.Fatalf("f.RunFunction(...): unexpected results: %v", rsp.GetResults())
	}
	if len(rsp.GetDesired().GetResources()) == 0 {
		t.Fatalf("f.RunFunction(...): no desired resources for spec %s", spec)
	}
	return maps.Clone(rsp.GetDesired().GetResources())
}
