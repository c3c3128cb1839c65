// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// Settings of the kill storm.
const (
	// stormMembers are created first; stormLate join at stormJoinAt kills,
	// and stormGone of the first leave at stormDeleteAt kills.
	stormMembers  = 20
	stormLate     = 4
	stormGone     = 4
	stormJoinAt   = 40
	stormDeleteAt = 60
	// stormKills SIGKILLs happen while the members are created, replaced
	// and deleted; stormEndKills more while all of them are deleted.
	stormKills    = 100
	stormEndKills = 20
	// Every stormReplaceEvery kills stormReplaced gateways are failed or
	// deleted outside Crossplane, to be replaced; every stormRecycleEvery
	// kills one member is deleted and a new one created.
	stormReplaceEvery = 4
	stormReplaced     = 2
	stormRecycleEvery = 10
	// heldFor outlasts any life of the provider: a held answer never comes.
	heldFor = 5 * time.Minute
	// convergeTimeout bounds the wait for every resource to be Ready, or
	// gone, once the storm has passed.
	convergeTimeout = 4 * time.Minute
)

// A life is how long the provider runs between kills: most are short,
// some long enough to get through a few reconciles.
func life(rnd *rand.Rand) time.Duration {
	if rnd.IntN(5) == 0 {
		return 2*time.Second + time.Duration(rnd.Int64N(int64(2*time.Second)))
	}
	return 300*time.Millisecond + time.Duration(rnd.Int64N(int64(900*time.Millisecond)))
}

// stormFaults are the faults a life may run under: answers held after EC2
// applied the request (the provider dies waiting for them), and answers
// lost after EC2 applied it (the SDK sees an InternalError and retries).
var stormFaults = []ec2sim.Fault{
	{Action: "CreateNatGateway", Hold: heldFor, Times: 2},
	{Action: "CreateNatGateway", ErrorRate: 1, ErrorAfterApply: true, Times: 3},
	{Action: "AllocateAddress", Hold: heldFor, Times: 2},
	{Action: "AllocateAddress", ErrorRate: 1, ErrorAfterApply: true, Times: 2},
	{Action: "CreateRoute", Hold: heldFor, Times: 2},
	{Action: "CreateRoute", ErrorRate: 1, ErrorAfterApply: true, Times: 3},
	{Action: "ReplaceRoute", Hold: heldFor, Times: 2},
	{Action: "ReplaceRoute", ErrorRate: 1, ErrorAfterApply: true, Times: 3},
	{Action: "DeleteNatGateway", Hold: heldFor, Times: 2},
	{Action: "DeleteNatGateway", ErrorRate: 1, ErrorAfterApply: true, Times: 3},
	{Action: "ReleaseAddress", Hold: heldFor, Times: 2},
	{Action: "ReleaseAddress", ErrorRate: 1, ErrorAfterApply: true, Times: 2},
	{Action: "DeleteRoute", Hold: heldFor, Times: 2},
	{Action: "DeleteRoute", ErrorRate: 1, ErrorAfterApply: true, Times: 3},
	{Action: "CreateTags", ErrorRate: 1, ErrorAfterApply: true, Times: 3},
}

// pickFaults returns up to n faults of distinct actions.
func pickFaults(rnd *rand.Rand, n int) []ec2sim.Fault {
	var out []ec2sim.Fault
	seen := map[string]bool{}
	for _, i := range rnd.Perm(len(stormFaults)) {
		f := stormFaults[i]
		if seen[f.Action] {
			continue
		}
		seen[f.Action] = true
		out = append(out, f)
		if len(out) == n {
			break
		}
	}
	return out
}

// stormStats counts what a storm did.
type stormStats struct {
	kills int
	// held and lost count the answers ec2sim held or lost, by action.
	held, lost map[string]int
	took       time.Duration
}

func (s stormStats) String() string {
	return fmt.Sprintf("%d SIGKILLs in %s; answers held after apply: %d %s; answers lost after apply: %d %s",
		s.kills, s.took.Round(time.Second), sum(s.held), byAction(s.held), sum(s.lost), byAction(s.lost))
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func byAction(m map[string]int) string {
	parts := make([]string, 0, len(m))
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(parts)
	return "(" + strings.Join(parts, ", ") + ")"
}

// storm kills the provider kills times, a random life apart, and restarts
// it each time under new faults. Before each restart it calls at(n) with
// the number of kills so far. It clears the faults when it ends.
func (e *env) storm(ctx context.Context, rnd *rand.Rand, kills int, at func(n int) error) (st stormStats, err error) {
	st = stormStats{held: map[string]int{}, lost: map[string]int{}}
	begin := time.Now()
	defer func() { st.took = time.Since(begin) }()
	p := e.provider()
	var installed []ec2sim.Fault
	for st.kills < kills {
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-time.After(life(rnd)):
		}
		if err := p.Kill(); err != nil {
			return st, err
		}
		st.kills++
		left, err := e.sim.Admin.Faults(ctx)
		if err != nil {
			return st, err
		}
		for i, f := range left {
			used := installed[i].Times - f.Times
			if f.Hold > 0 {
				st.held[f.Action] += used
			} else {
				st.lost[f.Action] += used
			}
		}
		if err := at(st.kills); err != nil {
			return st, err
		}
		installed = nil
		if st.kills < kills {
			installed = pickFaults(rnd, 1+rnd.IntN(3))
		}
		// Setting faults releases the answers held for the dead provider.
		if err := e.sim.Admin.SetFaults(ctx, installed); err != nil {
			return st, err
		}
		if err := p.Restart(ctx); err != nil {
			return st, err
		}
	}
	return st, nil
}

