// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package route reconciles Route managed resources: one route, identified by
// its route table and destination, that sends traffic to a NAT gateway. The
// controller creates the route, points it back at its target when it points
// elsewhere or turned into a blackhole, follows a replaced NATGateway, and
// deletes only the route it owns.
//
// # Ownership
//
// One route can be named by several Routes, in any namespace; only one owns
// it, and only the owner creates, replaces or deletes it. Another Route for
// the same table and destination is Synced=False with a message naming the
// owner, and deleting it removes only its finalizer. A route that exists and
// that no Route owns (made outside Crossplane) is reported and left alone,
// unless the Route is annotated egresskit.io/adopt-route=true, or its
// management policies leave out Create, which makes it manage the route it
// names. Observe-only Routes report the route whoever owns it.
//
// EC2 routes carry no tags, and no client token makes CreateRoute
// recognisable. The route table's tags are no place either: they are shared
// by every route of the table, limited to 50, written without a condition,
// and often owned by the tool that made the table, which removes tags it
// does not know. Ownership is therefore recorded where every Route of the
// control plane is seen together, the API server: Create writes the Route's
// egresskit.io/route-claimed annotation, the time of the claim, before it
// first asks EC2 to create the route, and never changes it. The owner is the
// Route whose claim is oldest (then by namespace and name), read through a
// field index of Routes by route table and canonical destination; a Route
// whose management policies leave out Create, but not Update or Delete,
// claims as of its creation. Because the claim is written first, a crash or a
// lost answer after EC2 made the route leaves a Route that knows the route
// as its own (CreateRoute's answer RouteAlreadyExists then means its own
// earlier attempt); a RouteAlreadyExists right after a new claim means
// someone else made the route, and the claim is withdrawn. CreateRoute
// itself is atomic in EC2, so of two Routes that claim at once, one makes the
// route, and the older claim decides which owns it. Routes in two control
// planes that manage one route table do not see each other's claims.
package route

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/controller/coalesce"
	"github.com/egresskit/provider-aws-egress/internal/controller/follow"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
)

// SetupGated adds the Route controller once the Route and NATGateway CRDs are
// served: the controller watches NATGateways to follow a replaced gateway.
func SetupGated(mgr ctrl.Manager, o controller.Options, deps managedopts.Dependencies) error {
	gvks := []schema.GroupVersionKind{v1alpha1.RouteGroupVersionKind, v1alpha1.NATGatewayGroupVersionKind}
	return managedopts.SetupGated(o, deps, v1alpha1.RouteKind, func() error {
		if err := managedopts.WaitForMappings(context.Background(), mgr.GetRESTMapper(), managedopts.MappingTimeout, gvks...); err != nil {
			return err
		}
		return Setup(mgr, o, deps)
	}, gvks...)
}

// Setup adds a controller that reconciles Route managed resources.
func Setup(mgr ctrl.Manager, o controller.Options, deps managedopts.Dependencies) error {
	name := managed.ControllerName(v1alpha1.RouteGroupKind)
	if err := managedopts.AddStateMetrics(mgr, o, &v1alpha1.RouteList{}); err != nil {
		return err
	}

	recorder := managedopts.NewEventRecorder(mgr, o, name)
	conn := &connector{
		usage:   resource.NewProviderConfigUsageTracker(mgr.GetClient(), &apisv1alpha1.ProviderConfigUsage{}),
		clients: deps.Clients,
		kube:    mgr.GetClient(),
	}

	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &v1alpha1.Route{}, indexNATGatewayRef, natGatewayRef); err != nil {
		return errors.Wrap(err, "cannot index Routes by the NATGateway they reference")
	}
	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &v1alpha1.Route{}, indexRouteKey, routeKey); err != nil {
		return errors.Wrap(err, "cannot index Routes by the route they name")
	}

	b := ctrl.NewControllerManagedBy(mgr).
		Named(name).
		WithOptions(o.ForControllerRuntime()).
		// The desired-state filter applies to Routes only: the NATGateway
		// watch has its own predicate and must see status changes.
		For(&v1alpha1.Route{}, builder.WithPredicates(resource.DesiredStateChanged())).
		Watches(&v1alpha1.NATGateway{},
			handler.EnqueueRequestsFromMapFunc(enqueueReferencing(mgr.GetClient())),
			builder.WithPredicates(natGatewayChanged()))

	opts := append(lifecycleOptions(mgr.GetClient(), conn), managedopts.Standard(o, name, recorder)...)
	r := newReconciler(mgr, opts...)
	return b.Complete(ratelimiter.NewReconciler(name, r, o.GlobalRateLimiter))
}

// newReconciler returns the managed reconciler of Routes with opts, whose
// reconciles coalesce their writes.
func newReconciler(mgr ctrl.Manager, opts ...managed.ReconcilerOption) *coalesce.Reconciler {
	return coalesce.NewReconciler(managed.NewReconciler(coalesce.WithManager(mgr), resource.ManagedKind(v1alpha1.RouteGroupVersionKind), opts...))
}

// lifecycleOptions are the reconciler options that decide how a Route is
// named, resolved, created and deleted, with c to read and resolve it and
// conn as its connector; Setup adds the standard ones.
func lifecycleOptions(c client.Client, conn *connector) []managed.ReconcilerOption {
	return []managed.ReconcilerOption{
		coalesce.WithTypedExternalConnector[*v1alpha1.Route](conn),
		coalesce.WithFinalizer(c),
		// The external name, <routeTableId>_<destination>, follows from the
		// spec, so a crash between Create and the write of the external name
		// is safe: the next Observe finds the route by the same name.
		managed.WithInitializers(&externalNameInitializer{client: c}),
		managed.WithDeterministicExternalName(true),
		// Resolve natGatewayIdRef on every reconcile, so the route follows a
		// replaced NATGateway.
		managed.WithReferenceResolver(follow.NewReferenceResolver(c)),
	}
}

// A connector produces an external client for a Route.
type connector struct {
	usage   resource.ModernTracker
	clients ec2client.ClientFactory
	// kube reads the Routes of a route and records a Route's claim.
	kube client.Client
}

// Connect tracks the use of the Route's provider configuration, then gets an
// EC2 client for the Route's region.
func (c *connector) Connect(ctx context.Context, cr *v1alpha1.Route) (managed.TypedExternalClient[*v1alpha1.Route], error) {
	if err := c.usage.Track(ctx, cr); err != nil {
		return nil, errors.Wrap(err, "cannot track ProviderConfig usage")
	}
	api, err := c.clients.ClientFor(ctx, cr, cr.Spec.ForProvider.Region)
	if err != nil {
		return nil, errors.Wrap(err, "cannot get EC2 client")
	}
	return &external{client: api, kube: c.kube, now: time.Now}, nil
}

var _ managed.TypedExternalClient[*v1alpha1.Route] = &external{}

// An external observes, creates, replaces and deletes the route of one Route.
type external struct {
	client ec2client.API

	// kube reads the Routes of a route and the NATGateway a Route
	// references, and records a Route's claim.
	kube client.Client
	// now is the time.
	now func() time.Time
	// claimed tells that Observe claimed the route in memory for Create.
	claimed bool
}

// Disconnect does nothing: the EC2 client holds no connection to release.
func (e *external) Disconnect(_ context.Context) error {
	return nil
}
