// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package controllertest holds what the tests of the managed-resource
// controllers share: a manager that never reaches an API server, a gate that
// records the kinds a controller waits for, a fake EC2 client factory, and
// EC2 calls that fail the test.
package controllertest
