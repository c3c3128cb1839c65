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

// zoneStatuses reports the egress of every zone that has a home gateway, as
// o observed it and r routes it.
func zoneStatuses(e egress, p plan, o observation, r routing) []zoneStatus {
	out := []zoneStatus{}
	for _, z := range e.zones {
		home, ok := p.home[z.name]
		if !ok {
			continue
		}
		own, via := o.gateways[home], o.gateways[r[z.name]]
		zs := zoneStatus{
			Zone:      z.name,
			GatewayID: own.id,
			PublicIP:  own.publicIP,
			State:     own.state,
			ServedBy:  o.zoneOf(p, r[z.name]),
			Degraded:  own.degraded(),
		}
		if home == regionalGateway {
			zs.PublicIP = own.zoneIPs[z.name]
		}
		for _, rt := range p.routes {
			if rt.zone != z.name {
				continue
			}
			zs.RouteTables++
			if o.routes[rt.name].activeVia(via.id) {
				zs.ActiveRoutes++
			}
		}
		zs.RoutesActive = zs.ActiveRoutes == zs.RouteTables
		zs.Ready = own.available() && r[z.name] == home && zs.RoutesActive
		out = append(out, zs)
	}
	return out
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
func summarize(e egress, p plan, o observation, zones []zoneStatus) summary {
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
		if o.gateways[g.name].available() {
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
func report(rsp *fnv1.RunFunctionResponse, e egress, p plan, o observation, r routing, zones []zoneStatus, claim bool) {
	var degraded, pending []string
	for _, z := range zones {
		switch {
		case z.Degraded:
			degraded = append(degraded, degradedMessage(e, p, o, r, z))
		case !z.Ready:
			pending = append(pending, z.Zone)
		}
	}
	for _, msg := range slices.Concat(degraded, p.unused) {
		w := response.Warning(rsp, errors.New(msg))
		if claim {
			w.TargetCompositeAndClaim()
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
func degradedMessage(e egress, p plan, o observation, r routing, z zoneStatus) string {
	home := p.home[z.Zone]
	msg := fmt.Sprintf("zone %s is degraded: its NAT gateway is %s", z.Zone, o.gateways[home].describe())
	switch {
	case r[z.Zone] != home:
		return msg + fmt.Sprintf("; its routes use the gateway of zone %s until it is available again", z.ServedBy)
	case !e.failover:
		return msg + "; failover is off"
	default:
		return msg + "; no other gateway is available to fail over to"
	}
}
