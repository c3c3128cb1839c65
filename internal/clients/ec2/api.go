// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// API is the part of the EC2 API the provider calls. *ec2.Client satisfies
// it; tests use the struct-of-functions fake in package fake.
type API interface {
	// NAT gateways.
	CreateNatGateway(ctx context.Context, in *ec2.CreateNatGatewayInput, opts ...func(*ec2.Options)) (*ec2.CreateNatGatewayOutput, error)
	DescribeNatGateways(ctx context.Context, in *ec2.DescribeNatGatewaysInput, opts ...func(*ec2.Options)) (*ec2.DescribeNatGatewaysOutput, error)
	DeleteNatGateway(ctx context.Context, in *ec2.DeleteNatGatewayInput, opts ...func(*ec2.Options)) (*ec2.DeleteNatGatewayOutput, error)
	AssociateNatGatewayAddress(ctx context.Context, in *ec2.AssociateNatGatewayAddressInput, opts ...func(*ec2.Options)) (*ec2.AssociateNatGatewayAddressOutput, error)
	DisassociateNatGatewayAddress(ctx context.Context, in *ec2.DisassociateNatGatewayAddressInput, opts ...func(*ec2.Options)) (*ec2.DisassociateNatGatewayAddressOutput, error)
	AssignPrivateNatGatewayAddress(ctx context.Context, in *ec2.AssignPrivateNatGatewayAddressInput, opts ...func(*ec2.Options)) (*ec2.AssignPrivateNatGatewayAddressOutput, error)
	UnassignPrivateNatGatewayAddress(ctx context.Context, in *ec2.UnassignPrivateNatGatewayAddressInput, opts ...func(*ec2.Options)) (*ec2.UnassignPrivateNatGatewayAddressOutput, error)

	// Elastic IP addresses.
	AllocateAddress(ctx context.Context, in *ec2.AllocateAddressInput, opts ...func(*ec2.Options)) (*ec2.AllocateAddressOutput, error)
	ReleaseAddress(ctx context.Context, in *ec2.ReleaseAddressInput, opts ...func(*ec2.Options)) (*ec2.ReleaseAddressOutput, error)
	DescribeAddresses(ctx context.Context, in *ec2.DescribeAddressesInput, opts ...func(*ec2.Options)) (*ec2.DescribeAddressesOutput, error)

	// Routes.
	CreateRoute(ctx context.Context, in *ec2.CreateRouteInput, opts ...func(*ec2.Options)) (*ec2.CreateRouteOutput, error)
	ReplaceRoute(ctx context.Context, in *ec2.ReplaceRouteInput, opts ...func(*ec2.Options)) (*ec2.ReplaceRouteOutput, error)
	DeleteRoute(ctx context.Context, in *ec2.DeleteRouteInput, opts ...func(*ec2.Options)) (*ec2.DeleteRouteOutput, error)
	DescribeRouteTables(ctx context.Context, in *ec2.DescribeRouteTablesInput, opts ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error)

	// Tags.
	CreateTags(ctx context.Context, in *ec2.CreateTagsInput, opts ...func(*ec2.Options)) (*ec2.CreateTagsOutput, error)
	DeleteTags(ctx context.Context, in *ec2.DeleteTagsInput, opts ...func(*ec2.Options)) (*ec2.DeleteTagsOutput, error)
}
