// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// An sdkClient is the SDK's EC2 client as an API: the client's operations
// that API calls, as method values. Neither it nor anything it holds is of
// the SDK's client type, so that type is never held as an interface, where
// reflection could reach all of its methods: the linker then keeps only the
// operations API calls, not the SDK's hundreds of others with their
// serializers, which would be a third of the provider's binary and of its
// resident memory.
type sdkClient struct {
	createNatGateway                 func(context.Context, *ec2.CreateNatGatewayInput, ...func(*ec2.Options)) (*ec2.CreateNatGatewayOutput, error)
	describeNatGateways              func(context.Context, *ec2.DescribeNatGatewaysInput, ...func(*ec2.Options)) (*ec2.DescribeNatGatewaysOutput, error)
	deleteNatGateway                 func(context.Context, *ec2.DeleteNatGatewayInput, ...func(*ec2.Options)) (*ec2.DeleteNatGatewayOutput, error)
	associateNatGatewayAddress       func(context.Context, *ec2.AssociateNatGatewayAddressInput, ...func(*ec2.Options)) (*ec2.AssociateNatGatewayAddressOutput, error)
	disassociateNatGatewayAddress    func(context.Context, *ec2.DisassociateNatGatewayAddressInput, ...func(*ec2.Options)) (*ec2.DisassociateNatGatewayAddressOutput, error)
	assignPrivateNatGatewayAddress   func(context.Context, *ec2.AssignPrivateNatGatewayAddressInput, ...func(*ec2.Options)) (*ec2.AssignPrivateNatGatewayAddressOutput, error)
	unassignPrivateNatGatewayAddress func(context.Context, *ec2.UnassignPrivateNatGatewayAddressInput, ...func(*ec2.Options)) (*ec2.UnassignPrivateNatGatewayAddressOutput, error)
	allocateAddress                  func(context.Context, *ec2.AllocateAddressInput, ...func(*ec2.Options)) (*ec2.AllocateAddressOutput, error)
	releaseAddress                   func(context.Context, *ec2.ReleaseAddressInput, ...func(*ec2.Options)) (*ec2.ReleaseAddressOutput, error)
	describeAddresses                func(context.Context, *ec2.DescribeAddressesInput, ...func(*ec2.Options)) (*ec2.DescribeAddressesOutput, error)
	createRoute                      func(context.Context, *ec2.CreateRouteInput, ...func(*ec2.Options)) (*ec2.CreateRouteOutput, error)
	replaceRoute                     func(context.Context, *ec2.ReplaceRouteInput, ...func(*ec2.Options)) (*ec2.ReplaceRouteOutput, error)
	deleteRoute                      func(context.Context, *ec2.DeleteRouteInput, ...func(*ec2.Options)) (*ec2.DeleteRouteOutput, error)
	describeRouteTables              func(context.Context, *ec2.DescribeRouteTablesInput, ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error)
	createTags                       func(context.Context, *ec2.CreateTagsInput, ...func(*ec2.Options)) (*ec2.CreateTagsOutput, error)
	deleteTags                       func(context.Context, *ec2.DeleteTagsInput, ...func(*ec2.Options)) (*ec2.DeleteTagsOutput, error)

	// once retries only errors after which the request cannot have been
	// applied: the retryer of the calls EC2 cannot recognise as a repeat
	// (see retry.go).
	once aws.Retryer
}

var _ API = &sdkClient{}

// newSDKClient returns the operations of c as an API, with retries of its
// non-idempotent calls limited to unapplied errors.
func newSDKClient(c *ec2.Client) *sdkClient {
	return &sdkClient{
		once: retry.NewStandard(ec2Retries, func(o *retry.StandardOptions) {
			o.Retryables = unapplied()
		}),
		createNatGateway:                 c.CreateNatGateway,
		describeNatGateways:              c.DescribeNatGateways,
		deleteNatGateway:                 c.DeleteNatGateway,
		associateNatGatewayAddress:       c.AssociateNatGatewayAddress,
		disassociateNatGatewayAddress:    c.DisassociateNatGatewayAddress,
		assignPrivateNatGatewayAddress:   c.AssignPrivateNatGatewayAddress,
		unassignPrivateNatGatewayAddress: c.UnassignPrivateNatGatewayAddress,
		allocateAddress:                  c.AllocateAddress,
		releaseAddress:                   c.ReleaseAddress,
		describeAddresses:                c.DescribeAddresses,
		createRoute:                      c.CreateRoute,
		replaceRoute:                     c.ReplaceRoute,
		deleteRoute:                      c.DeleteRoute,
		describeRouteTables:              c.DescribeRouteTables,
		createTags:                       c.CreateTags,
		deleteTags:                       c.DeleteTags,
	}
}

// CreateNatGateway calls the SDK's CreateNatGateway.
func (s *sdkClient) CreateNatGateway(ctx context.Context, in *ec2.CreateNatGatewayInput, opts ...func(*ec2.Options)) (*ec2.CreateNatGatewayOutput, error) {
	return s.createNatGateway(ctx, in, opts...)
}

