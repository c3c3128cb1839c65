// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package composition

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// Deadlines of waits. On ec2sim a gateway is available durations.Pending
// after its creation, and the provider notices a deletion within
// pollInterval.
const (
	readyTimeout   = 4 * time.Minute
	recoverTimeout = 4 * time.Minute
	goneTimeout    = 4 * time.Minute
)

// Labels Crossplane puts on composed resources.
const labelComposite = "crossplane.io/composite"

// The condition the function sets on the XR, and its reason while a zone is
// degraded.
const (
	conditionEgressHealthy = "EgressHealthy"
	reasonDegraded         = "Degraded"
)

// conditionResponsive is the condition of an XR that tells whether
// Crossplane reconciles it on every change of its composed resources.
const conditionResponsive = "Responsive"

// A scenario is an example a team applies: a namespaced XR, or a claim.
type scenario struct {
	reason string
	// file is the example, relative to the repository root.
	file string
	// claim tells that the example is a claim.
	claim bool
	// failZone is the zone whose gateway is deleted out of band.
	failZone string
	// ownAddressZone, if set, is a zone that is given an address of its own
	// after the failover.
	ownAddressZone string
}

func TestEgress(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane, Crossplane, the function, the provider and ec2sim")
	}
	env := setup(t)
	cases := map[string]scenario{
		"NamespacedXR": {
			reason:         "A team's XEgress composes, in its namespace, an ElasticIP and a NATGateway per zone and a Route per private route table, two in one zone; later the zone with two tables gets an address of its own.",
			file:           "examples/function/xr.yaml",
			failZone:       "us-east-1b",
			ownAddressZone: "us-east-1c",
		},
		"Claim": {
			reason:   "A team's Egress claim composes through a cluster-scoped XClusterEgress into the claim's namespace; the failed zone brings its own address.",
			file:     "examples/function/claim.yaml",
			claim:    true,
			failZone: "us-east-1b",
		},
	}
	for name, sc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			t.Log(sc.reason)
			r := env.apply(t, sc)
			r.waitReady(t)
			r.failOver(t)
			if sc.ownAddressZone != "" {
				r.handOver(t, sc.ownAddressZone)
			}
			r.delete(t)
		})
	}
}

// A run is one scenario applied to the environment.
type run struct {
	env *environment
	sc  scenario
	// obj is the XR or claim as applied.
	obj *unstructured.Unstructured
	// ns is the namespace of obj and of the managed resources.
	ns  string
	net *network
	// xr is the composite resource: obj, or the claim's XR.
	xr *unstructured.Unstructured
	// writes records the changes of the XR and its managed resources since
	// applied, when obj was created.
	writes  *writeLog
	applied time.Time
}

// apply seeds the network for the scenario's example, replaces the
// example's IDs with the seeded ones and applies it in its namespace.
func (env *environment) apply(t *testing.T, sc scenario) *run {
	t.Helper()
	ctx := t.Context()
	r := &run{env: env, sc: sc, obj: mustReadOne(t, sc.file)}
	r.ns = r.obj.GetNamespace()
	if r.ns == "" {
		t.Fatalf("%s has no namespace: a team applies it in its own", sc.file)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(r.describe(context.WithoutCancel(ctx)))
		}
	})
	if err := env.client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: r.ns}}); err != nil {
		t.Fatalf("cannot create namespace %s: %v", r.ns, err)
	}
	var err error
	if r.net, err = seedFor(ctx, env.ec2, r.ns, r.obj); err != nil {
		t.Fatalf("cannot seed the network of %s: %v", sc.file, err)
	}
	if len(r.net.zones) != seededZones {
		t.Fatalf("%s uses %d zones, want %d", sc.file, len(r.net.zones), seededZones)
	}
	if _, ok := r.net.zones[sc.failZone]; !ok {
		t.Fatalf("%s has no zone %s", sc.file, sc.failZone)
	}
	if !sc.claim {
		r.xr = r.obj
	}
	xrs := xegresses
	if sc.claim {
		xrs = xclusteregresses
	}
	r.writes = env.watchWrites(t, r.ns, xrs, sc.claim)
	r.applied = time.Now()
	if err := env.client.Create(ctx, r.obj.DeepCopy()); err != nil {
		t.Fatalf("cannot create %s %s/%s: %v", r.obj.GetKind(), r.ns, r.obj.GetName(), err)
	}
	t.Logf("applied %s %s/%s (%s) for VPC %s", r.obj.GetKind(), r.ns, r.obj.GetName(), sc.file, r.net.vpcID)
	return r
}

// get reads u again.
func (r *run) get(ctx context.Context, u *unstructured.Unstructured) error {
	return r.env.client.Get(ctx, client.ObjectKeyFromObject(u), u)
}

