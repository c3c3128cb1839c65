// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// describeNatGateways is an API whose DescribeNatGateways calls fn; any other
// call panics.
type describeNatGateways struct {
	API
	fn func(in *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error)
}

func (d describeNatGateways) DescribeNatGateways(_ context.Context, in *ec2.DescribeNatGatewaysInput, _ ...func(*ec2.Options)) (*ec2.DescribeNatGatewaysOutput, error) {
	return d.fn(in)
}

func TestDescribeNATGateway(t *testing.T) {
	const id = "nat-0123456789abcdef0"
	boom := errors.New("boom")
	gw := types.NatGateway{NatGatewayId: aws.String(id), State: types.NatGatewayStateAvailable}
	type want struct {
		gw  *types.NatGateway
		err error
	}
	cases := map[string]struct {
		reason string
		out    *ec2.DescribeNatGatewaysOutput
		err    error
		want   want
	}{
		"Found": {
			reason: "The gateway with the ID is returned.",
			out:    &ec2.DescribeNatGatewaysOutput{NatGateways: []types.NatGateway{{NatGatewayId: aws.String("nat-other")}, gw}},
			want:   want{gw: &gw},
		},
		"NotFoundError": {
			reason: "EC2's not-found error means the gateway is gone.",
			err:    &smithy.GenericAPIError{Code: CodeNatGatewayNotFound},
			want:   want{},
		},
		"NotInAnswer": {
			reason: "An answer without the gateway, as some endpoints give, means the gateway is gone.",
			out:    &ec2.DescribeNatGatewaysOutput{NatGateways: []types.NatGateway{{NatGatewayId: aws.String("nat-other")}}},
			want:   want{},
		},
		"Error": {
			reason: "Other errors are returned.",
			err:    boom,
			want:   want{err: boom},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var ids []string
			api := describeNatGateways{fn: func(in *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
				ids = in.NatGatewayIds
				return tc.out, tc.err
			}}
			got, err := DescribeNATGateway(context.Background(), api, id)
			if diff := cmp.Diff(tc.want.err, err, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("\n%s\nDescribeNATGateway(...): -want error, +got error:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.gw, got, cmpopts.IgnoreUnexported(types.NatGateway{})); diff != "" {
				t.Errorf("\n%s\nDescribeNATGateway(...): -want, +got:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff([]string{id}, ids); diff != "" {
				t.Errorf("\n%s\nDescribeNatGateways IDs: -want, +got:\n%s\n", tc.reason, diff)
			}
		})
	}
}
