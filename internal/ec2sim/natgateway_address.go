// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"net/netip"
	"slices"
	"strings"
	"time"
)

// natAddressOutput is the output of the four address actions.
func natAddressOutput(n *natGateway, changed []*natAddress) any {
	out := &struct {
		requestIDField

		NatGatewayID string             `xml:"natGatewayId"`
		Addresses    set[natAddressXML] `xml:"natGatewayAddressSet"`
	}{NatGatewayID: n.id}
	for _, a := range changed {
		out.Addresses.Items = append(out.Addresses.Items, n.addressXML(a))
	}
	return out
}

// lookupNatForAddresses returns an available gateway of the given
// connectivity whose addresses are not changing.
func (c *call) lookupNatForAddresses(id, connectivity, verb string) (*natGateway, *APIError) {
	n, err := c.lookupNat(id)
	if err != nil {
		return nil, err
	}
	if n.connectivity != connectivity {
		return nil, clientError(codeInvalidParameterValue, "You can %s only with a %s NAT gateway.", verb, connectivity)
	}
	if n.state != stateAvailable {
		return nil, clientError(codeIncorrectState, "The NAT gateway %s is in state %s; it must be available.", n.id, n.state)
	}
	var busy []string
	status := ""
	for _, a := range n.addresses {
		if a.status != addrSucceeded {
			busy = append(busy, a.allocationID+a.privateIP)
			status = a.status
		}
	}
	if len(busy) > 0 {
		// AWS: "Service is currently ASSOCIATING the following EIPs: [eipalloc-...]."
		return nil, clientError(codeOperationInProgress, "Service is currently %s the following addresses: [%s].",
			strings.ToUpper(status), strings.Join(busy, ", "))
	}
	return n, nil
}

// drainUntil reads MaxDrainDurationSeconds (1-4000, default 350).
func drainUntil(q view, now time.Time) (time.Time, *APIError) {
	s, ok, err := q.integer("MaxDrainDurationSeconds", 1, 4000)
	if err != nil {
		return time.Time{}, err
	}
	if !ok {
		return now.Add(DefaultMaxDrain), nil
	}
	return now.Add(time.Duration(s) * time.Second), nil
}

