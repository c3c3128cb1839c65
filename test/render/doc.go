// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package render tests the egress function the way a platform team tries
// it: the examples are rendered by the `crossplane render` CLI (crank, built
// from crossplane/v2 v2.2.0 by cluster/tools/build.sh) against the function
// binary running locally, compared with golden files, and validated with
// `crank beta validate` against the provider's CRDs and the XRDs.
//
// Run `go test ./test/render -update` to rewrite the golden files.
package render
