// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package stack runs egresskit as a user would, on one machine: it builds
// the provider and the EC2 simulator, starts a local control plane
// (cluster/local), the simulator and the provider as processes, installs the
// provider's CRDs, and prepares namespaces with credentials, provider
// configurations and a seeded EC2 network. It also waits on managed resource
// conditions and, when a wait times out, says why: the object, its events and
// the end of the provider's log.
//
// The end-to-end suites and the demo are its users.
package stack
