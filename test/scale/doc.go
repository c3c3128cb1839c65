// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package scale benchmarks the provider end to end at scale, as a user runs
// it: a real kube-apiserver and etcd, the provider and ec2sim as processes,
// ec2sim with EC2's request token buckets. For each number of NATGateways and
// each provider mode (the defaults, and plain per-resource polling) it
// measures the time to Ready of imported and created gateways, how soon
// gateways deleted out of band are noticed and replaced, and what the steady
// state costs: EC2 calls, reconciles, API server writes, memory and CPU.
//
// `make bench-e2e` runs it at 100 and 1000 NATGateways; without flags, as
// part of `make test`, it runs a small version so that it cannot rot.
package scale
