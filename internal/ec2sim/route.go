// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"net/netip"
	"regexp"
)

// A routeTable is a VPC route table with its local route first.
type routeTable struct {
	id            string
	vpcID         string
	main          bool
	associationID string
	routes        []*route
	tags          tagMap
}

// A route sends a destination to the local network or to a NAT gateway.
type route struct {
	destination netip.Prefix
	local       bool
	natID       string
	origin      string
}

var routeTableIDPattern = regexp.MustCompile(`^rtb-[0-9a-f]{8}([0-9a-f]{9})?$`)

func (r *regionState) newRouteTable(v *vpc, main bool) *routeTable {
	t := &routeTable{id: r.newID("rtb"), vpcID: v.id, main: main, tags: tagMap{},
		routes: []*route{{destination: v.cidr, local: true, origin: "CreateRouteTable"}}}
	if main {
		t.associationID = r.newID("rtbassoc")
	}
	r.routeTables[t.id] = t
	return t
}

func (r *regionState) lookupRouteTable(id string) (*routeTable, *APIError) {
	if !routeTableIDPattern.MatchString(id) {
		return nil, clientError(codeInvalidRouteTableIDMalformed, "Invalid id: \"%s\"", id)
	}
	t, ok := r.routeTables[id]
	if !ok {
		return nil, clientError(codeInvalidRouteTableIDNotFound, "The routeTable ID '%s' does not exist", id)
	}
	return t, nil
}

// routeState is active while the route's NAT gateway holds its resources
// (pending, available or deleting) and blackhole once it is deleted, failed
// or purged.
func (r *regionState) routeState(rt *route) string {
	if rt.local {
		return "active"
	}
	if n, ok := r.natGateways[rt.natID]; ok && n.live() {
		return "active"
	}
	return "blackhole"
}

type routeXML struct {
	DestinationCidrBlock string `xml:"destinationCidrBlock"`
	GatewayID            string `xml:"gatewayId,omitempty"`
	NatGatewayID         string `xml:"natGatewayId,omitempty"`
	State                string `xml:"state"`
	Origin               string `xml:"origin"`
}

type associationXML struct {
	RouteTableAssociationID string `xml:"routeTableAssociationId"`
	RouteTableID            string `xml:"routeTableId"`
	Main                    bool   `xml:"main"`
	AssociationState        struct {
		State string `xml:"state"`
	} `xml:"associationState"`
}

type routeTableXML struct {
	RouteTableID    string              `xml:"routeTableId"`
	VpcID           string              `xml:"vpcId"`
	OwnerID         string              `xml:"ownerId"`
	Routes          set[routeXML]       `xml:"routeSet"`
	Associations    set[associationXML] `xml:"associationSet"`
	PropagatingVgws set[struct{}]       `xml:"propagatingVgwSet"`
	Tags            set[tagXML]         `xml:"tagSet"`
}

func (r *regionState) routeTableXML(t *routeTable) routeTableXML {
	x := routeTableXML{RouteTableID: t.id, VpcID: t.vpcID, OwnerID: r.ownerID, Tags: t.tags.xml()}
	x.Routes.Items = make([]routeXML, 0, len(t.routes))
	for _, rt := range t.routes {
		item := routeXML{DestinationCidrBlock: rt.destination.String(), State: r.routeState(rt), Origin: rt.origin}
		if rt.local {
			item.GatewayID = "local"
		} else {
			item.NatGatewayID = rt.natID
		}
		x.Routes.Items = append(x.Routes.Items, item)
	}
	x.Associations.Items = []associationXML{}
	if t.main {
		a := associationXML{RouteTableAssociationID: t.associationID, RouteTableID: t.id, Main: true}
		a.AssociationState.State = "associated"
		x.Associations.Items = append(x.Associations.Items, a)
	}
	return x
}

