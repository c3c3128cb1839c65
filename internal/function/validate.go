// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/internal/function/input/v1beta1"
)

// maxTags is the most tags a composed resource may carry.
const maxTags = 40

// Patterns of the names and IDs the spec carries. The ID patterns are the
// ones the managed resources' CRDs enforce.
var (
	reRegion     = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	reZone       = regexp.MustCompile(`^[a-z]{2}(-[a-z0-9]+)+$`)
	reVpc        = regexp.MustCompile(`^vpc-[0-9a-f]{8,17}$`)
	reSubnet     = regexp.MustCompile(`^subnet-[0-9a-f]{8,17}$`)
	reRouteTable = regexp.MustCompile(`^rtb-[0-9a-f]{8,17}$`)
	reAllocation = regexp.MustCompile(`^eipalloc-[0-9a-f]{8,17}$`)
)

// problems collects every problem of an input, so that one Fatal result
// names them all.
type problems []string

func (p *problems) addf(format string, args ...any) {
	*p = append(*p, fmt.Sprintf(format, args...))
}

func (p *problems) err() error {
	if len(*p) == 0 {
		return nil
	}
	return errors.New(strings.Join(*p, "; "))
}

// validateInput checks the function's input.
func validateInput(in *v1beta1.Input) error {
	p := problems{}
	if in.APIVersion != "" && in.APIVersion != v1beta1.APIVersion {
		p.addf("apiVersion must be %s, not %q", v1beta1.APIVersion, in.APIVersion)
	}
	if in.Kind != "" && in.Kind != v1beta1.Kind {
		p.addf("kind must be %s, not %q", v1beta1.Kind, in.Kind)
	}
	checkTopology(&p, "topology", in.Topology)
	checkConnectivity(&p, "connectivity", in.Connectivity)
	checkProviderConfigRef(&p, "providerConfigRef", in.ProviderConfigRef)
	checkTags(&p, "tags", in.Tags)
	if d := in.RouteDestination; d != "" {
		if pr, err := netip.ParsePrefix(d); err != nil || pr != pr.Masked() {
			p.addf("routeDestination %q is not a CIDR block such as 0.0.0.0/0", d)
		}
	}
	if ns := in.ResourceNamespace; ns != "" {
		for _, msg := range validation.IsDNS1123Label(ns) {
			p.addf("resourceNamespace %q: %s", ns, msg)
		}
	}
	return p.err()
}

// validateSpec checks the composite resource's spec, with the topology and
// connectivity that e resolved from the spec and the input.
func validateSpec(s xrSpec, e egress) error {
	p := problems{}
	switch {
	case s.Region == "":
		p.addf("spec.region is required")
	case !reRegion.MatchString(s.Region):
		p.addf("spec.region %q is not an AWS region such as us-east-1", s.Region)
	}
	checkTopology(&p, "spec.topology", e.topology)
	checkConnectivity(&p, "spec.connectivity", e.connectivity)
	checkID(&p, "spec.vpcId", s.VpcID, reVpc)
	checkProviderConfigRef(&p, "spec.providerConfigRef", s.ProviderConfigRef)
	checkTags(&p, "spec.tags", s.Tags)
	if len(e.tags) > maxTags {
		p.addf("the input and spec.tags together carry %d tags; at most %d are allowed", len(e.tags), maxTags)
	}

	subnets := checkSubnets(&p, s.PublicSubnets)
	routed := checkRouteTables(&p, s.PrivateRouteTables)
	zonal := e.topology == v1beta1.TopologyPerAZ || e.topology == v1beta1.TopologySingle
	for _, r := range s.PrivateRouteTables {
		if zonal && r.Zone != "" && !subnets[r.Zone] {
			p.addf("zone %s has route tables but no public subnet: topology %s places gateways in public subnets", r.Zone, e.topology)
		}
	}
	if zonal && len(s.PublicSubnets) == 0 {
		p.addf("topology %s needs at least one zone in spec.publicSubnets", e.topology)
	}
	if e.topology == v1beta1.TopologySingle && s.GatewayZone != "" && !subnets[s.GatewayZone] {
		p.addf("spec.gatewayZone %s has no public subnet", s.GatewayZone)
	}
	if e.topology == v1beta1.TopologyRegional {
		if s.VpcID == "" {
			p.addf("topology Regional needs spec.vpcId")
		}
		if e.connectivity != v1beta1.ConnectivityPublic {
			p.addf("topology Regional needs public connectivity: a regional NAT gateway is always public")
		}
	}
	checkAllocations(&p, s, e, subnets, routed)
	return p.err()
}

// checkSubnets checks spec.publicSubnets and returns the zones that have one.
func checkSubnets(p *problems, subnets []publicSubnet) map[string]bool {
	zones := map[string]bool{}
	ids := map[string]bool{}
	for i, s := range subnets {
		path := fmt.Sprintf("spec.publicSubnets[%d]", i)
		checkZone(p, path+".zone", s.Zone, zones)
		checkRequiredID(p, path+".subnetId", s.SubnetID, reSubnet)
		if s.SubnetID != "" && ids[s.SubnetID] {
			p.addf("%s.subnetId: subnet %s is listed twice", path, s.SubnetID)
		}
		ids[s.SubnetID] = true
	}
	return zones
}

