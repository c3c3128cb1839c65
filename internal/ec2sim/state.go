// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"context"
	"sort"
	"time"
)

// State lists the simulated resources for tests.
type State struct {
	Regions []RegionState `json:"regions"`
}

// RegionState is what one account owns in one region.
type RegionState struct {
	Account      string            `json:"account"`
	Region       string            `json:"region"`
	OwnerID      string            `json:"ownerId"`
	Vpcs         []VpcState        `json:"vpcs"`
	Subnets      []SubnetState     `json:"subnets"`
	Addresses    []AddressState    `json:"addresses"`
	NatGateways  []NatGatewayState `json:"natGateways"`
	RouteTables  []RouteTableState `json:"routeTables"`
	ClientTokens int               `json:"clientTokens"`
}

// VpcState is a VPC.
type VpcState struct {
	ID        string            `json:"id"`
	CidrBlock string            `json:"cidrBlock"`
	Tags      map[string]string `json:"tags,omitempty"`
}

// SubnetState is a subnet.
type SubnetState struct {
	ID               string            `json:"id"`
	VpcID            string            `json:"vpcId"`
	CidrBlock        string            `json:"cidrBlock"`
	AvailabilityZone string            `json:"availabilityZone"`
	UsedAddresses    int               `json:"usedAddresses"`
	Tags             map[string]string `json:"tags,omitempty"`
}

// AddressState is an Elastic IP address.
type AddressState struct {
	AllocationID       string            `json:"allocationId"`
	PublicIP           string            `json:"publicIp"`
	AssociationID      string            `json:"associationId,omitempty"`
	NatGatewayID       string            `json:"natGatewayId,omitempty"`
	NetworkInterfaceID string            `json:"networkInterfaceId,omitempty"`
	PrivateIP          string            `json:"privateIp,omitempty"`
	Tags               map[string]string `json:"tags,omitempty"`
}

// NatGatewayState is a NAT gateway.
type NatGatewayState struct {
	ID               string            `json:"id"`
	State            string            `json:"state"`
	ConnectivityType string            `json:"connectivityType"`
	AvailabilityMode string            `json:"availabilityMode"`
	SubnetID         string            `json:"subnetId,omitempty"`
	VpcID            string            `json:"vpcId"`
	ClientToken      string            `json:"clientToken,omitempty"`
	FailureCode      string            `json:"failureCode,omitempty"`
	FailureMessage   string            `json:"failureMessage,omitempty"`
	CreateTime       time.Time         `json:"createTime"`
	DeleteTime       *time.Time        `json:"deleteTime,omitempty"`
	Visible          bool              `json:"visible"`
	Addresses        []NatAddressState `json:"addresses"`
	Tags             map[string]string `json:"tags,omitempty"`
}

// NatAddressState is one address of a NAT gateway.
type NatAddressState struct {
	AllocationID       string `json:"allocationId,omitempty"`
	AssociationID      string `json:"associationId,omitempty"`
	PublicIP           string `json:"publicIp,omitempty"`
	PrivateIP          string `json:"privateIp,omitempty"`
	NetworkInterfaceID string `json:"networkInterfaceId,omitempty"`
	AvailabilityZone   string `json:"availabilityZone,omitempty"`
	Primary            bool   `json:"primary"`
	Status             string `json:"status"`
}

// RouteTableState is a route table.
type RouteTableState struct {
	ID     string            `json:"id"`
	VpcID  string            `json:"vpcId"`
	Main   bool              `json:"main"`
	Routes []RouteState      `json:"routes"`
	Tags   map[string]string `json:"tags,omitempty"`
}

// RouteState is a route.
type RouteState struct {
	DestinationCidrBlock string `json:"destinationCidrBlock"`
	GatewayID            string `json:"gatewayId,omitempty"`
	NatGatewayID         string `json:"natGatewayId,omitempty"`
	State                string `json:"state"`
}

