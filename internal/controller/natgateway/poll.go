// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
)

// DefaultSettledPollInterval is how often a NATGateway is observed when the
// inventory holds its gateway available, with no address changing: the
// inventory reconciles it as soon as a listing shows the gateway changed,
// so such a poll only guards against what no listing shows. It costs no EC2
// call and, when nothing changed, no API server write.
const DefaultSettledPollInterval = time.Hour

// settledJitter spreads the polls of settled gateways over a tenth of their
// interval, so NATGateways imported together are not polled together.
const settledJitter = 10

// A poller decides how soon a NATGateway is observed again after a
// successful reconcile.
type poller struct {
	short   time.Duration
	settled time.Duration
	backoff backoff
	now     func() time.Time

	// inventory, when not nil, holds the gateways whose NATGateways are
	// observed only every settled interval.
	inventory inventory
}

// interval returns the wait before the next observation of mg: short while
// the gateway is pending, deleting, changing an address or, created moments
// ago, not listed by EC2 yet; the rest of the backoff (at most poll) while a
// failed gateway waits to be replaced; the settled interval while the
// inventory holds it available; poll otherwise. It reads the observation
// Observe just wrote to the status.
func (p poller) interval(mg resource.Managed, poll time.Duration) time.Duration {
	cr, ok := mg.(*v1alpha1.NATGateway)
	if !ok {
		return poll
	}
	short := min(p.short, poll)
	obs := cr.Status.AtProvider
	switch aws.ToString(obs.State) {
	case v1alpha1.NATGatewayStatePending, v1alpha1.NATGatewayStateDeleting:
		return short
	case "":
		// A gateway with an ID but no state, created moments ago, is one
		// EC2 does not list yet. One gone for good (an observe-only import
		// that was purged) waits for the poll interval.
		if meta.GetExternalName(cr) != "" && createdRecently(cr, p.now()) {
			return short
		}
	case v1alpha1.NATGatewayStateFailed:
		if aws.ToString(cr.Spec.OnFailed) == v1alpha1.OnFailedReport {
			return poll
		}
		h, err := healing.Get(cr)
		if err != nil {
			return poll
		}
		return min(max(p.backoff.replaceAt(cr, h).Sub(p.now()), short), poll)
	}
	if slices.ContainsFunc(obs.Addresses, inTransition) {
		return short
	}
	if aws.ToString(obs.State) == v1alpha1.NATGatewayStateAvailable && p.held(cr) {
		s := max(p.settled, poll)
		return s + rand.N(s/settledJitter+1) //nolint:gosec // Jitter needs no cryptographic randomness.
	}
	return poll
}

// held reports whether a fresh inventory listing holds the gateway of cr
// settled and available, as Observe just found it.
func (p poller) held(cr *v1alpha1.NATGateway) bool {
	if p.inventory == nil {
		return false
	}
	gw, ok := p.inventory.Peek(meta.GetExternalName(cr))
	return ok && settled(gw) && gw.State == types.NatGatewayStateAvailable
}
