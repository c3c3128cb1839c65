// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/natinventory"
	"github.com/egresskit/provider-aws-egress/internal/controller/follow"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
)

// Defaults of the NATGateway controller's settings.
const (
	// DefaultShortPollInterval is how soon a gateway in transition (pending,
	// deleting, or with an address being associated or assigned) is observed
	// again.
	DefaultShortPollInterval = 5 * time.Second
	// DefaultFailedBackoffBase is the wait before the first failed gateway is
	// replaced; it doubles for every further failed gateway in a row.
	DefaultFailedBackoffBase = 30 * time.Second
	// DefaultFailedBackoffMax caps the wait between failed gateways.
	DefaultFailedBackoffMax = 30 * time.Minute
)

// creationGracePeriod is how long after creating a gateway a NotFound answer
// is taken for EC2's eventual consistency rather than for a purge.
const creationGracePeriod = ec2client.NATGatewayConsistencyWindow

var _ managed.TypedExternalClient[*v1alpha1.NATGateway] = &external{}

type settings struct {
	shortPoll time.Duration
	backoff   backoff
	inventory time.Duration
	// settledPoll is how often a gateway that the inventory holds settled
	// is observed: the inventory reports its changes.
	settledPoll time.Duration
	now         func() time.Time
}

// An Option changes how the NATGateway controller behaves.
type Option func(*settings)

// SetupGated adds the NATGateway controller once the NATGateway and ElasticIP
// CRDs are served: the controller watches ElasticIPs to follow a replaced
// address. A failed setup panics, so a missing controller cannot go unnoticed.
func SetupGated(mgr ctrl.Manager, o controller.Options, ec ec2client.ClientFactory, opts ...Option) error {
	o.Gate.Register(func() {
		if err := managedopts.WaitForMappings(context.Background(), mgr.GetRESTMapper(), managedopts.MappingTimeout,
			v1alpha1.NATGatewayGroupVersionKind, v1alpha1.ElasticIPGroupVersionKind); err != nil {
			panic(errors.Wrap(err, "cannot setup NATGateway controller"))
		}
		if err := Setup(mgr, o, ec, opts...); err != nil {
			panic(errors.Wrap(err, "cannot setup NATGateway controller"))
		}
	}, v1alpha1.NATGatewayGroupVersionKind, v1alpha1.ElasticIPGroupVersionKind)
	return nil
}

// Setup adds a controller that reconciles NATGateway managed resources.
func Setup(mgr ctrl.Manager, o controller.Options, ec ec2client.ClientFactory, opts ...Option) error {
	name := managed.ControllerName(v1alpha1.NATGatewayGroupKind)
	s := settings{
		shortPoll:   DefaultShortPollInterval,
		backoff:     backoff{base: DefaultFailedBackoffBase, max: DefaultFailedBackoffMax},
		inventory:   DefaultInventoryInterval,
		settledPoll: DefaultSettledPollInterval,
		now:         time.Now,
	}
	for _, fn := range opts {
		fn(&s)
	}
	if s.inventory < 0 {
		return errors.Errorf("cannot set up the NAT gateway inventory: interval %s is negative; use 0 to turn it off", s.inventory)
	}

	if err := managedopts.AddStateMetrics(mgr, o, &v1alpha1.NATGatewayList{}); err != nil {
		return err
	}

	recorder := managedopts.NewEventRecorder(mgr, o, name)
	usage := resource.NewProviderConfigUsageTracker(mgr.GetClient(), &apisv1alpha1.ProviderConfigUsage{})
	conn := &connector{
		usage:       usage,
		clients:     ec,
		record:      recorder,
		recreations: recreationsTotal,
		backoff:     s.backoff,
		now:         s.now,
	}

	var inv *natinventory.Inventory
	if s.inventory > 0 {
		var err error
		inv, err = natinventory.New(s.inventory,
			natinventory.WithIdle(inventoryIdle(max(o.PollInterval, s.settledPoll), s.inventory)),
			natinventory.WithLogger(o.Logger.WithValues("controller", name, "inventory", "natgateways")))
		if err != nil {
			return errors.Wrap(err, "cannot set up the NAT gateway inventory")
		}
		if err := mgr.Add(inv); err != nil {
			return errors.Wrap(err, "cannot add the NAT gateway inventory to the manager")
		}
		conn.inventory = inv
		if err := registerInventoryMetrics(inv); err != nil {
			return err
		}
	}
	ropts := reconcilerOptions(mgr.GetClient(), o, conn, recorder, s)

	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &v1alpha1.NATGateway{}, indexElasticIPRefs, elasticIPRefs); err != nil {
		return errors.Wrap(err, "cannot index NATGateways by the ElasticIPs they reference")
	}

	r := managed.NewReconciler(withUnchangedStatusSkipped(mgr), resource.ManagedKind(v1alpha1.NATGatewayGroupVersionKind), ropts...)

	b := ctrl.NewControllerManagedBy(mgr).
		Named(name).
		WithOptions(o.ForControllerRuntime()).
		WithEventFilter(resource.DesiredStateChanged()).
		For(&v1alpha1.NATGateway{}).
		Watches(&v1alpha1.ElasticIP{},
			handler.EnqueueRequestsFromMapFunc(enqueueReferencing(mgr.GetClient())),
			builder.WithPredicates(externalNameChanged()))

	urgent := newUrgency()
	if inv != nil {
		// Gateways the inventory finds deleted, failed or gone are
		// reconciled at once, whatever the poll interval, and ahead of
		// routine work.
		b = b.WatchesRawSource(inventorySource(inv, urgent))
	}

	return b.Complete(urgentFirst{urgent: urgent, inner: r, limited: ratelimiter.NewReconciler(name, r, o.GlobalRateLimiter)})
}

