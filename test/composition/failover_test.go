// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package composition

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/function"
)

// creationGracePeriod is how long after it created a gateway the managed
// reconciler of crossplane-runtime takes a missing or deleted gateway for
// EC2's eventual consistency rather than a deletion, and waits (its
// default, which the NATGateway controller keeps). A gateway deleted in
// production is usually older.
const creationGracePeriod = 30 * time.Second

// deletionPhase is how long after the creation grace period the gateway is
// deleted: half an inventory interval. The provider lists NAT gateways every
// natInventoryInterval from about when it created the first one, so a
// deletion at a whole number of intervals after the creation would be
// noticed at once, the best case; half an interval later is the average.
const deletionPhase = natInventoryInterval / 2

// sampleInterval is how often the failover is sampled, from EC2 and from
// the XR; it bounds the error of the measured times.
const sampleInterval = 200 * time.Millisecond

// A failover is what a scenario saw after it deleted the gateway of a zone
// out of band. Durations are since the deletion; zero means not seen.
type failover struct {
	zone string
	// old is the deleted gateway.
	old string

	// noticed is when the XR first reported the zone not ready: its routes
	// or its gateway, as the provider observed them, had failed.
	noticed time.Duration
	// outage lasted until the zone's routes pointed at an available gateway
	// again, whichever zone's.
	outage time.Duration
	// failedOver is when the routes pointed at the available gateway peer of
	// zone peerZone.
	failedOver time.Duration
	peerZone   string
	peer       string
	// reported is when the XR first reported the zone degraded and served
	// by another zone, in its status and in its conditions of the same
	// version; what its status was then.
	reported       time.Duration
	reportedStatus egressStatus
	// degradedCondition is the first EgressHealthy condition with reason
	// Degraded. Crossplane writes it after the status of the same reconcile
	// (see unhealthyButReady).
	degradedCondition map[string]string
	// readyWhileUnhealthy is the first version of the XR seen Ready while
	// its EgressHealthy condition, written with Ready from the same function
	// response, was False.
	readyWhileUnhealthy error
	// back is when the routes pointed at the zone's own new gateway, newID.
	back  time.Duration
	newID string
	// recovered is when the XR was Ready again with the zone ready through
	// newID.
	recovered time.Duration

	// unresponsive is what the XR said when it first stopped reacting to
	// changes of its composed resources.
	unresponsive error

	// timeline holds every change seen.
	timeline []string
}

// failOver deletes the gateway of the scenario's zone through the EC2 API,
// as someone in the AWS console would, and samples EC2 and the XR until
// the zone has egress through a new gateway of its own and the XR is Ready
// again. It wants the zone's routes to have failed over to another zone's
// available gateway meanwhile, and the XR to have reported the zone
// degraded. It prints the egress outage it measured.
func (r *run) failOver(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	_, gws := r.steadyEC2(t, "EC2 is not steady before the deletion")
	f := &failover{zone: r.sc.failZone, old: gws[r.sc.failZone].ID}
	r.waitPastCreationGrace(t, f.zone)
	if err := r.writesSince(r.applied, "since it was applied").unresponsive(); err != nil {
		t.Error(err)
	}

	begin := time.Now()
	if _, err := r.env.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(f.old)}); err != nil {
		t.Fatalf("cannot delete NAT gateway %s: %v", f.old, err)
	}
	t.Logf("deleted NAT gateway %s of zone %s out of band", f.old, f.zone)

	deadline := time.After(recoverTimeout)
	tick := time.NewTicker(sampleInterval)
	defer tick.Stop()
	var last string
	for f.recovered == 0 {
		select {
		case <-ctx.Done():
			t.Fatalf("%v; seen so far:\n%s", ctx.Err(), strings.Join(f.timeline, "\n"))
		case <-deadline:
			t.Fatalf("zone %s did not recover within %s after its gateway %s was deleted; seen:\n%s\n%s",
				f.zone, recoverTimeout, f.old, strings.Join(f.timeline, "\n"), r.describe(context.WithoutCancel(ctx)))
		case <-tick.C:
		}
		now := time.Since(begin)
		seen, err := r.sample(ctx, f, now)
		if err != nil {
			seen = "cannot sample: " + err.Error()
		}
		if seen != last {
			f.timeline = append(f.timeline, fmt.Sprintf("%6.1fs %s", now.Seconds(), seen))
			last = seen
		}
	}
	t.Logf("zone %s after the deletion of its gateway %s:\n%s", f.zone, f.old, strings.Join(f.timeline, "\n"))

	if err := r.reportWrites(t, "failed over", begin).unresponsive(); err != nil {
		t.Error(err)
	}
	r.checkFailover(t, f)
	via := fmt.Sprintf("%s of zone %s", f.peer, f.peerZone)
	if f.failedOver == 0 {
		via = fmt.Sprintf("its own new gateway %s, without failover", f.newID)
	}
	msg := fmt.Sprintf("%s %s/%s: egress outage of zone %s: %.1fs from the deletion of NAT gateway %s until its routes pointed at an available gateway again (%s); "+
		"the XR reported the zone not ready at %.1fs, the routes failed over at %.1fs and were back on the zone's own new gateway %s at %.1fs, XR Ready again at %.1fs "+
		"(provider --nat-inventory-interval %s, --poll %s; ec2sim pending %s; sampled every %s)",
		r.obj.GetKind(), r.ns, r.obj.GetName(), f.zone, f.outage.Seconds(), f.old, via,
		f.noticed.Seconds(), f.failedOver.Seconds(), f.newID, f.back.Seconds(), f.recovered.Seconds(),
		natInventoryInterval, pollInterval, durations.Pending, sampleInterval)
	t.Log(msg)
	// Also on stdout, which go test shows with -v, or when the test fails.
	fmt.Fprintln(os.Stdout, msg)

	v, gws := r.steadyEC2(t, "XR is Ready again, but EC2 is not steady")
	if g := gws[f.zone]; g.ID != f.newID {
		t.Errorf("zone %s is served by gateway %s, want its new gateway %s", f.zone, g.ID, f.newID)
	}
	if g := v.gateways[f.old]; g.State != stateDeleted {
		t.Errorf("deleted gateway %s is %q, want %s", f.old, g.State, stateDeleted)
	}
	r.checkStatus(t, gws)
}

