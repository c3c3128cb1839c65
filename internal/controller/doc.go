// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package controller sets up every controller of the provider: the usage
// accounting of provider configurations and the managed-resource controllers
// of NAT gateways, Elastic IPs and routes. Controllers start through the
// safe-start gate, once the CustomResourceDefinitions of their kinds are
// established, and the managed-resource controllers share one EC2 client
// factory, so they share its client cache and the account's EC2 API budget.
package controller
