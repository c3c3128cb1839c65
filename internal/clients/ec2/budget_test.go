// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go/middleware"
	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

func TestBucketFor(t *testing.T) {
	cases := map[string]struct {
		reason    string
		operation string
		want      Bucket
	}{
		"DescribeNatGateways": {
			reason:    "Describe actions without a bucket of their own are non-mutating: 100 tokens, 20 a second.",
			operation: "DescribeNatGateways",
			want:      Bucket{Name: "non-mutating", Size: 100, Refill: 20},
		},
		"DescribeRouteTables": {
			reason:    "Every Describe action shares the non-mutating bucket.",
			operation: "DescribeRouteTables",
			want:      BucketNonMutating,
		},
		"CreateNatGateway": {
			reason:    "CreateNatGateway has a bucket of its own: 10 tokens, 1 a second.",
			operation: "CreateNatGateway",
			want:      Bucket{Name: "CreateNatGateway", Size: 10, Refill: 1},
		},
		"DeleteNatGateway": {
			reason:    "DeleteNatGateway has a bucket of its own.",
			operation: "DeleteNatGateway",
			want:      Bucket{Name: "DeleteNatGateway", Size: 10, Refill: 1},
		},
		"AssociateNatGatewayAddress": {
			reason:    "Each NAT gateway address action has a bucket of its own.",
			operation: "AssociateNatGatewayAddress",
			want:      Bucket{Name: "AssociateNatGatewayAddress", Size: 10, Refill: 1},
		},
		"UnassignPrivateNatGatewayAddress": {
			reason:    "Each NAT gateway address action has a bucket of its own.",
			operation: "UnassignPrivateNatGatewayAddress",
			want:      Bucket{Name: "UnassignPrivateNatGatewayAddress", Size: 10, Refill: 1},
		},
		"CreateTags": {
			reason:    "CreateTags has a bucket of its own: 100 tokens, 10 a second.",
			operation: "CreateTags",
			want:      Bucket{Name: "CreateTags", Size: 100, Refill: 10},
		},
		"DeleteTags": {
			reason:    "DeleteTags has a bucket of its own.",
			operation: "DeleteTags",
			want:      Bucket{Name: "DeleteTags", Size: 100, Refill: 10},
		},
		"AllocateAddress": {
			reason:    "Other mutating actions share the mutating bucket: 50 tokens, 5 a second.",
			operation: "AllocateAddress",
			want:      Bucket{Name: "mutating", Size: 50, Refill: 5},
		},
		"ReplaceRoute": {
			reason:    "Route changes are mutating.",
			operation: "ReplaceRoute",
			want:      BucketMutating,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, BucketFor(tc.operation)); diff != "" {
				t.Errorf("\n%s\nBucketFor(%q): -want, +got:\n%s\n", tc.reason, tc.operation, diff)
			}
		})
	}
}

func TestNewBudget(t *testing.T) {
	cases := map[string]struct {
		reason   string
		fraction float64
		err      string
	}{
		"Half": {
			reason:   "Half of the budget is valid.",
			fraction: 0.5,
		},
		"All": {
			reason:   "The whole budget is valid.",
			fraction: 1,
		},
		"Zero": {
			reason:   "No budget at all would block every call: refused with the range.",
			fraction: 0,
			err:      "EC2 API budget 0 is out of range: use a fraction above 0 and at most 1, e.g. 0.5 for half of each EC2 request bucket",
		},
		"MoreThanAll": {
			reason:   "More than the account's budget is refused: EC2 would throttle.",
			fraction: 1.5,
			err:      "EC2 API budget 1.5 is out of range: use a fraction above 0 and at most 1, e.g. 0.5 for half of each EC2 request bucket",
		},
		"NaN": {
			reason:   "NaN is refused.",
			fraction: math.NaN(),
			err:      "EC2 API budget NaN is out of range: use a fraction above 0 and at most 1, e.g. 0.5 for half of each EC2 request bucket",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := NewBudget(tc.fraction)
			if diff := cmp.Diff(tc.err, errString(err)); diff != "" {
				t.Errorf("\n%s\nNewBudget(%v): -want error, +got error:\n%s\n", tc.reason, tc.fraction, diff)
			}
		})
	}
}