// waitPastCreationGrace waits until the gateway of zone was created
// creationGracePeriod and deletionPhase ago, so that the outage measured is
// that of a gateway deleted in production rather than one deleted right
// after its creation, whose replacement the managed reconciler defers.
func (r *run) waitPastCreationGrace(t *testing.T, zone string) {
	t.Helper()
	l := &v1alpha1.NATGatewayList{}
	if err := r.env.client.List(t.Context(), l, client.InNamespace(r.ns), client.MatchingLabels{labelComposite: r.xr.GetName(), function.LabelZone: zone}); err != nil {
		t.Fatalf("cannot list NATGateways: %v", err)
	}
	if len(l.Items) != 1 {
		t.Fatalf("%s %s has %d NATGateways in zone %s, want 1", r.xr.GetKind(), r.xr.GetName(), len(l.Items), zone)
	}
	created := meta.GetExternalCreateSucceeded(&l.Items[0])
	if created.IsZero() {
		t.Fatalf("NATGateway %s has no %s annotation", l.Items[0].Name, meta.AnnotationKeyExternalCreateSucceeded)
	}
	wait := time.Until(created.Add(creationGracePeriod + deletionPhase))
	if wait <= 0 {
		return
	}
	t.Logf("waiting %s until gateway %s of zone %s was created %s ago", wait.Round(100*time.Millisecond), meta.GetExternalName(&l.Items[0]), zone, creationGracePeriod+deletionPhase)
	select {
	case <-time.After(wait):
	case <-t.Context().Done():
		t.Fatal(t.Context().Err())
	}
}

