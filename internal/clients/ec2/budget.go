// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"math"
	"strings"
	"sync"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"
	"k8s.io/utils/clock"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// DefaultBudgetFraction is the share of each EC2 request token bucket the
// provider uses by default. It leaves the other half of the account's budget
// to the console, the CLI and other tools.
const DefaultBudgetFraction = 0.5

// A Bucket is one of EC2's request token buckets. EC2 keeps one of each per
// account and region.
type Bucket struct {
	// Name of the bucket: a category, or an action with a bucket of its own.
	Name string

	// Size is the most tokens the bucket holds: the largest burst.
	Size float64

	// Refill is how many tokens the bucket gains each second: the sustained
	// request rate.
	Refill float64
}

// The EC2 request token buckets of the actions the provider calls, as
// documented in the EC2 API reference's "Request throttling" page.
var (
	// BucketNonMutating holds Describe*, List*, Search* and Get* actions.
	BucketNonMutating = Bucket{Name: "non-mutating", Size: 100, Refill: 20}

	// BucketMutating holds actions that change something and have no bucket
	// of their own, e.g. AllocateAddress, CreateRoute, ReplaceRoute.
	BucketMutating = Bucket{Name: "mutating", Size: 50, Refill: 5}

	ownBuckets = map[string]Bucket{
		"CreateNatGateway":                 {Name: "CreateNatGateway", Size: 10, Refill: 1},
		"DeleteNatGateway":                 {Name: "DeleteNatGateway", Size: 10, Refill: 1},
		"AssociateNatGatewayAddress":       {Name: "AssociateNatGatewayAddress", Size: 10, Refill: 1},
		"DisassociateNatGatewayAddress":    {Name: "DisassociateNatGatewayAddress", Size: 10, Refill: 1},
		"AssignPrivateNatGatewayAddress":   {Name: "AssignPrivateNatGatewayAddress", Size: 10, Refill: 1},
		"UnassignPrivateNatGatewayAddress": {Name: "UnassignPrivateNatGatewayAddress", Size: 10, Refill: 1},
		"CreateTags":                       {Name: "CreateTags", Size: 100, Refill: 10},
		"DeleteTags":                       {Name: "DeleteTags", Size: 100, Refill: 10},
	}
)

// BucketFor returns the EC2 request token bucket of an action.
func BucketFor(operation string) Bucket {
	if b, ok := ownBuckets[operation]; ok {
		return b
	}
	for _, p := range []string{"Describe", "List", "Search", "Get"} {
		if strings.HasPrefix(operation, p) {
			return BucketNonMutating
		}
	}
	return BucketMutating
}

// sleep returns after d on c, or with ctx's error when ctx is done first.
func sleep(ctx context.Context, c clock.Clock, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := c.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// A Budget keeps the provider's EC2 calls within a fraction of the account's
// request token buckets. It mirrors EC2's buckets on the client side, one per
// account, region and bucket, and makes each request wait for a token, so
// the provider never exhausts an account's budget by itself. One Budget is
// shared by every controller of the process. It is a prometheus.Collector of
// how long requests waited: register it once, on controller-runtime's
// metrics.Registry.
type Budget struct {
	fraction float64
	clock    clock.Clock
	waits    *prometheus.HistogramVec

	mu      sync.Mutex
	buckets map[bucketKey]*rate.Limiter
}

type bucketKey struct {
	account string
	region  string
	bucket  string
}

// A BudgetOption configures a Budget.
type BudgetOption func(*Budget)

// WithClock makes a Budget tell time and wait with c. Tests replace the
// real clock to make waits visible without waiting.
func WithClock(c clock.Clock) BudgetOption {
	return func(b *Budget) {
		b.clock = c
	}
}

// NewBudget returns a Budget that uses fraction of every EC2 request token
// bucket: both its size and its refill rate. fraction must be above 0 and at
// most 1.
func NewBudget(fraction float64, opts ...BudgetOption) (*Budget, error) {
	if math.IsNaN(fraction) || fraction <= 0 || fraction > 1 {
		return nil, errors.Errorf("EC2 API budget %v is out of range: use a fraction above 0 and at most 1, e.g. 0.5 for half of each EC2 request bucket", fraction)
	}
	b := &Budget{
		fraction: fraction,
		clock:    clock.RealClock{},
		buckets:  map[bucketKey]*rate.Limiter{},
		waits: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "egresskit_ec2_api_budget_wait_seconds",
			Help:    "How long EC2 requests that found their bucket of the --ec2-api-budget empty waited for a token, by EC2 request token bucket and region.",
			Buckets: prometheus.ExponentialBuckets(0.05, 4, 7),
		}, []string{"bucket", "region"}),
	}
	for _, o := range opts {
		o(b)
	}
	return b, nil
}

