// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/controller/follow"
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
	return follow.EnqueueReferrers[v1alpha1.RouteList](c, indexNATGatewayRef)
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
