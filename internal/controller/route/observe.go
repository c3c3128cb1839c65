// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"k8s.io/utils/ptr"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// Observe reports whether the route exists, whether it points at its target,
// and whether traffic flows: Ready only when the route is active and its NAT
// gateway available.
//
// A route that points at another target, or at one that is gone (blackhole),
// is not up to date, so Update points it at its target. A blackhole route
// that already points at its target cannot be fixed by pointing it there
// again: it waits for the target to change, as when the referenced
// NATGateway is replaced. While the Route is being deleted the route exists
// as long as the table holds it.
//
// Only the Route that owns a route manages it (see the package doc); for any
// other Route, Observe reports the owner.
func (e *external) Observe(ctx context.Context, cr *v1alpha1.Route) (managed.ExternalObservation, error) {
	p := cr.Spec.ForProvider
	want, err := externalName(p)
	if err != nil {
		return managed.ExternalObservation{}, errors.Wrap(err, "cannot identify the route")
	}
	if name := meta.GetExternalName(cr); name != "" && !sameRoute(name, want) {
		return managed.ExternalObservation{}, errors.Errorf("external name %q does not name the route of spec.forProvider (%q): the route table and the destination of a Route cannot change", name, want)
	}

	rt, err := e.routeTable(ctx, p.RouteTableID)
	if err != nil {
		return managed.ExternalObservation{}, errors.Wrapf(err, "cannot describe route table %s", p.RouteTableID)
	}
	if rt == nil {
		if meta.WasDeleted(cr) {
			// The route went with its table.
			return managed.ExternalObservation{ResourceExists: false}, nil
		}
		return managed.ExternalObservation{}, errors.Errorf("route table %s does not exist in %s (%s); set %s to a route table of region %s, or %s to the table's region",
			p.RouteTableID, ec2client.ScopeOf(e.client, p.Region), ec2client.CodeInvalidRouteTableIDNotFound, ec2client.FieldRouteTableID, p.Region, ec2client.FieldRegion)
	}

	r := findRoute(*rt, p)
	if !observesOnly(cr) {
		own, err := e.ownershipOf(ctx, cr)
		if err != nil {
			return managed.ExternalObservation{}, err
		}
		if !own.mine {
			o, err := notOwned(cr, own, r != nil)
			if err == nil && !o.ResourceExists {
				e.claimForCreate(cr)
			}
			return o, err
		}
	}
	if r == nil {
		e.claimForCreate(cr)
		return managed.ExternalObservation{ResourceExists: false}, nil
	}
	cr.Status.AtProvider = generateObservation(p.RouteTableID, *r)
	if meta.WasDeleted(cr) {
		return managed.ExternalObservation{ResourceExists: true}, nil
	}

	return e.evaluate(ctx, cr, *r)
}

// notOwned observes a route cr does not own, which exists when found. For
// cr the route does not exist while cr is deleted, so the finalizer goes and
// the route stays, or while cr may claim it: none owns it, and it is
// missing or cr adopts it, so Create claims it. Otherwise cr's Ready and
// Synced conditions say who owns the route.
func notOwned(cr *v1alpha1.Route, own ownership, found bool) (managed.ExternalObservation, error) {
	var err error
	switch {
	case meta.WasDeleted(cr):
		return managed.ExternalObservation{ResourceExists: false}, nil
	case own.owner != nil:
		err = ownedElsewhere(cr, own.owner)
	case !found || adopts(cr):
		return managed.ExternalObservation{ResourceExists: false}, nil
	default:
		err = ownedByNone(cr)
	}
	cr.SetConditions(xpv2.Unavailable().WithMessage(err.Error()))
	return managed.ExternalObservation{}, err
}

// evaluate decides whether the observed route r points at the Route's
// target and whether traffic flows, and sets the Ready condition.
func (e *external) evaluate(ctx context.Context, cr *v1alpha1.Route, r types.Route) (managed.ExternalObservation, error) {
	dest := aws.ToString(cr.Status.AtProvider.Destination)
	desired := ptr.Deref(cr.Spec.ForProvider.NATGatewayID, "")
	current := aws.ToString(r.NatGatewayId)

	if desired != "" && current != desired {
		cr.SetConditions(xpv2.Unavailable().WithMessage(fmt.Sprintf("route to %s points at %s (%s); pointing it at %s", dest, target(r), r.State, desired)))
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: false, Diff: cmp.Diff(desired, target(r))}, nil
	}

	if current == "" {
		// An imported route whose target is not a NAT gateway.
		if r.State == types.RouteStateActive {
			cr.SetConditions(xpv2.Available())
		} else {
			cr.SetConditions(xpv2.Unavailable().WithMessage(fmt.Sprintf("route to %s is %s", dest, r.State)))
		}
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, nil
	}

	state, err := e.natGatewayState(ctx, current)
	if err != nil {
		return managed.ExternalObservation{}, errors.Wrapf(err, "cannot describe NAT gateway %s", current)
	}
	cr.Status.AtProvider.TargetState = nonEmpty(state)

	switch {
	case r.State == types.RouteStateBlackhole && state == v1alpha1.NATGatewayStateAvailable:
		cr.SetConditions(xpv2.Unavailable().WithMessage(fmt.Sprintf("route to %s is a blackhole although %s is available; pointing it at %s again", dest, current, current)))
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: false, Diff: "state: blackhole"}, nil
	case r.State == types.RouteStateBlackhole && state != v1alpha1.NATGatewayStatePending:
		cr.SetConditions(xpv2.Unavailable().WithMessage(fmt.Sprintf("route to %s is a blackhole: its target %s %s; the route follows its NATGateway once the gateway is replaced, or set another natGatewayId", dest, current, described(state))))
	case r.State != "" && r.State != types.RouteStateActive && r.State != types.RouteStateBlackhole:
		cr.SetConditions(xpv2.Unavailable().WithMessage(fmt.Sprintf("route to %s is %s", dest, r.State)))
	case state == v1alpha1.NATGatewayStateAvailable:
		cr.SetConditions(xpv2.Available())
	default:
		cr.SetConditions(xpv2.Unavailable().WithMessage(fmt.Sprintf("waiting for %s to become available: it %s", current, described(state))))
	}
	return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, nil
}

// described tells the state of a NAT gateway in words.
func described(state string) string {
	if state == "" {
		return "is not listed by EC2"
	}
	return "is " + state
}

// routeTable returns the route table with ID id, or nil when EC2 does not
// know it.
func (e *external) routeTable(ctx context.Context, id string) (*types.RouteTable, error) {
	out, err := e.client.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{id}})
	if ec2client.IsErrorCode(err, ec2client.CodeInvalidRouteTableIDNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for i := range out.RouteTables {
		if aws.ToString(out.RouteTables[i].RouteTableId) == id {
			return &out.RouteTables[i], nil
		}
	}
	return nil, nil
}

// natGatewayState returns the state of the NAT gateway with ID id, or ""
// when EC2 does not list it.
func (e *external) natGatewayState(ctx context.Context, id string) (string, error) {
	gw, err := ec2client.DescribeNATGateway(ctx, e.client, id)
	if err != nil || gw == nil {
		return "", err
	}
	return string(gw.State), nil
}
