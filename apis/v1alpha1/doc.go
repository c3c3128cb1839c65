// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package v1alpha1 contains the provider configuration API of egresskit:
// ProviderConfig, ClusterProviderConfig and ProviderConfigUsage.
// +kubebuilder:object:generate=true
// +groupName=aws.m.egresskit.io
// +versionName=v1alpha1
package v1alpha1
