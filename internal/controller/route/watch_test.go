// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

func natGateway(m ...func(*v1alpha1.NATGateway)) *v1alpha1.NATGateway {
	n := &v1alpha1.NATGateway{ObjectMeta: metav1.ObjectMeta{Name: "egress-a", Namespace: "default"}}
	for _, f := range m {
		f(n)
	}
	return n
}

func withNATID(id string) func(*v1alpha1.NATGateway) {
	return func(n *v1alpha1.NATGateway) { meta.SetExternalName(n, id) }
}

func withNATState(s string) func(*v1alpha1.NATGateway) {
	return func(n *v1alpha1.NATGateway) { n.Status.AtProvider.State = ptr.To(s) }
}

func withNATRef(name string) func(*v1alpha1.Route) {
	return func(cr *v1alpha1.Route) { cr.Spec.ForProvider.NATGatewayIDRef = &xpv2.NamespacedReference{Name: name} }
}

func TestNATGatewayRef(t *testing.T) {
	cases := map[string]struct {
		reason string
		o      client.Object
		want   []string
	}{
		"Referenced":  {reason: "A Route is indexed by the name of the NATGateway it references.", o: route(withNATRef("egress-a")), want: []string{"egress-a"}},
		"NoReference": {reason: "A Route that sets natGatewayId directly is not indexed.", o: route()},
		"NotARoute":   {reason: "Other objects are not indexed.", o: natGateway()},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, natGatewayRef(tc.o)); diff != "" {
				t.Errorf("\n%s\nnatGatewayRef(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestEnqueueReferencing(t *testing.T) {
	cases := map[string]struct {
		reason string
		list   test.MockListFn
		want   []reconcile.Request
	}{
		"EnqueueReferencing": {
			reason: "Routes in the NATGateway's namespace that reference it, found through the index, are enqueued.",
			list: func(_ context.Context, l client.ObjectList, opts ...client.ListOption) error {
				lo := &client.ListOptions{}
				lo.ApplyOptions(opts)
				want := &client.ListOptions{Namespace: "default", FieldSelector: fields.OneTermEqualSelector(indexNATGatewayRef, "egress-a")}
				if diff := cmp.Diff(want.Namespace, lo.Namespace); diff != "" {
					t.Errorf("List(...): -want namespace, +got namespace:\n%s", diff)
				}
				if lo.FieldSelector == nil || lo.FieldSelector.String() != want.FieldSelector.String() {
					t.Errorf("List(...): field selector %v, want %v", lo.FieldSelector, want.FieldSelector)
				}
				l.(*v1alpha1.RouteList).Items = []v1alpha1.Route{*route(), *route(func(cr *v1alpha1.Route) { cr.SetName("private-b-default") })}
				return nil
			},
			want: []reconcile.Request{
				{NamespacedName: client.ObjectKey{Namespace: "default", Name: "private-a-default"}},
				{NamespacedName: client.ObjectKey{Namespace: "default", Name: "private-b-default"}},
			},
		},
		"ListError": {
			reason: "When the Routes cannot be listed nothing is enqueued; their poll brings them up to date.",
			list:   test.NewMockListFn(errBoom),
			want:   nil,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := enqueueReferencing(&test.MockClient{MockList: tc.list})(context.Background(), natGateway())
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\nenqueueReferencing(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestNATGatewayChanged(t *testing.T) {
	p := natGatewayChanged()
	update := func(o, n *v1alpha1.NATGateway) bool {
		return p.Update(event.UpdateEvent{ObjectOld: o, ObjectNew: n})
	}
	cases := map[string]struct {
		reason string
		got    bool
		want   bool
	}{
		"CreatedWithID":    {reason: "A NATGateway that appears with an ID gives referencing routes a target.", got: p.Create(event.CreateEvent{Object: natGateway(withNATID(natNew))}), want: true},
		"CreatedWithoutID": {reason: "A NATGateway without an ID gives them nothing yet.", got: p.Create(event.CreateEvent{Object: natGateway()}), want: false},
		"Replaced":         {reason: "A new ID means the gateway was replaced: routes must follow.", got: update(natGateway(withNATID(natOld)), natGateway(withNATID(natNew))), want: true},
		"StateChanged":     {reason: "A new state may make routes ready, or not.", got: update(natGateway(withNATID(natNew), withNATState("pending")), natGateway(withNATID(natNew), withNATState("available"))), want: true},
		"Unchanged":        {reason: "Other changes, such as tags, do not concern routes.", got: update(natGateway(withNATID(natNew), withNATState("available")), natGateway(withNATID(natNew), withNATState("available"))), want: false},
		"Deleted":          {reason: "A NATGateway that is gone concerns the routes that reference it.", got: p.Delete(event.DeleteEvent{Object: natGateway()}), want: true},
		"Generic":          {reason: "Generic events are ignored.", got: p.Generic(event.GenericEvent{Object: natGateway()}), want: false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("\n%s\nnatGatewayChanged(): got %t, want %t", tc.reason, tc.got, tc.want)
			}
		})
	}
}
