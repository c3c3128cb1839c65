// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"fmt"
	"slices"
	"strings"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/egresskit/provider-aws-egress/internal/function/input/v1beta1"
)

// ConditionTypeEgressHealthy is the condition the function sets on the
// composite resource: True when every zone has egress through an available
// gateway of its own.
const ConditionTypeEgressHealthy = "EgressHealthy"

// Reasons of the EgressHealthy condition.
const (
	ReasonAvailable = "Available"
	ReasonPending   = "Pending"
	ReasonDegraded  = "Degraded"
)

// servedByRegional is the servedBy of zones that a regional gateway serves.
const servedByRegional = "regional"

// A zoneStatus is the egress of one zone, as the composite resource reports
// it in status.zones.
type zoneStatus struct {
	Zone string `json:"zone"`
	// GatewayID, PublicIP and State are those of the zone's home gateway.
	GatewayID string `json:"gatewayId,omitempty"`
	PublicIP  string `json:"publicIp,omitempty"`
	State     string `json:"state,omitempty"`
	// ServedBy is the zone whose gateway carries the zone's routes, or
	// regional.
	ServedBy     string `json:"servedBy"`
	RouteTables  int    `json:"routeTables"`
	ActiveRoutes int    `json:"activeRoutes"`
	RoutesActive bool   `json:"routesActive"`
	Degraded     bool   `json:"degraded"`
	Ready        bool   `json:"ready"`
}

// A summary is the egress of all zones, as the composite resource reports it
// in status.egress.
type summary struct {
	Topology          string `json:"topology"`
	Connectivity      string `json:"connectivity"`
	Zones             int    `json:"zones"`
	ReadyZones        int    `json:"readyZones"`
	DegradedZones     int    `json:"degradedZones"`
	Gateways          int    `json:"gateways"`
	AvailableGateways int    `json:"availableGateways"`
}

// A health is what the function observed and decided about the egress.
type health struct {
	gateways map[resource.Name]gatewayHealth
	routes   map[resource.Name]routeHealth
	serving  map[string]resource.Name
	// retired are the observed gateways that the plan no longer asks for.
	retired map[resource.Name]retired
}

// zoneStatuses reports the egress of every zone that has a home gateway.
func zoneStatuses(e egress, p plan, h health) []zoneStatus {
	out := []zoneStatus{}
	for _, z := range e.zones {
		home, ok := p.home[z.name]
		if !ok {
			continue
		}
		own, via := h.gateways[home], h.gateways[h.serving[z.name]]
		zs := zoneStatus{
			Zone:      z.name,
			GatewayID: own.id,
			PublicIP:  own.publicIP,
			State:     own.state,
			ServedBy:  h.zoneOf(p, h.serving[z.name]),
			Degraded:  own.degraded(),
		}
		if home == regionalGateway {
			zs.PublicIP = own.zoneIPs[z.name]
		}
		for _, r := range p.routes {
			if r.zone != z.name {
				continue
			}
			zs.RouteTables++
			if h.routes[r.name].activeVia(via.id) {
				zs.ActiveRoutes++
			}
		}
		zs.RoutesActive = zs.ActiveRoutes == zs.RouteTables
		zs.Ready = own.available() && h.serving[z.name] == home && zs.RoutesActive
		out = append(out, zs)
	}
	return out
}

// zoneOf returns the zone of a gateway of the plan or a retired gateway, or
// regional.
func (h health) zoneOf(p plan, name resource.Name) string {
	if r, ok := h.retired[name]; ok && r.zone != "" {
		return r.zone
	}
	return p.zoneOf(name)
}

// zoneOf returns the zone of a gateway of the plan, or regional.
func (p plan) zoneOf(name resource.Name) string {
	for _, g := range p.gateways {
		if g.name == name && g.zone != "" {
			return g.zone
		}
	}
	return servedByRegional
}

// summarize counts the zones and gateways.
func summarize(e egress, p plan, h health, zones []zoneStatus) summary {
	s := summary{Topology: e.topology, Connectivity: e.connectivity, Zones: len(zones), Gateways: len(p.gateways)}
	for _, z := range zones {
		if z.Ready {
			s.ReadyZones++
		}
		if z.Degraded {
			s.DegradedZones++
		}
	}
	for _, g := range p.gateways {
		if h.gateways[g.name].available() {
			s.AvailableGateways++
		}
	}
	return s
}

// setStatus writes the egress status to the desired composite resource.
func setStatus(xr *resource.Composite, zones []zoneStatus, s summary) error {
	if err := xr.Resource.SetValue("status.zones", zones); err != nil {
		return errors.Wrap(err, "cannot set status.zones")
	}
	return errors.Wrap(xr.Resource.SetValue("status.egress", s), "cannot set status.egress")
}

// report sets the EgressHealthy condition, and a Warning result for every
// degraded zone and every unused setting.
func report(rsp *fnv1.RunFunctionResponse, e egress, p plan, h health, zones []zoneStatus, claim bool) {
	var degraded, pending []string
	for _, z := range zones {
		switch {
		case z.Degraded:
			degraded = append(degraded, degradedMessage(e, p, h, z))
		case !z.Ready:
			pending = append(pending, z.Zone)
		}
	}
	for _, msg := range slices.Concat(degraded, p.unused) {
		r := response.Warning(rsp, errors.New(msg))
		if claim {
			r.TargetCompositeAndClaim()
		}
	}
	var c *response.ConditionOption
	switch {
	case len(degraded) > 0:
		c = response.ConditionFalse(rsp, ConditionTypeEgressHealthy, ReasonDegraded).WithMessage(strings.Join(degraded, "; "))
	case len(pending) > 0:
		c = response.ConditionFalse(rsp, ConditionTypeEgressHealthy, ReasonPending).
			WithMessage(fmt.Sprintf("waiting for an available gateway and active routes in zones %s", strings.Join(pending, ", ")))
	case e.topology == v1beta1.TopologyNone:
		c = response.ConditionTrue(rsp, ConditionTypeEgressHealthy, ReasonAvailable).WithMessage("topology None composes no gateways and no routes")
	default:
		c = response.ConditionTrue(rsp, ConditionTypeEgressHealthy, ReasonAvailable).
			WithMessage(fmt.Sprintf("every zone has egress through an available gateway of its own (%d zones)", len(zones)))
	}
	if claim {
		c.TargetCompositeAndClaim()
	}
}

// degradedMessage explains a degraded zone and where its routes go.
func degradedMessage(e egress, p plan, h health, z zoneStatus) string {
	home := p.home[z.Zone]
	msg := fmt.Sprintf("zone %s is degraded: its NAT gateway is %s", z.Zone, h.gateways[home].describe())
	switch {
	case h.serving[z.Zone] != home:
		return msg + fmt.Sprintf("; its routes use the gateway of zone %s until it is available again", z.ServedBy)
	case !e.failover:
		return msg + "; failover is off"
	default:
		return msg + "; no other gateway is available to fail over to"
	}
}