func createRouteTable(c *call) (any, *APIError) {
	vpcID, err := c.q.required("VpcId")
	if err != nil {
		return nil, err
	}
	tags, err := c.q.tagSpecifications("route-table")
	if err != nil {
		return nil, err
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	token := c.q.opt("ClientToken")
	v, err := c.r.lookupVpc(vpcID)
	if err != nil {
		return nil, err
	}
	hash := c.p.canonical("Action", "Version", "ClientToken", "DryRun")
	if prev, ok := c.r.routeTableTokens[token]; ok && token != "" {
		if prev.hash != hash {
			return nil, clientError(codeIdempotentParameterMismatch, "The request uses the same client token as a previous, but non-identical request.")
		}
		if err := c.ready(); err != nil {
			return nil, err
		}
		if t, ok := c.r.routeTables[prev.id]; ok {
			return routeTableOutput(token, c.r.routeTableXML(t)), nil
		}
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	t := c.r.newRouteTable(v, false)
	t.tags = newTags(tags)
	if token != "" {
		c.r.routeTableTokens[token] = tokenEntry{id: t.id, hash: hash}
	}
	return routeTableOutput(token, c.r.routeTableXML(t)), nil
}

func routeTableOutput(token string, t routeTableXML) any {
	return &struct {
		requestIDField

		ClientToken string        `xml:"clientToken,omitempty"`
		RouteTable  routeTableXML `xml:"routeTable"`
	}{ClientToken: token, RouteTable: t}
}

func describeRouteTables(c *call) (any, *APIError) {
	ids, next, err := describe(c, listing[*routeTable]{
		idParam:    "RouteTableId",
		maxResults: 100,
		objects:    c.r.routeTables,
		lookup:     c.r.lookupRouteTable,
		matches: func(t *routeTable, fs []filter) bool {
			return matchFilters(fs, t.tags, func(name string) []string { return c.r.routeTableValues(t, name) })
		},
	}, "route-table-id", "vpc-id", "owner-id", "association.main", "association.route-table-association-id",
		"association.route-table-id", "association.subnet-id", "route.nat-gateway-id", "route.state",
		"route.destination-cidr-block", "route.gateway-id", "route.origin")
	if err != nil {
		return nil, err
	}
	out := struct {
		requestIDField

		RouteTables set[routeTableXML] `xml:"routeTableSet"`
		NextToken   string             `xml:"nextToken,omitempty"`
	}{NextToken: next}
	out.RouteTables.Items = make([]routeTableXML, 0, len(ids))
	for _, id := range ids {
		out.RouteTables.Items = append(out.RouteTables.Items, c.r.routeTableXML(c.r.routeTables[id]))
	}
	return &out, nil
}

func (r *regionState) routeTableValues(t *routeTable, name string) []string {
	var out []string
	switch name {
	case "route-table-id", "association.route-table-id":
		if name == "route-table-id" || t.main {
			out = append(out, t.id)
		}
	case "vpc-id":
		out = append(out, t.vpcID)
	case "owner-id":
		out = append(out, r.ownerID)
	case "association.main":
		if t.main {
			out = append(out, "true")
		}
	case "association.route-table-association-id":
		out = nonEmpty(t.associationID)
	}
	for _, rt := range t.routes {
		switch name {
		case "route.nat-gateway-id":
			out = append(out, nonEmpty(rt.natID)...)
		case "route.state":
			out = append(out, r.routeState(rt))
		case "route.destination-cidr-block":
			out = append(out, rt.destination.String())
		case "route.gateway-id":
			if rt.local {
				out = append(out, "local")
			}
		case "route.origin":
			out = append(out, rt.origin)
		}
	}
	return out
}

// routeInput is a parsed CreateRoute, ReplaceRoute or DeleteRoute.
type routeInput struct {
	table       *routeTable
	destination netip.Prefix
	natID       string
	index       int // of the existing route with the destination, or -1
}

func (c *call) parseRoute(withTarget bool) (routeInput, *APIError) {
	in := routeInput{index: -1}
	tableID, ok := c.q.str("RouteTableId")
	if !ok || tableID == "" {
		return in, clientError(codeMissingParameter, "The request must contain the parameter routeTableId")
	}
	dest, hasDest := c.q.str("DestinationCidrBlock")
	if aerr := c.refuseRouteDestination(withTarget, tableID); aerr != nil {
		return in, aerr
	}
	if !hasDest || dest == "" {
		return in, clientError(codeMissingParameter, "The request must contain the parameter destinationCidrBlock or destinationIpv6CidrBlock")
	}
	p, err := netip.ParsePrefix(dest)
	if err != nil || !p.Addr().Is4() {
		return in, clientError(codeInvalidParameterValue, "Value (%s) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.", dest)
	}
	in.destination = p.Masked()
	if withTarget {
		natID, aerr := c.parseRouteTarget()
		if aerr != nil {
			return in, aerr
		}
		in.natID = natID
	}
	t, aerr := c.r.lookupRouteTable(tableID)
	if aerr != nil {
		return in, aerr
	}
	in.table = t
	for i, rt := range t.routes {
		if rt.destination == in.destination {
			in.index = i
		}
	}
	if withTarget {
		return in, c.checkRouteTarget(in)
	}
	return in, nil
}

// refuseRouteDestination refuses the destinations the simulator's networks
// cannot hold: its VPCs have no IPv6 CIDR block and its regions no managed
// prefix lists, so a route to either cannot be made, and there is none to
// replace or delete.
func (c *call) refuseRouteDestination(withTarget bool, tableID string) *APIError {
	if v, ok := c.q.str("DestinationIpv6CidrBlock"); ok {
		if !withTarget {
			return clientError(codeInvalidRouteNotFound, "The specified route does not exist in the specified route table: no route with destination-ipv6-cidr-block %s in route table %s", v, tableID)
		}
		return clientError(codeInvalidParameterValue, "Value (%s) for parameter destinationIpv6CidrBlock is invalid. The VPC of route table %s has no IPv6 CIDR block.", v, tableID)
	}
	if v, ok := c.q.str("DestinationPrefixListId"); ok {
		if !withTarget {
			return clientError(codeInvalidRouteNotFound, "The specified route does not exist in the specified route table: no route with destination-prefix-list-id %s in route table %s", v, tableID)
		}
		return clientError(codeInvalidPrefixListIDNotFound, "The prefix list ID '%s' does not exist", v)
	}
	return nil
}

// parseRouteTarget returns the NAT gateway a CreateRoute or ReplaceRoute
// targets: exactly one target must be given, and only NAT gateways are
// supported.
func (c *call) parseRouteTarget() (string, *APIError) {
	targets := []string{"NatGatewayId", "GatewayId", "InstanceId", "NetworkInterfaceId", "TransitGatewayId",
		"VpcPeeringConnectionId", "EgressOnlyInternetGatewayId", "LocalGatewayId", "CarrierGatewayId", "VpcEndpointId",
		"CoreNetworkArn", "OdbNetworkArn"}
	var given []string
	for _, t := range targets {
		if v, ok := c.q.str(t); ok && v != "" {
			given = append(given, t)
		}
	}
	switch {
	case len(given) == 0:
		return "", clientError(codeMissingParameter, "The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, vpcPeeringConnectionId, egressOnlyInternetGatewayId, transitGatewayId, localGatewayId, carrierGatewayId, instanceId, vpcEndpointId or coreNetworkArn")
	case len(given) > 1:
		return "", errCombination("The parameter %s cannot be used with the parameter %s", given[0], given[1])
	case given[0] == "NatGatewayId":
		return c.q.opt("NatGatewayId"), nil
	case given[0] == "GatewayId":
		// Older clients name a NAT gateway as GatewayId.
		id := c.q.opt("GatewayId")
		n, ok := c.r.natGateways[id]
		if !natIDPattern.MatchString(id) || !ok || !n.visible(c.now) {
			return id, clientError(codeInvalidGatewayIDNotFound, "The gateway ID '%s' does not exist", id)
		}
		return id, nil
	default:
		return "", clientError(codeUnsupportedOperation, "ec2sim supports only NAT gateway route targets, not %s", given[0])
	}
}

// checkRouteTarget checks that the target gateway of a route exists in the
// VPC of its route table and that the route leaves the VPC.
func (c *call) checkRouteTarget(in routeInput) *APIError {
	t := in.table
	n, ok := c.r.natGateways[in.natID]
	if !ok || !n.visible(c.now) {
		return clientError(codeInvalidNatGatewayIDNotFound, "The natGateway ID '%s' does not exist", in.natID)
	}
	if n.vpcID != t.vpcID {
		return clientError(codeInvalidParameterValue, "route table %s and network gateway %s belong to different networks", t.id, n.id)
	}
	v := c.r.vpcs[t.vpcID]
	if v != nil && prefixContains(v.cidr, in.destination) {
		return clientError(codeInvalidParameterValue, "The destination CIDR block %s is equal to or more specific than one of this VPC's CIDR blocks. This route can target only an interface or an instance.", in.destination)
	}
	return nil
}

func createRoute(c *call) (any, *APIError) {
	in, err := c.parseRoute(true)
	if err != nil {
		return nil, err
	}
	if in.index >= 0 {
		return nil, clientError(codeRouteAlreadyExists, "The route identified by %s already exists.", in.destination)
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	in.table.routes = append(in.table.routes, &route{destination: in.destination, natID: in.natID, origin: "CreateRoute"})
	return &returnBody{Return: true}, nil
}

func replaceRoute(c *call) (any, *APIError) {
	if _, err := c.q.boolean("LocalTarget"); err != nil {
		return nil, err
	}
	in, err := c.parseRoute(true)
	if err != nil {
		return nil, err
	}
	if in.index < 0 {
		return nil, clientError(codeInvalidRouteNotFound, "There is no route defined for '%s' in the route table. Use CreateRoute instead.", in.destination)
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	in.table.routes[in.index] = &route{destination: in.destination, natID: in.natID, origin: "CreateRoute"}
	return &returnBody{Return: true}, nil
}

func deleteRoute(c *call) (any, *APIError) {
	in, err := c.parseRoute(false)
	if err != nil {
		return nil, err
	}
	if in.index < 0 {
		return nil, clientError(codeInvalidRouteNotFound, "The specified route does not exist in the specified route table: no route with destination-cidr-block %s in route table %s", in.destination, in.table.id)
	}
	if in.table.routes[in.index].local {
		return nil, clientError(codeInvalidParameterValue, "cannot remove local route %s in route table %s", in.destination, in.table.id)
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	in.table.routes = append(in.table.routes[:in.index], in.table.routes[in.index+1:]...)
	return &returnBody{Return: true}, nil
}
