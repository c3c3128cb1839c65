// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package pkgtest installs egresskit as a Crossplane user does. It builds
// the provider and function packages as `make build` does, pushes them to an
// OCI registry on loopback, and has Crossplane core v2.4.0's package manager
// install them from there: the provider with the Deployment runtime (its
// Deployment at zero replicas, as no kubelet runs pods here), the function
// with the External runtime, whose part the suite plays. The binaries are
// taken out of the pushed images and run as processes: the provider with a
// token of the ServiceAccount Crossplane made for its revision and the RBAC
// Crossplane's RBAC manager granted it, the function with the endpoint and
// TLS Crossplane calls it with. The suite then shows safe-start, healing,
// composition and an upgrade through them, and validates every example
// against the packages' CRDs.
package pkgtest
