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
	testingclock "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/natinventory"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// TestSimulatorInventoryEnqueuesDeletedGateway checks that the listing that
// first holds a gateway enqueues its NATGateway once, then deletes the
// gateway outside Crossplane and checks that the inventory's next listing,
// one interval later on a fake clock, enqueues the NATGateway, whose
// reconcile then replaces the gateway with no describe of its own.
func TestSimulatorInventoryEnqueuesDeletedGateway(t *testing.T) {
	env := newSimEnv(t, ec2sim.Durations{Retention: time.Hour})
	ctx, cancel := context.WithCancel(env.ctx)
	defer cancel()

	clk := testingclock.NewFakeClock(time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC))
	inv, err := natinventory.New(DefaultInventoryInterval, natinventory.WithClock(clk))
	if err != nil {
		t.Fatal(err)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- inv.Start(ctx) }()
	defer func() {
		cancel()
		if err := <-stopped; err != nil {
			t.Errorf("inv.Start(...): %v", err)
		}
	}()
	q := workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[reconcile.Request]())
	defer q.ShutDown()
	if err := inventorySource(inv, newUrgency()).Start(ctx, q); err != nil {
		t.Fatalf("inventorySource(...).Start(...): %v", err)
	}
	env.conn.inventory = inv

	// Start the inventory first, as the provider does once running.
	waitFor(t, "the inventory to start", func() bool {
		inv.Get(clusterKey, env.api, "nat-none")
		return clk.HasWaiters()
	})
	first := env.ready()

	// A listing after the creation serves the available gateway.
	clk.Step(DefaultInventoryInterval)
	waitFor(t, "a listing that holds "+first, func() bool {
		gw, ok := inv.Get(clusterKey, env.api, first)
		return ok && gw.State == "available"
	})
	// A gateway new to the listing, as an imported one is once tagged, is
	// reconciled once, as routine work, from the snapshot.
	want := reconcile.Request{NamespacedName: ktypes.NamespacedName{Namespace: "default", Name: "egress-a"}}
	if diff := cmp.Diff(want, next(t, q)); diff != "" {
		t.Fatalf("a listing of a new, available gateway must enqueue its NATGateway: -want, +got:\n%s", diff)
	}
	if q.Len() != 0 {
		t.Fatalf("a listing of a new, available gateway must enqueue its NATGateway once; %d more queued", q.Len())
	}
	before := describes(t, env)
	env.reconcile()
	if got := describes(t, env) - before; got != 0 {
		t.Errorf("DescribeNatGateways calls of the reconcile of a gateway new to the listing: want 0 (served from the snapshot), got %d", got)
	}

	if err := env.sim.DeleteNatGateway(env.ctx, first, true); err != nil {
		t.Fatalf("sim.DeleteNatGateway(...): %v", err)
	}
	clk.Step(DefaultInventoryInterval)
	got := next(t, q)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("the listing one interval after the deletion must enqueue the NATGateway: -want, +got:\n%s", diff)
	}

	// Past the reconciler's creation grace period, as in the other
	// simulator tests.
	env.advance(time.Minute)
	before = describes(t, env)
	cr := env.reconcile()
	second := meta.GetExternalName(cr)
	if second == first || second == "" {
		t.Fatalf("the reconcile of the enqueued NATGateway must replace %s; external name %q", first, second)
	}
	// Create lists the gateways tagged for the NATGateway once; Observe is
	// served from the snapshot.
	if got := describes(t, env) - before; got != 1 {
		t.Errorf("DescribeNatGateways calls of the healing reconcile: want 1 (Create's search by tag), got %d", got)
	}
	if got := env.recreations(v1alpha1.FoundStateDeleted); got != 1 {
		t.Errorf("recreations_total{reason=deleted}: want 1, got %v", got)
	}
}

// next returns the next request of q, failing the test if none comes.
func next(t *testing.T, q workqueue.TypedRateLimitingInterface[reconcile.Request]) reconcile.Request {
	t.Helper()
	got := make(chan reconcile.Request, 1)
	go func() {
		r, shutdown := q.Get()
		if !shutdown {
			q.Done(r)
			got <- r
		}
	}()
	select {
	case r := <-got:
		return r
	case <-time.After(30 * time.Second):
		t.Fatalf("nothing was enqueued")
		return reconcile.Request{}
	}
}

// describes returns how many DescribeNatGateways calls the simulator served.
func describes(t *testing.T, env *simEnv) int64 {
	t.Helper()
	calls, err := env.sim.Calls(env.ctx)
	if err != nil {
		t.Fatalf("sim.Calls(...): %v", err)
	}
	return calls["DescribeNatGateways"].Calls
}

// waitFor polls cond until it holds, failing the test if it never does.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: gave up after 30s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
