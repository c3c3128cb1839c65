// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"github.com/crossplane/function-sdk-go/resource"
)

// serving returns, for every zone of the plan, the gateway that carries the
// zone's routes. That is the zone's home gateway, except while the home
// gateway is degraded and failover is on: then it is the home gateway of the
// next zone in sorted order whose own gateway is available. When no other
// gateway is available the zone keeps its home gateway, so routes never
// fail over to nothing.
func serving(e egress, p plan, health map[resource.Name]gatewayHealth) map[string]resource.Name {
	out := make(map[string]resource.Name, len(p.home))
	for i, z := range e.zones {
		home, ok := p.home[z.name]
		if !ok {
			continue
		}
		out[z.name] = home
		if !e.failover || !health[home].degraded() {
			continue
		}
		if peer, ok := healthyPeer(e.zones, i, p.home, health); ok {
			out[z.name] = peer
		}
	}
	return out
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