// checkRouteTables checks spec.privateRouteTables and returns the zones that
// have route tables.
func checkRouteTables(p *problems, tables []privateRouteTables) map[string]bool {
	zones := map[string]bool{}
	ids := map[string]bool{}
	for i, t := range tables {
		path := fmt.Sprintf("spec.privateRouteTables[%d]", i)
		checkZone(p, path+".zone", t.Zone, zones)
		if len(t.RouteTableIDs) == 0 {
			p.addf("%s.routeTableIds: zone %s lists no route tables", path, t.Zone)
		}
		for j, id := range t.RouteTableIDs {
			checkRequiredID(p, fmt.Sprintf("%s.routeTableIds[%d]", path, j), id, reRouteTable)
			if id != "" && ids[id] {
				p.addf("%s.routeTableIds[%d]: route table %s is listed twice; a route table has one route per destination", path, j, id)
			}
			ids[id] = true
		}
	}
	return zones
}

// checkAllocations checks spec.allocations against the zones and the
// topology.
func checkAllocations(p *problems, s xrSpec, e egress, subnets, routed map[string]bool) {
	if len(s.Allocations) == 0 {
		return
	}
	if e.connectivity == v1beta1.ConnectivityPrivate {
		p.addf("spec.allocations need public connectivity: a private NAT gateway has no Elastic IP address")
	}
	zones := map[string]bool{}
	ids := map[string]bool{}
	for i, a := range s.Allocations {
		path := fmt.Sprintf("spec.allocations[%d]", i)
		checkZone(p, path+".zone", a.Zone, zones)
		checkRequiredID(p, path+".allocationId", a.AllocationID, reAllocation)
		if a.AllocationID != "" && ids[a.AllocationID] {
			p.addf("%s.allocationId: allocation %s is listed twice", path, a.AllocationID)
		}
		ids[a.AllocationID] = true
		if a.Zone != "" && !subnets[a.Zone] && !routed[a.Zone] {
			p.addf("%s.zone: zone %s has neither a public subnet nor route tables", path, a.Zone)
		}
	}
	if e.topology != v1beta1.TopologyRegional {
		return
	}
	for _, z := range zonesOf(s) {
		if !zones[z.name] {
			p.addf("topology Regional with spec.allocations needs an allocation for every zone; zone %s has none", z.name)
		}
	}
}

// checkZone checks a zone name and that it was not seen before.
func checkZone(p *problems, path, zone string, seen map[string]bool) {
	switch {
	case zone == "":
		p.addf("%s is required", path)
		return
	case len(zone) > 64 || !reZone.MatchString(zone):
		p.addf("%s %q is not an availability zone name such as us-east-1a", path, zone)
	case seen[zone]:
		p.addf("%s: zone %s is listed twice", path, zone)
	}
	seen[zone] = true
}

func checkRequiredID(p *problems, path, id string, re *regexp.Regexp) {
	if id == "" {
		p.addf("%s is required", path)
		return
	}
	checkID(p, path, id, re)
}

func checkID(p *problems, path, id string, re *regexp.Regexp) {
	if id != "" && !re.MatchString(id) {
		p.addf("%s %q does not match %s", path, id, re)
	}
}

func checkTopology(p *problems, path, t string) {
	switch t {
	case "", v1beta1.TopologyPerAZ, v1beta1.TopologySingle, v1beta1.TopologyRegional, v1beta1.TopologyNone:
	default:
		p.addf("%s %q is unknown; use PerAZ, Single, Regional or None", path, t)
	}
}

func checkConnectivity(p *problems, path, c string) {
	switch c {
	case "", v1beta1.ConnectivityPublic, v1beta1.ConnectivityPrivate:
	default:
		p.addf("%s %q is unknown; use public or private", path, c)
	}
}

func checkProviderConfigRef(p *problems, path string, ref *v1beta1.ProviderConfigReference) {
	if ref == nil {
		return
	}
	switch ref.Kind {
	case v1beta1.ProviderConfigKind, v1beta1.ClusterProviderConfigKind:
	default:
		p.addf("%s.kind %q is unknown; use ProviderConfig or ClusterProviderConfig", path, ref.Kind)
	}
	if ref.Name == "" {
		p.addf("%s.name is required", path)
	}
}

func checkTags(p *problems, path string, tags map[string]string) {
	// Reserved tag key prefixes: AWS's own and the provider's ownership tags.
	reserved := []string{"aws:", "crossplane-", "egresskit.io/"}
	for _, k := range sortedKeys(tags) {
		switch {
		case len(k) < 1 || len(k) > 127:
			p.addf("%s: key %q must have 1 to 127 characters", path, k)
		case len(tags[k]) > 256:
			p.addf("%s: the value of %q has more than 256 characters", path, k)
		}
		for _, prefix := range reserved {
			if strings.HasPrefix(k, prefix) {
				p.addf("%s: key %q uses the reserved prefix %s", path, k, prefix)
			}
		}
	}
}
