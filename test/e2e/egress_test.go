// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// exampleEgress wires an ElasticIP, a NATGateway and a Route by references.
const exampleEgress = "examples/provider/egress.yaml"

// defaultRoute is the destination of the example's Route.
const defaultRoute = "0.0.0.0/0"

// An egress is the three managed resources of examples/provider/egress.yaml.
type egress struct {
	eip   *v1alpha1.ElasticIP
	gw    *v1alpha1.NATGateway
	route *v1alpha1.Route
}

// applyEgress applies the egress example, with the public subnet and the
// private route table of zone a, and waits until all three are Ready.
func (s *scenario) applyEgress() egress {
	s.t.Helper()
	e := egress{
		eip:   readExample[*v1alpha1.ElasticIP](s.t, exampleEgress)[0],
		gw:    readExample[*v1alpha1.NATGateway](s.t, exampleEgress)[0],
		route: readExample[*v1alpha1.Route](s.t, exampleEgress)[0],
	}
	e.gw.Spec.ForProvider.SubnetID = aws.String(s.net.Zones[0].PublicSubnetID)
	e.route.Spec.ForProvider.RouteTableID = s.net.Zones[0].PrivateRouteTableID
	s.create(e.eip, e.gw, e.route)
	for _, o := range e.objects() {
		s.waitReady(o)
	}
	return e
}

func (e egress) objects() []client.Object { return []client.Object{e.eip, e.gw, e.route} }

// route returns the default route of the private route table of zone a.
func (s *scenario) route() (types.Route, bool) {
	s.t.Helper()
	out, err := s.ec2.DescribeRouteTables(s.t.Context(), &ec2.DescribeRouteTablesInput{RouteTableIds: []string{s.net.Zones[0].PrivateRouteTableID}})
	if err != nil || len(out.RouteTables) != 1 {
		s.t.Fatalf("cannot describe route table %s: %v", s.net.Zones[0].PrivateRouteTableID, err)
	}
	for _, r := range out.RouteTables[0].Routes {
		if aws.ToString(r.DestinationCidrBlock) == defaultRoute {
			return r, true
		}
	}
	return types.Route{}, false
}

// checkEgress checks in EC2 that the route is active through the
// NATGateway's gateway, which uses the ElasticIP's address, and that no
// route of the table is a blackhole.
func (s *scenario) checkEgress(e egress) {
	s.t.Helper()
	for _, o := range e.objects() {
		s.get(o)
	}
	eip, natID := meta.GetExternalName(e.eip), meta.GetExternalName(e.gw)
	r, ok := s.route()
	if !ok {
		s.t.Fatalf("route table %s has no route to %s", s.net.Zones[0].PrivateRouteTableID, defaultRoute)
	}
	if aws.ToString(r.NatGatewayId) != natID || r.State != types.RouteStateActive {
		s.t.Errorf("route to %s: %s %s, want active through %s", defaultRoute, aws.ToString(r.NatGatewayId), r.State, natID)
	}
	if got := aws.ToString(e.route.Status.AtProvider.NATGatewayID); got != natID {
		s.t.Errorf("Route status.atProvider.natGatewayId is %s, want %s", got, natID)
	}
	gw := s.gateway(natID)
	if len(gw.NatGatewayAddresses) == 0 || aws.ToString(gw.NatGatewayAddresses[0].AllocationId) != eip {
		s.t.Errorf("gateway %s addresses %+v, want the ElasticIP's %s", natID, gw.NatGatewayAddresses, eip)
	}
	if got := aws.ToString(e.eip.Status.AtProvider.AllocationID); got != eip {
		s.t.Errorf("ElasticIP status.atProvider.allocationId is %s, want %s", got, eip)
	}
	s.noBlackhole()
}

// noBlackhole checks that no route of the scenario's network is a
// blackhole.
func (s *scenario) noBlackhole() {
	s.t.Helper()
	out, err := s.ec2.DescribeRouteTables(s.t.Context(), &ec2.DescribeRouteTablesInput{Filters: []types.Filter{{Name: aws.String("route.state"), Values: []string{"blackhole"}}}})
	if err != nil {
		s.t.Fatal(err)
	}
	for _, rt := range out.RouteTables {
		for _, r := range rt.Routes {
			if r.State == types.RouteStateBlackhole {
				s.t.Errorf("route table %s: route to %s through %s is a blackhole", aws.ToString(rt.RouteTableId), aws.ToString(r.DestinationCidrBlock), aws.ToString(r.NatGatewayId))
			}
		}
	}
}

