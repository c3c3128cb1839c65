// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

func TestLatencyRate(t *testing.T) {
	const latency = 50 * time.Millisecond
	s := newSim(t, ec2sim.Options{DisableThrottling: true, Seed: 3, Faults: []ec2sim.Fault{{Action: "DescribeVpcs", Latency: latency, LatencyRate: 0.2}}})
	const n = 100
	slow := 0
	for range n {
		begin := time.Now()
		if _, err := s.ec2.DescribeVpcs(s.ctx, &ec2.DescribeVpcsInput{}); err != nil {
			t.Fatal(err)
		}
		if time.Since(begin) >= latency {
			slow++
		}
	}
	// A fifth of 100 requests is 20; a binomial spread of 4 each way is
	// about two standard deviations.
	if slow < 10 || slow > 35 {
		t.Errorf("%d of %d requests delayed, want about a fifth", slow, n)
	}
}

func TestLatencyRateValidated(t *testing.T) {
	s := newSim(t, ec2sim.Options{})
	if err := s.srv.SetFaults(context.Background(), []ec2sim.Fault{{Action: "*", LatencyRate: 1.5}}); err == nil {
		t.Error("SetFaults accepted a latency rate above 1")
	}
}

func TestThrottleWallClock(t *testing.T) {
	// The simulated clock runs a million times faster than the wall clock:
	// on it, the bucket would refill between two requests.
	s := newSim(t, ec2sim.Options{ClockSpeed: 1e6, ThrottleWallClock: true, Buckets: map[string]ec2sim.Bucket{"DescribeVpcs": {Max: 2, Refill: 0.01}}})
	codes := make([]string, 0, 3)
	for range 3 {
		_, err := s.ec2.DescribeVpcs(s.ctx, &ec2.DescribeVpcsInput{})
		codes = append(codes, code(err))
	}
	if diff := cmp.Diff([]string{"", "", "RequestLimitExceeded"}, codes); diff != "" {
		t.Errorf("a bucket of 2 refilled on the wall clock: -want +got:\n%s", diff)
	}
}

func TestClientCalls(t *testing.T) {
	s := newSim(t, ec2sim.Options{DisableThrottling: true})
	named := ec2.New(ec2.Options{
		Region:           testRegion,
		BaseEndpoint:     aws.String(s.http.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(testAccessKey, testSecret, ""),
		AppID:            "replica-a",
		RetryMaxAttempts: 1,
	})
	for range 2 {
		if _, err := named.DescribeVpcs(s.ctx, &ec2.DescribeVpcsInput{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ec2.DescribeVpcs(s.ctx, &ec2.DescribeVpcsInput{}); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]int64{"replica-a": {"DescribeVpcs": 2}, "": {"DescribeVpcs": 1}}
	for name, admin := range map[string]ec2sim.Admin{"Server": s.srv, "AdminClient": ec2sim.NewAdminClient(s.http.URL)} {
		got, err := admin.ClientCalls(s.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s.ClientCalls: -want +got:\n%s", name, diff)
		}
	}
	if err := s.srv.ResetCalls(s.ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.srv.ClientCalls(s.ctx); len(got) != 0 {
		t.Errorf("ClientCalls after ResetCalls: %v, want none", got)
	}
}

func TestWallClockTimestamps(t *testing.T) {
	// A thousand simulated seconds a second: 50 ms put the simulated clock
	// almost a minute ahead of the wall clock.
	for name, wall := range map[string]bool{"Simulated": false, "Wall": true} {
		t.Run(name, func(t *testing.T) {
			s := newSim(t, ec2sim.Options{ClockSpeed: 1000, WallClockTimestamps: wall, DisableThrottling: true, Durations: slow})
			_, subnetID := s.network()
			time.Sleep(50 * time.Millisecond)
			out, err := s.ec2.CreateNatGateway(s.ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), ConnectivityType: "private"})
			if err != nil {
				t.Fatal(err)
			}
			ahead := time.Until(aws.ToTime(out.NatGateway.CreateTime))
			if wall && ahead > time.Second || !wall && ahead < 10*time.Second {
				t.Errorf("createTime is %s ahead of the wall clock with WallClockTimestamps %v", ahead, wall)
			}
		})
	}
}
