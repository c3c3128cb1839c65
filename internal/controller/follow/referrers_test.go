// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package follow

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/test"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

func TestEnqueueReferrers(t *testing.T) {
	const field = "spec.forProvider.natGatewayIdRef.name"
	gw := &v1alpha1.NATGateway{ObjectMeta: metav1.ObjectMeta{Name: "egress-a", Namespace: "team"}}
	cases := map[string]struct {
		reason string
		list   test.MockListFn
		want   []reconcile.Request
	}{
		"Referrers": {
			reason: "The resources the index finds in the object's namespace under its name are enqueued.",
			list: func(_ context.Context, l client.ObjectList, opts ...client.ListOption) error {
				lo := &client.ListOptions{}
				lo.ApplyOptions(opts)
				if lo.Namespace != "team" || lo.FieldSelector == nil || lo.FieldSelector.String() != field+"=egress-a" {
					t.Errorf("List(...): namespace %q, field selector %v; want team and %s=egress-a", lo.Namespace, lo.FieldSelector, field)
					return errBoom
				}
				rl, ok := l.(*v1alpha1.RouteList)
				if !ok {
					t.Errorf("List(...): got a %T, want a *v1alpha1.RouteList", l)
					return errBoom
				}
				rl.Items = []v1alpha1.Route{*route(), *route(func(r *v1alpha1.Route) { r.SetName("r2") })}
				return nil
			},
			want: []reconcile.Request{
				{NamespacedName: types.NamespacedName{Namespace: "team", Name: "r"}},
				{NamespacedName: types.NamespacedName{Namespace: "team", Name: "r2"}},
			},
		},
		"NoReferrers": {
			reason: "An object nothing references enqueues nothing.",
			list:   test.NewMockListFn(nil),
			want:   []reconcile.Request{},
		},
		"ListError": {
			reason: "When the resources cannot be listed nothing is enqueued; their poll brings them up to date.",
			list:   test.NewMockListFn(errBoom),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := EnqueueReferrers[v1alpha1.RouteList](&test.MockClient{MockList: tc.list}, field)(context.Background(), gw)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\nEnqueueReferrers(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
