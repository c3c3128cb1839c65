// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"regexp"
	"time"
)

// NAT gateway states. Every VPC, subnet and zone is stateAvailable.
const (
	statePending   = "pending"
	stateAvailable = "available"
	stateFailed    = "failed"
	stateDeleting  = "deleting"
	stateDeleted   = "deleted"
)

// NAT gateway address statuses.
const (
	addrAssociating    = "associating"
	addrDisassociating = "disassociating"
	addrAssigning      = "assigning"
	addrUnassigning    = "unassigning"
	addrSucceeded      = "succeeded"
	addrFailed         = "failed"
)

const (
	connectivityPublic  = "public"
	connectivityPrivate = "private"
	modeZonal           = "zonal"
	modeRegional        = "regional"
)

// A natGateway is a NAT gateway and its schedule on the simulated clock.
type natGateway struct {
	id           string
	clientToken  string
	paramsHash   string
	connectivity string
	mode         string
	subnetID     string
	vpcID        string
	zone         zone
	autoZones    bool
	tags         tagMap
	addresses    []*natAddress

	state          string
	failureCode    string
	failureMessage string
	createTime     time.Time
	deleteTime     time.Time

	// plannedFailure is set at creation when the gateway will fail at the
	// end of pending, with the address that caused it.
	plannedFailure *natFailure

	visibleAt   time.Time // end of the eventual-consistency window
	availableAt time.Time // end of pending
	deletedAt   time.Time // end of deleting
	purgeAt     time.Time // end of retention
}

type natFailure struct {
	code, message, allocationID string
}

// A natAddress is one IPv4 address of a NAT gateway.
type natAddress struct {
	allocationID   string
	associationID  string
	publicIP       string
	privateIP      string
	eniID          string
	zone           zone
	primary        bool
	status         string
	failureMessage string
	readyAt        time.Time // end of associating or assigning
	drainUntil     time.Time // end of disassociating or unassigning
}

// live reports whether the gateway holds its resources: addresses stay
// associated and routes active while it is pending, available or deleting.
func (n *natGateway) live() bool {
	return n.state == statePending || n.state == stateAvailable || n.state == stateDeleting
}

// visible reports whether Describe and route targets see the gateway yet.
func (n *natGateway) visible(now time.Time) bool {
	return !now.Before(n.visibleAt)
}

var natIDPattern = regexp.MustCompile(`^nat-[0-9a-f]{8}([0-9a-f]{9})?$`)

func errNatMalformed() *APIError {
	return clientError(codeNatGatewayMalformed, "The specified NAT gateway ID is not formed correctly. Ensure that you specify the NAT gateway ID in the form nat-xxxxxxxxxxxxxxxxx.")
}

func errNatNotFound(id string) *APIError {
	return clientError(codeNatGatewayNotFound, "NAT gateway %s was not found", id)
}

// lookupNat returns a listed, visible gateway or NatGatewayNotFound.
func (c *call) lookupNat(id string) (*natGateway, *APIError) {
	if !natIDPattern.MatchString(id) {
		return nil, errNatMalformed()
	}
	n, ok := c.r.natGateways[id]
	if !ok || !n.visible(c.now) {
		return nil, errNatNotFound(id)
	}
	return n, nil
}

type natGatewayXML struct {
	CreateTime         string             `xml:"createTime"`
	DeleteTime         string             `xml:"deleteTime,omitempty"`
	FailureCode        string             `xml:"failureCode,omitempty"`
	FailureMessage     string             `xml:"failureMessage,omitempty"`
	Addresses          set[natAddressXML] `xml:"natGatewayAddressSet"`
	NatGatewayID       string             `xml:"natGatewayId"`
	State              string             `xml:"state"`
	SubnetID           string             `xml:"subnetId,omitempty"`
	VpcID              string             `xml:"vpcId"`
	ConnectivityType   string             `xml:"connectivityType"`
	AvailabilityMode   string             `xml:"availabilityMode"`
	AutoProvisionZones string             `xml:"autoProvisionZones,omitempty"`
	AutoScalingIps     string             `xml:"autoScalingIps,omitempty"`
	Tags               set[tagXML]        `xml:"tagSet"`
}

type natAddressXML struct {
	AllocationID       string `xml:"allocationId,omitempty"`
	AssociationID      string `xml:"associationId,omitempty"`
	AvailabilityZone   string `xml:"availabilityZone,omitempty"`
	AvailabilityZoneID string `xml:"availabilityZoneId,omitempty"`
	FailureMessage     string `xml:"failureMessage,omitempty"`
	IsPrimary          *bool  `xml:"isPrimary,omitempty"`
	NetworkInterfaceID string `xml:"networkInterfaceId,omitempty"`
	PrivateIP          string `xml:"privateIp,omitempty"`
	PublicIP           string `xml:"publicIp,omitempty"`
	Status             string `xml:"status,omitempty"`
}

