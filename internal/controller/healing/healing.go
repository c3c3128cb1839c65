// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package healing records how the provider brought back an external
// resource that disappeared or broke outside Crossplane.
//
// crossplane-runtime writes a managed resource with a full update right
// before and right after Create, and each write replaces the in-memory status
// with the stored one, so a record set in status during Observe or Create
// would be lost. The record therefore travels in an annotation, which Create
// sets and the reconciler persists with the new external name; the next
// Observe mirrors it into status.atProvider.healing.
package healing

import (
	"encoding/json"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// AnnotationKey holds the healing record of a managed resource as JSON.
const AnnotationKey = "egresskit.io/healing"

// Get returns the healing record of o, or nil when it has none. A record that
// cannot be read is an error: it was written by the provider, so it is never
// silently dropped.
func Get(o metav1.Object) (*v1alpha1.Healing, error) {
	raw, ok := o.GetAnnotations()[AnnotationKey]
	if !ok || raw == "" {
		return nil, nil
	}
	h := &v1alpha1.Healing{}
	if err := json.Unmarshal([]byte(raw), h); err != nil {
		return nil, errors.Wrapf(err, "cannot read the %s annotation", AnnotationKey)
	}
	return h, nil
}

// Record adds one recreation to the healing record of o: previousID was found
// in foundState and replaced by newID at t.
func Record(o metav1.Object, previousID, foundState, newID string, t time.Time) error {
	h, err := Get(o)
	if err != nil {
		return err
	}
	if h == nil {
		h = &v1alpha1.Healing{}
	}
	h.Recreations++
	h.Last = &v1alpha1.HealingEvent{
		PreviousID: previousID,
		FoundState: foundState,
		NewID:      newID,
		Time:       metav1.NewTime(t.UTC().Truncate(time.Second)),
	}
	raw, err := json.Marshal(h)
	if err != nil {
		return errors.Wrap(err, "cannot write the healing record")
	}
	meta.AddAnnotations(o, map[string]string{AnnotationKey: string(raw)})
	return nil
}
