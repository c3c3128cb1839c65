// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

func TestDesiredTags(t *testing.T) {
	gw := func(typed bool) *v1alpha1.NATGateway {
		g := &v1alpha1.NATGateway{ObjectMeta: metav1.ObjectMeta{Name: "egress", Namespace: "team", UID: "uid-1"}}
		g.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: "ProviderConfig", Name: "aws"}
		if typed {
			g.SetGroupVersionKind(v1alpha1.NATGatewayGroupVersionKind)
		}
		return g
	}
	want := map[string]string{
		"Name":                           "egress",
		"crossplane-kind":                "natgateway.ec2.aws.m.egresskit.io",
		"crossplane-name":                "egress",
		"crossplane-namespace":           "team",
		"crossplane-providerconfig":      "aws",
		"crossplane-providerconfig-kind": "ProviderConfig",
		TagUID:                           "uid-1",
	}
	cases := map[string]struct {
		reason   string
		mg       *v1alpha1.NATGateway
		wantKind string
	}{
		"WithTypeMeta": {
			reason:   "The kind tag comes from the object's type metadata.",
			mg:       gw(true),
			wantKind: v1alpha1.NATGatewayKind,
		},
		"WithoutTypeMeta": {
			reason: "The kind tag is the same when the type metadata is empty, as after a write to the API server.",
			mg:     gw(false),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := DesiredTags(tc.mg, map[string]string{"Name": "egress", "crossplane-name": "ignored"})
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("\n%s\nDesiredTags(...): -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.wantKind, tc.mg.Kind); diff != "" {
				t.Errorf("\n%s\nDesiredTags(...) changed the object's kind: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestWithoutAWSTags(t *testing.T) {
	got := WithoutAWSTags(map[string]string{"team": "net", "aws:cloudformation:stack-name": "s"})
	if diff := cmp.Diff(map[string]string{"team": "net"}, got); diff != "" {
		t.Errorf("WithoutAWSTags(...): -want, +got:\n%s", diff)
	}
}

func TestDiffTags(t *testing.T) {
	type want struct {
		create map[string]string
		remove []string
	}
	cases := map[string]struct {
		reason   string
		desired  map[string]string
		observed map[string]string
		want     want
	}{
		"InSync": {
			reason:   "Equal tags need no change.",
			desired:  map[string]string{"a": "1"},
			observed: map[string]string{"a": "1"},
			want:     want{},
		},
		"MissingChangedAndExtra": {
			reason:   "Missing and changed tags are created, extra ones removed in key order.",
			desired:  map[string]string{"a": "1", "b": "2"},
			observed: map[string]string{"a": "0", "z": "9", "y": "8"},
			want:     want{create: map[string]string{"a": "1", "b": "2"}, remove: []string{"y", "z"}},
		},
		"AWSTagsUntouched": {
			reason:   "Tags with the aws: prefix are never created nor removed.",
			desired:  map[string]string{"aws:x": "1"},
			observed: map[string]string{"aws:cloudformation:stack-name": "s"},
			want:     want{},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			create, remove := DiffTags(tc.desired, tc.observed)
			if diff := cmp.Diff(tc.want, want{create: create, remove: remove}, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("\n%s\nDiffTags(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
