// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"
	"fmt"
	"time"

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
// new one. Another address tagged for the ElasticIP makes it not up to date,
// and Update releases it. While the ElasticIP is being deleted the address
// exists as long as EC2 lists it, or any other address tagged for the
// ElasticIP, so the finalizer stays until all of them are released.
//
// EC2 is eventually consistent: for 30s after allocating an address, an
// address EC2 has not listed yet still exists (not ready), so no second one
// is allocated. An address EC2 listed once and no longer lists was released,
// and is allocated again at once, however new.
func (e *external) Observe(ctx context.Context, cr *v1alpha1.ElasticIP) (managed.ExternalObservation, error) {
	h, err := healing.Get(cr)
	if err != nil {
		return managed.ExternalObservation{}, errors.Wrap(err, "cannot read the healing record")
	}
	cr.Status.AtProvider.Healing = h

	id := meta.GetExternalName(cr)
	if id == "" && !meta.WasDeleted(cr) {
		return managed.ExternalObservation{ResourceExists: false}, nil
	}

	// One listing finds the named address, which carries the ownership tag,
	// and any other address allocated for this ElasticIP and never recorded
	// (the provider was down, or the answer was lost): those must not stay
	// billed, and go with a deleted ElasticIP.
	owned, err := e.ownedAddresses(ctx, cr)
	if err != nil {
		return managed.ExternalObservation{}, errors.Wrap(err, "cannot look for the addresses allocated for this ElasticIP")
	}
	a, leftover := find(owned, id)
	e.leftover = leftover
	if id == "" {
		return managed.ExternalObservation{ResourceExists: len(e.leftover) > 0}, nil
	}
	if a == nil {
		// An address without the ownership tag, such as one imported by
		// its allocation ID, is described by ID.
		if a, err = e.describe(ctx, id); err != nil {
			return managed.ExternalObservation{}, errors.Wrapf(err, "cannot describe address %s", id)
		}
	}
	if a == nil && !meta.WasDeleted(cr) && notListedYet(cr, e.now()) {
		// An address allocated moments ago may not be listed yet, and
		// allocating another now would leave this one behind.
		cr.Status.AtProvider = v1alpha1.ElasticIPObservation{Healing: h}
		cr.SetConditions(xpv2.Unavailable().WithMessage(fmt.Sprintf("waiting for EC2 to list address %s, allocated moments ago", id)))
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, nil
	}
	if a == nil && meta.WasDeleted(cr) {
		// Delete releases only the addresses that are left.
		cr.Status.AtProvider = v1alpha1.ElasticIPObservation{Healing: h}
		return managed.ExternalObservation{ResourceExists: len(e.leftover) > 0}, nil
	}
	if a == nil {
		e.record.Event(cr, event.Warning(reasonReleased, errors.Errorf("address %s no longer exists: it was released outside Crossplane", id)))
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
	if len(create) == 0 && len(remove) == 0 && len(e.leftover) == 0 {
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, nil
	}
	diff := cmp.Diff(desired, ec2client.WithoutAWSTags(cr.Status.AtProvider.Tags))
	if len(e.leftover) > 0 {
		// Update releases them.
		diff += fmt.Sprintf("addresses also tagged for this ElasticIP: %v\n", e.leftover)
	}
	return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: false, Diff: diff}, nil
}

// notListedYet reports whether the address of cr was allocated less than
// creationGracePeriod before now and EC2 has not listed it since: Observe
// writes the allocation ID of every address EC2 lists to the status.
func notListedYet(cr *v1alpha1.ElasticIP, now time.Time) bool {
	t := meta.GetExternalCreateSucceeded(cr)
	return !t.IsZero() && now.Sub(t) < creationGracePeriod && aws.ToString(cr.Status.AtProvider.AllocationID) != meta.GetExternalName(cr)
}

// describe returns the address with allocation ID id, or nil when EC2 does
// not know it.
func (e *external) describe(ctx context.Context, id string) (*types.Address, error) {
	out, err := e.client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{id}})
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
