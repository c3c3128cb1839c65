// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package ec2 is the provider's thin layer over the AWS EC2 API: the calls the
// controllers make, the client that makes them with a provider
// configuration's credentials and endpoint, error classification and
// ownership tags.
package ec2
