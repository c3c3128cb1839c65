// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natinventory

import (
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// Alarming reports whether the change is a gateway that no longer carries
// traffic, or vanished: one to replace without waiting behind routine work.
func (c Change) Alarming() bool {
	return c.State == "" || alarming(c.State)
}

// drifted reports whether a gateway listed in both snapshots changed in what
// an observation of it reports: its state, its addresses or its tags.
func drifted(prev, next types.NatGateway) bool {
	if prev.State != next.State {
		return true
	}
	if !maps.Equal(ec2client.TagMap(prev.Tags), ec2client.TagMap(next.Tags)) {
		return true
	}
	return !slices.EqualFunc(prev.NatGatewayAddresses, next.NatGatewayAddresses, sameAddress)
}

// sameAddress reports whether two listed addresses of a gateway are the
// same, in the same state.
func sameAddress(a, b types.NatGatewayAddress) bool {
	return aws.ToString(a.AllocationId) == aws.ToString(b.AllocationId) &&
		aws.ToString(a.AssociationId) == aws.ToString(b.AssociationId) &&
		aws.ToString(a.NetworkInterfaceId) == aws.ToString(b.NetworkInterfaceId) &&
		aws.ToString(a.PrivateIp) == aws.ToString(b.PrivateIp) &&
		aws.ToString(a.PublicIp) == aws.ToString(b.PublicIp) &&
		aws.ToBool(a.IsPrimary) == aws.ToBool(b.IsPrimary) &&
		a.Status == b.Status
}
