// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

// countingProvider answers with its next result and counts its calls.
type countingProvider struct {
	calls   int
	results []error
	expires time.Duration
}

func (p *countingProvider) Retrieve(context.Context) (aws.Credentials, error) {
	p.calls++
	var err error
	if len(p.results) > 0 {
		err, p.results = p.results[0], p.results[1:]
	}
	if err != nil {
		return aws.Credentials{}, err
	}
	return aws.Credentials{AccessKeyID: "ASIAEGRESSKIT", SecretAccessKey: "s", CanExpire: p.expires > 0, Expires: time.Now().Add(p.expires)}, nil
}

func TestGuardedProviderBacksOff(t *testing.T) {
	denied := &smithy.GenericAPIError{Code: CodeAccessDenied, Message: "User: arn:aws:iam::123456789012:user/x is not authorized to perform: sts:AssumeRole on resource: r"}
	now := time.Unix(0, 0)
	inner := &countingProvider{results: []error{denied, denied, denied, nil}}
	g := &guardedProvider{inner: inner, explain: explainer("hop 1", "fix the trust policy"), now: func() time.Time { return now }}

	// after is when each Retrieve is made, from the start.
	after := []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second, 6 * time.Second, 13 * time.Second, 14 * time.Second}
	calls := make([]int, 0, len(after))
	reasons := make([]string, 0, len(after))
	start := now
	for _, d := range after {
		now = start.Add(d)
		_, err := g.Retrieve(context.Background())
		calls = append(calls, inner.calls)
		reason := ""
		if ce, ok := err.(*credentialsError); ok { //nolint:errorlint // guardedProvider returns it unwrapped.
			reason = string(ce.Reason())
		}
		reasons = append(reasons, reason)
	}
	// Failures at 0s, 2s and 6s: retries after 2s, then 4s, then 8s.
	if diff := cmp.Diff([]int{1, 1, 2, 2, 3, 3, 4}, calls); diff != "" {
		t.Errorf("STS calls after each Retrieve: -want +got:\n%s", diff)
	}
	a := string(apisv1alpha1.ReasonAccessDenied)
	if diff := cmp.Diff([]string{a, a, a, a, a, a, ""}, reasons); diff != "" {
		t.Errorf("reasons: -want +got:\n%s", diff)
	}
}

func TestGuardedProviderRenewsBelow(t *testing.T) {
	below := &countingProvider{expires: time.Hour}
	cache := aws.NewCredentialsCache(below)
	if _, err := cache.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	expired := &smithy.GenericAPIError{Code: CodeExpiredToken, Message: "The security token included in the request is expired"}
	g := &guardedProvider{inner: &countingProvider{results: []error{expired}}, below: []*aws.CredentialsCache{cache}, explain: explainer("hop 2", "")}
	if _, err := g.Retrieve(context.Background()); err != nil {
		t.Fatalf("Retrieve after the session below expired: %v, want it retried", err)
	}
	// The retry signs with the session below, which the cache renews.
	if _, err := cache.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	if below.calls != 2 {
		t.Errorf("the session below was retrieved %d times, want 2: once, then renewed", below.calls)
	}
}

func TestSessionCacheRenewsBeforeExpiry(t *testing.T) {
	cases := map[string]struct {
		reason   string
		lifetime time.Duration
		left     time.Duration
		want     int
	}{
		"Fresh":             {reason: "A session with most of its hour left is served from the cache.", lifetime: time.Hour, left: 50 * time.Minute, want: 1},
		"InTheWindow":       {reason: "A session of an hour is renewed in its last 5 minutes.", lifetime: time.Hour, left: 3 * time.Minute, want: 3},
		"ShortSession":      {reason: "A 15-minute session is renewed in its last fifth, before 3 minutes are left.", lifetime: 15 * time.Minute, left: 2 * time.Minute, want: 3},
		"ShortSessionFresh": {reason: "A 15-minute session with 10 left is served from the cache.", lifetime: 15 * time.Minute, left: 10 * time.Minute, want: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := &countingProvider{expires: tc.left}
			c := sessionCache(p, tc.lifetime)
			for range 3 {
				if _, err := c.Retrieve(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			if p.calls != tc.want {
				t.Errorf("\n%s\n%d STS calls for 3 retrievals, want %d", tc.reason, p.calls, tc.want)
			}
		})
	}
}
