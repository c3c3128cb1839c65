// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// Explaining returns api with every error it returns told as a RefusalError:
// one sentence naming the EC2 code, the spec field and the fix, in scope.
func Explaining(api API, s Scope) API {
	return &explainingAPI{api: api, scope: s}
}

// ScopeOf returns the scope of a client Explaining made; of another client
// it knows only the region the caller gives.
func ScopeOf(api API, region string) Scope {
	if e, ok := api.(*explainingAPI); ok {
		return e.scope
	}
	return Scope{Region: region}
}

type explainingAPI struct {
	api   API
	scope Scope
}

func (e *explainingAPI) explain(err error, op string, params ...Param) error {
	return explain(err, op, e.scope, params...)
}

func natGatewayParam(id *string) Param {
	return Param{Field: FieldNATGatewayID, Value: aws.ToString(id)}
}

func (e *explainingAPI) CreateNatGateway(ctx context.Context, in *ec2.CreateNatGatewayInput, opts ...func(*ec2.Options)) (*ec2.CreateNatGatewayOutput, error) {
	out, err := e.api.CreateNatGateway(ctx, in, opts...)
	zones := make([]string, 0, len(in.AvailabilityZoneAddresses))
	for _, z := range in.AvailabilityZoneAddresses {
		zones = append(zones, z.AllocationIds...)
	}
	return out, e.explain(err, "CreateNatGateway",
		Param{FieldSubnetID, aws.ToString(in.SubnetId)},
		Param{FieldVpcID, aws.ToString(in.VpcId)},
		Param{FieldAllocationID, aws.ToString(in.AllocationId)},
		Param{FieldSecondaryAllocationIDs, strings.Join(in.SecondaryAllocationIds, ",")},
		Param{FieldAvailabilityZoneAddresses, strings.Join(zones, ",")},
		Param{FieldPrivateIPAddress, aws.ToString(in.PrivateIpAddress)},
		Param{FieldSecondaryPrivateIPAddresses, strings.Join(in.SecondaryPrivateIpAddresses, ",")})
}

func (e *explainingAPI) DescribeNatGateways(ctx context.Context, in *ec2.DescribeNatGatewaysInput, opts ...func(*ec2.Options)) (*ec2.DescribeNatGatewaysOutput, error) {
	out, err := e.api.DescribeNatGateways(ctx, in, opts...)
	return out, e.explain(err, "DescribeNatGateways", Param{FieldNATGatewayID, strings.Join(in.NatGatewayIds, ",")})
}

func (e *explainingAPI) DeleteNatGateway(ctx context.Context, in *ec2.DeleteNatGatewayInput, opts ...func(*ec2.Options)) (*ec2.DeleteNatGatewayOutput, error) {
	out, err := e.api.DeleteNatGateway(ctx, in, opts...)
	return out, e.explain(err, "DeleteNatGateway", natGatewayParam(in.NatGatewayId))
}

func (e *explainingAPI) AssociateNatGatewayAddress(ctx context.Context, in *ec2.AssociateNatGatewayAddressInput, opts ...func(*ec2.Options)) (*ec2.AssociateNatGatewayAddressOutput, error) {
	out, err := e.api.AssociateNatGatewayAddress(ctx, in, opts...)
	return out, e.explain(err, "AssociateNatGatewayAddress", natGatewayParam(in.NatGatewayId),
		Param{FieldSecondaryAllocationIDs, strings.Join(in.AllocationIds, ",")},
		Param{FieldSecondaryPrivateIPAddresses, strings.Join(in.PrivateIpAddresses, ",")})
}

func (e *explainingAPI) DisassociateNatGatewayAddress(ctx context.Context, in *ec2.DisassociateNatGatewayAddressInput, opts ...func(*ec2.Options)) (*ec2.DisassociateNatGatewayAddressOutput, error) {
	out, err := e.api.DisassociateNatGatewayAddress(ctx, in, opts...)
	return out, e.explain(err, "DisassociateNatGatewayAddress", natGatewayParam(in.NatGatewayId))
}

func (e *explainingAPI) AssignPrivateNatGatewayAddress(ctx context.Context, in *ec2.AssignPrivateNatGatewayAddressInput, opts ...func(*ec2.Options)) (*ec2.AssignPrivateNatGatewayAddressOutput, error) {
	out, err := e.api.AssignPrivateNatGatewayAddress(ctx, in, opts...)
	return out, e.explain(err, "AssignPrivateNatGatewayAddress", natGatewayParam(in.NatGatewayId),
		Param{FieldSecondaryPrivateIPAddresses, strings.Join(in.PrivateIpAddresses, ",")})
}

