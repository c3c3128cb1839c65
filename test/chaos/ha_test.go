// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package chaos

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// The lease of the replicas. A standby takes over at most leaseDuration
// after the leader last renewed, trying every retryPeriod; a leader that
// cannot renew for renewDeadline stops. They are shorter than the
// provider's defaults (60s, 50s, 2s) so the test is quick, and long enough
// that a leader on a busy machine keeps its lease.
const (
	leaseDuration = 10 * time.Second
	renewDeadline = 8 * time.Second
	retryPeriod   = 2 * time.Second
	// takeoverBound is what a takeover may take: the lease running out,
	// one retry, and the standby's controllers starting.
	takeoverBound = leaseDuration + retryPeriod + 20*time.Second
)

// Replicas of TestHA, named by their EC2 client IDs.
const (
	replicaA = "replica-a"
	replicaB = "replica-b"
)

// fenceRefusal is in the error of an EC2 change a replica refuses because
// its lease may have passed to another.
const fenceRefusal = "another replica may lead now"

// mutating reports whether an EC2 action changes something.
func mutating(action string) bool {
	return !strings.HasPrefix(action, "Describe")
}

// TestHA runs two replicas with leader election on the API server. The
// leader is killed while gateways are being created and the standby takes
// over; then the new leader is stopped (SIGSTOP: it no longer reaches the
// API server) and the other takes over again. Only the leader calls EC2 at
// any time; the partitioned leader, once it runs again, writes nothing.
func TestHA(t *testing.T) {
	ctx := t.Context()
	e := newEnv(t, envOptions{
		ns:        "ha",
		durations: ec2sim.Durations{Pending: 2 * time.Second, Deleting: time.Second, Retention: time.Hour},
		provider: []string{
			"--poll=5s", "--nat-inventory-interval=3s",
			"--leader-election", "--leader-election-namespace=ha",
			"--leader-election-lease-duration=" + leaseDuration.String(),
			"--leader-election-renew-deadline=" + renewDeadline.String(),
			"--leader-election-retry-period=" + retryPeriod.String(),
		},
		replicas: []string{replicaA, replicaB},
	})
	leader, standby := e.leader(t)
	t.Logf("lease: duration %s, renew deadline %s, retry period %s; %s leads, %s stands by", leaseDuration, renewDeadline, retryPeriod, leader, standby)

	// Creates in flight: EC2 makes the gateways, their answers wait.
	if err := e.sim.Admin.SetFaults(ctx, []ec2sim.Fault{{Action: "CreateNatGateway", Hold: heldFor, Times: 3}}); err != nil {
		t.Fatal(err)
	}
	members := make([]member, 0, 8)
	for i := range 8 {
		members = append(members, e.member(fmt.Sprintf("ha%02d", i), i, memberKind(i)))
	}
	if err := e.create(ctx, members...); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, 2*time.Minute, func(ctx context.Context) error {
		f, err := e.sim.Admin.Faults(ctx)
		if err != nil || len(f) == 0 || f[0].Times > 0 {
			return errors.Errorf("creates not held yet (%v): %+v", err, f)
		}
		return nil
	}); err != nil {
		t.Fatalf("%v\n%s", err, e.replicas[leader].Tail(20))
	}
	before := e.clientCalls(t)
	offset := logSize(e.replicas[standby])
	killed := time.Now()
	if err := e.replicas[leader].Kill(); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.Admin.SetFaults(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if n := sumCalls(before[standby], nil); n != 0 {
		t.Errorf("the standby made %d EC2 calls before it led: %v", n, before[standby])
	}
	t.Logf("killed %s with 3 CreateNatGateway answers held; EC2 calls so far: %s %v, %s %v", leader, leader, before[leader], standby, before[standby])
	if before[leader]["DescribeNatGateways"] == 0 {
		t.Errorf("the leader never listed the NAT inventory: %v", before[leader])
	}

	k := e.takeover(t, standby, offset, killed, before)
	t.Logf("%s took over from the killed leader: %s (lease duration %s, retry period %s)", standby, k.since(killed), leaseDuration, retryPeriod)
	if d := k.reconciled.Sub(killed); d > takeoverBound {
		t.Errorf("first reconcile %s after the kill, want within %s", d, takeoverBound)
	}
	e.settle(t, "after the takeover")

	// The killed replica comes back as a standby and calls nothing.
	if err := e.replicas[leader].Restart(ctx); err != nil {
		t.Fatal(err)
	}
	leader, standby = standby, leader
	back := e.clientCalls(t)
	time.Sleep(leaseDuration)
	if d := diffCalls(e.clientCalls(t)[standby], back[standby]); len(d) > 0 {
		t.Errorf("%s, back as a standby, called EC2: %v", standby, d)
	}

	e.partition(t, leader, standby, len(members))
}

