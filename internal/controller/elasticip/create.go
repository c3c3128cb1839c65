// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"
	"fmt"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
)

// reasonReallocated is the event reason for an address allocated to replace
// one released outside Crossplane.
const reasonReallocated event.Reason = "AddressReallocated"

// Create allocates the address of cr and sets its allocation ID as the
// external name.
//
// AllocateAddress takes no client token, and the client does not repeat it
// blindly after an uncertain answer (see allocate), so Create first looks for an address that
// already carries cr's ownership tag, left by an attempt whose answer was
// lost or whose external name was never persisted, and adopts it; any other
// address tagged for cr is released. A crash or a lost answer therefore
// never leaks an address. When the external name named an address that was
// released, the new allocation is recorded as a healing.
func (e *external) Create(ctx context.Context, cr *v1alpha1.ElasticIP) (managed.ExternalCreation, error) {
	previous := meta.GetExternalName(cr)

	owned, err := e.owned(ctx, cr)
	if err != nil {
		return managed.ExternalCreation{}, errors.Wrap(err, "cannot look for an address allocated for this ElasticIP")
	}
	var id string
	if len(owned) > 0 {
		// Every attempt adopts the same address, the lowest ID, and
		// releases the others: only one may stay billed.
		id = owned[0]
		e.releaseStrays(ctx, cr, owned[1:])
	}
	if id == "" {
		if id, err = e.allocate(ctx, cr); err != nil {
			return managed.ExternalCreation{}, err
		}
	}
	meta.SetExternalName(cr, id)

	if previous == "" || previous == id {
		return managed.ExternalCreation{}, nil
	}
	if err := healing.Record(cr, previous, v1alpha1.FoundStateNotFound, id, e.now()); err != nil {
		return managed.ExternalCreation{}, errors.Wrap(err, "cannot record the healing")
	}
	e.reallocations.Inc()
	e.record.Event(cr, event.Normal(reasonReallocated, fmt.Sprintf("Allocated address %s to replace %s, which was released outside Crossplane", id, previous)))
	return managed.ExternalCreation{AdditionalDetails: managed.AdditionalDetails{"previousAllocationId": previous}}, nil
}
