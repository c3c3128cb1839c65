// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package managedopts

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/controller/controllertest"
)

func TestSetupGated(t *testing.T) {
	gvks := []schema.GroupVersionKind{v1alpha1.RouteGroupVersionKind, v1alpha1.NATGatewayGroupVersionKind}
	type want struct {
		err  string
		gvks []schema.GroupVersionKind
	}
	cases := map[string]struct {
		reason string
		gate   bool
		deps   Dependencies
		want   want
	}{
		"Registered": {
			reason: "A controller with a gate and complete dependencies waits at the gate for the kinds it needs.",
			gate:   true,
			deps:   Dependencies{Clients: &controllertest.ClientFactory{}},
			want:   want{gvks: gvks},
		},
		"NoGate": {
			reason: "Options without a gate are refused, as the config controllers refuse them.",
			deps:   Dependencies{Clients: &controllertest.ClientFactory{}},
			want:   want{err: "cannot set up the Route controller: controller options have no gate"},
		},
		"NoClients": {
			reason: "Dependencies without an EC2 client factory are refused before anything waits at the gate.",
			gate:   true,
			want:   want{err: "cannot set up the Route controller: dependencies have no EC2 client factory"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := &controllertest.Gate{}
			o := controller.Options{}
			if tc.gate {
				o.Gate = g
			}
			err := SetupGated(o, tc.deps, v1alpha1.RouteKind, func() error { return nil }, gvks...)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want.err, got); diff != "" {
				t.Errorf("\n%s\nSetupGated(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.gvks, g.GVKs); diff != "" {
				t.Errorf("\n%s\nSetupGated(...) waits for: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
