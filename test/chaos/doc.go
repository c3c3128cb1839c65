// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package chaos tests that nothing is lost and nothing leaks when the
// provider crashes and EC2 misbehaves: a kill storm (the provider SIGKILLed
// over and over while ec2sim holds and loses answers it has applied), two
// replicas with leader election (the leader killed, then partitioned with
// SIGSTOP), and a soak of hundreds of NAT gateways under injected errors,
// throttling, latency, eventual consistency and out-of-band deletions.
//
// One control plane serves the package; each test starts ec2sim and the
// provider as processes of its own, in a namespace and an ec2sim account of
// its own, and the tests run one after another. Every test ends by reading
// ec2sim's own state: every live NAT gateway, Elastic IP and route must
// belong to exactly one managed resource, by its ownership tags (routes by
// their table and destination).
//
// The soak runs for 3 minutes in make test; make soak runs it for 30 minutes
// (go test ./test/chaos -run TestSoak -soak=30m).
package chaos
