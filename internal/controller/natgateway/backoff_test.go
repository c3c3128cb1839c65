// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

func TestBackoffDelay(t *testing.T) {
	b := backoff{base: 30 * time.Second, max: 30 * time.Minute}
	cases := map[string]struct {
		reason string
		n      int
		want   time.Duration
	}{
		"First":     {reason: "The first failed gateway waits the base.", n: 0, want: 30 * time.Second},
		"Second":    {reason: "Each failed gateway in a row doubles the wait.", n: 1, want: time.Minute},
		"Fifth":     {reason: "Five failed gateways before wait 30s*2^5.", n: 5, want: 16 * time.Minute},
		"Capped":    {reason: "The wait never exceeds the maximum.", n: 6, want: 30 * time.Minute},
		"FarCapped": {reason: "A long streak does not overflow.", n: 200, want: 30 * time.Minute},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, b.delay(tc.n)); diff != "" {
				t.Errorf("\n%s\nb.delay(%d): -want, +got:\n%s", tc.reason, tc.n, diff)
			}
		})
	}
}

func TestBackoffReplaceAt(t *testing.T) {
	b := backoff{base: 30 * time.Second, max: 30 * time.Minute}
	created := withAtProvider(v1alpha1.NATGatewayObservation{CreateTime: &metav1.Time{Time: t0}})
	failedBefore := &v1alpha1.Healing{Recreations: 3, Last: &v1alpha1.HealingEvent{PreviousID: otherNatID, FoundState: v1alpha1.FoundStateFailed, NewID: natID, Time: metav1.NewTime(t0.Add(-time.Second))}}
	streak := func(n int64) *v1alpha1.Healing { h := *failedBefore; h.FailedStreak = n; return &h }
	type want struct {
		at time.Time
	}
	cases := map[string]struct {
		reason string
		cr     *v1alpha1.NATGateway
		h      *v1alpha1.Healing
		want   want
	}{
		"FirstFailure": {
			reason: "A gateway that replaced no failed gateway is replaced the base after its creation.",
			cr:     natGateway(withExternalName(natID), created),
			want:   want{at: t0.Add(30 * time.Second)},
		},
		"AfterDeletedGateway": {
			reason: "A gateway that replaced a deleted one starts no streak.",
			cr:     natGateway(withExternalName(natID), created),
			h:      &v1alpha1.Healing{Recreations: 1, Last: &v1alpha1.HealingEvent{PreviousID: otherNatID, FoundState: v1alpha1.FoundStateDeleted, NewID: natID}},
			want:   want{at: t0.Add(30 * time.Second)},
		},
		"StaleStreak": {
			reason: "A streak recorded for another gateway is not this gateway's.",
			cr:     natGateway(withExternalName(natID), created),
			h:      &v1alpha1.Healing{Recreations: 1, FailedStreak: 4, Last: &v1alpha1.HealingEvent{PreviousID: "nat-0aaaaaaaaaaaaaaaa", FoundState: v1alpha1.FoundStateFailed, NewID: otherNatID}},
			want:   want{at: t0.Add(30 * time.Second)},
		},
		"Streak": {
			reason: "A gateway after three failed gateways in a row waits 30s*2^3.",
			cr:     natGateway(withExternalName(natID), created),
			h:      streak(3),
			want:   want{at: t0.Add(4 * time.Minute)},
		},
		"StreakUnset": {
			reason: "A gateway recorded as replacing a failed one followed at least one failed gateway.",
			cr:     natGateway(withExternalName(natID), created),
			h:      failedBefore,
			want:   want{at: t0.Add(time.Minute)},
		},
		"NoCreateTime": {
			reason: "Without EC2's creation time, the time of the recreation is the start.",
			cr:     natGateway(withExternalName(natID)),
			h:      streak(1),
			want:   want{at: t0.Add(-time.Second).Add(time.Minute)},
		},
		"NoTimes": {
			reason: "Without any time to start from, the gateway may be replaced now.",
			cr:     natGateway(withExternalName(natID)),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			at := b.replaceAt(tc.cr, tc.h)
			if diff := cmp.Diff(tc.want.at, at); diff != "" {
				t.Errorf("\n%s\nb.replaceAt(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