func TestBudgetWait(t *testing.T) {
	// A call is one request; n repeats it.
	type call struct {
		account   string
		region    string
		operation string
		n         int
		cancelled bool
	}
	type want struct {
		sleeps []time.Duration
		errs   int
	}
	cases := map[string]struct {
		reason   string
		fraction float64
		calls    []call
		want     want
	}{
		"BurstThenRefill": {
			reason:   "With the whole budget, 10 CreateNatGateway calls pass at once, then each waits a second for a new token.",
			fraction: 1,
			calls:    []call{{account: "a", region: "eu-west-1", operation: "CreateNatGateway", n: 12}},
			want:     want{sleeps: []time.Duration{time.Second, time.Second}},
		},
		"HalfBudget": {
			reason:   "With half of the budget, the bucket holds 5 tokens and gains one every 2 seconds.",
			fraction: 0.5,
			calls:    []call{{account: "a", region: "eu-west-1", operation: "CreateNatGateway", n: 7}},
			want:     want{sleeps: []time.Duration{2 * time.Second, 2 * time.Second}},
		},
		"TinyBudget": {
			reason:   "A bucket never holds less than one token, even when the fraction rounds it to nothing.",
			fraction: 0.05,
			calls:    []call{{account: "a", region: "eu-west-1", operation: "CreateNatGateway", n: 2}},
			want:     want{sleeps: []time.Duration{20 * time.Second}},
		},
		"SharedCategory": {
			reason:   "Describe actions share one bucket of 100: the 101st call waits 1/20 of a second.",
			fraction: 1,
			calls: []call{
				{account: "a", region: "eu-west-1", operation: "DescribeNatGateways", n: 50},
				{account: "a", region: "eu-west-1", operation: "DescribeAddresses", n: 50},
				{account: "a", region: "eu-west-1", operation: "DescribeRouteTables", n: 1},
			},
			want: want{sleeps: []time.Duration{50 * time.Millisecond}},
		},
		"SeparateBuckets": {
			reason:   "Actions with buckets of their own do not spend each other's tokens.",
			fraction: 1,
			calls: []call{
				{account: "a", region: "eu-west-1", operation: "CreateNatGateway", n: 10},
				{account: "a", region: "eu-west-1", operation: "DeleteNatGateway", n: 10},
				{account: "a", region: "eu-west-1", operation: "CreateTags", n: 100},
				{account: "a", region: "eu-west-1", operation: "AllocateAddress", n: 50},
			},
			want: want{},
		},
		"SeparateAccounts": {
			reason:   "Each account has its own buckets.",
			fraction: 1,
			calls: []call{
				{account: "a", region: "eu-west-1", operation: "CreateNatGateway", n: 10},
				{account: "b", region: "eu-west-1", operation: "CreateNatGateway", n: 10},
			},
			want: want{},
		},
		"SeparateRegions": {
			reason:   "Each region of an account has its own buckets.",
			fraction: 1,
			calls: []call{
				{account: "a", region: "eu-west-1", operation: "CreateNatGateway", n: 10},
				{account: "a", region: "us-east-1", operation: "CreateNatGateway", n: 10},
			},
			want: want{},
		},
		"CancelledWaitReturnsToken": {
			reason:   "A wait cut short by its context is an error and gives its token back, so the next call waits one second, not two.",
			fraction: 1,
			calls: []call{
				{account: "a", region: "eu-west-1", operation: "CreateNatGateway", n: 10},
				{account: "a", region: "eu-west-1", operation: "CreateNatGateway", n: 1, cancelled: true},
				{account: "a", region: "eu-west-1", operation: "CreateNatGateway", n: 1},
			},
			want: want{sleeps: []time.Duration{time.Second}, errs: 1},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			clk := newFakeClock()
			b, err := NewBudget(tc.fraction, WithClock(clk))
			if err != nil {
				t.Fatal(err)
			}
			errs := 0
			for _, c := range tc.calls {
				ctx, cancel := context.WithCancel(context.Background())
				if c.cancelled {
					cancel()
				}
				for range c.n {
					if err := b.Wait(ctx, c.account, c.region, c.operation); err != nil {
						errs++
					}
				}
				cancel()
			}
			if diff := cmp.Diff(tc.want.sleeps, clk.slept()); diff != "" {
				t.Errorf("\n%s\nsleeps: -want, +got:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.errs, errs); diff != "" {
				t.Errorf("\n%s\nerrors: -want, +got:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff(waitTotals(tc.want.sleeps), recordedWaits(t, b)); diff != "" {
				t.Errorf("\n%s\negresskit_ec2_api_budget_wait_seconds: -want, +got:\n%s\n", tc.reason, diff)
			}
		})
	}
}

// waits is what a histogram of waits holds: how many and how long in all.
type waits struct {
	Count   uint64
	Seconds float64
}

func waitTotals(sleeps []time.Duration) waits {
	var w waits
	for _, d := range sleeps {
		w.Count++
		w.Seconds += d.Seconds()
	}
	return w
}

// recordedWaits sums the samples b collected over all buckets.
func recordedWaits(t *testing.T, b *Budget) waits {
	t.Helper()
	ch := make(chan prometheus.Metric, 16)
	go func() {
		b.Collect(ch)
		close(ch)
	}()
	var w waits
	for m := range ch {
		var d dto.Metric
		if err := m.Write(&d); err != nil {
			t.Fatalf("cannot read metric: %v", err)
		}
		w.Count += d.GetHistogram().GetSampleCount()
		w.Seconds += d.GetHistogram().GetSampleSum()
	}
	return w
}

// TestBudgetMiddleware drives a real client against a fake endpoint: every
// attempt, retries included, takes a token, and the budget and metrics sit
// between the SDK's retry and signing middleware.
func TestBudgetMiddleware(t *testing.T) {
	type want struct {
		sleeps   []time.Duration
		attempts int
		finalize []string
	}
	cases := map[string]struct {
		reason    string
		responses []response
		want      want
	}{
		"RetriesTakeTokens": {
			reason: "With a one-token DeleteNatGateway bucket refilled every 10 seconds, the retry after a 500 waits 10 seconds for its token.",
			responses: []response{
				{status: http.StatusInternalServerError, body: ec2ErrorBody("InternalError")},
				{status: http.StatusOK, body: `<DeleteNatGatewayResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><natGatewayId>nat-1</natGatewayId></DeleteNatGatewayResponse>`},
			},
			want: want{
				sleeps:   []time.Duration{10 * time.Second},
				attempts: 2,
				finalize: []string{"Retry", budgetMiddlewareID, metricsMiddlewareID, "Signing"},
			},
		},
		"SingleAttempt": {
			reason: "A request answered at once takes the one token and never waits.",
			responses: []response{
				{status: http.StatusOK, body: `<DeleteNatGatewayResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><natGatewayId>nat-1</natGatewayId></DeleteNatGatewayResponse>`},
			},
			want: want{
				attempts: 1,
				finalize: []string{"Retry", budgetMiddlewareID, metricsMiddlewareID, "Signing"},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			isolateAWSEnv(t)
			ep := newEndpoint().script("DeleteNatGateway", tc.responses...)
			srv := httptest.NewServer(ep)
			t.Cleanup(srv.Close)

			clk := newFakeClock()
			// A tenth of DeleteNatGateway's 10/1 bucket: one token, one more
			// every 10 seconds.
			b, err := NewBudget(0.1, WithClock(clk))
			if err != nil {
				t.Fatal(err)
			}
			f := NewClientFactory(newKube(providerConfig(pcEndpoint(srv.URL)), credentialsSecret("1")).client(), WithBudget(b), WithMetrics(NewMetrics()))
			api, err := f.ClientFor(context.Background(), natGateway(), "eu-west-1")
			if err != nil {
				t.Fatal(err)
			}

			var finalize []string
			capture := func(o *ec2.Options) {
				o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
					finalize = finalize[:0]
					for _, id := range s.Finalize.List() {
						switch id {
						case "Retry", budgetMiddlewareID, metricsMiddlewareID, "Signing":
							finalize = append(finalize, id)
						}
					}
					return nil
				})
			}
			if _, err := api.DeleteNatGateway(context.Background(), &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String("nat-1")}, capture); err != nil {
				t.Fatalf("DeleteNatGateway(...): %v", err)
			}
			if diff := cmp.Diff(tc.want.sleeps, clk.slept()); diff != "" {
				t.Errorf("\n%s\nbudget sleeps: -want, +got:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.attempts, len(ep.seen())); diff != "" {
				t.Errorf("\n%s\nattempts: -want, +got:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.finalize, finalize); diff != "" {
				t.Errorf("\n%s\nfinalize step order: -want, +got:\n%s\n", tc.reason, diff)
			}
		})
	}
}
