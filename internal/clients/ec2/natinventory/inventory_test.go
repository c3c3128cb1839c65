// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natinventory

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	testingclock "k8s.io/utils/clock/testing"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// t0 is when the tests' snapshots are taken.
var t0 = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

func TestNew(t *testing.T) {
	cases := map[string]struct {
		reason   string
		interval time.Duration
		err      string
	}{
		"Positive": {
			reason:   "A positive interval makes an Inventory.",
			interval: 10 * time.Second,
		},
		"Zero": {
			reason:   "An Inventory cannot list every 0s.",
			interval: 0,
			err:      "NAT gateway inventory interval 0s is not positive: use e.g. 10s, or no inventory",
		},
		"Negative": {
			reason:   "A negative interval is refused.",
			interval: -time.Second,
			err:      "NAT gateway inventory interval -1s is not positive: use e.g. 10s, or no inventory",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			i, err := New(tc.interval)
			if diff := cmp.Diff(tc.err, errString(err)); diff != "" {
				t.Errorf("\n%s\nNew(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if err == nil && (i.interval != tc.interval || i.fresh != tc.interval*3/2) {
				t.Errorf("\n%s\nNew(...): want interval %s served for %s, got %s served for %s", tc.reason, tc.interval, tc.interval*3/2, i.interval, i.fresh)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	a := gw("nat-a", types.NatGatewayStateAvailable, owned("default", "egress-a"))
	snap := &snapshot{taken: t0, gateways: byID(a)}
	fresh := 15 * time.Second
	type want struct {
		gw types.NatGateway
		ok bool
	}
	cases := map[string]struct {
		reason string
		scope  scope
		id     string
		now    time.Time
		want   want
	}{
		"NoSnapshot": {
			reason: "Before the first listing nothing is served.",
			scope:  scope{},
			id:     "nat-a",
			now:    t0,
		},
		"Fresh": {
			reason: "A fresh snapshot that holds the gateway serves it.",
			scope:  scope{snap: snap},
			id:     "nat-a",
			now:    t0.Add(fresh - time.Nanosecond),
			want:   want{gw: a, ok: true},
		},
		"TooOld": {
			reason: "A snapshot one and a half intervals old is not served: its listing is overdue.",
			scope:  scope{snap: snap},
			id:     "nat-a",
			now:    t0.Add(fresh),
		},
		"NotListed": {
			reason: "A gateway the snapshot lacks (created since, untagged, purged) is not served: that is no proof it is gone.",
			scope:  scope{snap: snap},
			id:     "nat-b",
			now:    t0,
		},
		"Stale": {
			reason: "After a failed listing the snapshot is not served.",
			scope:  scope{snap: snap, stale: true},
			id:     "nat-a",
			now:    t0,
		},
		"TouchedSince": {
			reason: "A gateway the provider changed after the listing began is not served from it.",
			scope:  scope{snap: snap, touched: map[string]time.Time{"nat-a": t0.Add(time.Second)}},
			id:     "nat-a",
			now:    t0.Add(2 * time.Second),
		},
		"TouchedAsTaken": {
			reason: "A change at the very time the listing began may be missing from it.",
			scope:  scope{snap: snap, touched: map[string]time.Time{"nat-a": t0}},
			id:     "nat-a",
			now:    t0,
		},
		"TouchedBefore": {
			reason: "A change made before the listing began shows in it.",
			scope:  scope{snap: snap, touched: map[string]time.Time{"nat-a": t0.Add(-time.Second)}},
			id:     "nat-a",
			now:    t0,
			want:   want{gw: a, ok: true},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, ok := tc.scope.lookup(tc.id, tc.now, fresh)
			if diff := cmp.Diff(tc.want.ok, ok); diff != "" {
				t.Errorf("\n%s\nlookup(...): -want served, +got served:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.gw, got, ignoreSDK); diff != "" {
				t.Errorf("\n%s\nlookup(...): -want gateway, +got gateway:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestRefresh(t *testing.T) {
	tags := owned("default", "egress-a")
	a := gw("nat-a", types.NatGatewayStateAvailable, tags)
	aDeleted := gw("nat-a", types.NatGatewayStateDeleted, tags)
	b := gw("nat-b", types.NatGatewayStateAvailable, owned("default", "egress-b"))
	before := t0.Add(-10 * time.Second)
	type want struct {
		snap    *snapshot
		stale   bool
		touched map[string]time.Time
		changes []Change
		calls   int
	}
	cases := map[string]struct {
		reason string
		scope  *scope
		pages  [][]types.NatGateway
		err    error
		want   want
	}{
		"First": {
			reason: "The first listing becomes the snapshot; with nothing to compare it with, it makes no change.",
			scope:  &scope{touched: map[string]time.Time{}},
			pages:  [][]types.NatGateway{{a, b}},
			want:   want{snap: &snapshot{taken: t0, gateways: byID(a, b)}, calls: 1},
		},
		"Paginated": {
			reason: "A listing of several pages makes one snapshot.",
			scope:  &scope{touched: map[string]time.Time{}},
			pages:  [][]types.NatGateway{{a}, {b}},
			want:   want{snap: &snapshot{taken: t0, gateways: byID(a, b)}, calls: 2},
		},
		"DeletedOutOfBand": {
			reason: "A gateway deleted since the previous listing is sent as a change naming its owner.",
			scope:  &scope{snap: &snapshot{taken: before, gateways: byID(a, b)}, touched: map[string]time.Time{}},
			pages:  [][]types.NatGateway{{aDeleted, b}},
			want: want{
				snap:    &snapshot{taken: t0, gateways: byID(aDeleted, b)},
				changes: []Change{{Owner: Owner{Namespace: "default", Name: "egress-a"}, ID: "nat-a", State: types.NatGatewayStateDeleted}},
				calls:   1,
			},
		},
		"Vanished": {
			reason: "A gateway no longer listed is sent as a change without a state.",
			scope:  &scope{snap: &snapshot{taken: before, gateways: byID(a, b)}, touched: map[string]time.Time{}},
			pages:  [][]types.NatGateway{{b}},
			want: want{
				snap:    &snapshot{taken: t0, gateways: byID(b)},
				changes: []Change{{Owner: Owner{Namespace: "default", Name: "egress-a"}, ID: "nat-a"}},
				calls:   1,
			},
		},
		"ErrorKeepsSnapshot": {
			reason: "A failed listing keeps the previous snapshot to compare the next one with, marks it stale, and sends nothing.",
			scope:  &scope{snap: &snapshot{taken: before, gateways: byID(a)}, touched: map[string]time.Time{"nat-a": before}},
			err:    errBoom,
			want: want{
				snap:    &snapshot{taken: before, gateways: byID(a)},
				stale:   true,
				touched: map[string]time.Time{"nat-a": before},
				calls:   1,
			},
		},
		"RecoversFromError": {
			reason: "A listing after a failed one is fresh again, and compares with the last successful snapshot.",
			scope:  &scope{snap: &snapshot{taken: before, gateways: byID(a)}, stale: true, touched: map[string]time.Time{}},
			pages:  [][]types.NatGateway{{aDeleted}},
			want: want{
				snap:    &snapshot{taken: t0, gateways: byID(aDeleted)},
				changes: []Change{{Owner: Owner{Namespace: "default", Name: "egress-a"}, ID: "nat-a", State: types.NatGatewayStateDeleted}},
				calls:   1,
			},
		},
		"ForgetsOldTouches": {
			reason: "Changes the provider made before the listing began show in it and are forgotten; those at or after its start are kept.",
			scope:  &scope{touched: map[string]time.Time{"nat-a": before, "nat-b": t0}},
			pages:  [][]types.NatGateway{{a, b}},
			want: want{
				snap:    &snapshot{taken: t0, gateways: byID(a, b)},
				touched: map[string]time.Time{"nat-b": t0},
				calls:   1,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			l := &lister{}
			l.set(tc.err, tc.pages...)
			tc.scope.api = l.api()
			i, err := New(10*time.Second, WithClock(testingclock.NewFakeClock(t0)))
			if err != nil {
				t.Fatal(err)
			}
			got := collect(i, func() { i.refresh(context.Background(), key, tc.scope) })
			if diff := cmp.Diff(tc.want.changes, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\nrefresh(...): -want changes, +got changes:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.snap, tc.scope.snap, ignoreSDK, cmp.AllowUnexported(snapshot{})); diff != "" {
				t.Errorf("\n%s\nrefresh(...): -want snapshot, +got snapshot:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.stale, tc.scope.stale); diff != "" {
				t.Errorf("\n%s\nrefresh(...): -want stale, +got stale:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.touched, tc.scope.touched, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\nrefresh(...): -want touched, +got touched:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.calls, l.calls()); diff != "" {
				t.Errorf("\n%s\nrefresh(...): -want DescribeNatGateways calls, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// collect runs f and returns the changes it sends.
func collect(i *Inventory, f func()) []Change {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	var got []Change
	for {
		select {
		case e := <-i.Events():
			got = append(got, e.Object)
		case <-done:
			return got
		}
	}
}

// TestInventoryLifecycle follows one key from its first Get to its
// retirement, on a fake clock.
func TestInventoryLifecycle(t *testing.T) {
	tags := owned("default", "egress-a")
	a := gw("nat-a", types.NatGatewayStateAvailable, tags)
	aDeleting := gw("nat-a", types.NatGatewayStateDeleting, tags)
	clk := testingclock.NewFakeClock(t0)
	l := &lister{}
	l.set(nil, []types.NatGateway{a})
	api := l.api()
	i, err := New(10*time.Second, WithClock(clk), WithIdle(time.Minute))
	if err != nil {
		t.Fatal(err)
	}

	if _, ok := i.Get(key, api, "nat-a"); ok || l.calls() != 0 {
		t.Fatalf("before Start, Get must serve nothing and list nothing; served %v, %d calls", ok, l.calls())
	}
	if _, ok := i.Peek("nat-a"); ok {
		t.Fatalf("before Start, Peek must serve nothing")
	}

	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error)
	go func() { stopped <- i.Start(ctx) }()
	waitFor(t, "Start", func() bool {
		i.mu.Lock()
		defer i.mu.Unlock()
		return i.ctx != nil
	})

	// The first Get starts the listing, and serves nothing yet.
	if _, ok := i.Get(key, api, "nat-a"); ok {
		t.Errorf("the first Get must not be served: there is no snapshot yet")
	}
	waitFor(t, "the first listing", func() bool { return i.taken(key).Equal(t0) })
	got, ok := i.Get(key, api, "nat-a")
	if !ok || got.State != types.NatGatewayStateAvailable {
		t.Errorf("after the first listing Get must serve nat-a available; got %v, served %v", got.State, ok)
	}
	if got, ok := i.Peek("nat-a"); !ok || got.State != types.NatGatewayStateAvailable {
		t.Errorf("after the first listing Peek must serve nat-a available; got %v, served %v", got.State, ok)
	}
	keys := i.keys()
	if _, ok := i.Peek("nat-unknown"); ok {
		t.Errorf("Peek of a gateway no listing holds must serve nothing")
	}
	if got := i.keys(); got != keys {
		t.Errorf("Peek must start no listing: %d keys listed before, %d after", keys, got)
	}

	// A deletion outside Crossplane is sent one interval later.
	l.set(nil, []types.NatGateway{aDeleting})
	waitFor(t, "the ticker", clk.HasWaiters)
	clk.Step(10 * time.Second)
	want := Change{Owner: Owner{Namespace: "default", Name: "egress-a"}, ID: "nat-a", State: types.NatGatewayStateDeleting}
	if diff := cmp.Diff(want, receive(t, i)); diff != "" {
		t.Errorf("the deletion must be sent after one interval: -want, +got:\n%s", diff)
	}
	if got, ok := i.Get(key, api, "nat-a"); !ok || got.State != types.NatGatewayStateDeleting {
		t.Errorf("the snapshot that shows the deletion must be served with its change; got %v, served %v", got.State, ok)
	}

	// A change the provider makes is not served until a later listing.
	i.Touch(key, "nat-a")
	if _, ok := i.Get(key, api, "nat-a"); ok {
		t.Errorf("a gateway touched after the snapshot must not be served from it")
	}

	// A failed listing makes the snapshot stale.
	l.set(errors.New("RequestLimitExceeded"))
	clk.Step(10 * time.Second)
	waitFor(t, "the failed listing", func() bool { return i.stale(key) })
	if _, ok := i.Get(key, api, "nat-a"); ok {
		t.Errorf("a stale snapshot must not be served")
	}

	// Unasked for longer than the idle time, the key stops being listed.
	l.set(nil, []types.NatGateway{aDeleting})
	for range 7 {
		calls := l.calls()
		clk.Step(10 * time.Second)
		waitFor(t, "a listing or the retirement", func() bool { return l.calls() > calls || !i.listing(key) })
	}
	waitFor(t, "the retirement", func() bool { return !i.listing(key) })
	calls := l.calls()
	clk.Step(time.Minute)
	if l.calls() != calls {
		t.Errorf("a retired key must not be listed; %d calls after its retirement", l.calls()-calls)
	}

	cancel()
	if err := <-stopped; err != nil {
		t.Errorf("Start(...): %v", err)
	}
	if err := i.Start(context.Background()); err == nil {
		t.Errorf("a second Start must fail")
	}
	if _, ok := i.Get(key, api, "nat-a"); ok {
		t.Errorf("after Start returns, Get must serve nothing")
	}
}

// receive returns the next change, failing the test if none comes.
func receive(t *testing.T, i *Inventory) Change {
	t.Helper()
	select {
	case e := <-i.Events():
		return e.Object
	case <-time.After(30 * time.Second):
		t.Fatalf("no change was sent")
		return Change{}
	}
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

// taken returns when the snapshot of k was taken, or the zero time.
func (i *Inventory) taken(k Key) time.Time {
	i.mu.Lock()
	defer i.mu.Unlock()
	if s, ok := i.scopes[k]; ok && s.snap != nil {
		return s.snap.taken
	}
	return time.Time{}
}

// stale reports whether the snapshot of k is stale.
func (i *Inventory) stale(k Key) bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	s, ok := i.scopes[k]
	return ok && s.stale
}

// listing reports whether k is listed.
func (i *Inventory) listing(k Key) bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	_, ok := i.scopes[k]
	return ok
}

// keys returns how many keys i lists.
func (i *Inventory) keys() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return len(i.scopes)
}
