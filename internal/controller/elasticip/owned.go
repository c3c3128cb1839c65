// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// reasonStrayReleased is the event reason for an address tagged for an
// ElasticIP that names another one, released so that it is not billed.
const reasonStrayReleased event.Reason = "StrayAddressReleased"

// owned returns the allocation IDs of the addresses tagged as cr's, lowest
// first, so every attempt picks the same one.
func (e *external) owned(ctx context.Context, cr *v1alpha1.ElasticIP) ([]string, error) {
	as, err := e.ownedAddresses(ctx, cr)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(as))
	for _, a := range as {
		ids = append(ids, aws.ToString(a.AllocationId))
	}
	return ids, nil
}

// ownedAddresses returns the addresses tagged as cr's, by allocation ID.
//
// EC2 is asked for these addresses only, but every address of its answer is
// checked again: some EC2-compatible endpoints ignore the tag filter and list
// every address of the account, and adopting another ElasticIP's address
// would make two ElasticIPs share, and release, one address.
func (e *external) ownedAddresses(ctx context.Context, cr *v1alpha1.ElasticIP) ([]types.Address, error) {
	uid := string(cr.GetUID())
	out, err := e.client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{
		Filters: []types.Filter{{Name: aws.String("tag:" + ec2client.TagUID), Values: []string{uid}}},
	})
	if err != nil {
		return nil, err
	}
	as := make([]types.Address, 0, len(out.Addresses))
	for _, a := range out.Addresses {
		if aws.ToString(a.AllocationId) != "" && ec2client.TagMap(a.Tags)[ec2client.TagUID] == uid {
			as = append(as, a)
		}
	}
	slices.SortFunc(as, func(a, b types.Address) int {
		return strings.Compare(aws.ToString(a.AllocationId), aws.ToString(b.AllocationId))
	})
	return slices.CompactFunc(as, func(a, b types.Address) bool { return aws.ToString(a.AllocationId) == aws.ToString(b.AllocationId) }), nil
}

// find returns the address of as with allocation ID id, and the IDs of the
// others.
func find(as []types.Address, id string) (*types.Address, []string) {
	var found *types.Address
	others := make([]string, 0, len(as))
	for i := range as {
		if aws.ToString(as[i].AllocationId) == id {
			found = &as[i]
			continue
		}
		others = append(others, aws.ToString(as[i].AllocationId))
	}
	return found, others
}

// releaseStrays releases addresses tagged as cr's that it does not name, left
// by an allocation whose answer was lost. It is best effort: an address that
// cannot be released now is reported in an event and released when the
// ElasticIP is deleted.
func (e *external) releaseStrays(ctx context.Context, cr *v1alpha1.ElasticIP, ids []string) {
	for _, id := range ids {
		inUse, err := e.release(ctx, id, nil)
		switch {
		case err != nil:
			e.record.Event(cr, event.Warning(reasonStrayReleased, errors.Wrap(err, "cannot release an address also tagged for this ElasticIP; it is released when the ElasticIP is deleted")))
		case inUse != "":
			e.record.Event(cr, event.Warning(reasonStrayReleased, errors.Errorf("address %s is also tagged for this ElasticIP but is in use; it is released when the ElasticIP is deleted and nothing holds it", id)))
		default:
			e.record.Event(cr, event.Normal(reasonStrayReleased, "Released address "+id+", also tagged for this ElasticIP, so that only one address is billed"))
		}
	}
}

// release releases the address id. While something holds the address, EC2
// refuses with AuthFailure or InvalidIPAddress.InUse, and release returns that
// code and no error; an address EC2 no longer knows is released.
func (e *external) release(ctx context.Context, id string, borderGroup *string) (inUse string, err error) {
	_, err = e.client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(id), NetworkBorderGroup: borderGroup})
	switch {
	case err == nil, ec2client.IsAddressNotFound(err):
		return "", nil
	case ec2client.IsErrorCode(err, ec2client.CodeAuthFailure, ec2client.CodeInvalidIPAddressInUse):
		return ec2client.ErrorCode(err), nil
	}
	return "", errors.Wrapf(err, "cannot release address %s", id)
}
