// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package composition

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// A handover is what a scenario saw after it gave a zone an address of its
// own. Durations are since the change of the spec; zero means not seen.
type handover struct {
	zone string
	// old is the gateway that served the zone, on address oldAlloc.
	old, oldAlloc string
	// alloc is the zone's own address, and newID the gateway on it.
	alloc, newID string

	// available is when the new gateway was available; moved when every
	// route of the zone was active through it.
	available, moved time.Duration
	// oldDeleted is when the old gateway was deleted, released when its
	// address was released.
	oldDeleted, released time.Duration
	// ready is when the XR was Ready again with the zone ready through the
	// new gateway.
	ready time.Duration
	// withoutEgress is how long, over all samples, a route table of the
	// zone had no active route through an available gateway; firstGap is
	// what was seen first then.
	withoutEgress time.Duration
	firstGap      string
	// deletedUnderRoute is the first sample in which the old gateway was
	// deleting or deleted while a route still pointed at it.
	deletedUnderRoute string

	timeline []string
}

// handOver gives the zone an address of its own, as a team that needs a
// known egress IP would, and samples EC2 and the XR until the zone's routes
// are active through a new gateway on that address, the old gateway is
// deleted, its address released and the XR Ready again. It wants every
// route table of the zone to have had an active route through an available
// gateway in every sample, and prints what it measured.
func (r *run) handOver(t *testing.T, zone string) {
	t.Helper()
	ctx := t.Context()
	_, gws := r.steadyEC2(t, "EC2 is not steady before the change")
	h := &handover{zone: zone, old: gws[zone].ID, oldAlloc: primaryAddress(gws[zone]).AllocationID}
	ids, err := stack.AllocateAddresses(ctx, r.env.ec2, r.ns+"-"+zone+"-own", 1)
	if err != nil {
		t.Fatal(err)
	}
	h.alloc = ids[0]

	begin := time.Now()
	r.setAllocation(t, zone, h.alloc)
	t.Logf("gave zone %s its own address %s; its gateway %s uses %s", zone, h.alloc, h.old, h.oldAlloc)

	deadline := time.After(recoverTimeout)
	tick := time.NewTicker(sampleInterval)
	defer tick.Stop()
	var last string
	prev := time.Duration(0)
	for h.ready == 0 || h.released == 0 {
		select {
		case <-ctx.Done():
			t.Fatalf("%v; seen so far:\n%s", ctx.Err(), strings.Join(h.timeline, "\n"))
		case <-deadline:
			t.Fatalf("zone %s did not move to its own address %s within %s; seen:\n%s\n%s",
				zone, h.alloc, recoverTimeout, strings.Join(h.timeline, "\n"), r.describe(context.WithoutCancel(ctx)))
		case <-tick.C:
		}
		now := time.Since(begin)
		seen, err := r.sampleHandover(ctx, h, now, now-prev)
		if err != nil {
			seen = "cannot sample: " + err.Error()
		}
		prev = now
		if seen != last {
			h.timeline = append(h.timeline, fmt.Sprintf("%6.1fs %s", now.Seconds(), seen))
			last = seen
		}
	}
	t.Logf("zone %s after it was given its own address %s:\n%s", zone, h.alloc, strings.Join(h.timeline, "\n"))

	if h.withoutEgress > 0 {
		t.Errorf("a route table of zone %s had no active route through an available gateway for %s in all, first %s", zone, h.withoutEgress.Round(100*time.Millisecond), h.firstGap)
	}
	if h.deletedUnderRoute != "" {
		t.Errorf("the old gateway %s was deleted while a route pointed at it: %s", h.old, h.deletedUnderRoute)
	}
	if h.oldDeleted < h.moved {
		t.Errorf("the old gateway %s was deleted at %.1fs, before the routes moved at %.1fs", h.old, h.oldDeleted.Seconds(), h.moved.Seconds())
	}
	msg := fmt.Sprintf("%s %s/%s: zone %s moved to its own address %s with %s without an active route through an available gateway (sampled every %s): "+
		"new gateway %s available at %.1fs, routes moved at %.1fs, old gateway %s deleted at %.1fs, its address %s released at %.1fs, XR Ready again at %.1fs",
		r.obj.GetKind(), r.ns, r.obj.GetName(), zone, h.alloc, h.withoutEgress.Round(100*time.Millisecond), sampleInterval,
		h.newID, h.available.Seconds(), h.moved.Seconds(), h.old, h.oldDeleted.Seconds(), h.oldAlloc, h.released.Seconds(), h.ready.Seconds())
	t.Log(msg)
	fmt.Fprintln(os.Stdout, msg)

	_, gws = r.steadyEC2(t, "XR is Ready again, but EC2 is not steady")
	r.checkStatus(t, gws)
}

