// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"
	"slices"

	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// addressesOf returns a request for every ElasticIP a NATGateway references,
// so that an address waiting for its gateway to go is released promptly.
func addressesOf(_ context.Context, o client.Object) []reconcile.Request {
	n, ok := o.(*v1alpha1.NATGateway)
	if !ok {
		return nil
	}
	p := n.Spec.ForProvider
	var reqs []reconcile.Request
	add := func(name string) {
		req := reconcile.Request{NamespacedName: client.ObjectKey{Namespace: n.GetNamespace(), Name: name}}
		if !slices.Contains(reqs, req) {
			reqs = append(reqs, req)
		}
	}
	if p.AllocationIDRef != nil {
		add(p.AllocationIDRef.Name)
	}
	for _, r := range p.SecondaryAllocationIDRefs {
		add(r.Name)
	}
	return reqs
}

// natGatewayGone passes the events after which a NATGateway may no longer
// hold its addresses: the NATGateway is gone, or its gateway changed state.
func natGatewayGone() predicate.Predicate {
	return predicate.Funcs{
		CreateFunc:  func(event.CreateEvent) bool { return false },
		DeleteFunc:  func(event.DeleteEvent) bool { return true },
		GenericFunc: func(event.GenericEvent) bool { return false },
		UpdateFunc: func(e event.UpdateEvent) bool {
			o, ok := e.ObjectOld.(*v1alpha1.NATGateway)
			if !ok {
				return false
			}
			n, ok := e.ObjectNew.(*v1alpha1.NATGateway)
			if !ok {
				return false
			}
			return ptr.Deref(o.Status.AtProvider.State, "") != ptr.Deref(n.Status.AtProvider.State, "")
		},
	}
}