// DescribeNatGateways calls the SDK's DescribeNatGateways.
func (s *sdkClient) DescribeNatGateways(ctx context.Context, in *ec2.DescribeNatGatewaysInput, opts ...func(*ec2.Options)) (*ec2.DescribeNatGatewaysOutput, error) {
	return s.describeNatGateways(ctx, in, opts...)
}

// DeleteNatGateway calls the SDK's DeleteNatGateway.
func (s *sdkClient) DeleteNatGateway(ctx context.Context, in *ec2.DeleteNatGatewayInput, opts ...func(*ec2.Options)) (*ec2.DeleteNatGatewayOutput, error) {
	return s.deleteNatGateway(ctx, in, opts...)
}

// AssociateNatGatewayAddress calls the SDK's AssociateNatGatewayAddress.
func (s *sdkClient) AssociateNatGatewayAddress(ctx context.Context, in *ec2.AssociateNatGatewayAddressInput, opts ...func(*ec2.Options)) (*ec2.AssociateNatGatewayAddressOutput, error) {
	return s.associateNatGatewayAddress(ctx, in, opts...)
}

// DisassociateNatGatewayAddress calls the SDK's DisassociateNatGatewayAddress.
func (s *sdkClient) DisassociateNatGatewayAddress(ctx context.Context, in *ec2.DisassociateNatGatewayAddressInput, opts ...func(*ec2.Options)) (*ec2.DisassociateNatGatewayAddressOutput, error) {
	return s.disassociateNatGatewayAddress(ctx, in, opts...)
}

// AssignPrivateNatGatewayAddress calls the SDK's AssignPrivateNatGatewayAddress.
func (s *sdkClient) AssignPrivateNatGatewayAddress(ctx context.Context, in *ec2.AssignPrivateNatGatewayAddressInput, opts ...func(*ec2.Options)) (*ec2.AssignPrivateNatGatewayAddressOutput, error) {
	return s.assignPrivateNatGatewayAddress(ctx, in, s.retryOnce(opts)...)
}

// UnassignPrivateNatGatewayAddress calls the SDK's UnassignPrivateNatGatewayAddress.
func (s *sdkClient) UnassignPrivateNatGatewayAddress(ctx context.Context, in *ec2.UnassignPrivateNatGatewayAddressInput, opts ...func(*ec2.Options)) (*ec2.UnassignPrivateNatGatewayAddressOutput, error) {
	return s.unassignPrivateNatGatewayAddress(ctx, in, opts...)
}

// AllocateAddress calls the SDK's AllocateAddress.
func (s *sdkClient) AllocateAddress(ctx context.Context, in *ec2.AllocateAddressInput, opts ...func(*ec2.Options)) (*ec2.AllocateAddressOutput, error) {
	return s.allocateAddress(ctx, in, s.retryOnce(opts)...)
}

// ReleaseAddress calls the SDK's ReleaseAddress.
func (s *sdkClient) ReleaseAddress(ctx context.Context, in *ec2.ReleaseAddressInput, opts ...func(*ec2.Options)) (*ec2.ReleaseAddressOutput, error) {
	return s.releaseAddress(ctx, in, opts...)
}

// DescribeAddresses calls the SDK's DescribeAddresses.
func (s *sdkClient) DescribeAddresses(ctx context.Context, in *ec2.DescribeAddressesInput, opts ...func(*ec2.Options)) (*ec2.DescribeAddressesOutput, error) {
	return s.describeAddresses(ctx, in, opts...)
}

// CreateRoute calls the SDK's CreateRoute.
func (s *sdkClient) CreateRoute(ctx context.Context, in *ec2.CreateRouteInput, opts ...func(*ec2.Options)) (*ec2.CreateRouteOutput, error) {
	return s.createRoute(ctx, in, s.retryOnce(opts)...)
}

// ReplaceRoute calls the SDK's ReplaceRoute.
func (s *sdkClient) ReplaceRoute(ctx context.Context, in *ec2.ReplaceRouteInput, opts ...func(*ec2.Options)) (*ec2.ReplaceRouteOutput, error) {
	return s.replaceRoute(ctx, in, opts...)
}

// DeleteRoute calls the SDK's DeleteRoute.
func (s *sdkClient) DeleteRoute(ctx context.Context, in *ec2.DeleteRouteInput, opts ...func(*ec2.Options)) (*ec2.DeleteRouteOutput, error) {
	return s.deleteRoute(ctx, in, opts...)
}

// DescribeRouteTables calls the SDK's DescribeRouteTables.
func (s *sdkClient) DescribeRouteTables(ctx context.Context, in *ec2.DescribeRouteTablesInput, opts ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error) {
	return s.describeRouteTables(ctx, in, opts...)
}

// CreateTags calls the SDK's CreateTags.
func (s *sdkClient) CreateTags(ctx context.Context, in *ec2.CreateTagsInput, opts ...func(*ec2.Options)) (*ec2.CreateTagsOutput, error) {
	return s.createTags(ctx, in, opts...)
}

// DeleteTags calls the SDK's DeleteTags.
func (s *sdkClient) DeleteTags(ctx context.Context, in *ec2.DeleteTagsInput, opts ...func(*ec2.Options)) (*ec2.DeleteTagsOutput, error) {
	return s.deleteTags(ctx, in, opts...)
}
