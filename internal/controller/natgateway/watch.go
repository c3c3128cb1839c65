// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/controller/follow"
)

// indexElasticIPRefs indexes NATGateways by the names of the ElasticIPs they
// reference, primary and secondary.
const indexElasticIPRefs = "spec.forProvider.elasticIpRefs"

// elasticIPRefs returns the names of the ElasticIPs a NATGateway references.
func elasticIPRefs(o client.Object) []string {
	cr, ok := o.(*v1alpha1.NATGateway)
	if !ok {
		return nil
	}
	p := cr.Spec.ForProvider
	var names []string
	if p.AllocationIDRef != nil {
		names = append(names, p.AllocationIDRef.Name)
	}
	for _, r := range p.SecondaryAllocationIDRefs {
		names = append(names, r.Name)
	}
	return names
}

// enqueueReferencing returns a map function that enqueues the NATGateways in
// an ElasticIP's namespace that reference it, so that a gateway follows an
// address that was allocated again without waiting for its poll interval.
func enqueueReferencing(c client.Reader) handler.MapFunc {
	return follow.EnqueueReferrers[v1alpha1.NATGatewayList](c, indexElasticIPRefs)
}

// externalNameChanged accepts ElasticIPs that got an external name, or a new
// one: that is when a referencing gateway has something to follow.
func externalNameChanged() predicate.Predicate {
	return predicate.Funcs{
		CreateFunc: func(e event.CreateEvent) bool {
			return meta.GetExternalName(e.Object) != ""
		},
		UpdateFunc: func(e event.UpdateEvent) bool {
			return e.ObjectOld != nil && e.ObjectNew != nil && meta.GetExternalName(e.ObjectOld) != meta.GetExternalName(e.ObjectNew)
		},
		DeleteFunc:  func(event.DeleteEvent) bool { return false },
		GenericFunc: func(event.GenericEvent) bool { return false },
	}
}
