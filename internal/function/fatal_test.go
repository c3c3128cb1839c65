// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
)

// TestRunFunctionFatal checks that bad input returns a Fatal result naming
// the problem and leaves the desired state of earlier steps untouched, so
// that nothing is deleted by accident.
func TestRunFunctionFatal(t *testing.T) {
	oneZone := `"publicSubnets":[{"zone":"us-east-1a","subnetId":"subnet-0000000a"}]`
	cases := map[string]struct {
		reason string
		input  string
		xr     *fnv1.Resource
		want   string
	}{
		"UnknownTopology": {
			reason: "An unknown topology should be named.",
			xr:     namespacedXR(`{"region":"us-east-1","topology":"Mesh",` + oneZone + `}`),
			want:   `cannot use composite resource spec: spec.topology "Mesh" is unknown; use PerAZ, Single, Regional or None`,
		},
		"RouteTablesWithoutPublicSubnet": {
			reason: "A zone with route tables but no public subnet has no gateway to route through.",
			xr:     namespacedXR(`{"region":"us-east-1",` + oneZone + `,"privateRouteTables":[{"zone":"us-east-1b","routeTableIds":["rtb-0000000b"]}]}`),
			want:   "cannot use composite resource spec: zone us-east-1b has route tables but no public subnet: topology PerAZ places gateways in public subnets",
		},
		"DuplicateZones": {
			reason: "A zone listed twice is ambiguous.",
			xr: namespacedXR(`{"region":"us-east-1","publicSubnets":[{"zone":"us-east-1a","subnetId":"subnet-0000000a"},
				{"zone":"us-east-1a","subnetId":"subnet-0000000b"}]}`),
			want: "cannot use composite resource spec: spec.publicSubnets[1].zone: zone us-east-1a is listed twice",
		},
		"DuplicateRouteTable": {
			reason: "A route table listed twice would get two routes to one destination.",
			xr: namespacedXR(`{"region":"us-east-1",` + oneZone + `,
				"privateRouteTables":[{"zone":"us-east-1a","routeTableIds":["rtb-0000000a","rtb-0000000a"]}]}`),
			want: "cannot use composite resource spec: spec.privateRouteTables[0].routeTableIds[1]: route table rtb-0000000a is listed twice; a route table has one route per destination",
		},
		"RegionalWithoutVpc": {
			reason: "A regional gateway needs the VPC.",
			xr:     namespacedXR(`{"region":"us-east-1","topology":"Regional"}`),
			want:   "cannot use composite resource spec: topology Regional needs spec.vpcId",
		},
		"RegionalPartialAllocations": {
			reason: "A regional gateway with bring-your-own addresses needs one for every zone.",
			xr: namespacedXR(`{"region":"us-east-1","topology":"Regional","vpcId":"vpc-0000000f",
				"privateRouteTables":[{"zone":"us-east-1a","routeTableIds":["rtb-0000000a"]},{"zone":"us-east-1b","routeTableIds":["rtb-0000000b"]}],
				"allocations":[{"zone":"us-east-1a","allocationId":"eipalloc-0000000a"}]}`),
			want: "cannot use composite resource spec: topology Regional with spec.allocations needs an allocation for every zone; zone us-east-1b has none",
		},
		"AllocationWithPrivateConnectivity": {
			reason: "A private gateway has no Elastic IP address.",
			xr: namespacedXR(`{"region":"us-east-1","connectivity":"private",` + oneZone + `,
				"allocations":[{"zone":"us-east-1a","allocationId":"eipalloc-0000000a"}]}`),
			want: "cannot use composite resource spec: spec.allocations need public connectivity: a private NAT gateway has no Elastic IP address",
		},
		"AllocationOfUnknownZone": {
			reason: "An allocation of a zone the spec does not otherwise know is a mistake.",
			xr:     namespacedXR(`{"region":"us-east-1",` + oneZone + `,"allocations":[{"zone":"us-east-1c","allocationId":"eipalloc-0000000c"}]}`),
			want:   "cannot use composite resource spec: spec.allocations[0].zone: zone us-east-1c has neither a public subnet nor route tables",
		},
		"BadIDs": {
			reason: "IDs that EC2 would never accept should be named, all of them.",
			xr: namespacedXR(`{"region":"US East","vpcId":"vpc-1",
				"publicSubnets":[{"zone":"us-east-1a","subnetId":"sn-0000000a"}],
				"privateRouteTables":[{"zone":"us-east-1a","routeTableIds":["rtb-XYZ"]}]}`),
			want: `cannot use composite resource spec: spec.region "US East" is not an AWS region such as us-east-1; ` +
				`spec.vpcId "vpc-1" does not match ^vpc-[0-9a-f]{8,17}$; ` +
				`spec.publicSubnets[0].subnetId "sn-0000000a" does not match ^subnet-[0-9a-f]{8,17}$; ` +
				`spec.privateRouteTables[0].routeTableIds[0] "rtb-XYZ" does not match ^rtb-[0-9a-f]{8,17}$`,
		},
		"BadZoneName": {
			reason: "A zone name must be usable in Kubernetes names.",
			xr:     namespacedXR(`{"region":"us-east-1","publicSubnets":[{"zone":"US-EAST-1A","subnetId":"subnet-0000000a"}]}`),
			want:   `cannot use composite resource spec: spec.publicSubnets[0].zone "US-EAST-1A" is not an availability zone name such as us-east-1a`,
		},
		"NoRegion": {
			reason: "The region is required.",
			xr:     namespacedXR(`{` + oneZone + `}`),
			want:   "cannot use composite resource spec: spec.region is required",
		},
		"PerAZWithoutSubnets": {
			reason: "PerAZ without any zone would compose nothing, which would delete everything.",
			xr:     namespacedXR(`{"region":"us-east-1"}`),
			want:   "cannot use composite resource spec: topology PerAZ needs at least one zone in spec.publicSubnets",
		},
		"ReservedTag": {
			reason: "Tags reserved for AWS and the provider should be refused.",
			xr:     namespacedXR(`{"region":"us-east-1",` + oneZone + `,"tags":{"aws:owner":"me"}}`),
			want:   `cannot use composite resource spec: spec.tags: key "aws:owner" uses the reserved prefix aws:`,
		},
		"SpecOfWrongType": {
			reason: "A spec that cannot be read should be a Fatal result.",
			xr:     namespacedXR(`{"region":["us-east-1"]}`),
			want:   "cannot read composite resource: cannot read spec: cannot unmarshal value from JSON: json: cannot unmarshal array into Go struct field xrSpec.region of type string",
		},
		"ClusterXRWithoutClaim": {
			reason: "A cluster-scoped XR without a claim and without resourceNamespace has nowhere to put its namespaced resources.",
			xr:     clusterXR(`{"region":"us-east-1",` + oneZone + `}`),
			want:   "cannot choose the namespace of composed resources: composite resource shared is cluster-scoped and has no crossplane.io/claim-namespace label, so its namespaced managed resources have no namespace: create it through a claim, or set resourceNamespace in the function input",
		},
		"InputUnknownTopology": {
			reason: "A bad input should be named.",
			input:  `{"apiVersion":"egress.fn.egresskit.io/v1beta1","kind":"Input","topology":"perAZ","routeDestination":"0.0.0.0"}`,
			xr:     namespacedXR(`{"region":"us-east-1",` + oneZone + `}`),
			want:   `cannot use Function input: topology "perAZ" is unknown; use PerAZ, Single, Regional or None; routeDestination "0.0.0.0" is not a CIDR block such as 0.0.0.0/0`,
		},
		"InputOfAnotherFunction": {
			reason: "The input of another function should be refused.",
			input:  `{"apiVersion":"pt.fn.crossplane.io/v1beta1","kind":"Resources"}`,
			xr:     namespacedXR(`{"region":"us-east-1",` + oneZone + `}`),
			want:   `cannot use Function input: apiVersion must be egress.fn.egresskit.io/v1beta1, not "pt.fn.crossplane.io/v1beta1"; kind must be Input, not "Resources"`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			input := tc.input
			if input == "" {
				input = defaultInput
			}
			req := newRequest(input, tc.xr, nil)
			req.Desired = &fnv1.State{Resources: map[string]*fnv1.Resource{
				"bucket": {Resource: resource.MustStructJSON(`{"apiVersion":"example.org/v1","kind":"Bucket"}`), Ready: readyTrue},
			}}
			want := fatal(req, tc.want)
			rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), req)
			if err != nil {
				t.Fatalf("\n%s\nf.RunFunction(...): unexpected error: %v", tc.reason, err)
			}
			if diff := cmp.Diff(want, rsp, protocmp.Transform()); diff != "" {
				t.Errorf("\n%s\nf.RunFunction(...): -want rsp, +got rsp:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestRunFunctionUnknownInputField checks that an input field the function
// does not know is refused rather than ignored. The JSON decoder words its
// error message differently from run to run, so only the field's name is
// checked in the message.
func TestRunFunctionUnknownInputField(t *testing.T) {
	req := newRequest(`{"apiVersion":"egress.fn.egresskit.io/v1beta1","kind":"Input","failOver":true}`,
		namespacedXR(`{"region":"us-east-1","publicSubnets":[{"zone":"us-east-1a","subnetId":"subnet-0000000a"}]}`), nil)
	rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), req)
	if err != nil {
		t.Fatalf("f.RunFunction(...): unexpected error: %v", err)
	}
	if diff := cmp.Diff(1, len(rsp.GetResults())); diff != "" {
		t.Fatalf("f.RunFunction(...): -want results, +got results:\n%s", diff)
	}
	r := rsp.GetResults()[0]
	if diff := cmp.Diff(fnv1.Severity_SEVERITY_FATAL, r.GetSeverity()); diff != "" {
		t.Errorf("f.RunFunction(...): -want severity, +got severity:\n%s", diff)
	}
	for _, part := range []string{"cannot get Function input", `unknown name "failOver"`} {
		if !strings.Contains(r.GetMessage(), part) {
			t.Errorf("f.RunFunction(...): message %q does not contain %q", r.GetMessage(), part)
		}
	}
	if diff := cmp.Diff(0, len(rsp.GetDesired().GetResources())); diff != "" {
		t.Errorf("f.RunFunction(...): -want desired resources, +got desired resources:\n%s", diff)
	}
}