// waitRouteFollows polls EC2 until the default route is active through a
// gateway other than old, and returns that gateway and when gw, the
// NATGateway, first named a gateway other than old.
func (s *scenario) waitRouteFollows(old string, gw *v1alpha1.NATGateway, timeout time.Duration) (string, time.Time) {
	s.t.Helper()
	var (
		now      string
		replaced time.Time
	)
	err := pollFor(s.t.Context(), timeout, func() error {
		if err := stk.Client.Get(s.t.Context(), client.ObjectKeyFromObject(gw), gw); err == nil && replaced.IsZero() && meta.GetExternalName(gw) != old {
			replaced = time.Now()
		}
		r, ok := s.route()
		now = aws.ToString(r.NatGatewayId)
		if !ok || now == old || r.State != types.RouteStateActive {
			return errors.Errorf("route to %s is %s through %q", defaultRoute, r.State, now)
		}
		return nil
	})
	if err != nil {
		s.t.Fatalf("%v", err)
	}
	return now, replaced
}

// TestEgress runs the scenarios of examples/provider/egress.yaml: the three
// resources become Ready from one apply; a gateway deleted out of band is
// replaced and the route follows it within one poll interval; an address
// released out of band is allocated again and everything heals.
func TestEgress(t *testing.T) {
	t.Parallel()
	s := newScenario(t, "egress")
	var e egress

	t.Run("ReadyFromOneApply", func(t *testing.T) {
		s := s.in(t)
		e = s.applyEgress()
		s.checkEgress(e)
	})

	t.Run("GatewayDeletedRouteFollows", func(t *testing.T) {
		s := s.in(t)
		if e.gw == nil {
			t.Skip("the egress did not become Ready")
		}
		s.get(e.gw)
		old := meta.GetExternalName(e.gw)

		// Deleted at once, so the route is a blackhole from now on.
		deleted := time.Now()
		if err := stk.EC2Sim.Admin.DeleteNatGateway(t.Context(), old, true); err != nil {
			t.Fatal(err)
		}
		if r, _ := s.route(); r.State != types.RouteStateBlackhole {
			t.Fatalf("route through deleted gateway %s is %s, want blackhole", old, r.State)
		}
		now, replaced := s.waitRouteFollows(old, e.gw, healTimeout)
		blackhole := time.Since(deleted)
		msg := fmt.Sprintf("egress: gateway %s deleted out of band; NATGateway named its replacement %s after %s; route to %s active through it after %s (provider --poll %s, --nat-inventory-interval %s)",
			old, now, replaced.Sub(deleted).Round(100*time.Millisecond), defaultRoute, blackhole.Round(100*time.Millisecond), PollInterval, InventoryInterval)
		t.Log(msg)
		fmt.Fprintln(os.Stdout, msg)
		if blackhole > max(PollInterval, InventoryInterval)+5*time.Second {
			t.Errorf("the route was a blackhole for %s, want at most one poll or inventory interval (%s) and a few seconds of work", blackhole.Round(100*time.Millisecond), max(PollInterval, InventoryInterval))
		}

		s.healed(e.gw, old, v1alpha1.FoundStateDeleted, 1)
		if meta.GetExternalName(e.gw) != now {
			t.Errorf("route goes through %s, the NATGateway names %s", now, meta.GetExternalName(e.gw))
		}
		s.waitReady(e.route)
		s.checkEgress(e)
	})

	t.Run("AddressReleasedEverythingHeals", func(t *testing.T) {
		s := s.in(t)
		if e.gw == nil {
			t.Skip("the egress did not become Ready")
		}
		s.get(e.gw)
		s.get(e.eip)
		oldGW, oldEIP := meta.GetExternalName(e.gw), meta.GetExternalName(e.eip)
		recreations := e.gw.Status.AtProvider.Healing.Recreations

		// EC2 refuses to release an address a gateway holds, so the gateway
		// goes first, as a person cleaning up by hand would do. If the
		// provider recreates the gateway in between, it holds the address
		// again: delete that one too.
		gwID := oldGW
		for attempt := 1; ; attempt++ {
			if err := stk.EC2Sim.Admin.DeleteNatGateway(t.Context(), gwID, true); err != nil {
				t.Fatal(err)
			}
			_, err := s.ec2.ReleaseAddress(t.Context(), &ec2.ReleaseAddressInput{AllocationId: aws.String(oldEIP)})
			if err == nil {
				break
			}
			if attempt == 5 || !strings.Contains(err.Error(), "AuthFailure") {
				t.Fatalf("cannot release %s: %v", oldEIP, err)
			}
			s.get(e.gw)
			gwID = meta.GetExternalName(e.gw)
		}
		released := time.Now()

		s.waitFor(e.eip, healTimeout, stack.All(externalNameIsNot(oldEIP), stack.Ready()))
		newEIP := meta.GetExternalName(e.eip)
		if h := e.eip.Status.AtProvider.Healing; h == nil || h.Last == nil || h.Last.PreviousID != oldEIP || h.Last.FoundState != v1alpha1.FoundStateNotFound {
			t.Errorf("ElasticIP status.atProvider.healing is %+v, want the last healing of %s found %s", h, oldEIP, v1alpha1.FoundStateNotFound)
		}
		s.event(e.eip, corev1.EventTypeWarning, "AddressReleased", oldEIP)

		s.waitFor(e.gw, healTimeout, stack.All(stack.Ready(), func(o client.Object) error {
			gw := o.(*v1alpha1.NATGateway)
			for _, a := range gw.Status.AtProvider.Addresses {
				if aws.ToString(a.AllocationID) == newEIP && aws.ToString(a.Status) == "succeeded" {
					return nil
				}
			}
			return errors.Errorf("gateway %s does not use %s yet", meta.GetExternalName(gw), newEIP)
		}))
		if h := e.gw.Status.AtProvider.Healing; h == nil || h.Recreations <= recreations {
			t.Errorf("NATGateway status.atProvider.healing is %+v, want more than %d recreations", h, recreations)
		}
		newGW, _ := s.waitRouteFollows(oldGW, e.gw, healTimeout)
		if newGW != meta.GetExternalName(e.gw) {
			newGW, _ = s.waitRouteFollows(newGW, e.gw, healTimeout)
		}
		s.waitReady(e.route)
		t.Logf("address %s released out of band; new address %s, gateway %s, route active %s later", oldEIP, newEIP, newGW, time.Since(released).Round(100*time.Millisecond))
		s.checkEgress(e)

		out, err := s.ec2.DescribeAddresses(t.Context(), &ec2.DescribeAddressesInput{})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Addresses) != 1 || aws.ToString(out.Addresses[0].AllocationId) != newEIP {
			t.Errorf("EC2 holds addresses %+v, want only %s", out.Addresses, newEIP)
		}
		if live := liveGatewaysOf(s.gateways(), e.gw); len(live) != 1 {
			t.Errorf("live gateways of the NATGateway: %v, want one", live)
		}
	})
}