// xml renders a gateway as DescribeNatGateways shows it, with its times
// written by stamp.
func (n *natGateway) xml(stamp func(time.Time) string) natGatewayXML {
	x := natGatewayXML{
		CreateTime: stamp(n.createTime), NatGatewayID: n.id, State: n.state, SubnetID: n.subnetID,
		VpcID: n.vpcID, ConnectivityType: n.connectivity, AvailabilityMode: n.mode,
		FailureCode: n.failureCode, FailureMessage: n.failureMessage, Tags: n.tags.xml(),
	}
	if !n.deleteTime.IsZero() {
		x.DeleteTime = stamp(n.deleteTime)
	}
	if n.mode == modeRegional {
		x.AutoProvisionZones, x.AutoScalingIps = "disabled", "disabled"
		if n.autoZones {
			x.AutoProvisionZones, x.AutoScalingIps = "enabled", "enabled"
		}
	}
	x.Addresses.Items = make([]natAddressXML, 0, len(n.addresses))
	for _, a := range n.addresses {
		x.Addresses.Items = append(x.Addresses.Items, n.addressXML(a))
	}
	return x
}

func (n *natGateway) addressXML(a *natAddress) natAddressXML {
	primary := a.primary
	x := natAddressXML{AllocationID: a.allocationID, IsPrimary: &primary, Status: a.status, FailureMessage: a.failureMessage}
	if n.mode == modeRegional {
		x.AvailabilityZone, x.AvailabilityZoneID = a.zone.name, a.zone.id
	}
	if n.state == stateFailed {
		return x
	}
	x.NetworkInterfaceID, x.PrivateIP, x.PublicIP = a.eniID, a.privateIP, a.publicIP
	if n.live() {
		x.AssociationID = a.associationID
	}
	return x
}

// createXML renders a gateway as CreateNatGateway answers it: pending, with
// only the allocation IDs of its addresses (or the private addresses of a
// private gateway).
func (n *natGateway) createXML(stamp func(time.Time) string) natGatewayXML {
	x := n.xml(stamp)
	x.Addresses.Items = x.Addresses.Items[:0]
	for _, a := range n.addresses {
		if a.allocationID != "" {
			x.Addresses.Items = append(x.Addresses.Items, natAddressXML{AllocationID: a.allocationID})
			continue
		}
		primary := a.primary
		x.Addresses.Items = append(x.Addresses.Items, natAddressXML{PrivateIP: a.privateIP, IsPrimary: &primary, Status: a.status})
	}
	return x
}

func describeNatGateways(c *call) (any, *APIError) {
	ids, next, err := describe(c, listing[*natGateway]{
		idParam:    "NatGatewayId",
		maxResults: 1000,
		objects:    c.r.natGateways,
		lookup:     c.lookupNat,
		matches: func(n *natGateway, fs []filter) bool {
			return n.visible(c.now) && matchFilters(fs, n.tags, func(name string) []string { return natValues(n, name) })
		},
	}, "nat-gateway-id", "state", "subnet-id", "vpc-id")
	if err != nil {
		return nil, err
	}
	out := struct {
		requestIDField

		NatGateways set[natGatewayXML] `xml:"natGatewaySet"`
		NextToken   string             `xml:"nextToken,omitempty"`
	}{NextToken: next}
	out.NatGateways.Items = make([]natGatewayXML, 0, len(ids))
	for _, id := range ids {
		out.NatGateways.Items = append(out.NatGateways.Items, c.r.natGateways[id].xml(c.stamp))
	}
	return &out, nil
}

// natValues returns the values of a NAT gateway for a filter name.
func natValues(n *natGateway, name string) []string {
	switch name {
	case "nat-gateway-id":
		return []string{n.id}
	case "state":
		return []string{n.state}
	case "subnet-id":
		return nonEmpty(n.subnetID)
	case "vpc-id":
		return []string{n.vpcID}
	}
	return nil
}

func deleteNatGateway(c *call) (any, *APIError) {
	id, err := c.q.required("NatGatewayId")
	if err != nil {
		return nil, err
	}
	n, err := c.lookupNat(id)
	if err != nil {
		return nil, err
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	// Deleting a gateway that is already deleting, deleted or failed
	// succeeds and changes nothing.
	c.r.beginDelete(n, c.now, c.d)
	out := struct {
		requestIDField

		NatGatewayID string `xml:"natGatewayId"`
	}{NatGatewayID: n.id}
	return &out, nil
}