// State implements Admin.
func (s *Server) State(_ context.Context, account, region string) (State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	out := State{Regions: []RegionState{}}
	for k, r := range s.regions {
		if (account != "" && k.account != account) || (region != "" && k.region != region) {
			continue
		}
		r.advance(now, s.durations)
		out.Regions = append(out.Regions, r.state(now))
	}
	sort.Slice(out.Regions, func(i, j int) bool {
		a, b := out.Regions[i], out.Regions[j]
		return a.Account < b.Account || (a.Account == b.Account && a.Region < b.Region)
	})
	return out, nil
}

func optionalTags(t tagMap) map[string]string {
	if len(t) == 0 {
		return nil
	}
	return t.copy()
}

func (r *regionState) state(now time.Time) RegionState {
	out := RegionState{Account: r.key.account, Region: r.key.region, OwnerID: r.ownerID, ClientTokens: len(r.tokens),
		Vpcs: []VpcState{}, Subnets: []SubnetState{}, Addresses: []AddressState{}, NatGateways: []NatGatewayState{}, RouteTables: []RouteTableState{}}
	for _, id := range sortedKeys(r.vpcs) {
		v := r.vpcs[id]
		out.Vpcs = append(out.Vpcs, VpcState{ID: v.id, CidrBlock: v.cidr.String(), Tags: optionalTags(v.tags)})
	}
	for _, id := range sortedKeys(r.subnets) {
		sn := r.subnets[id]
		out.Subnets = append(out.Subnets, SubnetState{ID: sn.id, VpcID: sn.vpcID, CidrBlock: sn.cidr.String(),
			AvailabilityZone: sn.zone.name, UsedAddresses: len(sn.used), Tags: optionalTags(sn.tags)})
	}
	for _, id := range sortedKeys(r.addresses) {
		a := r.addresses[id]
		out.Addresses = append(out.Addresses, AddressState{AllocationID: a.allocationID, PublicIP: a.publicIP,
			AssociationID: a.associationID, NatGatewayID: a.natID, NetworkInterfaceID: a.eniID, PrivateIP: a.privateIP, Tags: optionalTags(a.tags)})
	}
	for _, id := range sortedKeys(r.natGateways) {
		n := r.natGateways[id]
		ns := NatGatewayState{ID: n.id, State: n.state, ConnectivityType: n.connectivity, AvailabilityMode: n.mode,
			SubnetID: n.subnetID, VpcID: n.vpcID, ClientToken: n.clientToken, FailureCode: n.failureCode,
			FailureMessage: n.failureMessage, CreateTime: n.createTime, Visible: n.visible(now),
			Addresses: []NatAddressState{}, Tags: optionalTags(n.tags)}
		if !n.deleteTime.IsZero() {
			t := n.deleteTime
			ns.DeleteTime = &t
		}
		for _, a := range n.addresses {
			ns.Addresses = append(ns.Addresses, NatAddressState{AllocationID: a.allocationID, AssociationID: a.associationID,
				PublicIP: a.publicIP, PrivateIP: a.privateIP, NetworkInterfaceID: a.eniID, AvailabilityZone: a.zone.name,
				Primary: a.primary, Status: a.status})
		}
		out.NatGateways = append(out.NatGateways, ns)
	}
	for _, id := range sortedKeys(r.routeTables) {
		t := r.routeTables[id]
		ts := RouteTableState{ID: t.id, VpcID: t.vpcID, Main: t.main, Routes: []RouteState{}, Tags: optionalTags(t.tags)}
		for _, rt := range t.routes {
			rs := RouteState{DestinationCidrBlock: rt.destination.String(), NatGatewayID: rt.natID, State: r.routeState(rt)}
			if rt.local {
				rs.GatewayID = "local"
			}
			ts.Routes = append(ts.Routes, rs)
		}
		out.RouteTables = append(out.RouteTables, ts)
	}
	return out
}
