// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// BenchmarkCreateDeletePurgeCycle creates, deletes and purges a gateway per
// iteration through the SDK, and reports the live heap and the objects the
// simulator still holds, which stay flat however long it runs.
func BenchmarkCreateDeletePurgeCycle(b *testing.B) {
	s, err := ec2sim.New(ec2sim.Options{DisableThrottling: true, Durations: ec2sim.Durations{Pending: -1, Deleting: -1, Retention: -1}})
	if err != nil {
		b.Fatal(err)
	}
	hs := s.NewHTTPTestServer()
	defer hs.Close()
	c := newClient(hs.URL, testAccessKey, testSecret, testRegion)
	ctx := context.Background()
	v, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		b.Fatal(err)
	}
	sn, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/20")})
	if err != nil {
		b.Fatal(err)
	}
	a, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{})
	if err != nil {
		b.Fatal(err)
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	start := heap()
	for b.Loop() {
		out, err := c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: sn.Subnet.SubnetId, AllocationId: a.AllocationId})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: out.NatGateway.NatGatewayId}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Purge(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	st, _ := s.State(ctx, testAccessKey, testRegion)
	r := st.Regions[0]
	objects := len(r.Vpcs) + len(r.Subnets) + len(r.Addresses) + len(r.NatGateways) + len(r.RouteTables) + r.ClientTokens
	b.ReportMetric(float64(objects), "objects")
	b.ReportMetric(float64(int64(heap())-int64(start))/1024, "heap-growth-KiB")
	b.Logf("cycles %d: objects held %d (gateways %d, tokens %d), live heap %d KiB -> %d KiB", b.N, objects, len(r.NatGateways), r.ClientTokens, start/1024, heap()/1024)
}

// BenchmarkDescribeNatGateways describes 1000 gateways in one page.
func BenchmarkDescribeNatGateways(b *testing.B) {
	s, err := ec2sim.New(ec2sim.Options{DisableThrottling: true})
	if err != nil {
		b.Fatal(err)
	}
	hs := s.NewHTTPTestServer()
	defer hs.Close()
	// Large bodies hit aws-sdk-go-v2's "use of closed network connection"
	// race on reading responses (aws/aws-sdk-go-v2#2737); the SDK's default
	// retries absorb it, as they do against AWS.
	c := ec2.New(newClient(hs.URL, testAccessKey, testSecret, testRegion).Options(), func(o *ec2.Options) { o.RetryMaxAttempts = 3 })
	ctx := context.Background()
	v, _ := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	sn, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/20")})
	if err != nil {
		b.Fatal(err)
	}
	for range 1000 {
		if _, err := c.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: sn.Subnet.SubnetId, ConnectivityType: "private"}); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		out, err := c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{MaxResults: aws.Int32(1000)})
		if err != nil {
			b.Fatalf("DescribeNatGateways: %v", err)
		}
		if len(out.NatGateways) != 1000 {
			b.Fatalf("DescribeNatGateways: %d gateways, want 1000", len(out.NatGateways))
		}
	}
}
