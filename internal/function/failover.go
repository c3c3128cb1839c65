// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"github.com/crossplane/function-sdk-go/resource"
)

// A routing is the function's decision of which gateway carries the routes of
// each zone, by zone. serving makes it from an observation, and nothing
// changes it afterwards.
type routing map[string]resource.Name

// serving decides, for every zone of the plan, the gateway that carries the
// zone's routes.
func serving(e egress, p plan, o observation) routing {
	out := make(routing, len(p.home))
	for i, z := range e.zones {
		if home, ok := p.home[z.name]; ok {
			out[z.name] = servingZone(e, p, o, i, home)
		}
	}
	return out
}

// servingZone decides the gateway that carries the routes of e.zones[i],
// whose home gateway is home:
//   - home, while it is available;
//   - while home is degraded and failover is on, the home gateway of the next
//     zone in sorted order whose own gateway is available;
//   - while home is being created, the available gateway an active route of
//     the zone already sends its traffic to (see handover.go); failing that,
//     when failover is on and the zone's routes point at a gateway that no
//     longer carries them, such as an old gateway deleted outside
//     Crossplane, the next available home gateway, as for a degraded zone;
//   - home otherwise, so routes never fail over to nothing.
func servingZone(e egress, p plan, o observation, i int, home resource.Name) resource.Name {
	zone := e.zones[i].name
	g := o.gateways[home]
	switch {
	case g.available():
		return home
	case g.degraded():
		if e.failover {
			if peer, ok := healthyPeer(e.zones, i, p.home, o.gateways); ok {
				return peer
			}
		}
		return home
	}
	if c, ok := carrier(p, o, zone, home); ok {
		return c
	}
	if e.failover && pointsElsewhere(p, o, zone, home) {
		if peer, ok := healthyPeer(e.zones, i, p.home, o.gateways); ok {
			return peer
		}
	}
	return home
}

// healthyPeer returns the first available home gateway of the zones after
// zones[i], wrapping around, that is not the home gateway of zones[i].
func healthyPeer(zones []zone, i int, home map[string]resource.Name, health map[resource.Name]gatewayHealth) (resource.Name, bool) {
	own := home[zones[i].name]
	for step := 1; step < len(zones); step++ {
		g, ok := home[zones[(i+step)%len(zones)].name]
		if ok && g != own && health[g].available() {
			return g, true
		}
	}
	return "", false
}