// readyAndSynced wants the Ready and Synced conditions True.
func readyAndSynced(u *unstructured.Unstructured) error {
	if conditionStatus(u, string(xpv2.TypeReady)) != "True" || conditionStatus(u, string(xpv2.TypeSynced)) != "True" {
		return errors.Errorf("%s %s is not Ready and Synced: %v", u.GetKind(), u.GetName(), conditions(u))
	}
	return nil
}

// responsive wants the XR to react to every change of its composed
// resources: Crossplane's circuit breaker has not stopped that.
func responsive(u *unstructured.Unstructured) error {
	if c := condition(u, conditionResponsive); c["status"] == "False" {
		return errors.Errorf("%s %s stopped reacting to changes of its composed resources: Responsive=False (%s): %s; raise Crossplane's --circuit-breaker-burst", u.GetKind(), u.GetName(), c["reason"], c["message"])
	}
	return nil
}

// composite reads the claim's composite resource.
func (r *run) composite(ctx context.Context) (*unstructured.Unstructured, error) {
	ref, ok, err := unstructured.NestedMap(r.obj.Object, "spec", "resourceRef")
	if err != nil || !ok {
		return nil, errors.Errorf("claim %s/%s has no composite resource yet", r.ns, r.obj.GetName())
	}
	apiVersion, _ := ref["apiVersion"].(string)
	kind, _ := ref["kind"].(string)
	name, _ := ref["name"].(string)
	xr := &unstructured.Unstructured{}
	xr.SetGroupVersionKind(schema.FromAPIVersionAndKind(apiVersion, kind))
	xr.SetName(name)
	return xr, r.get(ctx, xr)
}

// waitReady waits until the XR (and the claim) is Ready, then checks the
// composed managed resources, EC2 and the status the function reports.
func (r *run) waitReady(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	begin := time.Now()
	err := local.Poll(ctx, readyTimeout, func(ctx context.Context) error {
		if err := r.get(ctx, r.obj); err != nil {
			return err
		}
		if err := readyAndSynced(r.obj); err != nil {
			return err
		}
		if !r.sc.claim {
			return nil
		}
		xr, err := r.composite(ctx)
		if err != nil {
			return err
		}
		r.xr = xr
		return readyAndSynced(xr)
	})
	if err != nil {
		t.Fatalf("%s %s/%s: %v", r.obj.GetKind(), r.ns, r.obj.GetName(), err)
	}
	t.Logf("%s %s/%s Ready in %s", r.obj.GetKind(), r.ns, r.obj.GetName(), time.Since(begin).Round(100*time.Millisecond))
	if err := r.reportWrites(t, "created", r.applied).unresponsive(); err != nil {
		t.Error(err)
	}
	if err := responsive(r.xr); err != nil {
		t.Error(err)
	}
	r.checkManaged(t)
	_, gws := r.steadyEC2(t, "XR is Ready, but EC2 is not")
	r.checkStatus(t, gws)
}

// steadyEC2 reads EC2 and fails the test, saying when, unless it is
// steady; it returns the view and the gateway of each zone.
func (r *run) steadyEC2(t *testing.T, when string) (*ec2View, map[string]ec2sim.NatGatewayState) {
	t.Helper()
	v, err := r.env.view(t.Context(), r.net)
	if err != nil {
		t.Fatal(err)
	}
	gws, err := v.steady(r.ns)
	if err != nil {
		t.Fatalf("%s: %v\n%s", when, err, v)
	}
	return v, gws
}

