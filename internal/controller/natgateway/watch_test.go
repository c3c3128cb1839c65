// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

func elasticIP(name, id string) *v1alpha1.ElasticIP {
	e := &v1alpha1.ElasticIP{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"}}
	if id != "" {
		meta.SetExternalName(e, id)
	}
	return e
}

func TestElasticIPRefs(t *testing.T) {
	cases := map[string]struct {
		reason string
		o      client.Object
		want   []string
	}{
		"PrimaryAndSecondary": {
			reason: "A NATGateway is indexed by every ElasticIP it references.",
			o: natGateway(func(cr *v1alpha1.NATGateway) {
				cr.Spec.ForProvider.AllocationIDRef = &xpv2.NamespacedReference{Name: "eip-a"}
				cr.Spec.ForProvider.SecondaryAllocationIDRefs = []xpv2.NamespacedReference{{Name: "eip-b"}, {Name: "eip-c"}}
			}),
			want: []string{"eip-a", "eip-b", "eip-c"},
		},
		"NoReferences": {
			reason: "A NATGateway with literal allocation IDs is not indexed.",
			o:      natGateway(),
		},
		"OtherKind": {
			reason: "Another kind is not indexed.",
			o:      elasticIP("eip-a", ""),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, elasticIPRefs(tc.o), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\nelasticIPRefs(...): -want, +got:\n%s", tc.reason, diff)
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
		"Referencing": {
			reason: "The NATGateways the index finds in the ElasticIP's namespace are enqueued.",
			list: func(_ context.Context, obj client.ObjectList, opts ...client.ListOption) error {
				lo := &client.ListOptions{}
				lo.ApplyOptions(opts)
				if lo.Namespace != "default" || lo.FieldSelector == nil || lo.FieldSelector.String() != indexElasticIPRefs+"=eip-a" {
					return errBoom
				}
				l, ok := obj.(*v1alpha1.NATGatewayList)
				if !ok {
					return errBoom
				}
				l.Items = []v1alpha1.NATGateway{*natGateway(), *natGateway(func(cr *v1alpha1.NATGateway) { cr.SetName("egress-b") })}
				return nil
			},
			want: []reconcile.Request{
				{NamespacedName: types.NamespacedName{Namespace: "default", Name: "egress-a"}},
				{NamespacedName: types.NamespacedName{Namespace: "default", Name: "egress-b"}},
			},
		},
		"ListError": {
			reason: "When the NATGateways cannot be listed nothing is enqueued; their poll brings them up to date.",
			list:   test.NewMockListFn(errBoom),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := enqueueReferencing(&test.MockClient{MockList: tc.list})(context.Background(), elasticIP("eip-a", "eipalloc-0a1b2c3d4e5f60002"))
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\nenqueueReferencing(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestExternalNameChanged(t *testing.T) {
	p := externalNameChanged()
	cases := map[string]struct {
		reason string
		got    bool
		want   bool
	}{
		"CreateWithName":    {reason: "An ElasticIP with an allocation ID passes.", got: p.Create(event.CreateEvent{Object: elasticIP("eip-a", allocID)}), want: true},
		"CreateWithoutName": {reason: "An ElasticIP not yet allocated has nothing to follow.", got: p.Create(event.CreateEvent{Object: elasticIP("eip-a", "")})},
		"NewName": {
			reason: "An ElasticIP allocated again passes.",
			got:    p.Update(event.UpdateEvent{ObjectOld: elasticIP("eip-a", allocID), ObjectNew: elasticIP("eip-a", newAllocID)}),
			want:   true,
		},
		"SameName": {
			reason: "Any other change of an ElasticIP is filtered out.",
			got:    p.Update(event.UpdateEvent{ObjectOld: elasticIP("eip-a", allocID), ObjectNew: elasticIP("eip-a", allocID)}),
		},
		"Delete":  {reason: "A deleted ElasticIP is filtered out.", got: p.Delete(event.DeleteEvent{Object: elasticIP("eip-a", allocID)})},
		"Generic": {reason: "Generic events are filtered out.", got: p.Generic(event.GenericEvent{Object: elasticIP("eip-a", allocID)})},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.got); diff != "" {
				t.Errorf("\n%s\nexternalNameChanged(): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