// sample reads EC2 and the XR once, records in f what is seen for the
// first time, and describes what it saw.
func (r *run) sample(ctx context.Context, f *failover, now time.Duration) (string, error) {
	v, s, err := r.snapshot(ctx)
	if err != nil {
		return "", err
	}

	via, available := v.servedBy(f.zone)
	viaZone := v.zoneOf(via)
	if available {
		if f.outage == 0 {
			f.outage = now
		}
		if viaZone != f.zone && f.failedOver == 0 {
			f.failedOver, f.peerZone, f.peer = now, viaZone, via.ID
		}
		if viaZone == f.zone && via.ID != f.old && f.back == 0 {
			f.back, f.newID = now, via.ID
		}
	}
	if err := responsive(r.xr); err != nil && f.unresponsive == nil {
		f.unresponsive = err
	}
	zs, _ := s.zone(f.zone)
	if !zs.Ready && f.noticed == 0 {
		f.noticed = now
	}
	// Status and conditions are of this one version of the XR. Its
	// conditions can be older than its status (see unhealthyButReady), so
	// the zone counts as reported degraded once the conditions, which hold
	// the XR's readiness, report it degraded too.
	ready := conditionStatus(r.xr, string(xpv2.TypeReady))
	eh := condition(r.xr, conditionEgressHealthy)
	if err := unhealthyButReady(r.xr); err != nil && f.readyWhileUnhealthy == nil {
		f.readyWhileUnhealthy = err
	}
	if zs.Degraded && zs.ServedBy != f.zone && reportsDegraded(eh, f.zone) && f.reported == 0 {
		f.reported, f.reportedStatus = now, s
	}
	if eh["reason"] == reasonDegraded && f.degradedCondition == nil {
		f.degradedCondition = eh
	}
	if f.back > 0 && ready == "True" && eh["status"] == "True" && zs.Ready && zs.GatewayID == f.newID {
		f.recovered = now
	}

	var own []string
	for _, g := range v.live(f.zone) {
		own = append(own, g.ID+" "+g.State)
	}
	var routes []string
	for _, table := range r.net.zones[f.zone].routeTableIDs {
		rt := v.routes[table]
		g := v.gateways[rt.NatGatewayID]
		routes = append(routes, fmt.Sprintf("%s via %s (%s %s)", rt.State, rt.NatGatewayID, v.zoneOf(g), g.State))
	}
	return fmt.Sprintf("EC2: own gateways [%s], routes [%s] | XR: Ready=%s EgressHealthy=%s (%s), zone %s gateway %s %s servedBy %s degraded=%t ready=%t",
		strings.Join(own, ", "), strings.Join(routes, ", "), ready, eh["status"], eh["reason"], f.zone, zs.GatewayID, zs.State, zs.ServedBy, zs.Degraded, zs.Ready), nil
}

// snapshot reads EC2 and the XR once, and returns the XR's status.
func (r *run) snapshot(ctx context.Context) (*ec2View, egressStatus, error) {
	v, err := r.env.view(ctx, r.net)
	if err != nil {
		return nil, egressStatus{}, err
	}
	if err := r.get(ctx, r.xr); err != nil {
		return nil, egressStatus{}, err
	}
	s, err := statusOf(r.xr)
	return v, s, err
}

// checkFailover wants the zone's routes to have failed over to the next
// zone in sorted order while its own gateway was replaced, and the XR to
// have reported the zone degraded meanwhile.
func (r *run) checkFailover(t *testing.T, f *failover) {
	t.Helper()
	if f.unresponsive != nil {
		t.Error(f.unresponsive)
	}
	if f.readyWhileUnhealthy != nil {
		t.Error(f.readyWhileUnhealthy)
	}
	zones := r.net.sortedZones()
	next := ""
	for i, z := range zones {
		if z.name == f.zone {
			next = zones[(i+1)%len(zones)].name
		}
	}
	switch {
	case f.failedOver == 0:
		t.Errorf("the routes of zone %s never pointed at another zone's available gateway while its own was replaced", f.zone)
	case f.peerZone != next:
		t.Errorf("the routes of zone %s failed over to zone %s, want the next zone %s", f.zone, f.peerZone, next)
	case f.back < f.failedOver:
		t.Errorf("the routes of zone %s were back on the zone's own gateway at %s, before they failed over at %s", f.zone, f.back, f.failedOver)
	}
	if f.reported == 0 {
		t.Errorf("%s %s never reported zone %s degraded and served by another zone, in its status and its EgressHealthy condition at once", r.xr.GetKind(), r.xr.GetName(), f.zone)
		return
	}
	zs, _ := f.reportedStatus.zone(f.zone)
	if zs.ServedBy != next || zs.Ready {
		t.Errorf("%s %s reported zone %s as %+v, want it served by %s and not ready", r.xr.GetKind(), r.xr.GetName(), f.zone, zs, next)
	}
	if e := f.reportedStatus.Egress; e.DegradedZones != 1 || e.ReadyZones != len(zones)-1 {
		t.Errorf("%s %s reported %+v while zone %s was degraded, want 1 degraded zone and %d ready ones", r.xr.GetKind(), r.xr.GetName(), e, f.zone, len(zones)-1)
	}
	if c := f.degradedCondition; c == nil || c["status"] != "False" || !strings.Contains(c["message"], f.zone) || !strings.Contains(c["message"], next) {
		t.Errorf("%s %s: want EgressHealthy=False (Degraded) naming zone %s and zone %s while the zone was degraded, have %v", r.xr.GetKind(), r.xr.GetName(), f.zone, next, c)
	}
}
