// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// An observation is what the function observed of the egress: the health of
// every observed gateway, planned or retired, and of every planned route.
type observation struct {
	gateways map[resource.Name]gatewayHealth
	routes   map[resource.Name]routeHealth
	// retired are the observed gateways that the plan no longer asks for.
	retired map[resource.Name]retired
}

// zoneOf returns the zone of a gateway of the plan or a retired gateway, or
// regional.
func (o observation) zoneOf(p plan, name resource.Name) string {
	if r, ok := o.retired[name]; ok && r.zone != "" {
		return r.zone
	}
	return p.zoneOf(name)
}

// A gatewayHealth is what the observed NATGateway tells about a gateway.
type gatewayHealth struct {
	observed bool
	id       string
	state    string
	publicIP string
	// zoneIPs are the public addresses of a regional gateway, by zone.
	zoneIPs map[string]string
	// ready is the NATGateway's Ready condition.
	ready bool
	// recreated tells that the provider has created the gateway again after
	// it was deleted or failed outside Crossplane.
	recreated bool
}

// available tells whether the gateway carries traffic.
func (g gatewayHealth) available() bool {
	return g.state == v1alpha1.NATGatewayStateAvailable && g.ready
}

// degraded tells whether a gateway that should carry traffic does not: it
// failed, it was deleted, or it is pending after a recreation. A gateway
// that is still being created for the first time is not degraded.
func (g gatewayHealth) degraded() bool {
	if !g.observed || g.available() {
		return false
	}
	creating := (g.state == "" || g.state == v1alpha1.NATGatewayStatePending) && !g.recreated
	return !creating
}

// describe tells the state of a gateway.
func (g gatewayHealth) describe() string {
	switch {
	case g.available():
		return g.state
	case g.state == v1alpha1.NATGatewayStatePending && g.recreated:
		return "pending after it was recreated"
	case g.state == v1alpha1.NATGatewayStateAvailable:
		return "available but not ready"
	case g.state == "":
		return "in an unknown state"
	default:
		return g.state
	}
}

// A routeHealth is what an observed Route tells about a route.
type routeHealth struct {
	observed     bool
	state        string
	natGatewayID string
}

// activeVia tells whether the route is active and sends traffic to the
// gateway with the supplied ID.
func (r routeHealth) activeVia(gatewayID string) bool {
	return r.state == v1alpha1.RouteStateActive && gatewayID != "" && r.natGatewayID == gatewayID
}

// observeGateways reads the observed NATGateways of the plan.
func observeGateways(p plan, observed map[resource.Name]resource.ObservedComposed) (map[resource.Name]gatewayHealth, error) {
	out := make(map[resource.Name]gatewayHealth, len(p.gateways))
	for _, g := range p.gateways {
		oc, ok := observed[g.name]
		if !ok {
			continue
		}
		nat := &v1alpha1.NATGateway{}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(oc.Resource.Object, nat); err != nil {
			return nil, errors.Wrapf(err, "cannot read observed NATGateway %s", g.name)
		}
		out[g.name] = gatewayHealthOf(nat)
	}
	return out, nil
}

func gatewayHealthOf(nat *v1alpha1.NATGateway) gatewayHealth {
	at := nat.Status.AtProvider
	h := gatewayHealth{
		observed:  true,
		id:        ptr.Deref(at.NATGatewayID, ""),
		state:     ptr.Deref(at.State, ""),
		ready:     nat.GetCondition(xpv2.TypeReady).Status == corev1.ConditionTrue,
		recreated: at.Healing != nil && at.Healing.Recreations > 0,
	}
	for _, a := range at.Addresses {
		ip := ptr.Deref(a.PublicIP, "")
		if ip == "" {
			continue
		}
		if z := ptr.Deref(a.AvailabilityZone, ""); z != "" {
			if h.zoneIPs == nil {
				h.zoneIPs = map[string]string{}
			}
			if h.zoneIPs[z] == "" || ptr.Deref(a.IsPrimary, false) {
				h.zoneIPs[z] = ip
			}
		}
		if h.publicIP == "" || ptr.Deref(a.IsPrimary, false) {
			h.publicIP = ip
		}
	}
	return h
}

// observeRoutes reads the observed Routes of the plan.
func observeRoutes(p plan, observed map[resource.Name]resource.ObservedComposed) (map[resource.Name]routeHealth, error) {
	out := make(map[resource.Name]routeHealth, len(p.routes))
	for _, r := range p.routes {
		name := r.name
		oc, ok := observed[name]
		if !ok {
			continue
		}
		rt := &v1alpha1.Route{}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(oc.Resource.Object, rt); err != nil {
			return nil, errors.Wrapf(err, "cannot read observed Route %s", name)
		}
		out[name] = routeHealth{
			observed:     true,
			state:        ptr.Deref(rt.Status.AtProvider.State, ""),
			natGatewayID: ptr.Deref(rt.Status.AtProvider.NATGatewayID, ""),
		}
	}
	return out, nil
}
