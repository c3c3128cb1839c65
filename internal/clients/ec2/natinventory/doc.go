// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package natinventory keeps a recent list of the NAT gateways the provider
// made, so that thousands of gateways are observed with a few EC2 calls and a
// gateway deleted outside Crossplane is noticed within seconds.
//
// An Inventory keeps one snapshot per AWS account and region (a Key), which
// every provider configuration reaching that account shares: every interval
// it lists the gateways carrying the provider's ownership tag, 1000 to a
// DescribeNatGateways call, through the EC2 client of the latest managed
// resource that asked, with the same budget and metrics as every other call.
// It lists a key only while some managed resource asks for it, and stops
// after it has gone unasked for a while.
//
// Get serves a gateway from a fresh snapshot; a gateway the snapshot lacks,
// or one the provider changed since the snapshot was taken (Touch), is not
// served, and the caller describes it by ID. When a snapshot shows a gateway
// that became deleting, deleted or failed, or one that vanished, the
// Inventory sends a Change naming the managed resource it was made for, read
// from its ownership tags, on Events.
//
// The package lives in the client layer, although only the NATGateway
// controller uses it and it runs as a leader-elected runnable of the
// controller manager, because what it knows is EC2's: how to page through
// DescribeNatGateways, which tags name a gateway's owner, which states mean
// a gateway is gone. It imports no API type and no controller, so it is
// tested against the EC2 fake and the simulator alone; beside the controller
// it would bring EC2's paging and tags into the controller layer. The
// NATGateway controller decides what a listed gateway means for a managed
// resource (internal/controller/natgateway/inventory.go).
package natinventory