func (e *explainingAPI) UnassignPrivateNatGatewayAddress(ctx context.Context, in *ec2.UnassignPrivateNatGatewayAddressInput, opts ...func(*ec2.Options)) (*ec2.UnassignPrivateNatGatewayAddressOutput, error) {
	out, err := e.api.UnassignPrivateNatGatewayAddress(ctx, in, opts...)
	return out, e.explain(err, "UnassignPrivateNatGatewayAddress", natGatewayParam(in.NatGatewayId),
		Param{FieldSecondaryPrivateIPAddresses, strings.Join(in.PrivateIpAddresses, ",")})
}

func (e *explainingAPI) AllocateAddress(ctx context.Context, in *ec2.AllocateAddressInput, opts ...func(*ec2.Options)) (*ec2.AllocateAddressOutput, error) {
	out, err := e.api.AllocateAddress(ctx, in, opts...)
	return out, e.explain(err, "AllocateAddress",
		Param{FieldAddress, aws.ToString(in.Address)},
		Param{FieldPublicIPv4Pool, aws.ToString(in.PublicIpv4Pool)},
		Param{FieldNetworkBorderGroup, aws.ToString(in.NetworkBorderGroup)})
}

func (e *explainingAPI) ReleaseAddress(ctx context.Context, in *ec2.ReleaseAddressInput, opts ...func(*ec2.Options)) (*ec2.ReleaseAddressOutput, error) {
	out, err := e.api.ReleaseAddress(ctx, in, opts...)
	return out, e.explain(err, "ReleaseAddress", Param{FieldAllocationID, aws.ToString(in.AllocationId)})
}

func (e *explainingAPI) DescribeAddresses(ctx context.Context, in *ec2.DescribeAddressesInput, opts ...func(*ec2.Options)) (*ec2.DescribeAddressesOutput, error) {
	out, err := e.api.DescribeAddresses(ctx, in, opts...)
	return out, e.explain(err, "DescribeAddresses", Param{FieldAllocationID, strings.Join(in.AllocationIds, ",")})
}

// routeParams are the fields a route request sends.
func routeParams(table, cidr, ipv6, prefixList, nat *string) []Param {
	return []Param{
		{FieldRouteTableID, aws.ToString(table)},
		{FieldDestinationCidrBlock, aws.ToString(cidr)},
		{FieldDestinationIPv6CidrBlock, aws.ToString(ipv6)},
		{FieldDestinationPrefixListID, aws.ToString(prefixList)},
		{FieldNATGatewayID, aws.ToString(nat)},
	}
}

func (e *explainingAPI) CreateRoute(ctx context.Context, in *ec2.CreateRouteInput, opts ...func(*ec2.Options)) (*ec2.CreateRouteOutput, error) {
	out, err := e.api.CreateRoute(ctx, in, opts...)
	return out, e.explain(err, "CreateRoute", routeParams(in.RouteTableId, in.DestinationCidrBlock, in.DestinationIpv6CidrBlock, in.DestinationPrefixListId, in.NatGatewayId)...)
}

func (e *explainingAPI) ReplaceRoute(ctx context.Context, in *ec2.ReplaceRouteInput, opts ...func(*ec2.Options)) (*ec2.ReplaceRouteOutput, error) {
	out, err := e.api.ReplaceRoute(ctx, in, opts...)
	return out, e.explain(err, "ReplaceRoute", routeParams(in.RouteTableId, in.DestinationCidrBlock, in.DestinationIpv6CidrBlock, in.DestinationPrefixListId, in.NatGatewayId)...)
}

func (e *explainingAPI) DeleteRoute(ctx context.Context, in *ec2.DeleteRouteInput, opts ...func(*ec2.Options)) (*ec2.DeleteRouteOutput, error) {
	out, err := e.api.DeleteRoute(ctx, in, opts...)
	return out, e.explain(err, "DeleteRoute", routeParams(in.RouteTableId, in.DestinationCidrBlock, in.DestinationIpv6CidrBlock, in.DestinationPrefixListId, nil)...)
}

func (e *explainingAPI) DescribeRouteTables(ctx context.Context, in *ec2.DescribeRouteTablesInput, opts ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error) {
	out, err := e.api.DescribeRouteTables(ctx, in, opts...)
	return out, e.explain(err, "DescribeRouteTables", Param{FieldRouteTableID, strings.Join(in.RouteTableIds, ",")})
}

func (e *explainingAPI) CreateTags(ctx context.Context, in *ec2.CreateTagsInput, opts ...func(*ec2.Options)) (*ec2.CreateTagsOutput, error) {
	out, err := e.api.CreateTags(ctx, in, opts...)
	return out, e.explain(err, "CreateTags")
}

func (e *explainingAPI) DeleteTags(ctx context.Context, in *ec2.DeleteTagsInput, opts ...func(*ec2.Options)) (*ec2.DeleteTagsOutput, error) {
	out, err := e.api.DeleteTags(ctx, in, opts...)
	return out, e.explain(err, "DeleteTags")
}
