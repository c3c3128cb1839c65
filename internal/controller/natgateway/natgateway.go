// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/runtime/schema"
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
	"github.com/egresskit/provider-aws-egress/internal/controller/coalesce"
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

// SetupGated adds the NATGateway controller once the NATGateway and ElasticIP
// CRDs are served: the controller watches ElasticIPs to follow a replaced
// address.
func SetupGated(mgr ctrl.Manager, o controller.Options, deps managedopts.Dependencies) error {
	gvks := []schema.GroupVersionKind{v1alpha1.NATGatewayGroupVersionKind, v1alpha1.ElasticIPGroupVersionKind}
	return managedopts.SetupGated(o, deps, v1alpha1.NATGatewayKind, func() error {
		if err := managedopts.WaitForMappings(context.Background(), mgr.GetRESTMapper(), managedopts.MappingTimeout, gvks...); err != nil {
			return err
		}
		return Setup(mgr, o, deps)
	}, gvks...)
}

// Setup adds a controller that reconciles NATGateway managed resources.
func Setup(mgr ctrl.Manager, o controller.Options, deps managedopts.Dependencies) error {
	name := managed.ControllerName(v1alpha1.NATGatewayGroupKind)
	if deps.NATInventoryInterval < 0 {
		return errors.Errorf("cannot set up the NAT gateway inventory: interval %s is negative; use 0 to turn it off", deps.NATInventoryInterval)
	}
	if err := managedopts.AddStateMetrics(mgr, o, &v1alpha1.NATGatewayList{}); err != nil {
		return err
	}

	recorder := managedopts.NewEventRecorder(mgr, o, name)
	conn := &connector{
		usage:       resource.NewProviderConfigUsageTracker(mgr.GetClient(), &apisv1alpha1.ProviderConfigUsage{}),
		clients:     deps.Clients,
		record:      recorder,
		recreations: recreationsTotal,
		backoff:     backoff{base: DefaultFailedBackoffBase, max: DefaultFailedBackoffMax},
		now:         time.Now,
	}

	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &v1alpha1.NATGateway{}, indexElasticIPRefs, elasticIPRefs); err != nil {
		return errors.Wrap(err, "cannot index NATGateways by the ElasticIPs they reference")
	}

	b := ctrl.NewControllerManagedBy(mgr).
		Named(name).
		WithOptions(o.ForControllerRuntime()).
		// The desired-state filter applies to NATGateways only: the
		// ElasticIP watch has its own predicate.
		For(&v1alpha1.NATGateway{}, builder.WithPredicates(resource.DesiredStateChanged())).
		Watches(&v1alpha1.ElasticIP{},
			handler.EnqueueRequestsFromMapFunc(enqueueReferencing(mgr.GetClient())),
			builder.WithPredicates(externalNameChanged()))

	urgent := newUrgency()
	if deps.NATInventoryInterval > 0 {
		inv, err := natinventory.New(deps.NATInventoryInterval,
			natinventory.WithIdle(inventoryIdle(max(o.PollInterval, DefaultSettledPollInterval), deps.NATInventoryInterval)),
			natinventory.WithLogger(o.Logger.WithValues("controller", name, "inventory", "natgateways")))
		if err != nil {
			return errors.Wrap(err, "cannot set up the NAT gateway inventory")
		}
		if err := mgr.Add(inv); err != nil {
			return errors.Wrap(err, "cannot add the NAT gateway inventory to the manager")
		}
		conn.inventory = inv
		conn.describer = natinventory.NewDescriber()
		conn.tagger = newTagger(inv.Touch)
		if err := mgr.Add(conn.tagger); err != nil {
			return errors.Wrap(err, "cannot add the NAT gateway tagger to the manager")
		}
		if err := registerInventoryMetrics(inv); err != nil {
			return err
		}
		// Gateways the inventory finds deleted, failed or gone are
		// reconciled at once, whatever the poll interval, and ahead of
		// routine work.
		b = b.WatchesRawSource(inventorySource(inv, urgent)).WatchesRawSource(taggerSource(conn.tagger))
	}

	// The connector is complete: the reconciler is built with it.
	opts := append(lifecycleOptions(mgr.GetClient(), conn), managedopts.Standard(o, name, recorder)...)
	r := newReconciler(mgr, opts...)
	return b.Complete(urgentFirst{urgent: urgent, inner: r, limited: ratelimiter.NewReconciler(name, r, o.GlobalRateLimiter)})
}

// newReconciler returns the managed reconciler of NATGateways with opts,
// whose reconciles coalesce their writes and skip unchanged statuses.
func newReconciler(mgr ctrl.Manager, opts ...managed.ReconcilerOption) *coalesce.Reconciler {
	return coalesce.NewReconciler(managed.NewReconciler(coalesce.WithManager(withUnchangedStatusSkipped(mgr)), resource.ManagedKind(v1alpha1.NATGatewayGroupVersionKind), opts...))
}

// lifecycleOptions are the reconciler options that decide how a NATGateway
// is created, named, resolved and observed again, with c to resolve its
// references and conn as its connector; Setup adds the standard ones.
func lifecycleOptions(c client.Client, conn *connector) []managed.ReconcilerOption {
	return []managed.ReconcilerOption{
		coalesce.WithTypedExternalConnector[*v1alpha1.NATGateway](conn),
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
		managed.WithPollIntervalHook(poller{short: DefaultShortPollInterval, settled: DefaultSettledPollInterval, backoff: conn.backoff, now: conn.now, inventory: conn.inventory}.interval),
		coalesce.WithFinalizer(c),
		managed.WithCriticalAnnotationUpdater(newIDUpdater{CriticalAnnotationUpdater: managed.NewRetryingCriticalAnnotationUpdater(c), client: c}),
	}
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

	// describer describes the gateways the inventory does not serve, in
	// batches; nil to describe each alone.
	describer describer

	// tagger writes the ownership tags gateways lack in the background;
	// nil to write them in the reconcile.
	tagger *tagger
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
		describer:   c.describer,
		tagger:      c.tagger,
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
	describer   describer
	tagger      *tagger

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
