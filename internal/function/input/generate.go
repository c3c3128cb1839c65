// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Remove the existing input CRD so that a stale one cannot survive a rename.
//go:generate rm -rf ../../../package/function/input

// Generate deepcopy methods and the CRD that describes the input's schema.
//go:generate go tool controller-gen object:headerFile=../../../hack/boilerplate.go.txt paths=./v1beta1 crd:crdVersions=v1 output:artifacts:config=../../../package/function/input

// Package input holds the input of the egress composition function.
package input
