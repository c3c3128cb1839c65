// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// TestExamples reads the NATGateway examples strictly (an unknown or
// misspelt field fails) and checks that each could create the gateway it
// describes.
func TestExamples(t *testing.T) {
	type want struct {
		mode, connectivity string
		subnet, vpc        bool
		pcKind             string
	}
	cases := map[string]struct {
		reason string
		file   string
		want   want
	}{
		"Public": {
			reason: "The public example is a zonal gateway with an Elastic IP address in a subnet.",
			file:   "natgateway-public.yaml",
			want:   want{mode: "zonal", connectivity: "public", subnet: true, pcKind: "ClusterProviderConfig"},
		},
		"Private": {
			reason: "The private example is a zonal gateway without Elastic IP address, using a namespaced ProviderConfig.",
			file:   "natgateway-private.yaml",
			want:   want{mode: "zonal", connectivity: "private", subnet: true, pcKind: "ProviderConfig"},
		},
		"Regional": {
			reason: "The regional example spans a VPC and has no subnet.",
			file:   "natgateway-regional.yaml",
			want:   want{mode: "regional", connectivity: "public", vpc: true, pcKind: "ClusterProviderConfig"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "provider", "ec2", tc.file))
			if err != nil {
				t.Fatalf("cannot read example: %v", err)
			}
			cr := &v1alpha1.NATGateway{}
			if err := yaml.UnmarshalStrict(raw, cr); err != nil {
				t.Fatalf("\n%s\n%s does not decode strictly: %v", tc.reason, tc.file, err)
			}
			if diff := cmp.Diff(v1alpha1.NATGatewayGroupVersionKind, cr.GroupVersionKind()); diff != "" {
				t.Errorf("\n%s\n%s kind: -want, +got:\n%s", tc.reason, tc.file, diff)
			}
			if cr.GetNamespace() != "default" {
				t.Errorf("\n%s\n%s: want namespace default, got %q", tc.reason, tc.file, cr.GetNamespace())
			}
			if err := validateCreate(cr.Spec.ForProvider); err != nil {
				t.Errorf("\n%s\n%s cannot create a gateway: %v", tc.reason, tc.file, err)
			}
			in := generateCreateInput(cr, clientToken("uid", ""), nil)
			got := want{
				mode:         string(in.AvailabilityMode),
				connectivity: string(in.ConnectivityType),
				subnet:       in.SubnetId != nil,
				vpc:          in.VpcId != nil,
				pcKind:       cr.GetProviderConfigReference().Kind,
			}
			if got.mode == "" {
				got.mode = "zonal"
			}
			if got.connectivity == "" {
				got.connectivity = "public"
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("\n%s\n%s: -want, +got:\n%s", tc.reason, tc.file, diff)
			}
			if cr.Spec.ForProvider.Region == "" {
				t.Errorf("\n%s\n%s has no region", tc.reason, tc.file)
			}
		})
	}
}
