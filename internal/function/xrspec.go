// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"maps"
	"net/netip"
	"slices"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/egresskit/provider-aws-egress/internal/function/input/v1beta1"
)

// defaultDestination is the destination of the routes unless the input sets
// another.
const defaultDestination = "0.0.0.0/0"

// An xrSpec is the part of an egress composite resource's spec that the
// function reads. Crossplane's own spec fields are left alone.
type xrSpec struct {
	Region             string                           `json:"region"`
	VpcID              string                           `json:"vpcId,omitempty"`
	Topology           string                           `json:"topology,omitempty"`
	Connectivity       string                           `json:"connectivity,omitempty"`
	GatewayZone        string                           `json:"gatewayZone,omitempty"`
	PublicSubnets      []publicSubnet                   `json:"publicSubnets,omitempty"`
	PrivateRouteTables []privateRouteTables             `json:"privateRouteTables,omitempty"`
	Allocations        []allocation                     `json:"allocations,omitempty"`
	ProviderConfigRef  *v1beta1.ProviderConfigReference `json:"providerConfigRef,omitempty"`
	Tags               map[string]string                `json:"tags,omitempty"`
}

// A publicSubnet is the subnet of a zone that a zonal gateway lives in.
type publicSubnet struct {
	Zone     string `json:"zone"`
	SubnetID string `json:"subnetId"`
}

// privateRouteTables are the route tables of a zone that send egress
// traffic through a gateway.
type privateRouteTables struct {
	Zone          string   `json:"zone"`
	RouteTableIDs []string `json:"routeTableIds"`
}

// An allocation is a bring-your-own Elastic IP address of a zone.
type allocation struct {
	Zone         string `json:"zone"`
	AllocationID string `json:"allocationId"`
}

// An egress is the validated description of the egress to compose: the
// composite resource's spec with the input's defaults applied.
type egress struct {
	region            string
	vpcID             string
	topology          string
	connectivity      string
	gatewayZone       string
	zones             []zone // sorted by name
	destination       netip.Prefix
	failover          bool
	providerConfigRef *v1beta1.ProviderConfigReference
	tags              map[string]string
}

// A zone is one availability zone of the VPC.
type zone struct {
	name          string
	subnetID      string
	routeTableIDs []string
	allocationID  string
}

// getSpec reads the egress fields of the composite resource's spec.
func getSpec(xr *resource.Composite) (xrSpec, error) {
	s := xrSpec{}
	err := xr.Resource.GetValueInto("spec", &s)
	return s, errors.Wrap(err, "cannot read spec")
}

// newEgress applies the defaults of the input, which must be valid, to the
// spec and validates the result.
func newEgress(in *v1beta1.Input, s xrSpec) (egress, error) {
	e := egress{
		region:            s.Region,
		vpcID:             s.VpcID,
		topology:          firstOf(s.Topology, in.Topology, v1beta1.TopologyPerAZ),
		connectivity:      firstOf(s.Connectivity, in.Connectivity, v1beta1.ConnectivityPublic),
		gatewayZone:       s.GatewayZone,
		destination:       netip.MustParsePrefix(firstOf(in.RouteDestination, defaultDestination)),
		failover:          in.Failover == nil || *in.Failover,
		providerConfigRef: s.ProviderConfigRef,
		tags:              mergeTags(in.Tags, s.Tags),
	}
	if e.providerConfigRef == nil {
		e.providerConfigRef = in.ProviderConfigRef
	}
	if err := validateSpec(s, e); err != nil {
		return egress{}, err
	}
	e.zones = zonesOf(s)
	return e, nil
}

// zonesOf returns every zone that the spec mentions, sorted by name.
func zonesOf(s xrSpec) []zone {
	byName := map[string]*zone{}
	get := func(name string) *zone {
		if byName[name] == nil {
			byName[name] = &zone{name: name}
		}
		return byName[name]
	}
	for _, p := range s.PublicSubnets {
		get(p.Zone).subnetID = p.SubnetID
	}
	for _, r := range s.PrivateRouteTables {
		get(r.Zone).routeTableIDs = slices.Clone(r.RouteTableIDs)
	}
	for _, a := range s.Allocations {
		get(a.Zone).allocationID = a.AllocationID
	}
	zones := make([]zone, 0, len(byName))
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		zones = append(zones, *byName[name])
	}
	return zones
}

// mergeTags returns the input's tags overridden by the composite resource's.
func mergeTags(defaults, tags map[string]string) map[string]string {
	if len(defaults)+len(tags) == 0 {
		return nil
	}
	out := maps.Clone(defaults)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, tags)
	return out
}

// firstOf returns the first value that is not empty.
func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
