// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
)

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
// creation time plus the delay for the failed gateways before it, as h
// counts them. The zero time means now.
func (b backoff) replaceAt(cr *v1alpha1.NATGateway, h *v1alpha1.Healing) time.Time {
	id := meta.GetExternalName(cr)
	var start time.Time
	switch {
	case cr.Status.AtProvider.CreateTime != nil:
		start = cr.Status.AtProvider.CreateTime.Time
	case h != nil && h.Last != nil && h.Last.NewID == id:
		start = h.Last.Time.Time
	default:
		return time.Time{}
	}
	return start.Add(b.delay(int(healing.FailedBefore(h, id))))
}
