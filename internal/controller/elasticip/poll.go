// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// A poller decides how soon an ElasticIP is observed again after a
// successful reconcile.
type poller struct {
	short time.Duration
	now   func() time.Time
}

// interval returns the wait before the next observation of mg: short while
// EC2 does not list the address allocated moments ago, so it is seen (or
// allocated again) as soon as the grace period allows; poll otherwise.
func (p poller) interval(mg resource.Managed, poll time.Duration) time.Duration {
	cr, ok := mg.(*v1alpha1.ElasticIP)
	if !ok || !notListedYet(cr, p.now()) {
		return poll
	}
	return min(p.short, poll)
}
