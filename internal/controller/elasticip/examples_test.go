// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// TestExamples reads the ElasticIPs of the examples strictly (an unknown or
// misspelt field fails) and checks that each could allocate its address.
func TestExamples(t *testing.T) {
	cases := map[string]struct {
		reason string
		file   string
		doc    int
		pcKind string
	}{
		"ElasticIP": {
			reason: "The ElasticIP example uses the default ClusterProviderConfig.",
			file:   "ec2/elasticip.yaml",
			pcKind: "ClusterProviderConfig",
		},
		"Egress": {
			reason: "The ElasticIP of the egress example, its first document, uses the namespace's ProviderConfig.",
			file:   "egress.yaml",
			pcKind: "ProviderConfig",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "provider", tc.file))
			if err != nil {
				t.Fatalf("cannot read example: %v", err)
			}
			doc := strings.Split(string(raw), "\n---\n")[tc.doc]
			cr := &v1alpha1.ElasticIP{}
			if err := yaml.UnmarshalStrict([]byte(doc), cr); err != nil {
				t.Fatalf("\n%s\n%s does not decode strictly: %v", tc.reason, tc.file, err)
			}
			if diff := cmp.Diff(v1alpha1.ElasticIPGroupVersionKind, cr.GroupVersionKind()); diff != "" {
				t.Errorf("\n%s\n%s kind: -want, +got:\n%s", tc.reason, tc.file, diff)
			}
			if cr.GetNamespace() != "default" || cr.Spec.ForProvider.Region == "" {
				t.Errorf("\n%s\n%s: want namespace default and a region, got %q and %q", tc.reason, tc.file, cr.GetNamespace(), cr.Spec.ForProvider.Region)
			}
			if diff := cmp.Diff(tc.pcKind, cr.GetProviderConfigReference().Kind); diff != "" {
				t.Errorf("\n%s\n%s provider config kind: -want, +got:\n%s", tc.reason, tc.file, diff)
			}
			in := generateAllocateInput(cr)
			if in.Domain != types.DomainTypeVpc || len(in.TagSpecifications) != 1 {
				t.Errorf("\n%s\n%s: allocation must be in the vpc domain with one tag specification, got %+v", tc.reason, tc.file, in)
			}
		})
	}
}
