// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// A view holds what Observe compares between the spec of a NATGateway and its
// gateway: the fields that can drift. A field the spec does not manage is
// left empty on both sides.
type view struct {
	// PrimaryAllocationID can only change by replacing the gateway.
	PrimaryAllocationID string `json:"primaryAllocationId,omitempty"`
	// SecondaryAllocationIDs of a public zonal gateway.
	SecondaryAllocationIDs []string `json:"secondaryAllocationIds,omitempty"`
	// SecondaryPrivateIPAddresses of a private gateway.
	SecondaryPrivateIPAddresses []string `json:"secondaryPrivateIpAddresses,omitempty"`
	// SecondaryPrivateIPAddressCount of a private gateway.
	SecondaryPrivateIPAddressCount int `json:"secondaryPrivateIpAddressCount,omitempty"`
	// AddressesInTransition lists the addresses EC2 is still associating,
	// disassociating, assigning or unassigning. Always empty when desired.
	AddressesInTransition []string `json:"addressesInTransition,omitempty"`
	// Tags, without the aws: tags, which belong to AWS.
	Tags map[string]string `json:"tags,omitempty"`
}

// A drift is the difference between the spec of a NATGateway and its
// available gateway, with the changes that remove it.
type drift struct {
	desired, observed view

	// replace is set when a create-only input no longer matches: the gateway
	// must be deleted and created again.
	replace bool

	// Tags to create (or overwrite) and tag keys to delete.
	createTags map[string]string
	deleteTags []string

	// One address change: associate Elastic IP addresses (public), or
	// disassociate them by association ID, or assign private addresses
	// (listed or a count), or unassign them. At most one is set.
	associate    []string
	disassociate []string
	assign       []string
	assignCount  int32
	unassign     []string
}

// upToDate reports whether the gateway matches the spec.
func (d *drift) upToDate() bool {
	return cmp.Equal(d.desired, d.observed, cmpopts.EquateEmpty())
}

// diff describes the drift for the reconciler's debug log.
func (d *drift) diff() string {
	return cmp.Diff(d.desired, d.observed, cmpopts.EquateEmpty())
}

// transitional reports whether an address in state s is still changing:
// another change must wait until it settles.
func transitional(s types.NatGatewayAddressStatus) bool {
	switch s {
	case types.NatGatewayAddressStatusAssigning,
		types.NatGatewayAddressStatusUnassigning,
		types.NatGatewayAddressStatusAssociating,
		types.NatGatewayAddressStatusDisassociating:
		return true
	case types.NatGatewayAddressStatusSucceeded, types.NatGatewayAddressStatusFailed:
		return false
	}
	return false
}

// inTransition reports whether EC2 is still changing an address.
func inTransition(a v1alpha1.NATGatewayAddress) bool {
	return transitional(types.NatGatewayAddressStatus(aws.ToString(a.Status)))
}

// computeDrift compares the spec of cr, ownership tags included, with the
// gateway observed in cr.Status.AtProvider.
func computeDrift(cr *v1alpha1.NATGateway) drift {
	p := cr.Spec.ForProvider
	obs := cr.Status.AtProvider
	tags := desiredTags(cr)
	d := drift{}

	d.desired.Tags = ec2client.WithoutAWSTags(tags)
	d.observed.Tags = ec2client.WithoutAWSTags(obs.Tags)
	d.createTags, d.deleteTags = ec2client.DiffTags(tags, obs.Tags)

	primary := primaryAddress(obs.Addresses)
	var secondary []v1alpha1.NATGatewayAddress
	for i := range obs.Addresses {
		a := obs.Addresses[i]
		if inTransition(a) {
			d.observed.AddressesInTransition = append(d.observed.AddressesInTransition, addressName(a))
		}
		if primary != nil && &obs.Addresses[i] == primary {
			continue
		}
		if aws.ToString(a.Status) == string(types.NatGatewayAddressStatusFailed) {
			continue
		}
		secondary = append(secondary, a)
	}
	slices.Sort(d.observed.AddressesInTransition)

	switch {
	case isRegional(p):
		// EC2 manages the addresses of a regional gateway per zone.
	case isPrivate(p):
		d.privateAddresses(p, secondary)
	default:
		if p.AllocationID != nil && primary != nil && primary.AllocationID != nil {
			d.desired.PrimaryAllocationID = *p.AllocationID
			d.observed.PrimaryAllocationID = *primary.AllocationID
			d.replace = d.desired.PrimaryAllocationID != d.observed.PrimaryAllocationID
		}
		d.publicAddresses(p, secondary)
	}

	if d.replace || len(d.observed.AddressesInTransition) > 0 {
		d.associate, d.disassociate, d.assign, d.assignCount, d.unassign = nil, nil, nil, 0, nil
	}
	return d
}

