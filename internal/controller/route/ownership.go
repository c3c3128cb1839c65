// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// indexRouteKey indexes Routes by the route they name: the route table and
// the canonical destination.
const indexRouteKey = "egresskit.io/route-key"

// routeKey returns the route a Route names, for indexRouteKey.
func routeKey(o client.Object) []string {
	cr, ok := o.(*v1alpha1.Route)
	if !ok {
		return nil
	}
	k, err := key(cr.Spec.ForProvider)
	if err != nil {
		return nil
	}
	return []string{k}
}

// key returns the route table and canonical destination of p: the same for
// every Route of one EC2 route.
func key(p v1alpha1.RouteParameters) (string, error) {
	d, err := destination(p)
	if err != nil {
		return "", err
	}
	return p.RouteTableID + separator + canonical(d), nil
}

// claimedAt returns when r claimed its route, and whether it did: the time
// of its claim annotation, or, for a Route whose management policies let it
// change the existing route but not create one, its creation time.
func claimedAt(r *v1alpha1.Route) (time.Time, bool) {
	if v, ok := r.GetAnnotations()[v1alpha1.AnnotationKeyRouteClaimed]; ok {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			// An unreadable claim still claims, as of the Route's creation.
			return r.GetCreationTimestamp().Time, true
		}
		return t, true
	}
	if adoptsByPolicy(r) {
		return r.GetCreationTimestamp().Time, true
	}
	return time.Time{}, false
}

// owner returns the Route of routes that owns their route: the first to
// claim it, by claim time, then namespace and name; nil when none claims it.
func owner(routes []v1alpha1.Route) *v1alpha1.Route {
	var own *v1alpha1.Route
	var at time.Time
	for i := range routes {
		t, ok := claimedAt(&routes[i])
		if !ok {
			continue
		}
		if own == nil || t.Before(at) || (t.Equal(at) && cmp.Or(strings.Compare(routes[i].Namespace, own.Namespace), strings.Compare(routes[i].Name, own.Name)) < 0) {
			own, at = &routes[i], t
		}
	}
	return own
}

// allows reports whether cr's management policies allow action.
func allows(cr *v1alpha1.Route, action xpv2.ManagementAction) bool {
	p := cr.GetManagementPolicies()
	return len(p) == 0 || slices.Contains(p, xpv2.ManagementActionAll) || slices.Contains(p, action)
}

// observesOnly reports whether cr may change nothing in EC2: it reports the
// route whoever owns it.
func observesOnly(cr *v1alpha1.Route) bool {
	return !allows(cr, xpv2.ManagementActionCreate) && !allows(cr, xpv2.ManagementActionUpdate) && !allows(cr, xpv2.ManagementActionDelete)
}

// adoptsByPolicy reports whether cr's management policies make it manage an
// existing route: they leave out Create but allow Update or Delete.
func adoptsByPolicy(cr *v1alpha1.Route) bool {
	return !allows(cr, xpv2.ManagementActionCreate) && !observesOnly(cr)
}

// adopts reports whether cr was told to take over a route that exists.
func adopts(cr *v1alpha1.Route) bool {
	return cr.GetAnnotations()[v1alpha1.AnnotationKeyAdoptRoute] == "true" || adoptsByPolicy(cr)
}

// An ownership is what the Routes of one route tell about a Route.
type ownership struct {
	// owner is the Route that owns the route, nil when none does.
	owner *v1alpha1.Route
	// mine is whether that is the Route asked about.
	mine bool
}

