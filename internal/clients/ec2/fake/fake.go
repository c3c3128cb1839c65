// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package fake is a struct-of-functions fake of the provider's EC2 API for
// unit tests. A call whose function is not set fails the test's expectations
// with ErrNotExpected.
package fake

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// ErrNotExpected is returned by calls the test did not set up.
var ErrNotExpected = errors.New("unexpected EC2 call")

var _ ec2client.API = &EC2{}

// EC2 fakes ec2client.API with one function per call.
type EC2 struct {
	MockCreateNatGateway                 func(ctx context.Context, in *ec2.CreateNatGatewayInput) (*ec2.CreateNatGatewayOutput, error)
	MockDescribeNatGateways              func(ctx context.Context, in *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error)
	MockDeleteNatGateway                 func(ctx context.Context, in *ec2.DeleteNatGatewayInput) (*ec2.DeleteNatGatewayOutput, error)
	MockAssociateNatGatewayAddress       func(ctx context.Context, in *ec2.AssociateNatGatewayAddressInput) (*ec2.AssociateNatGatewayAddressOutput, error)
	MockDisassociateNatGatewayAddress    func(ctx context.Context, in *ec2.DisassociateNatGatewayAddressInput) (*ec2.DisassociateNatGatewayAddressOutput, error)
	MockAssignPrivateNatGatewayAddress   func(ctx context.Context, in *ec2.AssignPrivateNatGatewayAddressInput) (*ec2.AssignPrivateNatGatewayAddressOutput, error)
	MockUnassignPrivateNatGatewayAddress func(ctx context.Context, in *ec2.UnassignPrivateNatGatewayAddressInput) (*ec2.UnassignPrivateNatGatewayAddressOutput, error)
	MockAllocateAddress                  func(ctx context.Context, in *ec2.AllocateAddressInput) (*ec2.AllocateAddressOutput, error)
	MockReleaseAddress                   func(ctx context.Context, in *ec2.ReleaseAddressInput) (*ec2.ReleaseAddressOutput, error)
	MockDescribeAddresses                func(ctx context.Context, in *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error)
	MockCreateRoute                      func(ctx context.Context, in *ec2.CreateRouteInput) (*ec2.CreateRouteOutput, error)
	MockReplaceRoute                     func(ctx context.Context, in *ec2.ReplaceRouteInput) (*ec2.ReplaceRouteOutput, error)
	MockDeleteRoute                      func(ctx context.Context, in *ec2.DeleteRouteInput) (*ec2.DeleteRouteOutput, error)
	MockDescribeRouteTables              func(ctx context.Context, in *ec2.DescribeRouteTablesInput) (*ec2.DescribeRouteTablesOutput, error)
	MockCreateTags                       func(ctx context.Context, in *ec2.CreateTagsInput) (*ec2.CreateTagsOutput, error)
	MockDeleteTags                       func(ctx context.Context, in *ec2.DeleteTagsInput) (*ec2.DeleteTagsOutput, error)
}

// call runs fn, or fails with ErrNotExpected when the test did not set it.
func call[I, O any](ctx context.Context, fn func(context.Context, I) (O, error), in I) (O, error) {
	if fn == nil {
		var zero O
		return zero, ErrNotExpected
	}
	return fn(ctx, in)
}

// CreateNatGateway calls MockCreateNatGateway.
func (e *EC2) CreateNatGateway(ctx context.Context, in *ec2.CreateNatGatewayInput, _ ...func(*ec2.Options)) (*ec2.CreateNatGatewayOutput, error) {
	return call(ctx, e.MockCreateNatGateway, in)
}

// DescribeNatGateways calls MockDescribeNatGateways.
func (e *EC2) DescribeNatGateways(ctx context.Context, in *ec2.DescribeNatGatewaysInput, _ ...func(*ec2.Options)) (*ec2.DescribeNatGatewaysOutput, error) {
	return call(ctx, e.MockDescribeNatGateways, in)
}

// DeleteNatGateway calls MockDeleteNatGateway.
func (e *EC2) DeleteNatGateway(ctx context.Context, in *ec2.DeleteNatGatewayInput, _ ...func(*ec2.Options)) (*ec2.DeleteNatGatewayOutput, error) {
	return call(ctx, e.MockDeleteNatGateway, in)
}

