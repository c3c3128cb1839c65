// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

const (
	testAccessKey = "AKIDTESTACCOUNT"
	testSecret    = "test-secret"
	testRegion    = "eu-west-1"
)

// slow durations make every transition wait for the test to move the
// simulated clock.
var slow = ec2sim.Durations{Pending: time.Hour, Deleting: time.Hour, Retention: 2 * time.Hour}

// sim is a simulator served by httptest with an SDK client. Its helpers
// call the simulator with the test's context.
type sim struct {
	t      *testing.T
	ctx    context.Context
	srv    *ec2sim.Server
	http   *httptest.Server
	ec2    *ec2.Client
	region string
}

func newSim(t *testing.T, o ec2sim.Options) *sim {
	t.Helper()
	s, err := ec2sim.New(o)
	if err != nil {
		t.Fatalf("ec2sim.New(...): %v", err)
	}
	hs := s.NewHTTPTestServer()
	t.Cleanup(hs.Close)
	return &sim{t: t, ctx: t.Context(), srv: s, http: hs, ec2: newClient(hs.URL, testAccessKey, testSecret, testRegion), region: testRegion}
}

// newClient returns an unmodified SDK EC2 client for the endpoint, without
// retries so that every call is one request. An answer larger than 4 KB can
// fail on a connection the client closed itself, which the SDK's retries
// absorb: see TestConcurrentClients.
func newClient(endpoint, key, secret, region string) *ec2.Client {
	return ec2.New(ec2.Options{
		Region:           region,
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, ""),
		RetryMaxAttempts: 1,
	})
}

// code returns the EC2 error code of err, or "" for nil.
func code(err error) string {
	if err == nil {
		return ""
	}
	if ae, ok := errors.AsType[smithy.APIError](err); ok {
		return ae.ErrorCode()
	}
	return "not an API error: " + err.Error()
}

func (s *sim) advance(d time.Duration) {
	s.t.Helper()
	if _, err := s.srv.SetClock(s.ctx, ec2sim.ClockUpdate{Advance: d}); err != nil {
		s.t.Fatalf("SetClock: %v", err)
	}
}

// network creates a VPC 10.0.0.0/16 with a subnet 10.0.1.0/24.
func (s *sim) network() (vpcID, subnetID string) {
	s.t.Helper()
	ctx := s.ctx
	v, err := s.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		s.t.Fatalf("CreateVpc: %v", err)
	}
	sn, err := s.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24")})
	if err != nil {
		s.t.Fatalf("CreateSubnet: %v", err)
	}
	return *v.Vpc.VpcId, *sn.Subnet.SubnetId
}

func (s *sim) eip() string {
	s.t.Helper()
	a, err := s.ec2.AllocateAddress(s.ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc})
	if err != nil {
		s.t.Fatalf("AllocateAddress: %v", err)
	}
	return *a.AllocationId
}

// publicNat creates a public zonal NAT gateway.
func (s *sim) publicNat(subnetID, allocationID string) string {
	s.t.Helper()
	out, err := s.ec2.CreateNatGateway(s.ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), AllocationId: aws.String(allocationID)})
	if err != nil {
		s.t.Fatalf("CreateNatGateway: %v", err)
	}
	return *out.NatGateway.NatGatewayId
}

// nat describes one gateway.
func (s *sim) nat(id string) (types.NatGateway, error) {
	out, err := s.ec2.DescribeNatGateways(s.ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
	if err != nil {
		return types.NatGateway{}, err
	}
	if len(out.NatGateways) != 1 {
		s.t.Fatalf("DescribeNatGateways(%s): got %d gateways, want 1", id, len(out.NatGateways))
	}
	return out.NatGateways[0], nil
}

func (s *sim) natState(id string) string {
	s.t.Helper()
	n, err := s.nat(id)
	if err != nil {
		return "error:" + code(err)
	}
	return string(n.State)
}

func (s *sim) address(id string) types.Address {
	s.t.Helper()
	out, err := s.ec2.DescribeAddresses(s.ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{id}})
	if err != nil || len(out.Addresses) != 1 {
		s.t.Fatalf("DescribeAddresses(%s): %v, %d addresses", id, err, len(out.Addresses))
	}
	return out.Addresses[0]
}
