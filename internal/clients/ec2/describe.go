// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// NATGatewayConsistencyWindow is how long after a NAT gateway is created
// EC2 may still answer that it does not know it: its API is eventually
// consistent.
const NATGatewayConsistencyWindow = 30 * time.Second

// DescribeNATGateway returns the NAT gateway with ID id, or nil when EC2 does
// not know it: a not-found error or an answer without it, depending on the
// endpoint.
func DescribeNATGateway(ctx context.Context, api API, id string) (*types.NatGateway, error) {
	out, err := api.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
	if IsNATGatewayNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for i := range out.NatGateways {
		if aws.ToString(out.NatGateways[i].NatGatewayId) == id {
			return &out.NatGateways[i], nil
		}
	}
	return nil, nil
}
