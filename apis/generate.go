// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Remove existing CRDs so that stale ones cannot survive a rename.
//go:generate rm -rf ../package/provider/crds

// Generate deepcopy methodsets and CRD manifests.
//go:generate go tool controller-gen object:headerFile=../hack/boilerplate.go.txt paths=./... crd:crdVersions=v1 output:artifacts:config=../package/provider/crds

// Generate crossplane-runtime methodsets (resource.Managed, reference resolvers, ...).
//go:generate go tool angryjet generate-methodsets --header-file=../hack/boilerplate.go.txt ./...

// Package apis contains the Kubernetes API of the egresskit provider.
package apis
