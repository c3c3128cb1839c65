// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	ktypes "k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/controller/priorityqueue"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// TestUrgentFirst checks that an urgent request is reconciled without the
// global rate limiter, once, and that others go through it.
func TestUrgentFirst(t *testing.T) {
	req := reconcile.Request{NamespacedName: ktypes.NamespacedName{Namespace: "default", Name: "egress-a"}}
	var calls []string
	r := urgentFirst{
		urgent: newUrgency(),
		inner: reconcile.Func(func(context.Context, reconcile.Request) (reconcile.Result, error) {
			calls = append(calls, "inner")
			return reconcile.Result{}, nil
		}),
		limited: reconcile.Func(func(context.Context, reconcile.Request) (reconcile.Result, error) {
			calls = append(calls, "limited")
			return reconcile.Result{RequeueAfter: time.Minute}, nil
		}),
	}
	q := workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[reconcile.Request]())
	defer q.ShutDown()

	for range 2 {
		if _, err := r.Reconcile(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	r.urgent.add(q, req)
	for range 2 {
		if _, err := r.Reconcile(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{"limited", "limited", "inner", "limited"}, calls); diff != "" {
		t.Errorf("reconciles: -want, +got:\n%s", diff)
	}
	if q.Len() != 1 {
		t.Errorf("urgency.add(...): want the request queued, %d queued", q.Len())
	}
}

// TestUrgencyPriority checks that an urgent request jumps a priority queue.
func TestUrgencyPriority(t *testing.T) {
	q := priorityqueue.New[reconcile.Request]("test")
	defer q.ShutDown()
	routine := reconcile.Request{NamespacedName: ktypes.NamespacedName{Namespace: "default", Name: "routine"}}
	urgent := reconcile.Request{NamespacedName: ktypes.NamespacedName{Namespace: "default", Name: "urgent"}}
	q.Add(routine)
	newUrgency().add(q, urgent)
	got, prio, _ := q.GetWithPriority()
	if got != urgent || prio != urgentPriority {
		t.Errorf("first request: got %v with priority %d, want %v with priority %d", got, prio, urgent, urgentPriority)
	}
}
