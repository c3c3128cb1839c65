// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"os"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/util/uuid"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/leaderelection/resourcelock"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// inClusterNamespace holds the namespace of the provider's pod.
const inClusterNamespace = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"

// A fencedLease is the Lease lock of leader election that remembers when
// this replica last wrote it. A leader that was paused (stopped, swapped
// out, cut off from the API server) for longer than the renew deadline may
// have been replaced by a standby, although its controllers do not know yet:
// Fence closes then, so it changes nothing in EC2 before it notices.
type fencedLease struct {
	resourcelock.Interface

	renewDeadline time.Duration

	mu      sync.Mutex
	renewed time.Time // monotonic: it counts the time the process was stopped
}

// newFencedLease returns the Lease lock named id in namespace ns (the pod's
// namespace when empty) for a new replica identity.
func newFencedLease(cfg *rest.Config, ns, id string, renewDeadline time.Duration) (*fencedLease, error) {
	if ns == "" {
		b, err := os.ReadFile(inClusterNamespace)
		if err != nil {
			return nil, errors.Wrap(err, "cannot find the leader election namespace: set --leader-election-namespace out of cluster")
		}
		ns = strings.TrimSpace(string(b))
	}
	host, err := os.Hostname()
	if err != nil {
		return nil, errors.Wrap(err, "cannot name this replica")
	}
	cfg = rest.AddUserAgent(cfg, "leader-election")
	// A hung request must not use up the renew deadline by itself.
	cfg.Timeout = max(renewDeadline/2, time.Second)
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, errors.Wrap(err, "cannot create the leader election client")
	}
	lock, err := resourcelock.New(resourcelock.LeasesResourceLock, ns, id, cs.CoreV1(), cs.CoordinationV1(),
		resourcelock.ResourceLockConfig{Identity: host + "_" + string(uuid.NewUUID())})
	if err != nil {
		return nil, errors.Wrap(err, "cannot create the leader election lock")
	}
	return &fencedLease{Interface: lock, renewDeadline: renewDeadline}, nil
}

// Create acquires a lease that does not exist yet.
func (l *fencedLease) Create(ctx context.Context, r resourcelock.LeaderElectionRecord) error {
	return l.wrote(l.Interface.Create(ctx, r), r)
}

// Update acquires, renews or releases the lease.
func (l *fencedLease) Update(ctx context.Context, r resourcelock.LeaderElectionRecord) error {
	return l.wrote(l.Interface.Update(ctx, r), r)
}

func (l *fencedLease) wrote(err error, r resourcelock.LeaderElectionRecord) error {
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.renewed = time.Time{}
	if r.HolderIdentity == l.Identity() {
		l.renewed = time.Now()
	}
	return nil
}

// Fence returns nil while this replica renewed its lease within the renew
// deadline, and why it must not write otherwise.
func (l *fencedLease) Fence() error {
	l.mu.Lock()
	renewed := l.renewed
	l.mu.Unlock()
	if renewed.IsZero() {
		return errors.New("this replica does not hold the leader lease")
	}
	if d := time.Since(renewed); d > l.renewDeadline {
		return errors.Errorf("this replica last renewed its leader lease %s ago, longer than the renew deadline of %s: another replica may lead now", d.Round(time.Second), l.renewDeadline)
	}
	return nil
}