// checkManaged wants the managed resources the function composes for the
// scenario, all Ready and Synced, in the namespace of the XR or claim: per
// zone an ElasticIP (unless it brings its own address) and a NATGateway,
// and a Route per private route table.
func (r *run) checkManaged(t *testing.T) {
	t.Helper()
	want := map[string]int{}
	for _, z := range r.net.zones {
		want["NATGateway"]++
		if z.allocationID == "" {
			want["ElasticIP"]++
		}
		want["Route"] += len(z.routeTableIDs)
	}
	got := map[string]int{}
	for _, o := range r.managed(t) {
		got[stack.Kind(o)]++
		if err := stack.Ready()(o); err != nil {
			t.Errorf("%s %s/%s: %v", stack.Kind(o), o.GetNamespace(), o.GetName(), err)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("managed resources of %s in %s by kind: -want +got:\n%s", r.xr.GetName(), r.ns, diff)
	}
}

// managed returns the managed resources composed for the XR, in the
// namespace of the XR or claim.
func (r *run) managed(t *testing.T) []client.Object {
	t.Helper()
	var out []client.Object
	for _, l := range []client.ObjectList{&v1alpha1.ElasticIPList{}, &v1alpha1.NATGatewayList{}, &v1alpha1.RouteList{}} {
		if err := r.env.client.List(t.Context(), l, client.InNamespace(r.ns), client.MatchingLabels{labelComposite: r.xr.GetName()}); err != nil {
			t.Fatalf("cannot list managed resources: %v", err)
		}
		switch l := l.(type) {
		case *v1alpha1.ElasticIPList:
			for i := range l.Items {
				out = append(out, &l.Items[i])
			}
		case *v1alpha1.NATGatewayList:
			for i := range l.Items {
				out = append(out, &l.Items[i])
			}
		case *v1alpha1.RouteList:
			for i := range l.Items {
				out = append(out, &l.Items[i])
			}
		}
	}
	return out
}

// steadyStatus is the status the function reports when every zone has its
// own available gateway, gws, with all its routes active through it.
func (r *run) steadyStatus(gws map[string]ec2sim.NatGatewayState) egressStatus {
	s := egressStatus{Egress: egressSummary{Topology: "PerAZ", Connectivity: "public", Zones: len(gws), ReadyZones: len(gws), Gateways: len(gws), AvailableGateways: len(gws)}}
	for _, z := range r.net.sortedZones() {
		g := gws[z.name]
		s.Zones = append(s.Zones, zoneStatus{
			Zone: z.name, GatewayID: g.ID, PublicIP: primaryAddress(g).PublicIP, State: stateAvailable, ServedBy: z.name,
			RouteTables: len(z.routeTableIDs), ActiveRoutes: len(z.routeTableIDs), RoutesActive: true, Ready: true,
		})
	}
	return s
}

// checkStatus wants the XR (and the claim) to report every zone ready
// through its own gateway of gws, and EgressHealthy, in one version: the
// status the function returned can be a write ahead of the conditions (see
// unhealthyButReady), and the claim's status and conditions are copied
// from the XR's; give them a moment.
func (r *run) checkStatus(t *testing.T, gws map[string]ec2sim.NatGatewayState) {
	t.Helper()
	want := r.steadyStatus(gws)
	objs := []*unstructured.Unstructured{r.xr}
	if r.sc.claim {
		objs = append(objs, r.obj)
	}
	for _, u := range objs {
		var diff string
		var c map[string]string
		err := local.Poll(t.Context(), 30*time.Second, func(ctx context.Context) error {
			if err := r.get(ctx, u); err != nil {
				return err
			}
			got, err := statusOf(u)
			if err != nil {
				return err
			}
			diff = cmp.Diff(want, got)
			// The function reports EgressHealthy on the claim too.
			c = condition(u, conditionEgressHealthy)
			if diff != "" || c["status"] != "True" || c["reason"] != "Available" {
				return errors.New("status or EgressHealthy differs")
			}
			return nil
		})
		switch {
		case err != nil && diff != "":
			t.Errorf("%s %s status: -want +got:\n%s", u.GetKind(), u.GetName(), diff)
		case err != nil:
			t.Errorf("%s %s: want EgressHealthy=True (Available) with the status wanted, have %v: %v", u.GetKind(), u.GetName(), c, err)
		}
	}
}

// delete deletes the XR or claim and waits until the XR, its managed
// resources and everything they made in EC2 are gone.
func (r *run) delete(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	mrs := r.managed(t)
	begin := time.Now()
	if err := r.env.client.Delete(ctx, r.obj); err != nil {
		t.Fatalf("cannot delete %s %s/%s: %v", r.obj.GetKind(), r.ns, r.obj.GetName(), err)
	}
	gone := append([]client.Object{r.obj, r.xr}, mrs...)
	err := local.Poll(ctx, goneTimeout, func(ctx context.Context) error {
		var left []string
		for _, o := range gone {
			err := r.env.client.Get(ctx, client.ObjectKeyFromObject(o), o)
			if kerrors.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			left = append(left, fmt.Sprintf("%s %s (finalizers %v)", stack.Kind(o), o.GetName(), o.GetFinalizers()))
		}
		if len(left) > 0 {
			return errors.Errorf("still there: %s", strings.Join(left, ", "))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("after deleting %s %s/%s: %v", r.obj.GetKind(), r.ns, r.obj.GetName(), err)
	}
	var v *ec2View
	err = local.Poll(ctx, goneTimeout, func(ctx context.Context) error {
		var err error
		if v, err = r.env.view(ctx, r.net); err != nil {
			return err
		}
		return v.cleared(r.ns)
	})
	if err != nil {
		t.Fatalf("after deleting %s %s/%s, EC2 still holds its egress: %v\n%s", r.obj.GetKind(), r.ns, r.obj.GetName(), err, v)
	}
	t.Logf("deleted %s %s/%s: %d managed resources and their gateways, addresses and routes gone in %s",
		r.obj.GetKind(), r.ns, r.obj.GetName(), len(mrs), time.Since(begin).Round(100*time.Millisecond))
}
