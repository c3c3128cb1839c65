// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// generateObservation returns the state of an address as status reports it.
func generateObservation(a types.Address) v1alpha1.ElasticIPObservation {
	o := v1alpha1.ElasticIPObservation{
		AllocationID:       a.AllocationId,
		PublicIP:           a.PublicIp,
		PublicIPv4Pool:     a.PublicIpv4Pool,
		NetworkBorderGroup: a.NetworkBorderGroup,
		AssociationID:      a.AssociationId,
		NetworkInterfaceID: a.NetworkInterfaceId,
		PrivateIPAddress:   a.PrivateIpAddress,
		Tags:               ec2client.TagMap(a.Tags),
	}
	if a.Domain != "" {
		o.Domain = aws.String(string(a.Domain))
	}
	return o
}

// generateAllocateInput returns the request that allocates the address of cr,
// tagged as cr's.
func generateAllocateInput(cr *v1alpha1.ElasticIP) *ec2.AllocateAddressInput {
	p := cr.Spec.ForProvider
	return &ec2.AllocateAddressInput{
		Domain:             types.DomainTypeVpc,
		PublicIpv4Pool:     p.PublicIPv4Pool,
		NetworkBorderGroup: p.NetworkBorderGroup,
		Address:            p.Address,
		TagSpecifications:  ec2client.TagSpecifications(types.ResourceTypeElasticIp, ec2client.DesiredTags(cr, p.Tags)),
	}
}

// associated returns what holds an observed address, or "" when nothing
// does.
func associated(o v1alpha1.ElasticIPObservation) string {
	switch {
	case aws.ToString(o.NetworkInterfaceID) != "":
		return aws.ToString(o.NetworkInterfaceID)
	case aws.ToString(o.AssociationID) != "":
		return aws.ToString(o.AssociationID)
	}
	return ""
}
