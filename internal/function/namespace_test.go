// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"

	"github.com/egresskit/provider-aws-egress/internal/function/input/v1beta1"
)

func TestComposedNamespace(t *testing.T) {
	type want struct {
		namespace string
		claimed   bool
		err       string
	}
	cases := map[string]struct {
		reason string
		xr     *fnv1.Resource
		in     *v1beta1.Input
		want   want
	}{
		"NamespacedXR": {
			reason: "Crossplane puts the resources of a namespaced XR into its namespace, so none is set.",
			xr:     namespacedXR(`{}`),
			in:     &v1beta1.Input{ResourceNamespace: "egress-system"},
			want:   want{},
		},
		"Claim": {
			reason: "The resources of a claim's XR go to the claim's namespace, even when the input names another.",
			xr:     claimXR(`{}`),
			in:     &v1beta1.Input{ResourceNamespace: "egress-system"},
			want:   want{namespace: "team-b", claimed: true},
		},
		"InputNamespace": {
			reason: "The resources of a cluster-scoped XR without a claim go to the input's resourceNamespace.",
			xr:     clusterXR(`{}`),
			in:     &v1beta1.Input{ResourceNamespace: "egress-system"},
			want:   want{namespace: "egress-system"},
		},
		"Nowhere": {
			reason: "A cluster-scoped XR without a claim and without resourceNamespace is an error.",
			xr:     clusterXR(`{}`),
			in:     &v1beta1.Input{},
			want:   want{err: "composite resource shared is cluster-scoped and has no crossplane.io/claim-namespace label, so its namespaced managed resources have no namespace: create it through a claim, or set resourceNamespace in the function input"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			xr, err := request.GetObservedCompositeResource(&fnv1.RunFunctionRequest{Observed: &fnv1.State{Composite: tc.xr}})
			if err != nil {
				t.Fatal(err)
			}
			got := want{claimed: claimed(xr)}
			got.namespace, err = composedNamespace(xr, tc.in)
			if err != nil {
				got.err = err.Error()
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("\n%s\ncomposedNamespace(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