// limiter returns the client-side bucket of an account, region and bucket,
// full when first used.
func (b *Budget) limiter(account, region string, bk Bucket) *rate.Limiter {
	k := bucketKey{account: account, region: region, bucket: bk.Name}
	b.mu.Lock()
	defer b.mu.Unlock()
	if l, ok := b.buckets[k]; ok {
		return l
	}
	burst := max(1, int(math.Floor(bk.Size*b.fraction)))
	l := rate.NewLimiter(rate.Limit(bk.Refill*b.fraction), burst)
	b.buckets[k] = l
	return l
}

// Wait takes a token for one request of operation by account in region,
// waiting for the bucket to refill when it is empty. A wait is recorded in
// egresskit_ec2_api_budget_wait_seconds.
func (b *Budget) Wait(ctx context.Context, account, region, operation string) error {
	bk := BucketFor(operation)
	l := b.limiter(account, region, bk)
	now := b.clock.Now()
	r := l.ReserveN(now, 1)
	if !r.OK() {
		return errors.Errorf("cannot reserve a token of the EC2 %s bucket", bk.Name)
	}
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if err := sleep(ctx, b.clock, d); err != nil {
		r.CancelAt(b.clock.Now())
		return errors.Wrapf(err, "cannot wait %s for the EC2 %s budget", d, bk.Name)
	}
	b.waits.WithLabelValues(bk.Name, region).Observe(d.Seconds())
	return nil
}

// Describe implements prometheus.Collector.
func (b *Budget) Describe(ch chan<- *prometheus.Desc) {
	b.waits.Describe(ch)
}

// Collect implements prometheus.Collector.
func (b *Budget) Collect(ch chan<- prometheus.Metric) {
	b.waits.Collect(ch)
}

// budgetMiddlewareID names the budget middleware in an SDK stack.
const budgetMiddlewareID = "egresskit.io/EC2APIBudget"

// APIOption returns an SDK client API option that makes every request
// attempt of account wait for the budget. It runs in the finalize step after
// the retry middleware, so each retry takes its own token, and before
// signing, so a long wait never ages a signature.
func (b *Budget) APIOption(account, region string) func(*middleware.Stack) error {
	m := middleware.FinalizeMiddlewareFunc(budgetMiddlewareID, func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		r := awsmiddleware.GetRegion(ctx)
		if r == "" {
			r = region
		}
		if err := b.Wait(ctx, account, r, awsmiddleware.GetOperationName(ctx)); err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}
		return next.HandleFinalize(ctx, in)
	})
	return func(s *middleware.Stack) error {
		return insertAfterRetry(s, m)
	}
}

// insertAfterRetry places m in the finalize step right after the SDK's retry
// middleware, or first in the step when the stack has none.
func insertAfterRetry(s *middleware.Stack, m middleware.FinalizeMiddleware) error {
	if _, ok := s.Finalize.Get("Retry"); ok {
		return s.Finalize.Insert(m, "Retry", middleware.After)
	}
	return s.Finalize.Add(m, middleware.Before)
}
