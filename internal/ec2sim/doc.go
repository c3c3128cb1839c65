// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package ec2sim is an in-process simulator of the Amazon EC2 Query API for
// NAT gateways, Elastic IP addresses, VPCs, subnets, availability zones,
// route tables and tags.
//
// It speaks the real ec2Query wire protocol (form-encoded POST, XML
// responses in the EC2 namespace, the EC2 error envelope and HTTP statuses),
// so the unmodified aws-sdk-go-v2 EC2 client and the AWS CLI drive it with
// only an endpoint override. State is kept per account (the SigV4 access key)
// and region. Gateways move through pending, available or failed, deleting
// and deleted on a simulated clock, stay listed for a retention period and
// are then purged. Throttling follows EC2's token buckets, and faults
// (errors, latency, held responses, eventual consistency) can be injected.
//
// A Server is an http.Handler. Its admin API is served under AdminPrefix on
// the same handler, and is also available in-process through the Admin
// interface, which both *Server and *AdminClient implement.
package ec2sim
