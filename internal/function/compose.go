// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"sync"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"

	"github.com/egresskit/provider-aws-egress/apis"
	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// Labels of the composed resources.
const (
	LabelZone       = "egresskit.io/zone"
	LabelRouteTable = "egresskit.io/route-table"
)

// registerTypes adds the managed resource types to the scheme that
// composed.From reads their kinds from.
//
//nolint:gochecknoglobals // composed.Scheme is the SDK's process-wide scheme, so the types are added to it once per process.
var registerTypes = sync.OnceValue(func() error { return apis.AddToScheme(composed.Scheme) })

// A composer builds the desired managed resources of one composite
// resource.
type composer struct {
	xr        string
	namespace string
	e         egress
}

// compose returns the desired ElasticIPs, NATGateways and Routes of the plan.
// Each zone's routes point at the gateway that serves the zone.
func (c composer) compose(p plan, serve map[string]resource.Name) (map[resource.Name]*composed.Unstructured, error) {
	if err := registerTypes(); err != nil {
		return nil, errors.Wrap(err, "cannot register the managed resource types")
	}
	objs := map[resource.Name]runtime.Object{}
	for _, g := range p.gateways {
		if g.eip != "" {
			eip, err := c.elasticIP(g)
			if err != nil {
				return nil, err
			}
			objs[g.eip] = eip
		}
		nat, err := c.natGateway(g)
		if err != nil {
			return nil, err
		}
		objs[g.name] = nat
	}
	for _, r := range p.routes {
		rt, err := c.route(r, serve[r.zone])
		if err != nil {
			return nil, err
		}
		objs[r.name] = rt
	}
	out := make(map[resource.Name]*composed.Unstructured, len(objs))
	for name, o := range objs {
		cd, err := composed.From(o)
		if err != nil {
			return nil, errors.Wrapf(err, "cannot convert %s to a composed resource", name)
		}
		// The function has no opinion about status, but the typed status
		// converts to a zero observedGeneration.
		delete(cd.Object, "status")
		out[name] = cd
	}
	return out, nil
}

func (c composer) elasticIP(g gateway) (*v1alpha1.ElasticIP, error) {
	m, err := c.meta(g.eip, map[string]string{LabelZone: g.zone})
	if err != nil {
		return nil, err
	}
	return &v1alpha1.ElasticIP{
		ObjectMeta: m,
		Spec: v1alpha1.ElasticIPSpec{
			ManagedResourceSpec: c.managed(),
			ForProvider:         v1alpha1.ElasticIPParameters{Region: c.e.region, Tags: c.e.tags},
		},
	}, nil
}

func (c composer) natGateway(g gateway) (*v1alpha1.NATGateway, error) {
	labels := map[string]string{}
	if g.zone != "" {
		labels[LabelZone] = g.zone
	}
	m, err := c.meta(g.name, labels)
	if err != nil {
		return nil, err
	}
	fp := v1alpha1.NATGatewayParameters{
		Region:           c.e.region,
		ConnectivityType: ptr.To(c.e.connectivity),
		Tags:             c.e.tags,
	}
	switch {
	case g.name == regionalGateway:
		fp.AvailabilityMode = ptr.To(v1alpha1.AvailabilityModeRegional)
		fp.VpcID = ptr.To(c.e.vpcID)
		fp.AvailabilityZoneAddresses = zoneAddresses(g.zoneAllocations)
	case g.allocationID != "":
		fp.SubnetID = ptr.To(g.subnetID)
		fp.AllocationID = ptr.To(g.allocationID)
	case g.eip != "":
		fp.SubnetID = ptr.To(g.subnetID)
		eip, err := objectName(c.xr, g.eip)
		if err != nil {
			return nil, err
		}
		fp.AllocationIDRef = &xpv2.NamespacedReference{Name: eip}
	default:
		fp.SubnetID = ptr.To(g.subnetID)
	}
	return &v1alpha1.NATGateway{
		ObjectMeta: m,
		Spec:       v1alpha1.NATGatewaySpec{ManagedResourceSpec: c.managed(), ForProvider: fp},
	}, nil
}

func (c composer) route(r route, target resource.Name) (*v1alpha1.Route, error) {
	m, err := c.meta(r.name, map[string]string{LabelZone: r.zone, LabelRouteTable: r.routeTableID})
	if err != nil {
		return nil, err
	}
	nat, err := objectName(c.xr, target)
	if err != nil {
		return nil, err
	}
	fp := v1alpha1.RouteParameters{
		Region:          c.e.region,
		RouteTableID:    r.routeTableID,
		NATGatewayIDRef: &xpv2.NamespacedReference{Name: nat},
	}
	if d := c.e.destination.String(); c.e.destination.Addr().Is4() {
		fp.DestinationCidrBlock = ptr.To(d)
	} else {
		fp.DestinationIPv6CidrBlock = ptr.To(d)
	}
	return &v1alpha1.Route{
		ObjectMeta: m,
		Spec:       v1alpha1.RouteSpec{ManagedResourceSpec: c.managed(), ForProvider: fp},
	}, nil
}

func (c composer) meta(rn resource.Name, labels map[string]string) (metav1.ObjectMeta, error) {
	name, err := objectName(c.xr, rn)
	if err != nil {
		return metav1.ObjectMeta{}, err
	}
	return metav1.ObjectMeta{Name: name, Namespace: c.namespace, Labels: labels}, nil
}

func (c composer) managed() xpv2.ManagedResourceSpec {
	s := xpv2.ManagedResourceSpec{}
	if ref := c.e.providerConfigRef; ref != nil {
		s.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: ref.Kind, Name: ref.Name}
	}
	return s
}

// zoneAddresses returns the per-zone addresses of a regional gateway, sorted
// by zone.
func zoneAddresses(byZone map[string]string) []v1alpha1.AvailabilityZoneAddress {
	if len(byZone) == 0 {
		return nil
	}
	out := make([]v1alpha1.AvailabilityZoneAddress, 0, len(byZone))
	for _, z := range sortedKeys(byZone) {
		out = append(out, v1alpha1.AvailabilityZoneAddress{AvailabilityZone: ptr.To(z), AllocationIDs: []string{byZone[z]}})
	}
	return out
}
