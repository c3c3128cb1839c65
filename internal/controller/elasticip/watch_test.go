// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

func natGateway(m ...func(*v1alpha1.NATGateway)) *v1alpha1.NATGateway {
	n := &v1alpha1.NATGateway{ObjectMeta: metav1.ObjectMeta{Name: "gw", Namespace: "default"}}
	for _, f := range m {
		f(n)
	}
	return n
}

func withState(s string) func(*v1alpha1.NATGateway) {
	return func(n *v1alpha1.NATGateway) { n.Status.AtProvider.State = ptr.To(s) }
}

func request(name string) reconcile.Request {
	return reconcile.Request{NamespacedName: client.ObjectKey{Namespace: "default", Name: name}}
}

func TestAddressesOf(t *testing.T) {
	cases := map[string]struct {
		reason string
		o      client.Object
		want   []reconcile.Request
	}{
		"NoReferences": {
			reason: "A NATGateway that references no ElasticIP enqueues nothing.",
			o:      natGateway(),
		},
		"PrimaryAndSecondary": {
			reason: "The primary and secondary ElasticIPs of a NATGateway are enqueued once each, in its namespace.",
			o: natGateway(func(n *v1alpha1.NATGateway) {
				n.Spec.ForProvider.AllocationIDRef = &xpv2.NamespacedReference{Name: "eip-a"}
				n.Spec.ForProvider.SecondaryAllocationIDRefs = []xpv2.NamespacedReference{{Name: "eip-b"}, {Name: "eip-a"}}
			}),
			want: []reconcile.Request{request("eip-a"), request("eip-b")},
		},
		"NotANATGateway": {
			reason: "Any other object enqueues nothing.",
			o:      elasticIP(),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, addressesOf(context.Background(), tc.o)); diff != "" {
				t.Errorf("\n%s\naddressesOf(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestNATGatewayGone(t *testing.T) {
	p := natGatewayGone()
	cases := map[string]struct {
		reason string
		got    bool
		want   bool
	}{
		"Create":       {reason: "A new NATGateway holds nothing yet.", got: p.Create(event.CreateEvent{Object: natGateway()}), want: false},
		"Delete":       {reason: "A deleted NATGateway no longer holds its addresses.", got: p.Delete(event.DeleteEvent{Object: natGateway()}), want: true},
		"StateChanged": {reason: "A gateway that changed state may have let go of its addresses.", got: p.Update(event.UpdateEvent{ObjectOld: natGateway(withState("deleting")), ObjectNew: natGateway(withState("deleted"))}), want: true},
		"StateSame":    {reason: "Other changes do not matter.", got: p.Update(event.UpdateEvent{ObjectOld: natGateway(withState("available")), ObjectNew: natGateway(withState("available"))}), want: false},
		"Generic":      {reason: "Generic events are ignored.", got: p.Generic(event.GenericEvent{Object: natGateway()}), want: false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("\n%s\nnatGatewayGone(): got %t, want %t", tc.reason, tc.got, tc.want)
			}
		})
	}
}
