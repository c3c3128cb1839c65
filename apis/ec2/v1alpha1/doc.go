// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package v1alpha1 contains the EC2 egress managed resources of egresskit:
// NATGateway, ElasticIP and Route.
// +kubebuilder:object:generate=true
// +groupName=ec2.aws.m.egresskit.io
// +versionName=v1alpha1
package v1alpha1
