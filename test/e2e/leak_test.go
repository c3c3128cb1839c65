// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
	"github.com/egresskit/provider-aws-egress/internal/testcleanup"
)

// TestDeletedWhileProviderDown deletes a NATGateway and an ElasticIP while
// the provider is down after EC2 applied their held creates: the provider is
// killed (kill -9) while ec2sim holds the answers of CreateNatGateway and
// AllocateAddress, so neither ID was ever recorded. After the restart the
// gateway and the address are found by their ownership tags and deleted,
// and each finalizer goes only once EC2 holds nothing of its resource.
//
// It kills the provider and injects faults, so it runs alone.
func TestDeletedWhileProviderDown(t *testing.T) {
	s := newScenario(t, "deleted-down")
	admin := stk.EC2Sim.Admin
	if err := admin.SetFaults(t.Context(), []ec2sim.Fault{
		{Action: "CreateNatGateway", Hold: 10 * time.Minute, Times: 1},
		{Action: "AllocateAddress", Hold: 10 * time.Minute, Times: 1},
	}); err != nil {
		t.Fatal(err)
	}
	testcleanup.Add(t, "reset ec2sim's faults", func(ctx context.Context) error { return admin.SetFaults(ctx, nil) })

	gw := s.privateGateway()
	eip := readExample[*v1alpha1.ElasticIP](t, exampleEgress)[0]
	s.create(gw, eip)

	// EC2 has made both; the provider waits for the answers.
	var made, allocated string
	if err := pollFor(t.Context(), readyTimeout, func() error {
		st := s.state()
		if len(st.NatGateways) != 1 || len(st.Addresses) != 1 {
			return errors.Errorf("EC2 holds %d gateways and %d addresses, want one of each", len(st.NatGateways), len(st.Addresses))
		}
		made, allocated = st.NatGateways[0].ID, st.Addresses[0].AllocationID
		return nil
	}); err != nil {
		t.Fatalf("%v\n%s", err, stk.Describe(t.Context(), gw))
	}
	for _, o := range []client.Object{gw, eip} {
		s.get(o)
		if n := meta.GetExternalName(o); n != "" {
			t.Fatalf("%s %s names %q while its create is held, want nothing yet", stack.Kind(o), o.GetName(), n)
		}
	}
	t.Logf("EC2 made %s and %s; killing the provider and deleting both resources", made, allocated)

	if err := stk.Provider.Kill(); err != nil {
		t.Fatal(err)
	}
	s.delete(gw)
	s.delete(eip)
	if err := admin.SetFaults(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()
	if err := stk.Provider.Restart(t.Context()); err != nil {
		t.Fatal(err)
	}

	// Each finalizer stays until EC2 holds nothing of its resource.
	err := pollFor(t.Context(), goneTimeout, func() error {
		st := s.state()
		gwGone := kerrors.IsNotFound(stk.Client.Get(t.Context(), client.ObjectKeyFromObject(gw), gw))
		eipGone := kerrors.IsNotFound(stk.Client.Get(t.Context(), client.ObjectKeyFromObject(eip), eip))
		if gwGone {
			for _, g := range st.NatGateways {
				if g.ID == made && g.State != string(types.NatGatewayStateDeleted) {
					t.Fatalf("the NATGateway is gone while EC2 reports the gateway made for it, %s, %s", made, g.State)
				}
			}
		}
		if eipGone {
			for _, a := range st.Addresses {
				if a.AllocationID == allocated {
					t.Fatalf("the ElasticIP is gone while EC2 still holds the address allocated for it, %s", allocated)
				}
			}
		}
		if !gwGone || !eipGone {
			return errors.Errorf("NATGateway gone: %t, ElasticIP gone: %t", gwGone, eipGone)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, stk.Describe(t.Context(), gw), stk.Describe(t.Context(), eip))
	}
	t.Logf("both resources gone %s after the restart", time.Since(restarted).Round(100*time.Millisecond))
	st := s.state()
	for _, g := range st.NatGateways {
		if g.State != string(types.NatGatewayStateDeleted) {
			t.Errorf("EC2 still holds gateway %s %s", g.ID, g.State)
		}
	}
	if len(st.Addresses) != 0 {
		t.Errorf("EC2 still holds %d addresses, want none: %+v", len(st.Addresses), st.Addresses)
	}
}

// TestElasticIPLostAllocation loses the answer of an AllocateAddress after
// EC2 applied it (ec2sim answers InternalError once the address exists): the
// provider does not repeat the call blindly, finds the address by its
// ownership tag, and the ElasticIP ends with exactly one address.
//
// It injects a fault, so it runs alone.
func TestElasticIPLostAllocation(t *testing.T) {
	s := newScenario(t, "lost-allocation")
	admin := stk.EC2Sim.Admin
	if err := admin.SetFaults(t.Context(), []ec2sim.Fault{{Action: "AllocateAddress", ErrorRate: 1, ErrorAfterApply: true, Times: 1}}); err != nil {
		t.Fatal(err)
	}
	testcleanup.Add(t, "reset ec2sim's faults", func(ctx context.Context) error { return admin.SetFaults(ctx, nil) })
	before := s.calls("AllocateAddress")

	eip := readExample[*v1alpha1.ElasticIP](t, exampleEgress)[0]
	s.create(eip)
	s.waitReady(eip)

	st := s.state()
	if len(st.Addresses) != 1 {
		t.Fatalf("EC2 holds %d addresses, want exactly 1: %+v", len(st.Addresses), st.Addresses)
	}
	a := st.Addresses[0]
	if got := meta.GetExternalName(eip); got != a.AllocationID {
		t.Errorf("the ElasticIP names %s, want %s, the one address EC2 holds", got, a.AllocationID)
	}
	if got := a.Tags[tagUID]; got != string(eip.GetUID()) {
		t.Errorf("address %s is tagged %s=%s, want the ElasticIP's UID %s", a.AllocationID, tagUID, got, eip.GetUID())
	}
	calls := s.calls("AllocateAddress") - before
	t.Logf("AllocateAddress calls: %d (the first answered InternalError after EC2 allocated %s)", calls, a.AllocationID)
	if calls != 1 {
		t.Errorf("AllocateAddress was called %d times, want once: the lost answer must not be repeated", calls)
	}
}

// TestRouteOwnership applies the egress example, then a second Route for the
// same route table and destination: the second is Synced=False naming the
// Route that owns the route, and deleting it leaves the owner's route active
// throughout.
func TestRouteOwnership(t *testing.T) {
	t.Parallel()
	s := newScenario(t, "route-owner")
	e := s.applyEgress()
	natID := meta.GetExternalName(e.gw)

	second := readExample[*v1alpha1.Route](t, exampleEgress)[0]
	second.SetName(e.route.GetName() + "-second")
	second.Spec.ForProvider.RouteTableID = e.route.Spec.ForProvider.RouteTableID
	s.create(second)
	owner := e.route.GetNamespace() + "/" + e.route.GetName()
	s.waitFor(second, readyTimeout, stack.HasCondition(xpv2.TypeSynced, corev1.ConditionFalse, "belongs to Route "+owner))
	if c := second.GetCondition(xpv2.TypeReady); c.Status == corev1.ConditionTrue {
		t.Errorf("the second Route is Ready (%s), want not ready", c.Message)
	}
	s.get(second)
	t.Logf("second Route: Synced=False %q", second.GetCondition(xpv2.TypeSynced).Message)

	s.delete(second)
	deleted := time.Now()
	// The route must stay active through the owner's gateway from the
	// deletion until well past the owner's next poll.
	gone := time.Time{}
	err := pollFor(t.Context(), goneTimeout, func() error {
		r, ok := s.route()
		if !ok || aws.ToString(r.NatGatewayId) != natID || r.State != types.RouteStateActive {
			t.Fatalf("%s after the second Route was deleted: the route to %s is %s through %q (present: %t), want active through %s",
				time.Since(deleted).Round(100*time.Millisecond), defaultRoute, r.State, aws.ToString(r.NatGatewayId), ok, natID)
		}
		if gone.IsZero() {
			if err := stk.Client.Get(t.Context(), client.ObjectKeyFromObject(second), second); !kerrors.IsNotFound(err) {
				return errors.Errorf("the second Route still exists (%v)", err)
			}
			gone = time.Now()
		}
		if time.Since(gone) < 2*PollInterval {
			return errors.New("watching the route past the owner's next poll")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, stk.Describe(t.Context(), second))
	}
	t.Logf("second Route gone %s after its deletion; the route stayed active through %s", gone.Sub(deleted).Round(100*time.Millisecond), natID)
	s.waitReady(e.route)
}
