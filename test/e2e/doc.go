// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package e2e tests the provider end to end, as a user runs it: the built
// provider binary and ec2sim run as processes against a real control plane
// (etcd, kube-apiserver and kube-controller-manager from cluster/local), and
// the scenarios apply the provider's CRDs, examples and objects through the
// Kubernetes API. Every scenario asserts on EC2 (through the AWS SDK, the
// AWS CLI or ec2sim's admin API) and on the managed resources' conditions,
// events and status.
//
// One control plane, ec2sim and provider serve the whole package (TestMain);
// each scenario works in a namespace and an ec2sim account of its own. The
// provider polls every 10 seconds (PollInterval) and lists each account's NAT
// gateways every 10 seconds (InventoryInterval), so a gateway deleted out of
// band is noticed within 10 seconds. Scenarios that kill the provider, inject
// faults into ec2sim or count its calls run one at a time, before the others,
// which run in parallel.
package e2e
