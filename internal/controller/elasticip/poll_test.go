// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource/fake"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

func TestPollerInterval(t *testing.T) {
	p := poller{short: 5 * time.Second, now: func() time.Time { return t0 }}
	listed := func(id string) func(*v1alpha1.ElasticIP) {
		return withAtProvider(v1alpha1.ElasticIPObservation{AllocationID: aws.String(id)})
	}
	cases := map[string]struct {
		reason string
		mg     resource.Managed
		poll   time.Duration
		want   time.Duration
	}{
		"NotListedYet": {
			reason: "An address allocated moments ago that EC2 does not list yet is observed again soon.",
			mg:     elasticIP(withExternalName(allocNew), withCreatedAt(t0.Add(-10*time.Second))),
			poll:   time.Minute,
			want:   5 * time.Second,
		},
		"NotListedYetShortPoll": {
			reason: "The poll interval applies when it is shorter than the short one.",
			mg:     elasticIP(withExternalName(allocNew), withCreatedAt(t0.Add(-10*time.Second))),
			poll:   2 * time.Second,
			want:   2 * time.Second,
		},
		"NotListedYetStaleStatus": {
			reason: "The status of the address that was replaced is no sign that EC2 listed the new one.",
			mg:     elasticIP(withExternalName(allocNew), withCreatedAt(t0.Add(-10*time.Second)), listed(allocOld)),
			poll:   time.Minute,
			want:   5 * time.Second,
		},
		"Listed": {
			reason: "An address EC2 lists is observed again after the poll interval, however new.",
			mg:     elasticIP(withExternalName(allocNew), withCreatedAt(t0.Add(-10*time.Second)), listed(allocNew)),
			poll:   time.Minute,
			want:   time.Minute,
		},
		"GracePeriodOver": {
			reason: "Past the grace period the address is no longer waited for: the poll interval applies.",
			mg:     elasticIP(withExternalName(allocNew), withCreatedAt(t0.Add(-30*time.Second))),
			poll:   time.Minute,
			want:   time.Minute,
		},
		"Imported": {
			reason: "An address the reconciler did not allocate (an observe-only import that was released) is observed after the poll interval.",
			mg:     elasticIP(withExternalName(allocNew)),
			poll:   time.Minute,
			want:   time.Minute,
		},
		"NoAddressYet": {
			reason: "An ElasticIP without an address is observed again after the poll interval.",
			mg:     elasticIP(),
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
