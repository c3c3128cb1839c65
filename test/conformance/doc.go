// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package conformance runs one NAT gateway scenario, through boto3 (the AWS
// CLI's client library), against the EC2 simulator and against moto, and
// checks that the simulator answers what AWS documents and that moto still
// differs where it is known to.
package conformance
