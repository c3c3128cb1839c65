// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
)

// reasonReallocated is the event reason for an address allocated to replace
// one released outside Crossplane.
const reasonReallocated event.Reason = "AddressReallocated"

// Create allocates the address of cr and sets its allocation ID as the
// external name.
//
// AllocateAddress takes no client token, so Create first looks for an
// address that already carries cr's ownership tag, left by an attempt whose
// external name was never persisted, and adopts it. A crash therefore never
// leaks an address. When the external name named an address that was
// released, the new allocation is recorded as a healing.
func (e *external) Create(ctx context.Context, cr *v1alpha1.ElasticIP) (managed.ExternalCreation, error) {
	previous := meta.GetExternalName(cr)

	id, err := e.owned(ctx, cr)
	if err != nil {
		return managed.ExternalCreation{}, errors.Wrap(err, "cannot look for an address allocated for this ElasticIP")
	}
	if id == "" {
		out, err := e.client.AllocateAddress(ctx, generateAllocateInput(cr))
		if err != nil {
			return managed.ExternalCreation{}, errors.Wrap(err, "cannot allocate address")
		}
		id = aws.ToString(out.AllocationId)
		if id == "" {
			return managed.ExternalCreation{}, errors.New("cannot allocate address: EC2 returned no allocation ID")
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

// owned returns the allocation ID of an address tagged as cr's, or "" when
// there is none. Should there be several, the lowest ID wins so every attempt
// picks the same one.
//
// EC2 is asked for these addresses only, but every address of its answer is
// checked again: some EC2-compatible endpoints ignore the tag filter and list
// every address of the account, and adopting another ElasticIP's address
// would make two ElasticIPs share, and release, one address.
func (e *external) owned(ctx context.Context, cr *v1alpha1.ElasticIP) (string, error) {
	uid := string(cr.GetUID())
	out, err := e.client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{
		Filters: []types.Filter{{Name: aws.String("tag:" + ec2client.TagUID), Values: []string{uid}}},
	})
	if err != nil {
		return "", err
	}
	ids := make([]string, 0, len(out.Addresses))
	for _, a := range out.Addresses {
		if id := aws.ToString(a.AllocationId); id != "" && ec2client.TagMap(a.Tags)[ec2client.TagUID] == uid {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return "", nil
	}
	return slices.Min(ids), nil
}