// replace fails or deletes, outside Crossplane, up to n available gateways
// of the namespace's NATGateways, and returns their IDs.
func (e *env) replace(ctx context.Context, rnd *rand.Rand, n int) ([]string, error) {
	st, err := e.state(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, i := range rnd.Perm(len(st.NatGateways)) {
		g := st.NatGateways[i]
		if g.State != stateAvailable || g.Tags[tagUID] == "" {
			continue
		}
		if rnd.IntN(2) == 0 {
			err = e.sim.Admin.FailNatGateway(ctx, g.ID, "", "")
		} else {
			err = e.sim.Admin.DeleteNatGateway(ctx, g.ID, false)
		}
		if err != nil {
			return ids, errors.Wrapf(err, "cannot break %s", g.ID)
		}
		ids = append(ids, g.ID)
		if len(ids) == n {
			break
		}
	}
	return ids, nil
}

// memberKind makes even members public with an ElasticIP, odd ones
// private; every member is routed.
func memberKind(i int) int {
	if i%2 == 0 {
		return withAddress | withRoute
	}
	return withRoute
}

// TestKillStorm SIGKILLs the provider over and over while NAT gateways,
// public and private, their ElasticIPs and Routes are created, replaced and
// deleted, and ec2sim holds or loses answers after applying them. Once the
// storm has passed every resource must become Ready with exactly one gateway,
// address and route each and nothing else live in EC2; after deleting them
// all, nothing may be left.
func TestKillStorm(t *testing.T) {
	ctx := t.Context()
	e := newEnv(t, envOptions{
		ns:          "storm",
		durations:   ec2sim.Durations{Pending: time.Second, Deleting: time.Second, Retention: time.Hour},
		provider:    []string{"--poll=5s", "--nat-inventory-interval=5s"},
		routeTables: 1,
	})
	rnd := rand.New(rand.NewPCG(10, 10))

	members := make([]member, 0, stormMembers+stormLate)
	for i := range stormMembers + stormLate {
		members = append(members, e.member(fmt.Sprintf("m%02d", i), i, memberKind(i)))
	}
	if err := e.create(ctx, members[:stormMembers]...); err != nil {
		t.Fatal(err)
	}
	var gone []member
	var broken []string
	live := slices.Clone(members[:stormMembers])
	late := slices.Clone(members[stormMembers:])
	next := len(members)
	remove := func(m member) error {
		gone = append(gone, m)
		for _, o := range m.objects() {
			if err := client.IgnoreNotFound(shared.client.Delete(ctx, o)); err != nil {
				return err
			}
		}
		return nil
	}
	phases := func(n int) error {
		switch {
		case n == stormJoinAt:
			live = append(live, late...)
			return e.create(ctx, late...)
		case n == stormDeleteAt:
			for _, m := range live[:stormGone] {
				if err := remove(m); err != nil {
					return err
				}
			}
			live = live[stormGone:]
		case n%stormRecycleEvery == stormRecycleEvery/2:
			k := rnd.IntN(len(live))
			if err := remove(live[k]); err != nil {
				return err
			}
			m := e.member(fmt.Sprintf("m%02d", next), next, memberKind(next))
			next++
			members = append(members, m)
			live[k] = m
			return e.create(ctx, m)
		case n%stormReplaceEvery == 0:
			ids, err := e.replace(ctx, rnd, stormReplaced)
			broken = append(broken, ids...)
			return err
		}
		return nil
	}
	st, err := e.storm(ctx, rnd, stormKills, phases)
	if err != nil {
		t.Fatalf("storm: %v\n%s", err, e.stk.Logs(40))
	}
	mrs := 0
	for _, m := range members {
		mrs += len(m.objects())
	}
	deleted, first := 0, 0
	for _, m := range gone {
		deleted += len(m.objects())
	}
	for _, m := range members[:stormMembers] {
		first += len(m.objects())
	}
	t.Logf("kill storm over %d managed resources (%d NATGateways, public and private, with their ElasticIPs and Routes; %d of them created first, %d during the storm, and %d deleted during it; %d gateways failed or deleted outside Crossplane): %s",
		mrs, len(members), first, mrs-first, deleted, len(broken), st)

	took, err := e.waitAllReady(ctx, convergeTimeout)
	if err != nil {
		t.Fatalf("after the storm: %v\n%s", err, e.stk.Logs(40))
	}
	left, _, _ := e.notReady(ctx)
	t.Logf("every managed resource Ready %s after the storm", took.Round(100*time.Millisecond))
	a, err := e.audit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("after the storm: %s", a)
	if !a.clean() || len(left) > 0 {
		t.Errorf("after the storm, want every live object owned by exactly one managed resource: %s", a)
	}
	calls, err := e.sim.Admin.Calls(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("EC2 calls: %s", formatCalls(calls))

	e.deleteDuringHeldCreate(t)

	all, err := e.deleteAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	end, err := e.storm(ctx, rnd, stormEndKills, func(int) error { return nil })
	if err != nil {
		t.Fatalf("storm while deleting: %v", err)
	}
	took, err = e.waitNoneLeft(ctx, convergeTimeout)
	if err != nil {
		t.Fatalf("after deleting: %v\n%s", err, e.stk.Logs(40))
	}
	t.Logf("deleted all %d managed resources during %s; all gone %s after that storm", len(all), end, took.Round(100*time.Millisecond))
	if err := poll(ctx, time.Minute, func(ctx context.Context) error {
		if a, err = e.audit(ctx); err != nil || !a.empty() {
			return errors.Errorf("%v %s", err, a)
		}
		return nil
	}); err != nil {
		t.Errorf("after deleting every managed resource, want nothing live in EC2: %v", err)
	}
	t.Logf("after deletion: %s", a)
}

// deleteDuringHeldCreate deletes a NATGateway and an ElasticIP while EC2
// holds the answer of the create it has applied, and kills the provider:
// once it is back, the resources must be gone and what EC2 made for them
// deleted.
func (e *env) deleteDuringHeldCreate(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	for _, c := range []struct {
		action string
		m      member
	}{
		{"CreateNatGateway", e.member("held-gateway", 200, 0)},
		{"AllocateAddress", e.member("held-address", 201, withAddress)},
	} {
		obj := c.m.objects()[0]
		if err := e.sim.Admin.SetFaults(ctx, []ec2sim.Fault{{Action: c.action, Hold: heldFor, Times: 1}}); err != nil {
			t.Fatal(err)
		}
		if err := shared.client.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
		uid := string(obj.GetUID())
		var made string
		if err := poll(ctx, time.Minute, func(ctx context.Context) error {
			made = e.madeFor(ctx, uid)
			if made == "" {
				return errors.Errorf("EC2 has made nothing for %s yet", obj.GetName())
			}
			return nil
		}); err != nil {
			t.Fatalf("%s held: %v\n%s", c.action, err, e.stk.Describe(ctx, obj))
		}
		if err := shared.client.Delete(ctx, obj); err != nil {
			t.Fatal(err)
		}
		if err := e.provider().Kill(); err != nil {
			t.Fatal(err)
		}
		if err := e.sim.Admin.SetFaults(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if err := e.provider().Restart(ctx); err != nil {
			t.Fatal(err)
		}
		if err := e.stk.WaitGone(ctx, obj, 2*time.Minute); err != nil {
			t.Errorf("deleted while %s was held: %v", c.action, err)
			continue
		}
		// A gateway goes deleting, then deleted; an address is released.
		err := poll(ctx, 30*time.Second, func(ctx context.Context) error {
			if id := e.madeFor(ctx, uid); id != "" {
				return errors.Errorf("%s, made for %s, is still live", id, obj.GetName())
			}
			return nil
		})
		if err != nil {
			t.Errorf("%s %s deleted while %s was held and the provider killed: %v", stack.Kind(obj), obj.GetName(), c.action, err)
			continue
		}
		t.Logf("%s %s deleted while %s was held and the provider killed: %s, made by EC2 before the kill, is gone too", stack.Kind(obj), obj.GetName(), c.action, made)
	}
}

// madeFor returns the ID of a live gateway or an address tagged with uid.
func (e *env) madeFor(ctx context.Context, uid string) string {
	st, err := e.state(ctx)
	if err != nil {
		return ""
	}
	for _, g := range st.NatGateways {
		if g.Tags[tagUID] == uid && (g.State == statePending || g.State == stateAvailable || g.State == stateDeleting) {
			return g.ID
		}
	}
	for _, a := range st.Addresses {
		if a.Tags[tagUID] == uid {
			return a.AllocationID
		}
	}
	return ""
}

// formatCalls writes EC2 call counts by action, with throttled and
// injected answers.
func formatCalls(calls map[string]ec2sim.CallStats) string {
	parts := make([]string, 0, len(calls))
	for a, c := range calls {
		s := fmt.Sprintf("%s %d", a, c.Calls)
		if c.Throttled+c.Injected > 0 {
			s += fmt.Sprintf(" (%d throttled, %d injected)", c.Throttled, c.Injected)
		}
		parts = append(parts, s)
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
