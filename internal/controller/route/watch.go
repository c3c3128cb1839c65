// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// indexNATGatewayRef indexes Routes by the name of the NATGateway they
// reference. A reference resolved from natGatewayIdSelector is recorded in
// natGatewayIdRef too, so it is indexed as well.
const indexNATGatewayRef = "spec.forProvider.natGatewayIdRef.name"

// natGatewayRef returns the name of the NATGateway a Route references.
func natGatewayRef(o client.Object) []string {
	cr, ok := o.(*v1alpha1.Route)
	if !ok || cr.Spec.ForProvider.NATGatewayIDRef == nil {
		return nil
	}
	return []string{cr.Spec.ForProvider.NATGatewayIDRef.Name}
}

// enqueueReferencing returns a map function that enqueues the Routes in a
// NATGateway's namespace that reference it, so that a route follows a
// replaced gateway, and becomes ready with an available one, without waiting
// for its poll interval.
func enqueueReferencing(c client.Reader) handler.MapFunc {
	return func(ctx context.Context, o client.Object) []reconcile.Request {
		l := &v1alpha1.RouteList{}
		if err := c.List(ctx, l, client.InNamespace(o.GetNamespace()), client.MatchingFields{indexNATGatewayRef: o.GetName()}); err != nil {
			// The NATGateway's next change, or the routes' poll, brings
			// them up to date.
			return nil
		}
		reqs := make([]reconcile.Request, 0, len(l.Items))
		for _, r := range l.Items {
			reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: r.GetNamespace(), Name: r.GetName()}})
		}
		return reqs
	}
}

// natGatewayChanged accepts NATGateways that got an ID, a new ID (the gateway
// was replaced) or a new state (a route becomes ready once its gateway is
// available), and NATGateways that are gone.
func natGatewayChanged() predicate.Predicate {
	return predicate.Funcs{
		CreateFunc: func(e event.CreateEvent) bool {
			return e.Object != nil && meta.GetExternalName(e.Object) != ""
		},
		UpdateFunc: func(e event.UpdateEvent) bool {
			o, ok := e.ObjectOld.(*v1alpha1.NATGateway)
			if !ok {
				return false
			}
			n, ok := e.ObjectNew.(*v1alpha1.NATGateway)
			if !ok {
				return false
			}
			return meta.GetExternalName(o) != meta.GetExternalName(n) ||
				ptr.Deref(o.Status.AtProvider.State, "") != ptr.Deref(n.Status.AtProvider.State, "")
		},
		DeleteFunc:  func(event.DeleteEvent) bool { return true },
		GenericFunc: func(event.GenericEvent) bool { return false },
	}
}
