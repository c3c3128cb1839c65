// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"net/netip"
	"regexp"
	"slices"
)

// An address is an Elastic IP address. While a NAT gateway uses it, it shows
// the gateway's association, network interface and private address.
type address struct {
	allocationID string
	publicIP     string
	borderGroup  string
	tags         tagMap

	natID         string
	associationID string
	eniID         string
	privateIP     string
}

func (a *address) associated() bool { return a.natID != "" }

func (a *address) associate(natID, associationID, eniID, privateIP string) {
	a.natID, a.associationID, a.eniID, a.privateIP = natID, associationID, eniID, privateIP
}

func (a *address) disassociate() {
	a.natID, a.associationID, a.eniID, a.privateIP = "", "", "", ""
}

var allocationIDPattern = regexp.MustCompile(`^eipalloc-[0-9a-f]{8}([0-9a-f]{9})?$`)

// domainVpc is the only domain of an Elastic IP address the simulator knows.
const domainVpc = "vpc"

type addressXML struct {
	AllocationID            string      `xml:"allocationId"`
	AssociationID           string      `xml:"associationId,omitempty"`
	Domain                  string      `xml:"domain"`
	NetworkBorderGroup      string      `xml:"networkBorderGroup"`
	NetworkInterfaceID      string      `xml:"networkInterfaceId,omitempty"`
	NetworkInterfaceOwnerID string      `xml:"networkInterfaceOwnerId,omitempty"`
	PrivateIPAddress        string      `xml:"privateIpAddress,omitempty"`
	PublicIP                string      `xml:"publicIp"`
	PublicIpv4Pool          string      `xml:"publicIpv4Pool"`
	Tags                    set[tagXML] `xml:"tagSet"`
}

func (r *regionState) addressXML(a *address) addressXML {
	x := addressXML{AllocationID: a.allocationID, Domain: domainVpc, NetworkBorderGroup: a.borderGroup,
		PublicIP: a.publicIP, PublicIpv4Pool: "amazon", Tags: a.tags.xml()}
	if a.associated() {
		x.AssociationID, x.NetworkInterfaceID, x.PrivateIPAddress = a.associationID, a.eniID, a.privateIP
		x.NetworkInterfaceOwnerID = r.ownerID
	}
	return x
}

