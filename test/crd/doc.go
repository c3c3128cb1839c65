// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package crd tests the validation of the provider's CRDs against a real
// kube-apiserver (cluster/local): every example is admitted, and for every
// kind, good objects are admitted and bad ones refused with the message of
// the rule they break, on create and on update. A last check fails when a
// CEL rule of a CRD has no case that breaks it.
package crd