// TestEgressDeletedInAnyOrder deletes the three resources of the egress in
// each of the six orders, each in a namespace of its own, and checks that
// nothing is left in EC2: no address, no gateway that is not deleted, no
// route.
func TestEgressDeletedInAnyOrder(t *testing.T) {
	t.Parallel()
	for _, order := range [][]string{
		{"ElasticIP", "NATGateway", "Route"},
		{"ElasticIP", "Route", "NATGateway"},
		{"NATGateway", "ElasticIP", "Route"},
		{"NATGateway", "Route", "ElasticIP"},
		{"Route", "ElasticIP", "NATGateway"},
		{"Route", "NATGateway", "ElasticIP"},
	} {
		name := strings.Join(order, "-")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newScenario(t, "delete-"+strings.ToLower(strings.NewReplacer("ElasticIP", "eip", "NATGateway", "nat", "Route", "rt").Replace(name)))
			e := s.applyEgress()
			byKind := map[string]client.Object{"ElasticIP": e.eip, "NATGateway": e.gw, "Route": e.route}
			for _, kind := range order {
				o := byKind[kind]
				s.delete(o)
				// Gone, or waiting for a reason it states (an address is
				// released only once its gateway is deleted).
				err := pollFor(t.Context(), goneTimeout, func() error {
					err := stk.Client.Get(t.Context(), client.ObjectKeyFromObject(o), o)
					if kerrors.IsNotFound(err) {
						return nil
					}
					if err != nil {
						return err
					}
					return stack.HasCondition("Released", corev1.ConditionFalse, "StillAssociated")(o)
				})
				if err != nil {
					t.Fatalf("%s %s: %v\n%s", kind, o.GetName(), err, stk.Describe(t.Context(), o))
				}
			}
			for _, o := range e.objects() {
				if err := stk.WaitGone(t.Context(), o, goneTimeout); err != nil {
					t.Fatal(err)
				}
			}

			st := s.state()
			if len(st.Addresses) != 0 {
				t.Errorf("EC2 holds addresses: %+v", st.Addresses)
			}
			for _, gw := range st.NatGateways {
				if gw.State != "deleted" {
					t.Errorf("EC2 holds gateway %s %s", gw.ID, gw.State)
				}
			}
			if r, ok := s.route(); ok {
				t.Errorf("route table %s still has a route to %s: %s %s", s.net.Zones[0].PrivateRouteTableID, defaultRoute, aws.ToString(r.NatGatewayId), r.State)
			}
		})
	}
}
