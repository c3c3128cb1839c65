// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"strconv"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// AnnotationKeyFailedStreak counts the failed gateways that were replaced in
// a row before the current one. Create sets it when it replaces a failed
// gateway; it is valid only while the healing record's last recreation
// replaced a failed gateway with the current one, so a stale value is never
// read.
const AnnotationKeyFailedStreak = "egresskit.io/failed-streak"

// A backoff spaces out the replacements of failed gateways: a gateway that
// keeps failing (an Elastic IP address associated elsewhere, a subnet out of
// addresses) is replaced after base, then after twice as long for every
// further failed gateway in a row, at most max.
type backoff struct {
	base, max time.Duration
}

// delay is the wait before replacing a failed gateway that followed n failed
// gateways in a row.
func (b backoff) delay(n int) time.Duration {
	d := b.base
	for range n {
		if d >= b.max/2 {
			return b.max
		}
		d *= 2
	}
	return min(d, b.max)
}

// replaceAt returns when the failed gateway cr names may be replaced: its
// creation time plus the delay for the failed gateways before it. The zero
// time means now.
func (b backoff) replaceAt(cr *v1alpha1.NATGateway, h *v1alpha1.Healing) (time.Time, error) {
	id := meta.GetExternalName(cr)
	n, err := priorFailures(cr, h, id)
	if err != nil {
		return time.Time{}, err
	}
	var start time.Time
	switch {
	case cr.Status.AtProvider.CreateTime != nil:
		start = cr.Status.AtProvider.CreateTime.Time
	case h != nil && h.Last != nil && h.Last.NewID == id:
		start = h.Last.Time.Time
	default:
		return time.Time{}, nil
	}
	return start.Add(b.delay(n)), nil
}

// priorFailures returns how many failed gateways were replaced in a row
// before gateway id: zero unless the last recreation replaced a failed
// gateway with id.
func priorFailures(cr *v1alpha1.NATGateway, h *v1alpha1.Healing, id string) (int, error) {
	if h == nil || h.Last == nil || h.Last.NewID != id || h.Last.FoundState != v1alpha1.FoundStateFailed {
		return 0, nil
	}
	raw, ok := cr.GetAnnotations()[AnnotationKeyFailedStreak]
	if !ok {
		// Recorded as the replacement of a failed gateway: at least one.
		return 1, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, errors.Errorf("cannot read the %s annotation: want a positive integer, got %q", AnnotationKeyFailedStreak, raw)
	}
	return n, nil
}

// recordFailedStreak sets the failed-streak annotation of cr when Create
// replaces gateway previousID, found in foundState. It must run before the
// healing record is updated.
func recordFailedStreak(cr *v1alpha1.NATGateway, h *v1alpha1.Healing, previousID, foundState string) error {
	if foundState != v1alpha1.FoundStateFailed {
		meta.RemoveAnnotations(cr, AnnotationKeyFailedStreak)
		return nil
	}
	n, err := priorFailures(cr, h, previousID)
	if err != nil {
		return err
	}
	meta.AddAnnotations(cr, map[string]string{AnnotationKeyFailedStreak: strconv.Itoa(n + 1)})
	return nil
}
