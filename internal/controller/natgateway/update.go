// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

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
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// Update brings the available gateway observed by Observe in line with the
// spec. A gateway whose primary Elastic IP address no longer matches is
// deleted, to be created again with the new address once EC2 reports it
// deleted. Otherwise tags are made to match exactly (aws: tags aside), and
// one address change is requested: EC2 refuses a second while the first is
// in progress, so the next reconcile makes the next.
func (e *external) Update(ctx context.Context, cr *v1alpha1.NATGateway) (managed.ExternalUpdate, error) {
	// A snapshot taken before this change must not serve the gateway.
	defer e.touch(cr)
	if e.found != nil {
		// Observe found the gateway gone; a management policy without
		// Create leaves it so. There is nothing to update.
		return managed.ExternalUpdate{}, nil
	}
	id := meta.GetExternalName(cr)
	d := computeDrift(cr)

	if d.replace {
		return managed.ExternalUpdate{}, e.replace(ctx, cr, d)
	}
	if err := e.updateTags(ctx, cr, id, d); err != nil {
		return managed.ExternalUpdate{}, err
	}
	addrs, err := e.updateAddresses(ctx, id, d)
	if err != nil {
		return managed.ExternalUpdate{}, err
	}
	// Show the change EC2 just accepted, so the next observation comes soon.
	cr.Status.AtProvider.Addresses = mergeAddresses(cr.Status.AtProvider.Addresses, generateAddresses(addrs))
	return managed.ExternalUpdate{}, nil
}

// replace deletes a gateway whose primary address no longer matches the
// spec, if the management policies allow the provider to delete it and to
// create its replacement.
func (e *external) replace(ctx context.Context, cr *v1alpha1.NATGateway, d drift) error {
	id := meta.GetExternalName(cr)
	if !allows(cr, xpv2.ManagementActionDelete) || !allows(cr, xpv2.ManagementActionCreate) {
		return errors.Errorf("cannot replace NAT gateway %s: its primary address is %s, the spec asks for %s, and spec.managementPolicies do not allow Delete and Create", id, d.observed.PrimaryAllocationID, d.desired.PrimaryAllocationID)
	}
	_, err := e.client.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)})
	if err != nil && !ec2client.IsNATGatewayNotFound(err) {
		return errors.Wrapf(err, "cannot delete NAT gateway %s to replace it", id)
	}
	e.record.Event(cr, event.Normal(reasonReplacing, fmt.Sprintf("Deleting NAT gateway %s to replace it: its primary address is %s, the spec asks for %s", id, d.observed.PrimaryAllocationID, d.desired.PrimaryAllocationID)))
	cr.Status.AtProvider.State = aws.String(v1alpha1.NATGatewayStateDeleting)
	return nil
}

// allows reports whether the management policies of cr allow action. No
// policies at all are the default (all actions) when management policies are
// off; when they are on, no policies pause the NATGateway, so the provider
// does not reconcile it.
func allows(cr *v1alpha1.NATGateway, action xpv2.ManagementAction) bool {
	p := cr.GetManagementPolicies()
	return len(p) == 0 || slices.Contains(p, xpv2.ManagementActionAll) || slices.Contains(p, action)
}

// updateTags creates and deletes tags of gateway id as d says. Ownership tags
// alone, as an imported gateway lacks, are left to the tagger when there is
// one.
func (e *external) updateTags(ctx context.Context, cr *v1alpha1.NATGateway, id string, d drift) error {
	if len(d.createTags) > 0 && !e.tagLater(cr, id, d.createTags) {
		if _, err := e.client.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: ec2client.Tags(d.createTags)}); err != nil {
			return errors.Wrapf(err, "cannot tag NAT gateway %s", id)
		}
	}
	if len(d.deleteTags) > 0 {
		tags := make([]types.Tag, 0, len(d.deleteTags))
		for _, k := range d.deleteTags {
			tags = append(tags, types.Tag{Key: aws.String(k)})
		}
		if _, err := e.client.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{id}, Tags: tags}); err != nil {
			return errors.Wrapf(err, "cannot untag NAT gateway %s", id)
		}
	}
	return nil
}

