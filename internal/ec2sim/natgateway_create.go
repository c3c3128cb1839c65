// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"net/netip"
	"strconv"
	"time"
)

// maxNatAddresses is the number of IPv4 addresses a NAT gateway may have:
// one primary and seven secondary.
const maxNatAddresses = 8

// createNatInput is a parsed CreateNatGateway request.
type createNatInput struct {
	clientToken    string
	connectivity   string
	mode           string
	subnetID       string
	vpcID          string
	allocationID   string
	privateIP      string
	secondaryAlloc []string
	secondaryIPs   []string
	secondaryCount int
	zoneAddresses  []zoneAddressInput
	tags           []tagInput
}

type zoneAddressInput struct {
	zoneName, zoneID string
	allocationIDs    []string
}

func parseCreateNat(q view) (createNatInput, *APIError) {
	in := createNatInput{
		clientToken:    q.opt("ClientToken"),
		connectivity:   q.opt("ConnectivityType"),
		mode:           q.opt("AvailabilityMode"),
		subnetID:       q.opt("SubnetId"),
		vpcID:          q.opt("VpcId"),
		allocationID:   q.opt("AllocationId"),
		privateIP:      q.opt("PrivateIpAddress"),
		secondaryAlloc: q.strings("SecondaryAllocationId"),
		secondaryIPs:   q.strings("SecondaryPrivateIpAddress"),
	}
	if len(in.clientToken) > 64 {
		return in, errInvalidValue("ClientToken", in.clientToken, "The client token must be at most 64 characters.")
	}
	for _, r := range in.clientToken {
		if r > 127 {
			return in, errInvalidValue("ClientToken", in.clientToken, "The client token must be ASCII.")
		}
	}
	switch in.connectivity {
	case "":
		in.connectivity = connectivityPublic
	case connectivityPublic, connectivityPrivate:
	default:
		return in, errInvalidValue("ConnectivityType", in.connectivity, "Valid values: public, private.")
	}
	switch in.mode {
	case "":
		in.mode = modeZonal
	case modeZonal, modeRegional:
	default:
		return in, errInvalidValue("AvailabilityMode", in.mode, "Valid values: zonal, regional.")
	}
	n, _, err := q.integer("SecondaryPrivateIpAddressCount", 1, 31)
	if err != nil {
		return in, err
	}
	in.secondaryCount = n
	for i := 1; i <= q.count("AvailabilityZoneAddress"); i++ {
		m := q.member("AvailabilityZoneAddress", i)
		in.zoneAddresses = append(in.zoneAddresses, zoneAddressInput{
			zoneName: m.opt("AvailabilityZone"), zoneID: m.opt("AvailabilityZoneId"), allocationIDs: m.strings("AllocationId"),
		})
	}
	if in.tags, err = q.tagSpecifications("natgateway"); err != nil {
		return in, err
	}
	return in, checkTags(in.tags)
}

// validateShape checks the parameter combinations of the request.
func (in createNatInput) validateShape() *APIError {
	if in.mode == modeRegional {
		return in.validateRegional()
	}
	return in.validateZonal()
}

// notFor rejects a parameter that the availability mode does not take.
func (in createNatInput) notFor(param string) *APIError {
	return errCombination("%s is not supported for a NAT gateway with availability mode %s", param, in.mode)
}

// validateRegional checks the parameters of a regional gateway.
func (in createNatInput) validateRegional() *APIError {
	switch {
	case in.subnetID != "":
		return in.notFor("SubnetId")
	case in.allocationID != "":
		return in.notFor("AllocationId")
	case len(in.secondaryAlloc) > 0:
		return in.notFor("SecondaryAllocationIds")
	case in.privateIP != "":
		return in.notFor("PrivateIpAddress")
	case len(in.secondaryIPs) > 0:
		return in.notFor("SecondaryPrivateIpAddresses")
	case in.secondaryCount > 0:
		return in.notFor("SecondaryPrivateIpAddressCount")
	case in.vpcID == "":
		return errMissing("VpcId")
	case in.connectivity == connectivityPrivate && len(in.zoneAddresses) > 0:
		return errCombination("You cannot specify an Elastic IP address with a private NAT gateway")
	}
	for i, za := range in.zoneAddresses {
		p := "AvailabilityZoneAddress." + strconv.Itoa(i+1)
		switch {
		case za.zoneName != "" && za.zoneID != "":
			return errCombination("The parameters %s.AvailabilityZone and %s.AvailabilityZoneId cannot be used together", p, p)
		case za.zoneName == "" && za.zoneID == "":
			return errMissing(p + ".AvailabilityZone")
		case len(za.allocationIDs) == 0:
			return errMissing(p + ".AllocationId")
		}
	}
	return in.checkAllocationIDs()
}

