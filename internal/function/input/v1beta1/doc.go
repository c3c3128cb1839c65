// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package v1beta1 contains the input type of the egress composition function.
// +kubebuilder:object:generate=true
// +groupName=egress.fn.egresskit.io
// +versionName=v1beta1
package v1beta1