// partition stops the leader with SIGSTOP, as if cut off from the API
// server, while work arrives; the standby takes over and does it. When the
// old leader runs again it must stop leading and write nothing.
func (e *env) partition(t *testing.T, leader, standby string, next int) {
	t.Helper()
	ctx := t.Context()
	offset := logSize(e.replicas[standby])
	pid := e.replicas[leader].Process().Pid()
	before := e.clientCalls(t)
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	stopped := time.Now()
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGCONT) })

	// Work the stopped leader saw begin, or never saw: gateways broken
	// outside Crossplane, and new resources.
	broken, err := e.replace(ctx, rand.New(rand.NewPCG(1, 2)), 2)
	if err != nil {
		t.Fatal(err)
	}
	var late []member
	for i := next; i < next+2; i++ {
		late = append(late, e.member(fmt.Sprintf("ha%02d", i), i, memberKind(i)))
	}
	if err := e.create(ctx, late...); err != nil {
		t.Fatal(err)
	}
	k := e.takeover(t, standby, offset, stopped, before)
	t.Logf("stopped %s (SIGSTOP); %s took over: %s", leader, standby, k.since(stopped))
	e.settle(t, fmt.Sprintf("with %s stopped (%d gateways broken, %d members added)", leader, len(broken), len(late)))

	resumed := e.clientCalls(t)
	if err := syscall.Kill(pid, syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	cont := time.Now()
	select {
	case <-e.replicas[leader].Process().Done():
		t.Logf("%s, resumed (SIGCONT), exited %s later: %s", leader, time.Since(cont).Round(10*time.Millisecond), lastLine(e.replicas[leader], "leader election lost"))
	case <-time.After(renewDeadline + time.Minute):
		t.Errorf("%s, resumed after losing its lease, still runs %s later", leader, time.Since(cont).Round(time.Second))
	}
	after := e.clientCalls(t)
	if n := strings.Count(logSince(e.replicas[leader], cont), fenceRefusal); n > 0 {
		t.Logf("%s, resumed, was refused %d EC2 changes by its lease fence before it exited", leader, n)
	}
	if d := diffCalls(after[leader], resumed[leader]); len(d) > 0 {
		writes := 0
		for a, n := range d {
			if mutating(a) {
				writes += int(n)
			}
		}
		if writes > 0 {
			t.Errorf("%s, resumed after losing its lease, made %d mutating EC2 calls: %v", leader, writes, d)
		} else {
			t.Logf("%s, resumed, only read EC2 before it exited: %v", leader, d)
		}
	}
	time.Sleep(2 * retryPeriod)
	e.settle(t, "after the partition")
	if l, _ := e.leaderNow(); l != standby {
		t.Errorf("after the partition the lease is held by %q, want %s", l, standby)
	}
}