// tagLater hands the tags to create for gateway id of cr to the tagger, if
// they are all ownership tags and there is a tagger, and reports whether it
// did. After the tagger failed to tag it, the reconcile tags it itself, to
// show the error.
func (e *external) tagLater(cr *v1alpha1.NATGateway, id string, create map[string]string) bool {
	if e.tagger == nil {
		return false
	}
	owned := ec2client.OwnershipTags(cr)
	for k, v := range create {
		if ov, ok := owned[k]; !ok || ov != v {
			return false
		}
	}
	return e.tagger.submit(e.inventoryKey(cr.Spec.ForProvider.Region), e.client, cr, id, create)
}

// updateAddresses requests the one address change of d, if any, and returns
// the addresses EC2 reports changing.
func (e *external) updateAddresses(ctx context.Context, id string, d drift) ([]types.NatGatewayAddress, error) {
	switch {
	case len(d.associate) > 0:
		out, err := e.client.AssociateNatGatewayAddress(ctx, &ec2.AssociateNatGatewayAddressInput{NatGatewayId: aws.String(id), AllocationIds: d.associate})
		if err != nil {
			return nil, errors.Wrapf(err, "cannot associate Elastic IP addresses with NAT gateway %s", id)
		}
		return out.NatGatewayAddresses, nil
	case len(d.disassociate) > 0:
		if slices.Contains(d.disassociate, "") {
			return nil, errors.Errorf("cannot disassociate an Elastic IP address from NAT gateway %s: EC2 reports no association ID for it", id)
		}
		out, err := e.client.DisassociateNatGatewayAddress(ctx, &ec2.DisassociateNatGatewayAddressInput{NatGatewayId: aws.String(id), AssociationIds: d.disassociate})
		if err != nil {
			return nil, errors.Wrapf(err, "cannot disassociate Elastic IP addresses from NAT gateway %s", id)
		}
		return out.NatGatewayAddresses, nil
	case len(d.assign) > 0 || d.assignCount > 0:
		in := &ec2.AssignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(id), PrivateIpAddresses: d.assign}
		if d.assignCount > 0 {
			in.PrivateIpAddressCount = aws.Int32(d.assignCount)
		}
		out, err := e.client.AssignPrivateNatGatewayAddress(ctx, in)
		if err != nil {
			return nil, errors.Wrapf(err, "cannot assign private addresses to NAT gateway %s", id)
		}
		return out.NatGatewayAddresses, nil
	case len(d.unassign) > 0:
		out, err := e.client.UnassignPrivateNatGatewayAddress(ctx, &ec2.UnassignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(id), PrivateIpAddresses: d.unassign})
		if err != nil {
			return nil, errors.Wrapf(err, "cannot unassign private addresses from NAT gateway %s", id)
		}
		return out.NatGatewayAddresses, nil
	}
	return nil, nil
}

// mergeAddresses returns as with each address of changed in place of the
// address of as it matches by allocation ID or private IP, and with the
// addresses of changed that match none appended; a changed address that does
// not say whether it is primary keeps what as says.
func mergeAddresses(as, changed []v1alpha1.NATGatewayAddress) []v1alpha1.NATGatewayAddress {
	for _, c := range changed {
		i := indexAddress(as, c)
		if i < 0 {
			as = append(as, c)
			continue
		}
		if c.IsPrimary == nil {
			c.IsPrimary = as[i].IsPrimary
		}
		as[i] = c
	}
	return as
}

func indexAddress(as []v1alpha1.NATGatewayAddress, a v1alpha1.NATGatewayAddress) int {
	for i := range as {
		switch {
		case a.AllocationID != nil && aws.ToString(as[i].AllocationID) == *a.AllocationID:
			return i
		case a.AllocationID == nil && a.PrivateIP != nil && aws.ToString(as[i].PrivateIP) == *a.PrivateIP:
			return i
		}
	}
	return -1
}
