// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"fmt"

	"github.com/crossplane/function-sdk-go/resource"

	"github.com/egresskit/provider-aws-egress/internal/function/input/v1beta1"
)

// A gateway is one NAT gateway that the topology asks for.
type gateway struct {
	name resource.Name
	// zone of a zonal gateway; empty for a regional one.
	zone     string
	subnetID string
	// allocationID is a bring-your-own Elastic IP address.
	allocationID string
	// eip is the ElasticIP composed for the gateway, if any.
	eip resource.Name
	// zoneAllocations are the bring-your-own addresses of a regional
	// gateway, by zone.
	zoneAllocations map[string]string
}

// A route is one route of a zone's route table.
type route struct {
	name         resource.Name
	zone         string
	routeTableID string
}

// A plan says which gateways and routes to compose, and which gateway each
// zone's routes use while it is healthy: the zone's home gateway.
type plan struct {
	gateways []gateway
	routes   []route
	home     map[string]resource.Name
	// unused are settings of the spec that the topology does not use.
	unused []string
}

// planFor places the gateways of the egress's topology.
func planFor(e egress) plan {
	p := plan{home: map[string]resource.Name{}}
	switch e.topology {
	case v1beta1.TopologyPerAZ:
		for _, z := range e.zones {
			p.gateways = append(p.gateways, zonalGateway(e, z))
			p.home[z.name] = natName(z.name, z.allocationID)
		}
	case v1beta1.TopologySingle:
		gz := singleZone(e)
		for _, z := range e.zones {
			if z.name == gz.name {
				p.gateways = append(p.gateways, zonalGateway(e, z))
			}
			p.home[z.name] = natName(gz.name, gz.allocationID)
		}
	case v1beta1.TopologyRegional:
		g := gateway{name: regionalGateway}
		for _, z := range e.zones {
			if z.allocationID != "" {
				if g.zoneAllocations == nil {
					g.zoneAllocations = map[string]string{}
				}
				g.zoneAllocations[z.name] = z.allocationID
			}
			p.home[z.name] = regionalGateway
		}
		p.gateways = append(p.gateways, g)
	}
	for _, z := range e.zones {
		if _, ok := p.home[z.name]; !ok {
			continue
		}
		for _, id := range z.routeTableIDs {
			p.routes = append(p.routes, route{name: routeName(z.name, id), zone: z.name, routeTableID: id})
		}
	}
	p.unused = unusedSettings(e, p)
	return p
}

// zonalGateway returns the gateway of zone z. A public gateway gets an
// ElasticIP unless the zone brings its own address.
func zonalGateway(e egress, z zone) gateway {
	g := gateway{name: natName(z.name, z.allocationID), zone: z.name, subnetID: z.subnetID, allocationID: z.allocationID}
	if e.connectivity == v1beta1.ConnectivityPublic && z.allocationID == "" {
		g.eip = eipName(z.name)
	}
	return g
}

// singleZone returns the zone of the Single topology's gateway: the chosen
// one, or the first zone in sorted order that has a public subnet.
func singleZone(e egress) zone {
	for _, z := range e.zones {
		if e.gatewayZone == z.name {
			return z
		}
	}
	for _, z := range e.zones {
		if z.subnetID != "" {
			return z
		}
	}
	return zone{}
}

// unusedSettings describes the settings that the topology does not use, so
// that they can be reported rather than silently ignored.
func unusedSettings(e egress, p plan) []string {
	var out []string
	if e.gatewayZone != "" && e.topology != v1beta1.TopologySingle {
		out = append(out, fmt.Sprintf("spec.gatewayZone %s is not used: topology %s does not place a single gateway", e.gatewayZone, e.topology))
	}
	if e.topology == v1beta1.TopologyRegional {
		return out
	}
	used := map[string]bool{}
	for _, g := range p.gateways {
		used[g.allocationID] = true
	}
	for _, z := range e.zones {
		if z.allocationID != "" && !used[z.allocationID] {
			out = append(out, fmt.Sprintf("allocation %s of zone %s is not used: topology %s runs no gateway in that zone", z.allocationID, z.name, e.topology))
		}
	}
	return out
}
