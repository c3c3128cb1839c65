// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
)

// reasonReleased is the event reason for an address found released outside
// Crossplane.
const reasonReleased event.Reason = "AddressReleased"

// Observe reports whether the address named by the external name exists.
//
// A released address does not exist, so the managed reconciler allocates a
// new one. While the ElasticIP is being deleted the address exists as long as
// EC2 lists it, so the finalizer stays until it is released.
func (e *external) Observe(ctx context.Context, cr *v1alpha1.ElasticIP) (managed.ExternalObservation, error) {
	h, err := healing.Get(cr)
	if err != nil {
		return managed.ExternalObservation{}, errors.Wrap(err, "cannot read the healing record")
	}
	cr.Status.AtProvider.Healing = h

	id := meta.GetExternalName(cr)
	if id == "" {
		return managed.ExternalObservation{ResourceExists: false}, nil
	}

	a, err := e.describe(ctx, id)
	if err != nil {
		return managed.ExternalObservation{}, errors.Wrapf(err, "cannot describe address %s", id)
	}
	if a == nil {
		// Right after Create, EC2 may not list the new address yet; the
		// reconciler waits out this grace period before creating again.
		if !meta.WasDeleted(cr) && !meta.ExternalCreateSucceededDuring(cr, creationGracePeriod) {
			e.recorder.Event(cr, event.Warning(reasonReleased, errors.Errorf("address %s no longer exists: it was released outside Crossplane", id)))
		}
		return managed.ExternalObservation{ResourceExists: false}, nil
	}

	cr.Status.AtProvider = generateObservation(*a)
	cr.Status.AtProvider.Healing = h

	if meta.WasDeleted(cr) {
		return managed.ExternalObservation{ResourceExists: true}, nil
	}

	cr.SetConditions(xpv2.Available())

	desired := ec2client.DesiredTags(cr, cr.Spec.ForProvider.Tags)
	create, remove := ec2client.DiffTags(desired, cr.Status.AtProvider.Tags)
	if len(create) == 0 && len(remove) == 0 {
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, nil
	}
	return managed.ExternalObservation{
		ResourceExists:   true,
		ResourceUpToDate: false,
		Diff:             cmp.Diff(desired, userTags(cr.Status.AtProvider.Tags)),
	}, nil
}

// describe returns the address with allocation ID id, or nil when EC2 does
// not know it.
func (e *external) describe(ctx context.Context, id string) (*types.Address, error) {
	out, err := e.ec2.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{id}})
	if ec2client.IsAddressNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for i := range out.Addresses {
		if aws.ToString(out.Addresses[i].AllocationId) == id {
			return &out.Addresses[i], nil
		}
	}
	return nil, nil
}
