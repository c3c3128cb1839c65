// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package elasticip reconciles ElasticIP managed resources: it allocates an
// Elastic IP address, allocates a new one when the address is released
// outside Crossplane, keeps its tags and releases it once nothing holds it.
//
// AllocateAddress takes no client token, so an address is found again only
// by the ownership tag its allocation carried (egresskit.io/uid). The EC2
// client never repeats an AllocateAddress whose outcome is uncertain (a 5xx,
// a lost connection); the next Create looks for the tagged address before it
// allocates again, adopts the lowest allocation ID and releases any other
// address tagged for the ElasticIP. Observe reads the addresses tagged for
// the ElasticIP with one DescribeAddresses call, which also finds the named
// address (one without the tag, imported by its ID, costs a second call by
// ID); another tagged address makes the ElasticIP not up to date, and Update
// releases it, so no address tagged for an ElasticIP that names another
// stays billed. A deleted ElasticIP keeps its finalizer until every address
// tagged for it is released, including one allocated while the provider was
// down and never recorded.
package elasticip

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	crcontroller "sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/controller/coalesce"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
)

// creationGracePeriod is how long after a successful Create an address EC2
// has not listed yet is taken for EC2's eventual consistency rather than a
// release.
const creationGracePeriod = 30 * time.Second

// shortPollInterval is how soon an address EC2 has not listed yet, right
// after its allocation, is observed again.
const shortPollInterval = 5 * time.Second

// maxRequeueDelay caps the delay between the reconciles of one ElasticIP
// that ask to be requeued. An address held by a NAT gateway that is being
// deleted waits for it through such reconciles; without the cap, the
// runtime's exponential delay reaches a minute, and the finalizer would stay
// up to that long after the address was released.
const maxRequeueDelay = 10 * time.Second

// SetupGated adds the ElasticIP controller once the ElasticIP and NATGateway
// CRDs are served: the controller watches NATGateways to release an address
// as soon as its gateway is gone.
func SetupGated(mgr ctrl.Manager, o controller.Options, deps managedopts.Dependencies) error {
	return managedopts.SetupGated(o, deps, v1alpha1.ElasticIPKind, func() error { return Setup(mgr, o, deps) },
		v1alpha1.ElasticIPGroupVersionKind, v1alpha1.NATGatewayGroupVersionKind)
}

// Setup adds a controller that reconciles ElasticIP managed resources.
func Setup(mgr ctrl.Manager, o controller.Options, deps managedopts.Dependencies) error {
	name := managed.ControllerName(v1alpha1.ElasticIPGroupKind)
	if err := managedopts.AddStateMetrics(mgr, o, &v1alpha1.ElasticIPList{}); err != nil {
		return err
	}

	recorder := managedopts.NewEventRecorder(mgr, o, name)
	conn := &connector{
		usage:         resource.NewProviderConfigUsageTracker(mgr.GetClient(), &apisv1alpha1.ProviderConfigUsage{}),
		clients:       deps.Clients,
		record:        recorder,
		reallocations: reallocations,
	}

	b := ctrl.NewControllerManagedBy(mgr).
		Named(name).
		WithOptions(controllerOptions(o)).
		// The desired-state filter applies to ElasticIPs only: the
		// NATGateway watch has its own predicate and must see status changes.
		For(&v1alpha1.ElasticIP{}, builder.WithPredicates(resource.DesiredStateChanged())).
		// An address held by a NAT gateway is released once the gateway is
		// gone: reconcile it then rather than at the next backoff.
		Watches(&v1alpha1.NATGateway{},
			handler.EnqueueRequestsFromMapFunc(addressesOf),
			builder.WithPredicates(natGatewayGone()))

	opts := append(lifecycleOptions(mgr.GetClient(), conn), managedopts.Standard(o, name, recorder)...)
	r := newReconciler(mgr, opts...)
	return b.Complete(ratelimiter.NewReconciler(name, r, o.GlobalRateLimiter))
}

// controllerOptions are the runtime's controller options with the requeue
// delay capped at maxRequeueDelay.
func controllerOptions(o controller.Options) crcontroller.Options {
	co := o.ForControllerRuntime()
	co.RateLimiter = workqueue.NewTypedItemExponentialFailureRateLimiter[reconcile.Request](time.Second, maxRequeueDelay)
	return co
}

// newReconciler returns the managed reconciler of ElasticIPs with opts,
// whose reconciles coalesce their writes.
func newReconciler(mgr ctrl.Manager, opts ...managed.ReconcilerOption) *coalesce.Reconciler {
	return coalesce.NewReconciler(managed.NewReconciler(coalesce.WithManager(mgr), resource.ManagedKind(v1alpha1.ElasticIPGroupVersionKind), opts...))
}

// lifecycleOptions are the reconciler options that decide how an ElasticIP
// is created, named and observed again, with c to write it and conn as its
// connector; Setup adds the standard ones.
func lifecycleOptions(c client.Client, conn *connector) []managed.ReconcilerOption {
	return []managed.ReconcilerOption{
		coalesce.WithTypedExternalConnector[*v1alpha1.ElasticIP](conn),
		coalesce.WithFinalizer(c),
		// EC2 assigns the allocation ID, so the external name stays empty
		// until Create sets it. Create is idempotent through the ownership
		// tag, which makes a lost external name safe to recover from.
		managed.WithInitializers(),
		managed.WithDeterministicExternalName(true),
		// Observe waits itself for a new address EC2 does not list yet
		// (notListedYet), so the reconciler's own grace period, which would
		// also hold back an address released right after its allocation,
		// is off.
		managed.WithCreationGracePeriod(0),
		managed.WithPollIntervalHook(poller{short: shortPollInterval, now: time.Now}.interval),
	}
}

// A connector connects to EC2 with an ElasticIP's provider configuration.
type connector struct {
	usage         resource.ModernTracker
	clients       ec2client.ClientFactory
	record        event.Recorder
	reallocations prometheus.Counter
}

// Connect tracks the use of the ElasticIP's provider configuration, then
// returns a client for the EC2 API of the ElasticIP's region.
func (c *connector) Connect(ctx context.Context, cr *v1alpha1.ElasticIP) (managed.TypedExternalClient[*v1alpha1.ElasticIP], error) {
	if err := c.usage.Track(ctx, cr); err != nil {
		return nil, errors.Wrap(err, "cannot track ProviderConfig usage")
	}
	api, err := c.clients.ClientFor(ctx, cr, cr.Spec.ForProvider.Region)
	if err != nil {
		return nil, errors.Wrap(err, "cannot get EC2 client")
	}
	return &external{client: api, record: c.record, reallocations: c.reallocations, now: time.Now}, nil
}

var _ managed.TypedExternalClient[*v1alpha1.ElasticIP] = &external{}

// An external observes and changes one Elastic IP address.
type external struct {
	client        ec2client.API
	record        event.Recorder
	reallocations prometheus.Counter
	now           func() time.Time

	// leftover are the addresses tagged for a deleted ElasticIP other than
	// the one it names, found by Observe for Delete to release.
	leftover []string
}

// Disconnect does nothing: the EC2 client holds no connection of its own.
func (e *external) Disconnect(_ context.Context) error {
	return nil
}
