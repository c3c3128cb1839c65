// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package version holds the version of the provider's build.
package version

// Version of the build. The Makefile sets it with
// -ldflags "-X github.com/egresskit/provider-aws-egress/internal/version.Version=<version>".
var Version = "v0.0.0-dev" //nolint:gochecknoglobals // Set by the linker, so it must be a package variable.
