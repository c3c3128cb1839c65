// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/tools/leaderelection/resourcelock"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// fakeLock answers writes with err and has identity id.
type fakeLock struct {
	resourcelock.Interface

	id  string
	err error
}

func (f *fakeLock) Create(context.Context, resourcelock.LeaderElectionRecord) error { return f.err }
func (f *fakeLock) Update(context.Context, resourcelock.LeaderElectionRecord) error { return f.err }
func (f *fakeLock) Identity() string                                                { return f.id }

func TestFencedLease(t *testing.T) {
	const deadline = time.Minute
	mine := resourcelock.LeaderElectionRecord{HolderIdentity: "me"}
	theirs := resourcelock.LeaderElectionRecord{HolderIdentity: "other"}
	cases := map[string]struct {
		reason string
		write  func(l *fencedLease, f *fakeLock)
		want   string
	}{
		"NeverHeld": {
			reason: "A replica that never wrote the lease is closed.",
			write:  func(*fencedLease, *fakeLock) {},
			want:   "does not hold the leader lease",
		},
		"Acquired": {
			reason: "A replica that just created the lease as its holder is open.",
			write:  func(l *fencedLease, _ *fakeLock) { _ = l.Create(context.Background(), mine) },
		},
		"Renewed": {
			reason: "A replica that just renewed the lease is open.",
			write:  func(l *fencedLease, _ *fakeLock) { _ = l.Update(context.Background(), mine) },
		},
		"Released": {
			reason: "A replica that wrote another holder into the lease, as on release, is closed.",
			write: func(l *fencedLease, _ *fakeLock) {
				_ = l.Update(context.Background(), mine)
				_ = l.Update(context.Background(), theirs)
			},
			want: "does not hold the leader lease",
		},
		"Paused": {
			reason: "A replica whose last renewal is older than the renew deadline, as after a pause, is closed.",
			write: func(l *fencedLease, f *fakeLock) {
				_ = l.Update(context.Background(), mine)
				l.renewed = l.renewed.Add(-2 * deadline)
				f.err = errors.New("the API server is out of reach")
				_ = l.Update(context.Background(), mine)
			},
			want: "longer than the renew deadline of 1m0s: another replica may lead now",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := &fakeLock{id: "me"}
			l := &fencedLease{Interface: f, renewDeadline: deadline}
			tc.write(l, f)
			got := ""
			if err := l.Fence(); err != nil {
				got = err.Error()
			}
			if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("\n%s\nFence(): want %q, got %q", tc.reason, tc.want, got)
			}
		})
	}
}
