// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package composition

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// destination is the destination of the routes the example Compositions
// make.
const destination = "0.0.0.0/0"

// EC2 states.
const (
	stateAvailable = "available"
	stateDeleted   = "deleted"
	routeActive    = "active"
)

// An ec2View is the egress of a network as ec2sim holds it.
type ec2View struct {
	n *network
	// gateways of the network's VPC by ID, in any state.
	gateways map[string]ec2sim.NatGatewayState
	// routes to the destination by route table ID, for the VPC's tables.
	routes map[string]ec2sim.RouteState
	// natRoutes are every route of the VPC's tables to a NAT gateway, as
	// "table destination -> gateway".
	natRoutes []string
	// addresses of the account by allocation ID.
	addresses map[string]ec2sim.AddressState
}

// view reads the egress of n from ec2sim's state.
func (env *environment) view(ctx context.Context, n *network) (*ec2View, error) {
	st, err := env.sim.Admin.State(ctx, credentials.AccessKeyID, stack.DefaultRegion)
	if err != nil {
		return nil, errors.Wrap(err, "cannot read ec2sim's state")
	}
	v := &ec2View{n: n, gateways: map[string]ec2sim.NatGatewayState{}, routes: map[string]ec2sim.RouteState{}, addresses: map[string]ec2sim.AddressState{}}
	for _, r := range st.Regions {
		for _, g := range r.NatGateways {
			if g.VpcID == n.vpcID {
				v.gateways[g.ID] = g
			}
		}
		for _, t := range r.RouteTables {
			if t.VpcID != n.vpcID {
				continue
			}
			for _, rt := range t.Routes {
				if rt.DestinationCidrBlock == destination {
					v.routes[t.ID] = rt
				}
				if rt.NatGatewayID != "" {
					v.natRoutes = append(v.natRoutes, fmt.Sprintf("%s %s -> %s (%s)", t.ID, rt.DestinationCidrBlock, rt.NatGatewayID, rt.State))
				}
			}
		}
		for _, a := range r.Addresses {
			v.addresses[a.AllocationID] = a
		}
	}
	return v, nil
}

// zoneOf returns the zone of a gateway by its subnet, or "".
func (v *ec2View) zoneOf(g ec2sim.NatGatewayState) string {
	for _, z := range v.n.zones {
		if z.publicSubnetID == g.SubnetID {
			return z.name
		}
	}
	return ""
}