// publicAddresses compares the secondary Elastic IP addresses of a public
// zonal gateway, and plans to associate the missing ones or, when none is
// missing, to disassociate the unwanted ones.
func (d *drift) publicAddresses(p v1alpha1.NATGatewayParameters, secondary []v1alpha1.NATGatewayAddress) {
	d.desired.SecondaryAllocationIDs = sortedSet(p.SecondaryAllocationIDs)
	observed := map[string]v1alpha1.NATGatewayAddress{}
	for _, a := range secondary {
		if a.AllocationID != nil {
			observed[*a.AllocationID] = a
		}
	}
	d.observed.SecondaryAllocationIDs = slices.Sorted(maps.Keys(observed))

	for _, id := range d.desired.SecondaryAllocationIDs {
		if _, ok := observed[id]; !ok {
			d.associate = append(d.associate, id)
		}
	}
	if len(d.associate) > 0 {
		return
	}
	for _, id := range d.observed.SecondaryAllocationIDs {
		if slices.Contains(d.desired.SecondaryAllocationIDs, id) {
			continue
		}
		// An address without an association ID cannot be disassociated;
		// Update reports it. The empty ID keeps the drift visible.
		d.disassociate = append(d.disassociate, aws.ToString(observed[id].AssociationID))
	}
}

// privateAddresses compares the secondary private addresses of a private
// gateway, listed or counted, and plans to assign the missing ones or, when
// none is missing, to unassign the unwanted ones.
func (d *drift) privateAddresses(p v1alpha1.NATGatewayParameters, secondary []v1alpha1.NATGatewayAddress) {
	var observed []string
	for _, a := range secondary {
		if a.PrivateIP != nil {
			observed = append(observed, *a.PrivateIP)
		}
	}
	observed = sortedSet(observed)

	if p.SecondaryPrivateIPAddressCount != nil {
		want := int(*p.SecondaryPrivateIPAddressCount)
		d.desired.SecondaryPrivateIPAddressCount = want
		d.observed.SecondaryPrivateIPAddressCount = len(observed)
		switch {
		case len(observed) < want:
			d.assignCount = int32(want - len(observed)) //nolint:gosec // at most 31 by the CRD's validation.
		case len(observed) > want:
			d.unassign = observed[want:]
		}
		return
	}

	d.desired.SecondaryPrivateIPAddresses = sortedSet(p.SecondaryPrivateIPAddresses)
	d.observed.SecondaryPrivateIPAddresses = observed
	for _, ip := range d.desired.SecondaryPrivateIPAddresses {
		if !slices.Contains(observed, ip) {
			d.assign = append(d.assign, ip)
		}
	}
	if len(d.assign) > 0 {
		return
	}
	for _, ip := range observed {
		if !slices.Contains(d.desired.SecondaryPrivateIPAddresses, ip) {
			d.unassign = append(d.unassign, ip)
		}
	}
}

// addressName names an address in a drift: its allocation ID or private IP.
func addressName(a v1alpha1.NATGatewayAddress) string {
	if a.AllocationID != nil {
		return *a.AllocationID
	}
	return aws.ToString(a.PrivateIP)
}

func sortedSet(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}
