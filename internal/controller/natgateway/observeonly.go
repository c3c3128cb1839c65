// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// observeNothing reports that cr has no gateway: it names none, or EC2 does
// not know the one it names, which EC2 forgets about an hour after it is
// deleted or failed. A NATGateway that may create one does not have it yet;
// one that may not is an error saying so.
func (e *external) observeNothing(cr *v1alpha1.NATGateway, h *v1alpha1.Healing, deleting bool) (managed.ExternalObservation, error) {
	if !deleting && !allows(cr, xpv2.ManagementActionCreate) {
		return managed.ExternalObservation{}, e.nothingToObserve(cr)
	}
	cr.Status.AtProvider = v1alpha1.NATGatewayObservation{Healing: h}
	if id := meta.GetExternalName(cr); id != "" {
		e.found = &found{id: id, state: v1alpha1.FoundStateNotFound}
	}
	return managed.ExternalObservation{ResourceExists: false}, nil
}

// nothingToObserve explains why a NATGateway whose management policies do
// not allow Create observes nothing: it names no gateway, or EC2 does not
// know the one it names. The reconciler's own words for this, "external
// resource does not exist", name neither the gateway nor where it was
// looked for.
func (e *external) nothingToObserve(cr *v1alpha1.NATGateway) error {
	s := ec2client.ScopeOf(e.client, cr.Spec.ForProvider.Region)
	id := meta.GetExternalName(cr)
	if id == "" {
		return errors.Errorf("NATGateway names no NAT gateway to observe in %s: its %s annotation is empty, and spec.managementPolicies do not allow Create, so the provider cannot create one; "+
			"set the annotation to the ID of an existing gateway, such as nat-0123456789abcdef0, or add Create to spec.managementPolicies", s, meta.AnnotationKeyExternalName)
	}
	return errors.Errorf("EC2 knows no NAT gateway %s in %s, named by the %s annotation; spec.managementPolicies do not allow Create, so the provider cannot create it; "+
		"set the annotation to the ID of a gateway of region %s, or add Create to spec.managementPolicies", id, s, meta.AnnotationKeyExternalName, s.Region)
}
