// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package composition tests the egress function end to end with Crossplane
// core v2.4.0, as a platform team and its users run it: a real control plane
// (etcd, kube-apiserver and kube-controller-manager for garbage collection),
// Crossplane core, the function (over mTLS), the provider and ec2sim all run
// as processes. The function is found through a hand-made, paused
// FunctionRevision whose status names the function's local endpoint, as
// shared/reference/crossplane-offline-e2e.md describes.
//
// The XRDs and Compositions are applied from examples/function as they are;
// the XR and the claim are the example files with their IDs (VPC, subnets,
// route tables, addresses) replaced by ones seeded in ec2sim. Each becomes
// Ready with one gateway per zone in three zones, fails a zone's routes over
// to another zone's gateway while the zone's own gateway, deleted out of band,
// is recreated, recovers, and leaves nothing in EC2 once deleted. The
// failover scenario prints the egress outage it measured. Creation and
// failover print the updates of the XR and of each managed resource by field
// and the burst of Crossplane's watch circuit breaker they need, and the
// circuit must stay closed throughout.
package composition
