// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"k8s.io/utils/ptr"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// errNoTarget explains a Route without a target.
var errNoTarget = errors.New("natGatewayId is not set: set spec.forProvider.natGatewayId, natGatewayIdRef or natGatewayIdSelector")

// findRoute returns the route of rt with the destination p sets, or nil.
func findRoute(rt types.RouteTable, p v1alpha1.RouteParameters) *types.Route {
	for i := range rt.Routes {
		r := &rt.Routes[i]
		switch {
		case aws.ToString(p.DestinationCidrBlock) != "":
			if r.DestinationCidrBlock != nil && canonical(*r.DestinationCidrBlock) == canonical(*p.DestinationCidrBlock) {
				return r
			}
		case aws.ToString(p.DestinationIPv6CidrBlock) != "":
			if r.DestinationIpv6CidrBlock != nil && canonical(*r.DestinationIpv6CidrBlock) == canonical(*p.DestinationIPv6CidrBlock) {
				return r
			}
		case aws.ToString(p.DestinationPrefixListID) != "":
			if aws.ToString(r.DestinationPrefixListId) == *p.DestinationPrefixListID {
				return r
			}
		}
	}
	return nil
}

// generateObservation returns the state of route r of table tableID as
// status reports it.
func generateObservation(tableID string, r types.Route) v1alpha1.RouteObservation {
	o := v1alpha1.RouteObservation{
		RouteTableID: aws.String(tableID),
		NATGatewayID: r.NatGatewayId,
		GatewayID:    nonEmpty(otherTarget(r)),
		State:        nonEmpty(string(r.State)),
		Origin:       nonEmpty(string(r.Origin)),
	}
	for _, d := range []*string{r.DestinationCidrBlock, r.DestinationIpv6CidrBlock, r.DestinationPrefixListId} {
		if aws.ToString(d) != "" {
			o.Destination = d
			break
		}
	}
	return o
}

// otherTarget returns the target of r when it is not a NAT gateway, or "".
func otherTarget(r types.Route) string {
	for _, t := range []*string{
		r.GatewayId, r.TransitGatewayId, r.NetworkInterfaceId, r.InstanceId, r.VpcPeeringConnectionId,
		r.EgressOnlyInternetGatewayId, r.LocalGatewayId, r.CarrierGatewayId, r.CoreNetworkArn, r.OdbNetworkArn,
	} {
		if aws.ToString(t) != "" {
			return *t
		}
	}
	return ""
}

// target returns what r points at, for messages.
func target(r types.Route) string {
	if id := aws.ToString(r.NatGatewayId); id != "" {
		return id
	}
	if t := otherTarget(r); t != "" {
		return t
	}
	return "no target"
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return ptr.To(s)
}

// checkDestinationAndTarget returns an error when p names no single
// destination or no target.
func checkDestinationAndTarget(p v1alpha1.RouteParameters) error {
	if _, err := destination(p); err != nil {
		return err
	}
	if ptr.Deref(p.NATGatewayID, "") == "" {
		return errNoTarget
	}
	return nil
}

// generateCreateRouteInput returns the request that creates the route of p.
func generateCreateRouteInput(p v1alpha1.RouteParameters) (*ec2.CreateRouteInput, error) {
	if err := checkDestinationAndTarget(p); err != nil {
		return nil, err
	}
	return &ec2.CreateRouteInput{
		RouteTableId:             aws.String(p.RouteTableID),
		DestinationCidrBlock:     p.DestinationCidrBlock,
		DestinationIpv6CidrBlock: p.DestinationIPv6CidrBlock,
		DestinationPrefixListId:  p.DestinationPrefixListID,
		NatGatewayId:             p.NATGatewayID,
	}, nil
}

// generateReplaceRouteInput returns the request that points the route of p
// at its target.
func generateReplaceRouteInput(p v1alpha1.RouteParameters) (*ec2.ReplaceRouteInput, error) {
	if err := checkDestinationAndTarget(p); err != nil {
		return nil, err
	}
	return &ec2.ReplaceRouteInput{
		RouteTableId:             aws.String(p.RouteTableID),
		DestinationCidrBlock:     p.DestinationCidrBlock,
		DestinationIpv6CidrBlock: p.DestinationIPv6CidrBlock,
		DestinationPrefixListId:  p.DestinationPrefixListID,
		NatGatewayId:             p.NATGatewayID,
	}, nil
}

// generateDeleteRouteInput returns the request that deletes the route of p,
// and only that route.
func generateDeleteRouteInput(p v1alpha1.RouteParameters) (*ec2.DeleteRouteInput, error) {
	if _, err := destination(p); err != nil {
		return nil, err
	}
	return &ec2.DeleteRouteInput{
		RouteTableId:             aws.String(p.RouteTableID),
		DestinationCidrBlock:     p.DestinationCidrBlock,
		DestinationIpv6CidrBlock: p.DestinationIPv6CidrBlock,
		DestinationPrefixListId:  p.DestinationPrefixListID,
	}, nil
}