// validateZonal checks the parameters of a zonal gateway.
func (in createNatInput) validateZonal() *APIError {
	switch {
	case in.vpcID != "":
		return in.notFor("VpcId")
	case len(in.zoneAddresses) > 0:
		return in.notFor("AvailabilityZoneAddresses")
	case in.subnetID == "":
		return errMissing("SubnetId")
	case !subnetIDPattern.MatchString(in.subnetID):
		return clientError(codeInvalidSubnet, "The subnet ID '%s' is malformed", in.subnetID)
	case len(in.secondaryIPs) > 0 && in.secondaryCount > 0:
		return errCombination("You cannot specify both SecondaryPrivateIpAddresses and SecondaryPrivateIpAddressCount")
	}
	if in.connectivity == connectivityPrivate {
		if in.allocationID != "" || len(in.secondaryAlloc) > 0 {
			return errCombination("You cannot specify an Elastic IP address with a private NAT gateway")
		}
		if 1+len(in.secondaryIPs)+in.secondaryCount > maxNatAddresses {
			return errInvalidValue("SecondaryPrivateIpAddresses", strconv.Itoa(len(in.secondaryIPs)+in.secondaryCount), "A NAT gateway can have at most 8 IPv4 addresses.")
		}
		return in.checkPrivateIPs()
	}
	switch {
	case in.allocationID == "":
		return errMissing("AllocationId")
	case in.secondaryCount > 0:
		return errCombination("SecondaryPrivateIpAddressCount is supported only for private NAT gateways")
	case len(in.secondaryIPs) > len(in.secondaryAlloc):
		return errCombination("Each secondary private IPv4 address of a public NAT gateway needs a secondary allocation ID")
	case 1+len(in.secondaryAlloc) > maxNatAddresses:
		return errInvalidValue("SecondaryAllocationIds", strconv.Itoa(len(in.secondaryAlloc)), "A NAT gateway can have at most 8 IPv4 addresses.")
	}
	if err := in.checkAllocationIDs(); err != nil {
		return err
	}
	return in.checkPrivateIPs()
}

// allocationIDs returns every allocation ID of the request.
func (in createNatInput) allocationIDs() []string {
	var out []string
	if in.allocationID != "" {
		out = append(out, in.allocationID)
	}
	out = append(out, in.secondaryAlloc...)
	for _, za := range in.zoneAddresses {
		out = append(out, za.allocationIDs...)
	}
	return out
}

func (in createNatInput) checkAllocationIDs() *APIError {
	seen := map[string]bool{}
	for _, id := range in.allocationIDs() {
		if !allocationIDPattern.MatchString(id) {
			return clientError(codeInvalidElasticIPIDMalformed, "The elastic-ip ID '%s' is malformed", id)
		}
		if seen[id] {
			return errInvalidValue("AllocationId", id, "An allocation ID may be given only once.")
		}
		seen[id] = true
	}
	return nil
}

func (in createNatInput) checkPrivateIPs() *APIError {
	seen := map[string]bool{}
	for _, ip := range append([]string{in.privateIP}, in.secondaryIPs...) {
		if ip == "" {
			continue
		}
		if a, err := netip.ParseAddr(ip); err != nil || !a.Is4() {
			return errInvalidValue("PrivateIpAddress", ip, "This is not a valid IPv4 address.")
		}
		if seen[ip] {
			return errInvalidValue("PrivateIpAddress", ip, "A private IPv4 address may be given only once.")
		}
		seen[ip] = true
	}
	return nil
}