func associateNatGatewayAddress(c *call) (any, *APIError) {
	id, err := c.q.required("NatGatewayId")
	if err != nil {
		return nil, err
	}
	allocs := c.q.strings("AllocationId")
	if len(allocs) == 0 {
		return nil, errMissing("AllocationId")
	}
	ips := c.q.strings("PrivateIpAddress")
	zoneName, zoneID := c.q.opt("AvailabilityZone"), c.q.opt("AvailabilityZoneId")
	if len(ips) > len(allocs) {
		return nil, errCombination("Each private IPv4 address needs an allocation ID")
	}
	n, err := c.lookupNatForAddresses(id, connectivityPublic, "associate Elastic IP addresses")
	if err != nil {
		return nil, err
	}
	z, err := c.natAddressZone(n, zoneName, zoneID)
	if err != nil {
		return nil, err
	}
	if len(n.addresses)+len(allocs) > maxNatAddresses {
		return nil, clientError(codeInvalidParameterValue, "A NAT gateway can have at most %d IPv4 addresses.", maxNatAddresses)
	}
	s := c.r.subnets[n.subnetID]
	if err := c.checkNewAddresses(s, allocs, ips); err != nil {
		return nil, err
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	eni := n.eniIn(z)
	if eni == "" {
		eni = c.r.newID("eni")
	}
	var changed []*natAddress
	for i, allocID := range allocs {
		eip := c.r.addresses[allocID]
		a := &natAddress{allocationID: allocID, publicIP: eip.publicIP, eniID: eni, zone: z, status: addrAssociating,
			associationID: c.r.newID("eipassoc"), readyAt: c.now.Add(c.d.Pending)}
		if s != nil {
			want := ""
			if i < len(ips) {
				want = ips[i]
			}
			a.privateIP = s.claim(want)
		}
		eip.associate(n.id, a.associationID, eni, a.privateIP)
		n.addresses = append(n.addresses, a)
		changed = append(changed, a)
	}
	c.r.schedule(n.nextEvent())
	return natAddressOutput(n, changed), nil
}

// natAddressZone returns the zone of the addresses to associate: the zone of
// a zonal gateway, or the AvailabilityZone or AvailabilityZoneId that a
// regional gateway needs.
func (c *call) natAddressZone(n *natGateway, zoneName, zoneID string) (zone, *APIError) {
	if n.mode != modeRegional {
		if zoneName != "" || zoneID != "" {
			return zone{}, errCombination("AvailabilityZone is supported only for a NAT gateway with availability mode regional")
		}
		return n.zone, nil
	}
	var z zone
	var ok bool
	switch {
	case zoneName != "":
		z, ok = c.r.zoneByName(zoneName)
	case zoneID != "":
		z, ok = c.r.zoneByID(zoneID)
	default:
		return zone{}, errMissing("AvailabilityZone")
	}
	if !ok {
		return zone{}, errInvalidValue("AvailabilityZone", zoneName+zoneID, "Unknown availability zone.")
	}
	return z, nil
}

// checkNewAddresses checks the Elastic IPs to associate, and their private
// addresses in the subnet s of a zonal gateway (nil for a regional one).
func (c *call) checkNewAddresses(s *subnet, allocs, ips []string) *APIError {
	for i, allocID := range allocs {
		a, err := c.r.lookupAddress(allocID)
		if err != nil {
			return err
		}
		if a.associated() || slices.Contains(allocs[:i], allocID) {
			return clientError(codeResourceAlreadyAssociated, "Elastic IP address %s is already associated", allocID)
		}
		if i >= len(ips) || s == nil {
			continue
		}
		ip, perr := netip.ParseAddr(ips[i])
		if perr != nil || !s.cidr.Contains(ip) || s.reserved(ip) {
			return errInvalidValue("PrivateIpAddress", ips[i], "The address does not fall within the subnet's address range.")
		}
		if s.used[ip] {
			return clientError(codeInvalidIPAddressInUse, "The specified address %s is already in use.", ips[i])
		}
	}
	if s != nil && s.available() < len(allocs) {
		return clientError("InsufficientFreeAddressesInSubnet", "Subnet has insufficient free addresses to create this NAT gateway")
	}
	return nil
}

// eniIn returns the network interface of the gateway's addresses in zone z,
// or "" if it has none there.
func (n *natGateway) eniIn(z zone) string {
	for _, a := range n.addresses {
		if a.zone == z {
			return a.eniID
		}
	}
	return ""
}

func disassociateNatGatewayAddress(c *call) (any, *APIError) {
	id, err := c.q.required("NatGatewayId")
	if err != nil {
		return nil, err
	}
	assocs := c.q.strings("AssociationId")
	if len(assocs) == 0 {
		return nil, errMissing("AssociationId")
	}
	until, err := drainUntil(c.q, c.now)
	if err != nil {
		return nil, err
	}
	n, err := c.lookupNatForAddresses(id, connectivityPublic, "disassociate Elastic IP addresses")
	if err != nil {
		return nil, err
	}
	targets := make([]*natAddress, 0, len(assocs))
	for _, assoc := range assocs {
		var found *natAddress
		for _, a := range n.addresses {
			if a.associationID == assoc {
				found = a
			}
		}
		if found == nil {
			return nil, clientError(codeInvalidAssociationIDNotFound, "The association ID '%s' does not exist", assoc)
		}
		if found.primary {
			return nil, clientError(codeInvalidParameterValue, "You cannot disassociate the primary Elastic IP address %s of a NAT gateway.", found.allocationID)
		}
		targets = append(targets, found)
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	for _, a := range targets {
		a.status, a.drainUntil = addrDisassociating, until
	}
	c.r.schedule(n.nextEvent())
	return natAddressOutput(n, targets), nil
}

func assignPrivateNatGatewayAddress(c *call) (any, *APIError) {
	id, err := c.q.required("NatGatewayId")
	if err != nil {
		return nil, err
	}
	ips := c.q.strings("PrivateIpAddress")
	count, hasCount, err := c.q.integer("PrivateIpAddressCount", 1, 31)
	if err != nil {
		return nil, err
	}
	switch {
	case len(ips) > 0 && hasCount:
		return nil, errCombination("You cannot specify PrivateIpAddressCount when also specifying private IP addresses")
	case len(ips) == 0 && !hasCount:
		return nil, errMissing("PrivateIpAddress")
	}
	n, err := c.lookupNatForAddresses(id, connectivityPrivate, "assign private IPv4 addresses")
	if err != nil {
		return nil, err
	}
	want := len(ips) + count
	if len(n.addresses)+want > maxNatAddresses {
		return nil, clientError(codeInvalidParameterValue, "A NAT gateway can have at most %d IPv4 addresses.", maxNatAddresses)
	}
	s := c.r.subnets[n.subnetID]
	for i, ip := range ips {
		a, perr := netip.ParseAddr(ip)
		if perr != nil || !s.cidr.Contains(a) || s.reserved(a) || slices.Contains(ips[:i], ip) {
			return nil, errInvalidValue("PrivateIpAddress", ip, "The address does not fall within the subnet's address range.")
		}
		if s.used[a] {
			return nil, clientError(codeInvalidIPAddressInUse, "The specified address %s is already in use.", ip)
		}
	}
	if s.available() < want {
		return nil, clientError("InsufficientFreeAddressesInSubnet", "Subnet has insufficient free addresses.")
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	eni := n.addresses[0].eniID
	var changed []*natAddress
	for i := range want {
		ip := ""
		if i < len(ips) {
			ip = ips[i]
		}
		a := &natAddress{eniID: eni, zone: n.zone, status: addrAssigning, readyAt: c.now.Add(c.d.Pending)}
		a.privateIP = s.claim(ip)
		n.addresses = append(n.addresses, a)
		changed = append(changed, a)
	}
	c.r.schedule(n.nextEvent())
	return natAddressOutput(n, changed), nil
}

func unassignPrivateNatGatewayAddress(c *call) (any, *APIError) {
	id, err := c.q.required("NatGatewayId")
	if err != nil {
		return nil, err
	}
	ips := c.q.strings("PrivateIpAddress")
	if len(ips) == 0 {
		return nil, errMissing("PrivateIpAddress")
	}
	until, err := drainUntil(c.q, c.now)
	if err != nil {
		return nil, err
	}
	n, err := c.lookupNatForAddresses(id, connectivityPrivate, "unassign private IPv4 addresses")
	if err != nil {
		return nil, err
	}
	targets := make([]*natAddress, 0, len(ips))
	for _, ip := range ips {
		var found *natAddress
		for _, a := range n.addresses {
			if a.privateIP == ip {
				found = a
			}
		}
		if found == nil {
			return nil, errInvalidValue("PrivateIpAddress", ip, "The address is not assigned to the NAT gateway.")
		}
		if found.primary {
			return nil, clientError(codeInvalidParameterValue, "You cannot unassign the primary private IPv4 address %s of a NAT gateway.", ip)
		}
		targets = append(targets, found)
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	for _, a := range targets {
		a.status, a.drainUntil = addrUnassigning, until
	}
	c.r.schedule(n.nextEvent())
	return natAddressOutput(n, targets), nil
}