// reconcilerOptions are the options of the NATGateway reconciler, with c as
// its client, conn as its connector and rec as its event recorder: those that
// decide how a gateway is created, named and observed again, and the
// standard ones.
func reconcilerOptions(c client.Client, o controller.Options, conn *connector, rec event.Recorder, s settings) []managed.ReconcilerOption {
	return append([]managed.ReconcilerOption{
		managed.WithTypedExternalConnector[*v1alpha1.NATGateway](conn),
		// The external name is the ID EC2 assigns, set by Create.
		managed.WithInitializers(),
		// Create is idempotent through its ClientToken, so a crash between
		// Create and the write of the external name is safe to retry.
		managed.WithDeterministicExternalName(true),
		managed.WithReferenceResolver(follow.NewReferenceResolver(c)),
		// Observe waits itself for a new gateway EC2 does not list yet
		// (createdRecently), so the reconciler's own grace period, which
		// would also hold back a gateway EC2 lists as deleted, is off.
		managed.WithCreationGracePeriod(0),
		managed.WithPollIntervalHook(poller{short: s.shortPoll, settled: s.settledPoll, backoff: s.backoff, now: s.now, inventory: conn.inventory}.interval),
		// The reconciler's full updates replace the status Observe found
		// with the stored one (crossplane-runtime#791).
		managed.WithFinalizer(statusKeepingFinalizer{Finalizer: resource.NewAPIFinalizer(c, managed.FinalizerName)}),
		managed.WithCriticalAnnotationUpdater(newIDUpdater{CriticalAnnotationUpdater: managed.NewRetryingCriticalAnnotationUpdater(c), client: c}),
	}, managedopts.Standard(o, managed.ControllerName(v1alpha1.NATGatewayGroupKind), rec)...)
}

// A connector produces an external client for a NATGateway.
type connector struct {
	usage       resource.ModernTracker
	clients     ec2client.ClientFactory
	record      event.Recorder
	recreations *prometheus.CounterVec
	backoff     backoff
	now         func() time.Time

	// inventory serves observations from recent listings; nil to describe
	// every gateway.
	inventory inventory
}

// Connect tracks the use of the NATGateway's provider configuration, then
// gets an EC2 client for the NATGateway's region.
func (c *connector) Connect(ctx context.Context, cr *v1alpha1.NATGateway) (managed.TypedExternalClient[*v1alpha1.NATGateway], error) {
	if err := c.usage.Track(ctx, cr); err != nil {
		return nil, errors.Wrap(err, "cannot track ProviderConfig usage")
	}
	api, err := c.clients.ClientFor(ctx, cr, cr.Spec.ForProvider.Region)
	if err != nil {
		return nil, errors.Wrap(err, "cannot get EC2 client")
	}
	return &external{
		client:      api,
		record:      c.record,
		recreations: c.recreations,
		backoff:     c.backoff,
		now:         c.now,
		inventory:   c.inventory,
	}, nil
}

// An external observes, creates, updates and deletes the NAT gateway of one
// NATGateway. It serves a single reconcile.
type external struct {
	client      ec2client.API
	record      event.Recorder
	recreations *prometheus.CounterVec
	backoff     backoff
	now         func() time.Time
	inventory   inventory

	// found is set by Observe when it reports that the gateway named by the
	// external name no longer exists; Create reads it to record the healing.
	found *found

	// leftovers are the live gateways tagged for a deleted NATGateway other
	// than the one it names, found by Observe for Delete to delete.
	leftovers []string
}

// found describes a gateway that Observe reported as gone.
type found struct {
	// id of the gone gateway: the external name at the time.
	id string
	// state it was found in: one of the v1alpha1.FoundState constants.
	state string
}

// Disconnect does nothing: the EC2 client holds no connection to release.
func (e *external) Disconnect(_ context.Context) error {
	return nil
}