// AssociateNatGatewayAddress calls MockAssociateNatGatewayAddress.
func (e *EC2) AssociateNatGatewayAddress(ctx context.Context, in *ec2.AssociateNatGatewayAddressInput, _ ...func(*ec2.Options)) (*ec2.AssociateNatGatewayAddressOutput, error) {
	return call(ctx, e.MockAssociateNatGatewayAddress, in)
}

// DisassociateNatGatewayAddress calls MockDisassociateNatGatewayAddress.
func (e *EC2) DisassociateNatGatewayAddress(ctx context.Context, in *ec2.DisassociateNatGatewayAddressInput, _ ...func(*ec2.Options)) (*ec2.DisassociateNatGatewayAddressOutput, error) {
	return call(ctx, e.MockDisassociateNatGatewayAddress, in)
}

// AssignPrivateNatGatewayAddress calls MockAssignPrivateNatGatewayAddress.
func (e *EC2) AssignPrivateNatGatewayAddress(ctx context.Context, in *ec2.AssignPrivateNatGatewayAddressInput, _ ...func(*ec2.Options)) (*ec2.AssignPrivateNatGatewayAddressOutput, error) {
	return call(ctx, e.MockAssignPrivateNatGatewayAddress, in)
}

// UnassignPrivateNatGatewayAddress calls MockUnassignPrivateNatGatewayAddress.
func (e *EC2) UnassignPrivateNatGatewayAddress(ctx context.Context, in *ec2.UnassignPrivateNatGatewayAddressInput, _ ...func(*ec2.Options)) (*ec2.UnassignPrivateNatGatewayAddressOutput, error) {
	return call(ctx, e.MockUnassignPrivateNatGatewayAddress, in)
}

// AllocateAddress calls MockAllocateAddress.
func (e *EC2) AllocateAddress(ctx context.Context, in *ec2.AllocateAddressInput, _ ...func(*ec2.Options)) (*ec2.AllocateAddressOutput, error) {
	return call(ctx, e.MockAllocateAddress, in)
}

// ReleaseAddress calls MockReleaseAddress.
func (e *EC2) ReleaseAddress(ctx context.Context, in *ec2.ReleaseAddressInput, _ ...func(*ec2.Options)) (*ec2.ReleaseAddressOutput, error) {
	return call(ctx, e.MockReleaseAddress, in)
}

// DescribeAddresses calls MockDescribeAddresses.
func (e *EC2) DescribeAddresses(ctx context.Context, in *ec2.DescribeAddressesInput, _ ...func(*ec2.Options)) (*ec2.DescribeAddressesOutput, error) {
	return call(ctx, e.MockDescribeAddresses, in)
}

// CreateRoute calls MockCreateRoute.
func (e *EC2) CreateRoute(ctx context.Context, in *ec2.CreateRouteInput, _ ...func(*ec2.Options)) (*ec2.CreateRouteOutput, error) {
	return call(ctx, e.MockCreateRoute, in)
}

// ReplaceRoute calls MockReplaceRoute.
func (e *EC2) ReplaceRoute(ctx context.Context, in *ec2.ReplaceRouteInput, _ ...func(*ec2.Options)) (*ec2.ReplaceRouteOutput, error) {
	return call(ctx, e.MockReplaceRoute, in)
}

// DeleteRoute calls MockDeleteRoute.
func (e *EC2) DeleteRoute(ctx context.Context, in *ec2.DeleteRouteInput, _ ...func(*ec2.Options)) (*ec2.DeleteRouteOutput, error) {
	return call(ctx, e.MockDeleteRoute, in)
}

// DescribeRouteTables calls MockDescribeRouteTables.
func (e *EC2) DescribeRouteTables(ctx context.Context, in *ec2.DescribeRouteTablesInput, _ ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error) {
	return call(ctx, e.MockDescribeRouteTables, in)
}

// CreateTags calls MockCreateTags.
func (e *EC2) CreateTags(ctx context.Context, in *ec2.CreateTagsInput, _ ...func(*ec2.Options)) (*ec2.CreateTagsOutput, error) {
	return call(ctx, e.MockCreateTags, in)
}

// DeleteTags calls MockDeleteTags.
func (e *EC2) DeleteTags(ctx context.Context, in *ec2.DeleteTagsInput, _ ...func(*ec2.Options)) (*ec2.DeleteTagsOutput, error) {
	return call(ctx, e.MockDeleteTags, in)
}
