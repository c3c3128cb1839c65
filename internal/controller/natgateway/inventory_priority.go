// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"sync"

	ktypes "k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/controller/priorityqueue"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// urgentPriority is the work queue priority of a NATGateway whose gateway
// the inventory found gone, deleting, deleted or failed: above routine polls
// and watch events, which have priority 0 or less.
const urgentPriority = 100

// An urgency holds the NATGateways whose gateways the inventory found gone,
// deleting, deleted or failed, until they are reconciled.
type urgency struct {
	mu   sync.Mutex
	keys map[ktypes.NamespacedName]struct{}
}

func newUrgency() *urgency {
	return &urgency{keys: map[ktypes.NamespacedName]struct{}{}}
}

// add enqueues req ahead of routine work, and marks it so that it is
// reconciled without waiting for the global rate limiter.
func (u *urgency) add(q workqueue.TypedRateLimitingInterface[reconcile.Request], req reconcile.Request) {
	u.mu.Lock()
	u.keys[req.NamespacedName] = struct{}{}
	u.mu.Unlock()
	if pq, ok := q.(priorityqueue.PriorityQueue[reconcile.Request]); ok {
		pq.AddWithOpts(priorityqueue.AddOpts{Priority: ptr.To(urgentPriority)}, req)
		return
	}
	q.Add(req)
}

// take reports whether nn was marked urgent, and unmarks it.
func (u *urgency) take(nn ktypes.NamespacedName) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	_, ok := u.keys[nn]
	delete(u.keys, nn)
	return ok
}

// urgentFirst reconciles the NATGateways marked urgent at once, and the
// others through the global rate limiter. The limiter reserves a token for
// every request it defers, so with more routine polls than it allows a
// deletion the inventory saw would otherwise wait behind all of them.
type urgentFirst struct {
	urgent  *urgency
	inner   reconcile.Reconciler
	limited reconcile.Reconciler
}

// Reconcile reconciles req, at once when it is urgent.
func (r urgentFirst) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	if r.urgent.take(req.NamespacedName) {
		return r.inner.Reconcile(ctx, req)
	}
	return r.limited.Reconcile(ctx, req)
}
