// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package v1alpha1

// Tags are the tags a user sets on an EC2 resource, checked at admission
// against EC2's limits and the keys that are not the user's: aws: keys
// belong to AWS, crossplane- and egresskit.io/ keys to the provider's
// ownership tags, which the provider adds itself.
// +kubebuilder:validation:MaxProperties=40
// +kubebuilder:validation:XValidation:rule="self.all(k, !k.startsWith('aws:'))",message="tag keys beginning with aws: are reserved by AWS"
// +kubebuilder:validation:XValidation:rule="self.all(k, !k.startsWith('crossplane-') && !k.startsWith('egresskit.io/'))",message="tag keys beginning with crossplane- or egresskit.io/ are reserved for the provider's ownership tags"
// +kubebuilder:validation:XValidation:rule="self.all(k, size(k) >= 1 && size(k) <= 127 && size(self[k]) <= 256)",message="tag keys must have 1 to 127 characters and values at most 256"
type Tags map[string]string
