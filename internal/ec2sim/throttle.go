// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"maps"
	"strings"
	"sync"
	"time"
)

// A Bucket is an EC2 request token bucket: Max tokens, refilled at Refill
// tokens per second. Refill may be fractional.
type Bucket struct {
	Max    float64 `json:"max"`
	Refill float64 `json:"refill"`
}

// Documented EC2 request token buckets.
var (
	// BucketNonMutating is used by Describe* actions.
	BucketNonMutating = Bucket{Max: 100, Refill: 20}
	// BucketMutating is used by every other action without its own bucket.
	BucketMutating = Bucket{Max: 50, Refill: 5}
)

// actionBuckets are the "uncategorized" actions with their own bucket sizes.
var actionBuckets = map[string]Bucket{
	"CreateNatGateway":                 {Max: 10, Refill: 1},
	"DeleteNatGateway":                 {Max: 10, Refill: 1},
	"AssociateNatGatewayAddress":       {Max: 10, Refill: 1},
	"DisassociateNatGatewayAddress":    {Max: 10, Refill: 1},
	"AssignPrivateNatGatewayAddress":   {Max: 10, Refill: 1},
	"UnassignPrivateNatGatewayAddress": {Max: 10, Refill: 1},
	"CreateTags":                       {Max: 100, Refill: 10},
	"DeleteTags":                       {Max: 100, Refill: 10},
}

// DefaultBucket returns the documented bucket of an action.
func DefaultBucket(action string) Bucket {
	if b, ok := actionBuckets[action]; ok {
		return b
	}
	if strings.HasPrefix(action, "Describe") {
		return BucketNonMutating
	}
	return BucketMutating
}

// ThrottleConfig switches throttling and overrides bucket sizes per action.
type ThrottleConfig struct {
	// Enabled turns throttling on.
	Enabled bool `json:"enabled"`
	// Buckets overrides the documented bucket of the named actions.
	Buckets map[string]Bucket `json:"buckets,omitempty"`
}

type bucketKey struct {
	account, region, action string
}

type bucketState struct {
	tokens float64
	last   time.Time
}

// A throttler keeps one token bucket per account, region and action, as
// EC2 does ("each API is evaluated individually").
type throttler struct {
	mu      sync.Mutex
	cfg     ThrottleConfig
	buckets map[bucketKey]*bucketState
}

func newThrottler(cfg ThrottleConfig) *throttler {
	return &throttler{cfg: copyThrottle(cfg), buckets: map[bucketKey]*bucketState{}}
}

func copyThrottle(cfg ThrottleConfig) ThrottleConfig {
	out := ThrottleConfig{Enabled: cfg.Enabled}
	if len(cfg.Buckets) > 0 {
		out.Buckets = make(map[string]Bucket, len(cfg.Buckets))
		maps.Copy(out.Buckets, cfg.Buckets)
	}
	return out
}

func (t *throttler) set(cfg ThrottleConfig) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cfg = copyThrottle(cfg)
	t.buckets = map[bucketKey]*bucketState{}
}

func (t *throttler) config() ThrottleConfig {
	t.mu.Lock()
	defer t.mu.Unlock()
	return copyThrottle(t.cfg)
}

func (t *throttler) bucket(action string) Bucket {
	if b, ok := t.cfg.Buckets[action]; ok {
		return b
	}
	return DefaultBucket(action)
}

// allow takes one token from the bucket of the action and reports whether
// there was one.
func (t *throttler) allow(account, region, action string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.cfg.Enabled {
		return true
	}
	b := t.bucket(action)
	k := bucketKey{account: account, region: region, action: action}
	s, ok := t.buckets[k]
	if !ok {
		s = &bucketState{tokens: b.Max, last: now}
		t.buckets[k] = s
	}
	if elapsed := now.Sub(s.last).Seconds(); elapsed > 0 {
		s.tokens += elapsed * b.Refill
		if s.tokens > b.Max {
			s.tokens = b.Max
		}
	}
	s.last = now
	if s.tokens < 1 {
		return false
	}
	s.tokens--
	return true
}
