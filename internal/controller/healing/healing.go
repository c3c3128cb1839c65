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
	"strconv"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// AnnotationKey holds the healing record of a managed resource as JSON.
const AnnotationKey = "egresskit.io/healing"

// annotationKeyFailedStreak held the failed streak of records written before
// the streak was part of the record. Get still reads it, so such a record
// keeps its streak; Record removes it.
const annotationKeyFailedStreak = "egresskit.io/failed-streak"

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
	if err := upgradeFailedStreak(o, h); err != nil {
		return nil, err
	}
	return h, nil
}

// upgradeFailedStreak sets the failed streak of h, a record of o that
// replaced a failed resource but carries no streak, from the annotation that
// held it before the streak was part of the record.
func upgradeFailedStreak(o metav1.Object, h *v1alpha1.Healing) error {
	if h.FailedStreak != 0 || h.Last == nil || h.Last.FoundState != v1alpha1.FoundStateFailed {
		return nil
	}
	raw, ok := o.GetAnnotations()[annotationKeyFailedStreak]
	if !ok {
		return nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 1 {
		return errors.Errorf("cannot read the %s annotation: want a positive integer, got %q", annotationKeyFailedStreak, raw)
	}
	h.FailedStreak = n
	return nil
}

// FailedBefore returns how many failed resources were replaced in a row
// before resource id, by h: zero unless the last recreation replaced a
// failed resource with id.
func FailedBefore(h *v1alpha1.Healing, id string) int64 {
	if h == nil || h.Last == nil || h.Last.NewID != id || h.Last.FoundState != v1alpha1.FoundStateFailed {
		return 0
	}
	// Recorded as the replacement of a failed resource: at least one.
	return max(h.FailedStreak, 1)
}

// Record adds one recreation to the healing record of o: previousID was found
// in foundState and replaced by newID at t. A failed previousID extends the
// failed streak that ended with it; any other state ends the streak.
func Record(o metav1.Object, previousID, foundState, newID string, t time.Time) error {
	h, err := Get(o)
	if err != nil {
		return err
	}
	if h == nil {
		h = &v1alpha1.Healing{}
	}
	streak := int64(0)
	if foundState == v1alpha1.FoundStateFailed {
		streak = FailedBefore(h, previousID) + 1
	}
	h.Recreations++
	h.FailedStreak = streak
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
	meta.RemoveAnnotations(o, annotationKeyFailedStreak)
	meta.AddAnnotations(o, map[string]string{AnnotationKey: string(raw)})
	return nil
}
