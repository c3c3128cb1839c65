// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource/fake"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
)

func TestPollerInterval(t *testing.T) {
	p := poller{short: 5 * time.Second, backoff: backoff{base: 30 * time.Second, max: 30 * time.Minute}, now: func() time.Time { return t0.Add(10 * time.Second) }}
	failed := gwFailure("InternalError", "try again")
	cases := map[string]struct {
		reason string
		mg     resource.Managed
		poll   time.Duration
		want   time.Duration
	}{
		"Available": {
			reason: "A settled gateway is observed again after the poll interval.",
			mg:     natGateway(withExternalName(natID), withAtProvider(observed(gateway()))),
			poll:   time.Minute,
			want:   time.Minute,
		},
		"NotListedYet": {
			reason: "A gateway created moments ago that EC2 does not list yet is observed again soon.",
			mg:     natGateway(withExternalName(natID), withAnnotation(meta.AnnotationKeyExternalCreateSucceeded, t0.Format(time.RFC3339))),
			poll:   time.Minute,
			want:   5 * time.Second,
		},
		"NotListedAfterGracePeriod": {
			reason: "A gateway EC2 still does not list 30s after its creation is gone: the poll interval applies.",
			mg:     natGateway(withExternalName(natID), withAnnotation(meta.AnnotationKeyExternalCreateSucceeded, t0.Add(-20*time.Second).Format(time.RFC3339))),
			poll:   time.Minute,
			want:   time.Minute,
		},
		"PurgedImport": {
			reason: "A gateway the provider did not create (an observe-only import) that EC2 no longer knows is observed again after the poll interval, not every few seconds.",
			mg:     natGateway(withExternalName(natID), withPolicies(xpv2.ManagementActionObserve)),
			poll:   time.Minute,
			want:   time.Minute,
		},
		"NoGatewayYet": {
			reason: "A NATGateway without a gateway is observed again after the poll interval.",
			mg:     natGateway(),
			poll:   time.Minute,
			want:   time.Minute,
		},
		"Pending": {
			reason: "A pending gateway is observed again soon, to see it available.",
			mg:     natGateway(withExternalName(natID), withAtProvider(observed(gateway(gwState(types.NatGatewayStatePending))))),
			poll:   time.Minute,
			want:   5 * time.Second,
		},
		"Deleting": {
			reason: "A deleting gateway is observed again soon, to replace it as soon as it is deleted.",
			mg:     natGateway(withExternalName(natID), withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleting))))),
			poll:   time.Minute,
			want:   5 * time.Second,
		},
		"ShortPollWins": {
			reason: "A poll interval shorter than the short one is kept.",
			mg:     natGateway(withExternalName(natID), withAtProvider(observed(gateway(gwState(types.NatGatewayStatePending))))),
			poll:   2 * time.Second,
			want:   2 * time.Second,
		},
		"AddressInTransition": {
			reason: "A gateway with an address being associated is observed again soon.",
			mg:     natGateway(withExternalName(natID), withAtProvider(observed(gateway(gwAddress(secondaryEIP(secAllocA, assocA, types.NatGatewayAddressStatusAssociating)))))),
			poll:   time.Minute,
			want:   5 * time.Second,
		},
		"FailedWaiting": {
			reason: "A failed gateway is observed again when its backoff ends: created at t0, now t0+10s, replaced at t0+30s.",
			mg:     natGateway(withExternalName(natID), withAtProvider(observed(gateway(failed)))),
			poll:   time.Minute,
			want:   20 * time.Second,
		},
		"FailedLongBackoff": {
			reason: "A backoff longer than the poll interval still polls at the poll interval.",
			mg: natGateway(withExternalName(natID), withAtProvider(observed(gateway(failed))),
				withAnnotation(healing.AnnotationKey, `{"recreations":5,"failedStreak":5,"last":{"previousId":"`+otherNatID+`","foundState":"failed","newId":"`+natID+`","time":"2026-03-14T09:26:53Z"}}`)),
			poll: time.Minute,
			want: time.Minute,
		},
		"FailedReport": {
			reason: "A failed gateway that is only reported is observed at the poll interval.",
			mg:     natGateway(withExternalName(natID), withOnFailed(v1alpha1.OnFailedReport), withAtProvider(observed(gateway(failed)))),
			poll:   time.Minute,
			want:   time.Minute,
		},
		"FailedUnreadableHealing": {
			reason: "When the backoff cannot be computed, the poll interval applies; Observe reports the error.",
			mg:     natGateway(withExternalName(natID), withAtProvider(observed(gateway(failed))), withAnnotation(healing.AnnotationKey, "{")),
			poll:   time.Minute,
			want:   time.Minute,
		},
		"OtherKind": {
			reason: "Another kind of managed resource gets the poll interval.",
			mg:     &fake.ModernManaged{},
			poll:   time.Minute,
			want:   time.Minute,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, p.interval(tc.mg, tc.poll)); diff != "" {
				t.Errorf("\n%s\np.interval(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestPollerSettled checks that a gateway the inventory holds available is
// observed again only after the settled interval, with jitter, and one it
// does not hold after the poll interval.
func TestPollerSettled(t *testing.T) {
	const settled = time.Hour
	cases := map[string]struct {
		reason string
		listed *types.NatGateway
		mg     resource.Managed
		min    time.Duration
		max    time.Duration
	}{
		"Held": {
			reason: "An available gateway the inventory holds is observed again after the settled interval, at most a tenth later.",
			listed: ptrTo(gateway()),
			mg:     natGateway(withExternalName(natID), withAtProvider(observed(gateway()))),
			min:    settled,
			max:    settled + settled/settledJitter,
		},
		"NotHeld": {
			reason: "An available gateway no fresh listing holds is observed again after the poll interval.",
			mg:     natGateway(withExternalName(natID), withAtProvider(observed(gateway()))),
			min:    time.Minute,
			max:    time.Minute,
		},
		"HeldPending": {
			reason: "A gateway the inventory holds pending is observed soon, as any pending one.",
			listed: ptrTo(gateway(gwState(types.NatGatewayStatePending))),
			mg:     natGateway(withExternalName(natID), withAtProvider(observed(gateway(gwState(types.NatGatewayStatePending))))),
			min:    5 * time.Second,
			max:    5 * time.Second,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			inv := &fakeInventory{MockPeek: func(id string) (types.NatGateway, bool) {
				if tc.listed == nil || id != natID {
					return types.NatGateway{}, false
				}
				return *tc.listed, true
			}}
			p := poller{short: 5 * time.Second, settled: settled, now: func() time.Time { return t0 }, inventory: inv}
			if got := p.interval(tc.mg, time.Minute); got < tc.min || got > tc.max {
				t.Errorf("\n%s\ninterval(...): got %s, want from %s to %s", tc.reason, got, tc.min, tc.max)
			}
		})
	}
}

func ptrTo[T any](v T) *T { return &v }