// setAllocation adds an allocation of zone to the XR's spec, or the
// claim's, and records it as the zone's own address.
func (r *run) setAllocation(t *testing.T, zone, alloc string) {
	t.Helper()
	ctx := t.Context()
	if err := r.get(ctx, r.obj); err != nil {
		t.Fatal(err)
	}
	allocs, _, err := unstructured.NestedSlice(r.obj.Object, "spec", "allocations")
	if err != nil {
		t.Fatal(err)
	}
	allocs = append(allocs, map[string]any{"zone": zone, "allocationId": alloc})
	patch, err := json.Marshal(map[string]any{"spec": map[string]any{"allocations": allocs}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.env.client.Patch(ctx, r.obj, client.RawPatch(types.MergePatchType, patch)); err != nil {
		t.Fatalf("cannot give zone %s of %s %s the address %s: %v", zone, r.obj.GetKind(), r.obj.GetName(), alloc, err)
	}
	r.net.zones[zone].allocationID = alloc
}

// sampleHandover reads EC2 and the XR once, records in h what is seen for
// the first time, adds since to h.withoutEgress if a route table of the zone
// has no active route through an available gateway, and describes what it
// saw.
func (r *run) sampleHandover(ctx context.Context, h *handover, now, since time.Duration) (string, error) {
	v, s, err := r.snapshot(ctx)
	if err != nil {
		return "", err
	}

	for _, g := range v.live(h.zone) {
		if primaryAddress(g).AllocationID == h.alloc {
			h.newID = g.ID
			if g.State == stateAvailable && h.available == 0 {
				h.available = now
			}
		}
	}
	var routes []string
	moved := h.newID != ""
	for _, table := range r.net.zones[h.zone].routeTableIDs {
		g, ok := v.target(table)
		routes = append(routes, fmt.Sprintf("%s via %s (%s)", table, g.ID, g.State))
		if !ok {
			h.withoutEgress += since
			if h.firstGap == "" {
				h.firstGap = fmt.Sprintf("at %.1fs route %s via %q is %q through a gateway that is %q", now.Seconds(), table, g.ID, v.routes[table].State, g.State)
			}
		}
		moved = moved && ok && g.ID == h.newID
		if g.ID == h.old && v.gateways[h.old].State != stateAvailable && h.deletedUnderRoute == "" {
			h.deletedUnderRoute = fmt.Sprintf("at %.1fs route %s points at %s, which is %s", now.Seconds(), table, h.old, v.gateways[h.old].State)
		}
	}
	if moved && h.moved == 0 {
		h.moved = now
	}
	if st := v.gateways[h.old].State; (st == "deleting" || st == stateDeleted) && h.oldDeleted == 0 {
		h.oldDeleted = now
	}
	if _, ok := v.addresses[h.oldAlloc]; !ok && h.released == 0 {
		h.released = now
	}
	zs, _ := s.zone(h.zone)
	ready := conditionStatus(r.xr, string(xpv2.TypeReady))
	if h.moved > 0 && ready == "True" && zs.Ready && zs.GatewayID == h.newID && h.ready == 0 {
		h.ready = now
	}
	return fmt.Sprintf("EC2: old %s %s, new %s %s, routes [%s] | XR: Ready=%s, zone %s gateway %s %s servedBy %s ready=%t",
		h.old, v.gateways[h.old].State, h.newID, v.gateways[h.newID].State, strings.Join(routes, ", "),
		ready, h.zone, zs.GatewayID, zs.State, zs.ServedBy, zs.Ready), nil
}