func createNatGateway(c *call) (any, *APIError) {
	in, err := parseCreateNat(c.q)
	if err != nil {
		return nil, err
	}
	if err := in.validateShape(); err != nil {
		return nil, err
	}
	hash := c.p.canonical("Action", "Version", "ClientToken", "DryRun")
	if in.clientToken != "" {
		if n, ok := c.r.tokens[in.clientToken]; ok {
			if n.paramsHash != hash {
				return nil, clientError(codeIdempotentParameterMismatch, "The request uses the same client token as a previous, but non-identical request. Do not reuse a client token with different requests, unless the requests are identical.")
			}
			if err := c.ready(); err != nil {
				return nil, err
			}
			return createNatOutput(in.clientToken, n.createXML(c.stamp)), nil
		}
	}
	plan, err := c.planNat(in)
	if err != nil {
		return nil, err
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	n := c.r.buildNat(in, plan, c.now, c.d)
	n.paramsHash = hash
	if in.clientToken != "" {
		c.r.tokens[in.clientToken] = n
	}
	return createNatOutput(in.clientToken, n.createXML(c.stamp)), nil
}

func createNatOutput(token string, n natGatewayXML) any {
	return &struct {
		requestIDField

		ClientToken string        `xml:"clientToken,omitempty"`
		NatGateway  natGatewayXML `xml:"natGateway"`
	}{ClientToken: token, NatGateway: n}
}

// A natPlan holds what CreateNatGateway found while checking that the
// resources the request names exist.
type natPlan struct {
	subnet  *subnet
	vpcID   string
	zones   []zone // one per AvailabilityZoneAddress
	failure *natFailure
}

func (c *call) planNat(in createNatInput) (natPlan, *APIError) {
	plan := c.planRegional
	if in.mode == modeZonal {
		plan = c.planZonal
	}
	p, err := plan(in)
	if err != nil {
		return p, err
	}
	for _, id := range in.allocationIDs() {
		a, ok := c.r.addresses[id]
		if !ok {
			return p, clientError(codeInvalidElasticIPIDNotFound, "The elasticIp ID '%s' does not exist", id)
		}
		// An address in use elsewhere is not refused here: the gateway is
		// created and fails later, as on AWS.
		if a.associated() && p.failure == nil {
			p.failure = &natFailure{code: codeResourceAlreadyAssociated, allocationID: id,
				message: "Elastic IP address " + id + " is already associated"}
		}
	}
	if p.subnet != nil && p.failure == nil {
		need := 1 + len(in.secondaryAlloc) + in.secondaryCount
		if in.connectivity == connectivityPrivate {
			need = 1 + len(in.secondaryIPs) + in.secondaryCount
		}
		if p.subnet.available() < need {
			p.failure = &natFailure{code: "InsufficientFreeAddressesInSubnet", message: "Subnet has insufficient free addresses to create this NAT gateway"}
		}
	}
	return p, nil
}

// planZonal finds the subnet of a zonal gateway and checks the private
// addresses it asks for.
func (c *call) planZonal(in createNatInput) (natPlan, *APIError) {
	s, ok := c.r.subnets[in.subnetID]
	if !ok {
		return natPlan{}, clientError(codeInvalidSubnetIDNotFound, "The subnet ID '%s' does not exist", in.subnetID)
	}
	for _, ip := range append([]string{in.privateIP}, in.secondaryIPs...) {
		if ip == "" {
			continue
		}
		a := netip.MustParseAddr(ip)
		if !s.cidr.Contains(a) || s.reserved(a) {
			return natPlan{}, errInvalidValue("PrivateIpAddress", ip, "The address does not fall within the subnet's address range.")
		}
		if s.used[a] {
			return natPlan{}, clientError(codeInvalidIPAddressInUse, "The specified address %s is already in use.", ip)
		}
	}
	if err := c.checkNatLimit(s.zone); err != nil {
		return natPlan{}, err
	}
	return natPlan{subnet: s, vpcID: s.vpcID}, nil
}

// planRegional finds the VPC of a regional gateway and the zones of its
// AvailabilityZoneAddresses.
func (c *call) planRegional(in createNatInput) (natPlan, *APIError) {
	v, err := c.r.lookupVpc(in.vpcID)
	if err != nil {
		return natPlan{}, err
	}
	p := natPlan{vpcID: v.id}
	for i, za := range in.zoneAddresses {
		z, ok := c.r.zoneByName(za.zoneName)
		if za.zoneID != "" {
			z, ok = c.r.zoneByID(za.zoneID)
		}
		if !ok {
			return natPlan{}, errInvalidValue("AvailabilityZoneAddress."+strconv.Itoa(i+1), za.zoneName+za.zoneID, "Unknown availability zone.")
		}
		p.zones = append(p.zones, z)
	}
	return p, nil
}

// checkNatLimit enforces NatGatewayLimit per availability zone.
func (c *call) checkNatLimit(z zone) *APIError {
	limit := c.s.opts.NatGatewayLimit
	if limit <= 0 {
		return nil
	}
	n := 0
	for _, g := range c.r.natGateways {
		if g.live() && g.mode == modeZonal && g.zone == z {
			n++
		}
	}
	if n >= limit {
		return clientError(codeNatGatewayLimitExceeded, "Performing this operation would exceed the limit of %d NAT gateways", limit)
	}
	return nil
}

// buildNat creates the gateway: it claims its private addresses, and its
// Elastic IPs unless it is planned to fail.
func (r *regionState) buildNat(in createNatInput, p natPlan, now time.Time, d Durations) *natGateway {
	n := &natGateway{
		id: r.newID("nat"), clientToken: in.clientToken, connectivity: in.connectivity, mode: in.mode,
		subnetID: in.subnetID, vpcID: p.vpcID, tags: newTags(in.tags), state: statePending,
		createTime: now, visibleAt: now.Add(d.Consistency), availableAt: now.Add(d.Pending),
		plannedFailure: p.failure,
	}
	if p.subnet != nil {
		n.zone = p.subnet.zone
	}
	status := addrAssociating
	if in.connectivity == connectivityPrivate {
		status = addrAssigning
	}
	add := func(allocationID, privateIP string, primary bool, z zone, eni string) {
		a := &natAddress{allocationID: allocationID, eniID: eni, zone: z, primary: primary, status: status, readyAt: n.availableAt}
		if p.failure == nil && p.subnet != nil {
			// Enough free addresses were checked by planNat.
			a.privateIP = p.subnet.claim(privateIP)
		}
		n.addresses = append(n.addresses, a)
	}
	if in.mode == modeZonal {
		eni := r.newID("eni")
		in.zonalAddresses(func(allocationID, privateIP string, primary bool) {
			add(allocationID, privateIP, primary, n.zone, eni)
		})
	} else {
		n.autoZones = len(in.zoneAddresses) == 0
		for i, za := range in.zoneAddresses {
			eni := r.newID("eni")
			for _, id := range za.allocationIDs {
				add(id, "", len(n.addresses) == 0, p.zones[i], eni)
			}
		}
	}
	if p.failure == nil {
		r.associateNatAddresses(n)
	}
	r.natGateways[n.id] = n
	r.schedule(n.availableAt)
	return n
}

// zonalAddresses calls add for every address a zonal gateway asks for, the
// primary first.
func (in createNatInput) zonalAddresses(add func(allocationID, privateIP string, primary bool)) {
	if in.connectivity == connectivityPublic {
		add(in.allocationID, in.privateIP, true)
		for i, id := range in.secondaryAlloc {
			ip := ""
			if i < len(in.secondaryIPs) {
				ip = in.secondaryIPs[i]
			}
			add(id, ip, false)
		}
		return
	}
	add("", in.privateIP, true)
	for _, ip := range in.secondaryIPs {
		add("", ip, false)
	}
	for range in.secondaryCount {
		add("", "", false)
	}
}

// associateNatAddresses associates the Elastic IPs of a new gateway with it.
func (r *regionState) associateNatAddresses(n *natGateway) {
	for _, a := range n.addresses {
		if a.allocationID == "" {
			continue
		}
		eip := r.addresses[a.allocationID]
		a.publicIP = eip.publicIP
		a.associationID = r.newID("eipassoc")
		eip.associate(n.id, a.associationID, a.eniID, a.privateIP)
	}
}
