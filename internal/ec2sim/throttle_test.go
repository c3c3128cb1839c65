// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

func TestDefaultBuckets(t *testing.T) {
	cases := map[string]struct {
		reason string
		action string
		want   ec2sim.Bucket
	}{
		"CreateNatGateway":    {reason: "NAT gateway create has its own 10/1 bucket.", action: "CreateNatGateway", want: ec2sim.Bucket{Max: 10, Refill: 1}},
		"DeleteNatGateway":    {reason: "NAT gateway delete has its own 10/1 bucket.", action: "DeleteNatGateway", want: ec2sim.Bucket{Max: 10, Refill: 1}},
		"AssociateAddress":    {reason: "NAT address actions have 10/1 buckets.", action: "AssociateNatGatewayAddress", want: ec2sim.Bucket{Max: 10, Refill: 1}},
		"CreateTags":          {reason: "Tags have 100/10 buckets.", action: "CreateTags", want: ec2sim.Bucket{Max: 100, Refill: 10}},
		"DescribeNatGateways": {reason: "Describe actions are non-mutating: 100/20.", action: "DescribeNatGateways", want: ec2sim.Bucket{Max: 100, Refill: 20}},
		"AllocateAddress":     {reason: "Other actions are mutating: 50/5.", action: "AllocateAddress", want: ec2sim.Bucket{Max: 50, Refill: 5}},
		"CreateRoute":         {reason: "Routes are mutating: 50/5.", action: "CreateRoute", want: ec2sim.Bucket{Max: 50, Refill: 5}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, ec2sim.DefaultBucket(tc.action)); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// frozen nearly stops the simulated clock, so that only advance refills
// buckets, however slow the test runs.
const frozen = 1e-9

func TestThrottling(t *testing.T) {
	s := newSim(t, ec2sim.Options{ClockSpeed: frozen})
	ctx := context.Background()
	describe := func(c *ec2.Client) string {
		_, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
		return code(err)
	}
	// The default bucket of DescribeVpcs holds 100 tokens.
	for i := range 100 {
		if got := describe(s.ec2); got != "" {
			t.Fatalf("request %d within the bucket: %q", i, got)
		}
	}
	if got := describe(s.ec2); got != "RequestLimitExceeded" {
		t.Errorf("request 101: got %q, want RequestLimitExceeded", got)
	}
	// Buckets are per action: another action is not affected.
	if _, err := s.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{}); err != nil {
		t.Errorf("DescribeSubnets while DescribeVpcs is throttled: %v", err)
	}
	// Buckets are per account and region.
	if got := describe(newClient(s.http.URL, "AKIDOTHER", testSecret, testRegion)); got != "" {
		t.Errorf("another account: %q", got)
	}
	if got := describe(newClient(s.http.URL, testAccessKey, testSecret, "us-west-2")); got != "" {
		t.Errorf("another region: %q", got)
	}
	// The bucket refills at 20 tokens per second: after 100ms two requests pass.
	s.advance(100 * time.Millisecond)
	got := []string{describe(s.ec2), describe(s.ec2), describe(s.ec2)}
	if diff := cmp.Diff([]string{"", "", "RequestLimitExceeded"}, got); diff != "" {
		t.Errorf("after 100ms of refill: -want +got:\n%s", diff)
	}
	calls, _ := s.srv.Calls(ctx)
	if got := calls["DescribeVpcs"].Throttled; got != 2 {
		t.Errorf("throttled DescribeVpcs count: got %d, want 2", got)
	}
	// Switched off, nothing is throttled.
	if err := s.srv.SetThrottle(ctx, ec2sim.ThrottleConfig{Enabled: false}); err != nil {
		t.Fatal(err)
	}
	for range 200 {
		if got := describe(s.ec2); got != "" {
			t.Fatalf("throttling off: %q", got)
		}
	}
}

func TestThrottleStatusAndFractionalRefill(t *testing.T) {
	s := newSim(t, ec2sim.Options{
		ClockSpeed: frozen, DefaultAccessKey: testAccessKey, DefaultRegion: testRegion,
		Buckets: map[string]ec2sim.Bucket{"DescribeVpcs": {Max: 1, Refill: 0.5}},
	})
	form := url.Values{"Action": {"DescribeVpcs"}, "Version": {"2016-11-15"}}
	status := func() int { return post(t, s.http.URL, form).status }
	steps := []struct {
		reason string
		wait   time.Duration
		want   int
	}{
		{reason: "The first request takes the only token.", want: 200},
		{reason: "The second is throttled with 503.", want: 503},
		{reason: "Half a token after one second is not enough.", wait: time.Second, want: 503},
		{reason: "Refill is not lost on throttled requests: one token after two seconds.", wait: time.Second, want: 200},
	}
	for i, st := range steps {
		s.advance(st.wait)
		if got := status(); got != st.want {
			t.Errorf("step %d: %s\ngot %d, want %d", i, st.reason, got, st.want)
		}
	}
}

func TestSDKRetriesThrottles(t *testing.T) {
	s := newSim(t, ec2sim.Options{Buckets: map[string]ec2sim.Bucket{"DescribeVpcs": {Max: 1, Refill: 4}}})
	ctx := context.Background()
	// With retries, the SDK backs off on 503 RequestLimitExceeded and
	// succeeds once the bucket refills.
	c := ec2.New(ec2.Options{Region: testRegion, BaseEndpoint: aws.String(s.http.URL), Credentials: s.ec2.Options().Credentials, RetryMaxAttempts: 10})
	for range 2 {
		if _, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); err != nil {
			t.Fatalf("DescribeVpcs with retries: %v", err)
		}
	}
	calls, err := s.srv.Calls(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st := calls["DescribeVpcs"]; st.Throttled < 1 || st.Calls != st.Throttled+2 {
		t.Errorf("DescribeVpcs calls %+v: want at least one throttled attempt and two successes", st)
	}
}