// live returns the gateways of a zone that are not deleted.
func (v *ec2View) live(zone string) []ec2sim.NatGatewayState {
	var out []ec2sim.NatGatewayState
	for _, g := range v.gateways {
		if v.zoneOf(g) == zone && g.State != stateDeleted {
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// target returns the gateway that the route of a table points at, and
// whether the route is active through an available gateway.
func (v *ec2View) target(table string) (ec2sim.NatGatewayState, bool) {
	r, ok := v.routes[table]
	if !ok || r.NatGatewayID == "" {
		return ec2sim.NatGatewayState{}, false
	}
	g, ok := v.gateways[r.NatGatewayID]
	if !ok {
		return ec2sim.NatGatewayState{ID: r.NatGatewayID}, false
	}
	return g, r.State == routeActive && g.State == stateAvailable
}

// servedBy returns the gateway that every route of a zone points at, while
// all of them are active through it and it is available.
func (v *ec2View) servedBy(zone string) (ec2sim.NatGatewayState, bool) {
	var via ec2sim.NatGatewayState
	for i, table := range v.n.zones[zone].routeTableIDs {
		g, ok := v.target(table)
		if !ok || i > 0 && g.ID != via.ID {
			return ec2sim.NatGatewayState{}, false
		}
		via = g
	}
	return via, via.ID != ""
}

// primaryAddress returns the primary address of a gateway.
func primaryAddress(g ec2sim.NatGatewayState) ec2sim.NatAddressState {
	for _, a := range g.Addresses {
		if a.Primary {
			return a
		}
	}
	return ec2sim.NatAddressState{}
}

// steady returns, by zone, the gateway of each zone of the network when
// every zone has exactly one gateway that is not deleted, it is available in
// the zone's public subnet with the zone's own address (the bring-your-own
// one, or else one the provider allocated for namespace ns), and every
// route table of the zone sends the destination through it. Otherwise it
// says what is not so.
func (v *ec2View) steady(ns string) (map[string]ec2sim.NatGatewayState, error) {
	out := map[string]ec2sim.NatGatewayState{}
	var problems []string
	for _, z := range v.n.sortedZones() {
		live := v.live(z.name)
		if len(live) != 1 {
			problems = append(problems, fmt.Sprintf("zone %s has %d gateways that are not deleted, want 1: %v", z.name, len(live), ids(live)))
			continue
		}
		g := live[0]
		out[z.name] = g
		if g.State != stateAvailable {
			problems = append(problems, fmt.Sprintf("gateway %s of zone %s is %s", g.ID, z.name, g.State))
		}
		alloc := primaryAddress(g).AllocationID
		switch a, ok := v.addresses[alloc]; {
		case !ok:
			problems = append(problems, fmt.Sprintf("gateway %s of zone %s has no allocated primary address (%q)", g.ID, z.name, alloc))
		case z.allocationID != "" && alloc != z.allocationID:
			problems = append(problems, fmt.Sprintf("gateway %s of zone %s uses address %s, want the zone's own %s", g.ID, z.name, alloc, z.allocationID))
		case z.allocationID == "" && a.Tags[resource.ExternalResourceTagKeyNamespace] != ns:
			problems = append(problems, fmt.Sprintf("gateway %s of zone %s uses address %s, which is not an ElasticIP of namespace %s (tags %v)", g.ID, z.name, alloc, ns, a.Tags))
		case a.NatGatewayID != g.ID:
			problems = append(problems, fmt.Sprintf("address %s of zone %s is associated with %q, want %s", alloc, z.name, a.NatGatewayID, g.ID))
		}
		for _, table := range z.routeTableIDs {
			r := v.routes[table]
			if r.NatGatewayID != g.ID || r.State != routeActive {
				problems = append(problems, fmt.Sprintf("route %s %s of zone %s is %q via %q, want active via %s", table, destination, z.name, r.State, r.NatGatewayID, g.ID))
			}
		}
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	return out, nil
}

// cleared returns nil when nothing of the egress of namespace ns is left in
// EC2: no gateway of the VPC that is not deleted, no route of its tables to
// a NAT gateway, no address allocated for the namespace; the
// bring-your-own addresses stay allocated, but associated with nothing.
func (v *ec2View) cleared(ns string) error {
	var problems []string
	for _, g := range v.gateways {
		if g.State != stateDeleted {
			problems = append(problems, fmt.Sprintf("gateway %s is %s", g.ID, g.State))
		}
	}
	if len(v.natRoutes) > 0 {
		problems = append(problems, fmt.Sprintf("routes to NAT gateways are left: %v", v.natRoutes))
	}
	byo := map[string]bool{}
	for _, z := range v.n.zones {
		if z.allocationID == "" {
			continue
		}
		byo[z.allocationID] = true
		a, ok := v.addresses[z.allocationID]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("bring-your-own address %s of zone %s was released", z.allocationID, z.name))
		case a.AssociationID != "" || a.NatGatewayID != "":
			problems = append(problems, fmt.Sprintf("bring-your-own address %s of zone %s is still associated with %q", z.allocationID, z.name, a.NatGatewayID))
		}
	}
	for _, a := range v.addresses {
		if !byo[a.AllocationID] && a.Tags[resource.ExternalResourceTagKeyNamespace] == ns {
			problems = append(problems, fmt.Sprintf("address %s (%s) of namespace %s is still allocated", a.AllocationID, a.PublicIP, ns))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

func ids(gs []ec2sim.NatGatewayState) []string {
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		out = append(out, g.ID+" ("+g.State+")")
	}
	return out
}

// String describes the view for a failure message.
func (v *ec2View) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "EC2 (ec2sim) of VPC %s:\n", v.n.vpcID)
	gws := make([]ec2sim.NatGatewayState, 0, len(v.gateways))
	for _, g := range v.gateways {
		gws = append(gws, g)
	}
	sort.Slice(gws, func(i, j int) bool { return gws[i].CreateTime.Before(gws[j].CreateTime) })
	for _, g := range gws {
		a := primaryAddress(g)
		fmt.Fprintf(&b, "  gateway %s zone %s %s address %s %s\n", g.ID, v.zoneOf(g), g.State, a.AllocationID, a.PublicIP)
	}
	for _, r := range v.natRoutes {
		fmt.Fprintf(&b, "  route %s\n", r)
	}
	for _, a := range v.addresses {
		fmt.Fprintf(&b, "  address %s %s gateway %q tags %v\n", a.AllocationID, a.PublicIP, a.NatGatewayID, a.Tags)
	}
	return b.String()
}