// ownershipOf reads which Route owns the route cr names, from every Route
// in the API server's cache that names it, and cr as it is.
func (e *external) ownershipOf(ctx context.Context, cr *v1alpha1.Route) (ownership, error) {
	k, err := key(cr.Spec.ForProvider)
	if err != nil {
		return ownership{}, err
	}
	l := &v1alpha1.RouteList{}
	if err := e.kube.List(ctx, l, client.MatchingFields{indexRouteKey: k}); err != nil {
		return ownership{}, errors.Wrap(err, "cannot list the Routes of the same route")
	}
	routes := slices.DeleteFunc(l.Items, func(r v1alpha1.Route) bool { return r.GetUID() == cr.GetUID() })
	routes = append(routes, *cr)
	o := owner(routes)
	return ownership{owner: o, mine: o != nil && o.GetUID() == cr.GetUID()}, nil
}

// ownedElsewhere is the error of a Route whose route another Route owns.
func ownedElsewhere(cr *v1alpha1.Route, o *v1alpha1.Route) error {
	return errors.Errorf("the route to %s in route table %s belongs to Route %s/%s, which claimed it first: this Route leaves it alone, and deleting this Route does not touch it; delete this Route, or delete %s/%s to hand the route over",
		describeDestination(cr), cr.Spec.ForProvider.RouteTableID, o.GetNamespace(), o.GetName(), o.GetNamespace(), o.GetName())
}

// ownedByNone is the error of a Route whose route exists and no Route owns.
func ownedByNone(cr *v1alpha1.Route) error {
	return errors.Errorf("the route to %s in route table %s exists and no Route owns it (it was made outside Crossplane, or by a Route that left it): this Route leaves it alone; annotate this Route %s=true to take it over",
		describeDestination(cr), cr.Spec.ForProvider.RouteTableID, v1alpha1.AnnotationKeyAdoptRoute)
}

// describeDestination returns the destination of cr's route, or a
// placeholder when it has none.
func describeDestination(cr *v1alpha1.Route) string {
	d, err := destination(cr.Spec.ForProvider)
	if err != nil {
		return "its destination"
	}
	return d
}

// claimForCreate claims, in memory, the route Observe found missing for a
// Route that is not being deleted and may create it, unless the Route
// claimed it already. The managed reconciler writes the claim with the
// external-create-pending annotation, before Create.
func (e *external) claimForCreate(cr *v1alpha1.Route) {
	if meta.WasDeleted(cr) || !allows(cr, xpv2.ManagementActionCreate) {
		return
	}
	if _, ok := cr.GetAnnotations()[v1alpha1.AnnotationKeyRouteClaimed]; ok {
		return
	}
	meta.AddAnnotations(cr, map[string]string{v1alpha1.AnnotationKeyRouteClaimed: e.now().UTC().Format(time.RFC3339Nano)})
	e.claimed = true
}

// claim records, before any CreateRoute, that cr owns its route: the claim
// survives a crash or a lost answer after EC2 made the route, so the next
// reconcile knows the route as cr's own. It reports whether the claim is
// new: made now, or by Observe in this reconcile (claimForCreate).
func (e *external) claim(ctx context.Context, cr *v1alpha1.Route, now time.Time) (bool, error) {
	if e.claimed {
		return true, nil
	}
	if _, ok := cr.GetAnnotations()[v1alpha1.AnnotationKeyRouteClaimed]; ok {
		return false, nil
	}
	before := cr.DeepCopy()
	meta.AddAnnotations(cr, map[string]string{v1alpha1.AnnotationKeyRouteClaimed: now.UTC().Format(time.RFC3339Nano)})
	if err := e.kube.Patch(ctx, cr, client.MergeFrom(before)); err != nil {
		return false, errors.Wrap(err, "cannot record the Route's claim on its route")
	}
	return true, nil
}

// withdraw removes a claim that claim just made, when the route turned out
// to exist already.
func (e *external) withdraw(ctx context.Context, cr *v1alpha1.Route) error {
	before := cr.DeepCopy()
	meta.RemoveAnnotations(cr, v1alpha1.AnnotationKeyRouteClaimed)
	return errors.Wrap(e.kube.Patch(ctx, cr, client.MergeFrom(before)), "cannot withdraw the Route's claim on a route that exists already")
}