// leader waits until one replica holds the lease and returns it and the
// other.
func (e *env) leader(t *testing.T) (string, string) {
	t.Helper()
	var leader string
	if err := poll(t.Context(), time.Minute, func(context.Context) error {
		var err error
		leader, err = e.leaderNow()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for id := range e.replicas {
		if id != leader {
			return leader, id
		}
	}
	t.Fatal("want two replicas")
	return "", ""
}

// leaderNow returns the replica whose log says it acquired the lease, of
// those running; an error unless exactly one did.
func (e *env) leaderNow() (string, error) {
	var leaders []string
	for _, id := range slices.Sorted(maps.Keys(e.replicas)) {
		p := e.replicas[id]
		if !p.Process().Running() {
			continue
		}
		if _, ok := firstLine(p, logStart(p), logAcquired); ok {
			leaders = append(leaders, id)
		}
	}
	if len(leaders) != 1 {
		return "", errors.Errorf("replicas that acquired the lease: %v, want one", leaders)
	}
	return leaders[0], nil
}

// logStart returns where the log of p's current process begins.
func logStart(p *stack.Provider) int64 {
	data, err := readLog(p)
	if err != nil {
		return 0
	}
	return int64(strings.LastIndex(data, "=== "))
}

// A takeover is when a replica acquired the lease (from its log, to the
// microsecond), first reconciled (from its log, to the second) and first
// called EC2 (as ec2sim counts, seen within half a second).
type takeover struct {
	acquired, reconciled, called time.Time
}

// since gives the times of the takeover after since.
func (k takeover) since(since time.Time) string {
	d := func(t time.Time) time.Duration { return t.Sub(since).Round(10 * time.Millisecond) }
	return fmt.Sprintf("lease acquired after %s, first reconcile after %s (logged to the second), first EC2 call after %s", d(k.acquired), d(k.reconciled), d(k.called))
}

// takeover waits until replica id acquires the lease, reconciles after
// offset of its log, and calls EC2 beyond the counts before.
func (e *env) takeover(t *testing.T, id string, offset int64, since time.Time, before map[string]map[string]int64) takeover {
	t.Helper()
	p := e.replicas[id]
	var k takeover
	if err := poll(t.Context(), takeoverBound+time.Minute, func(ctx context.Context) error {
		var ok1, ok2 bool
		k.acquired, ok1 = firstLine(p, offset, logAcquired)
		k.reconciled, ok2 = firstLine(p, offset, logReconciling)
		if calls, err := e.sim.Admin.ClientCalls(ctx); err == nil && k.called.IsZero() && sumCalls(calls[id], before[id]) > 0 {
			k.called = time.Now()
		}
		if !ok1 || !ok2 || k.called.IsZero() {
			return errors.Errorf("%s has not taken over %s after %s (acquired %v, reconciled %v, called EC2 %v)", id, time.Since(since).Round(time.Second), since.Format(time.TimeOnly), ok1, ok2, !k.called.IsZero())
		}
		return nil
	}); err != nil {
		t.Fatalf("%v\n%s", err, p.Tail(30))
	}
	return k
}

// settle waits for every resource to be Ready and audits EC2.
func (e *env) settle(t *testing.T, when string) {
	t.Helper()
	took, err := e.waitAllReady(t.Context(), 3*time.Minute)
	if err != nil {
		t.Fatalf("%s: %v", when, err)
	}
	a, err := e.audit(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: every resource Ready within %s; %s", when, took.Round(100*time.Millisecond), a)
	if !a.clean() {
		t.Errorf("%s: want every live object owned by exactly one managed resource: %s", when, a)
	}
}

// clientCalls returns ec2sim's counts of EC2 calls by replica and action.
func (e *env) clientCalls(t *testing.T) map[string]map[string]int64 {
	t.Helper()
	c, err := e.sim.Admin.ClientCalls(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// diffCalls returns the counts of now that grew since then.
func diffCalls(now, then map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for a, n := range now {
		if d := n - then[a]; d > 0 {
			out[a] = d
		}
	}
	return out
}

func sumCalls(now, then map[string]int64) int64 {
	var n int64
	for _, d := range diffCalls(now, then) {
		n += d
	}
	return n
}

// lastLine returns the last line of p's log that contains part.
func lastLine(p *stack.Provider, part string) string {
	data, err := readLog(p)
	if err != nil {
		return ""
	}
	i := strings.LastIndex(data, part)
	if i < 0 {
		return "(no line with " + part + ")"
	}
	start := strings.LastIndex(data[:i], "\n") + 1
	end := strings.Index(data[i:], "\n")
	if end < 0 {
		return data[start:]
	}
	return data[start : i+end]
}