func allocateAddress(c *call) (any, *APIError) {
	if d := c.q.opt("Domain"); d != "" && d != domainVpc {
		return nil, errInvalidValue("Domain", d, "Only the vpc domain is supported.")
	}
	bg := c.q.opt("NetworkBorderGroup")
	if bg != "" && bg != c.r.key.region {
		return nil, errInvalidValue("NetworkBorderGroup", bg, "The network border group must be "+c.r.key.region+".")
	}
	if pool := c.q.opt("PublicIpv4Pool"); pool != "" && pool != "amazon" {
		return nil, errInvalidValue("PublicIpv4Pool", pool, "Only the amazon pool is supported.")
	}
	want := c.q.opt("Address")
	if want != "" {
		if a, err := netip.ParseAddr(want); err != nil || !a.Is4() {
			return nil, errInvalidValue("Address", want, "This is not a valid IPv4 address.")
		}
		if _, ok := c.r.publicIPs[want]; ok {
			return nil, clientError(codeInvalidParameterValue, "The address %s is already allocated.", want)
		}
	}
	tags, err := c.q.tagSpecifications("elastic-ip")
	if err != nil {
		return nil, err
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	if limit := c.s.opts.AddressLimit; limit > 0 && len(c.r.addresses) >= limit {
		return nil, clientError(codeAddressLimitExceeded, "The maximum number of addresses has been reached.")
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	if want == "" {
		want = c.r.newPublicIP()
	}
	a := &address{allocationID: c.r.newID("eipalloc"), publicIP: want, borderGroup: c.r.key.region, tags: newTags(tags)}
	c.r.addresses[a.allocationID] = a
	c.r.publicIPs[a.publicIP] = a.allocationID
	out := struct {
		requestIDField

		PublicIP           string `xml:"publicIp"`
		AllocationID       string `xml:"allocationId"`
		Domain             string `xml:"domain"`
		NetworkBorderGroup string `xml:"networkBorderGroup"`
		PublicIpv4Pool     string `xml:"publicIpv4Pool"`
	}{PublicIP: a.publicIP, AllocationID: a.allocationID, Domain: domainVpc, NetworkBorderGroup: a.borderGroup, PublicIpv4Pool: "amazon"}
	return &out, nil
}

func (r *regionState) lookupAddress(id string) (*address, *APIError) {
	if !allocationIDPattern.MatchString(id) {
		return nil, clientError(codeInvalidAllocationIDMalformed, "Invalid id: \"%s\" (expecting \"eipalloc-...\")", id)
	}
	a, ok := r.addresses[id]
	if !ok {
		return nil, clientError(codeInvalidAllocationIDNotFound, "The allocation ID '%s' does not exist", id)
	}
	return a, nil
}

func releaseAddress(c *call) (any, *APIError) {
	id, hasID := c.q.str("AllocationId")
	ip, hasIP := c.q.str("PublicIp")
	bg := c.q.opt("NetworkBorderGroup")
	switch {
	case !hasID && hasIP:
		return nil, clientError(codeInvalidParameterValue, "You must specify an allocation id when releasing a VPC elastic IP address")
	case !hasID || id == "":
		return nil, errMissing("AllocationId")
	case hasIP && ip != "":
		return nil, errCombination("The parameters AllocationId and PublicIp cannot be used together")
	}
	a, err := c.r.lookupAddress(id)
	if err != nil {
		return nil, err
	}
	if bg != "" && bg != a.borderGroup {
		return nil, clientError(codeInvalidAddressNotFound, "The address with allocation id [%s] cannot be found in network border group %s.", id, bg)
	}
	if a.associated() {
		// AWS answers AuthFailure, not InvalidIPAddress.InUse, for an
		// address a NAT gateway holds.
		return nil, clientError(codeAuthFailure, "You do not have permission to access the specified resource.")
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	delete(c.r.addresses, a.allocationID)
	delete(c.r.publicIPs, a.publicIP)
	return &returnBody{Return: true}, nil
}

func describeAddresses(c *call) (any, *APIError) {
	ids := c.q.strings("AllocationId")
	ips := c.q.strings("PublicIp")
	fs, err := c.q.filters()
	if err != nil {
		return nil, err
	}
	if err := checkFilters(fs, "allocation-id", "association-id", "domain", "instance-id", "network-border-group",
		"network-interface-id", "network-interface-owner-id", "private-ip-address", "public-ip"); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, err := c.r.lookupAddress(id); err != nil {
			return nil, err
		}
	}
	for _, ip := range ips {
		if _, ok := c.r.publicIPs[ip]; !ok {
			return nil, clientError(codeInvalidAddressNotFound, "Address '%s' not found.", ip)
		}
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	out := struct {
		requestIDField

		Addresses set[addressXML] `xml:"addressesSet"`
	}{}
	for _, id := range sortedKeys(c.r.addresses) {
		a := c.r.addresses[id]
		if (len(ids) > 0 || len(ips) > 0) && !slices.Contains(ids, a.allocationID) && !slices.Contains(ips, a.publicIP) {
			continue
		}
		if !matchFilters(fs, a.tags, func(name string) []string { return c.r.addressValues(a, name) }) {
			continue
		}
		out.Addresses.Items = append(out.Addresses.Items, c.r.addressXML(a))
	}
	return &out, nil
}

// addressValues returns the values of an address for a filter name.
func (r *regionState) addressValues(a *address, name string) []string {
	switch name {
	case "allocation-id":
		return []string{a.allocationID}
	case "association-id":
		return nonEmpty(a.associationID)
	case "domain":
		return []string{domainVpc}
	case "network-border-group":
		return []string{a.borderGroup}
	case "network-interface-id":
		return nonEmpty(a.eniID)
	case "network-interface-owner-id":
		if a.associated() {
			return []string{r.ownerID}
		}
	case "private-ip-address":
		return nonEmpty(a.privateIP)
	case "public-ip":
		return []string{a.publicIP}
	}
	return nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
