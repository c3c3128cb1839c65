// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Command provider runs the egresskit Crossplane provider: the controllers of
// NAT gateways, Elastic IPs and routes, and the usage accounting of their
// provider configurations. It runs in a cluster as a Crossplane package, or
// out of cluster against the cluster of $KUBECONFIG.
package main

import (
	"context"
	"os"
	"runtime/debug"

	"github.com/alecthomas/kingpin/v2"
	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	_ "k8s.io/client-go/plugin/pkg/client/auth" // Authenticate to clusters of every kind of kubeconfig.
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	changelogsv1alpha1 "github.com/crossplane/crossplane-runtime/v2/apis/changelogs/proto/v1alpha1"
	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/feature"
	"github.com/crossplane/crossplane-runtime/v2/pkg/gate"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/ratelimiter"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/customresourcesgate"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/statemetrics"

	"github.com/egresskit/provider-aws-egress/apis"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	egresscontroller "github.com/egresskit/provider-aws-egress/internal/controller"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
	"github.com/egresskit/provider-aws-egress/internal/version"
)

// leaderElectionID names the provider's leader election lease.
const leaderElectionID = "crossplane-leader-election-provider-aws-egress"

// gcPercent is the garbage collector's target unless $GOGC sets one: the
// heap may grow by half of what is live before a collection, not by all of
// it. The provider's CPU is mostly idle, and its memory is what a
// control-plane cluster pays for.
const gcPercent = 50

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	f := &flags{}
	app := newApp(f)
	kingpin.MustParse(app.Parse(os.Args[1:]))
	kingpin.FatalIfError(f.validate(), "invalid flags")

	zl := zap.New(zap.UseDevMode(f.Debug))
	log := logging.NewLogrLogger(zl.WithName("provider-aws-egress"))
	if f.Debug {
		// controller-runtime is very verbose even at info level, so it only
		// gets a real logger in debug mode.
		ctrl.SetLogger(zl)
	} else {
		ctrl.SetLogger(logr.Discard())
	}

	kingpin.FatalIfError(run(ctrl.SetupSignalHandler(), f, log), "cannot run the provider")
}

// run sets up the manager and every controller, then runs them until ctx is
// done.
func run(ctx context.Context, f *flags, log logging.Logger) error {
	log.Info("Starting", "version", version.Version, "poll", f.PollInterval.String(), "sync", f.SyncInterval.String(), "ec2-api-budget", f.EC2APIBudget, "nat-inventory-interval", f.NATInventoryInterval.String())

	cfg, err := ctrl.GetConfig()
	if err != nil {
		return errors.Wrap(err, "cannot get the API server's REST config: set $KUBECONFIG or run in a cluster")
	}

	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{clientgoscheme.AddToScheme, apiextensionsv1.AddToScheme, apis.AddToScheme} {
		if err := add(s); err != nil {
			return errors.Wrap(err, "cannot build the scheme")
		}
	}

	mo := managerOptions(f, s)
	var fence []ec2client.FactoryOption
	if f.LeaderElection {
		lease, err := newFencedLease(cfg, f.LeaderElectionNamespace, leaderElectionID, f.RenewDeadline)
		if err != nil {
			return err
		}
		mo.LeaderElectionResourceLockInterface = lease
		// A leader that may have lost its lease changes nothing in EC2.
		fence = append(fence, ec2client.WithFence(lease.Fence))
	}
	mgr, err := ctrl.NewManager(ratelimiter.LimitRESTConfig(cfg, f.MaxReconcileRate), mo)
	if err != nil {
		return errors.Wrap(err, "cannot create the controller manager")
	}

	mm := managed.NewMRMetricRecorder()
	sm := statemetrics.NewMRStateMetrics()
	ec2m := ec2client.NewMetrics()
	budget, err := ec2client.NewBudget(f.EC2APIBudget)
	if err != nil {
		return errors.Wrap(err, "cannot create the EC2 API budget")
	}
	for _, c := range []prometheus.Collector{mm, sm, ec2m, budget} {
		if err := metrics.Registry.Register(c); err != nil {
			return errors.Wrap(err, "cannot register metrics")
		}
	}

	o := controller.Options{
		Logger:                  log,
		MaxConcurrentReconciles: f.MaxReconcileRate,
		PollInterval:            f.PollInterval,
		GlobalRateLimiter:       ratelimiter.NewGlobal(f.MaxReconcileRate),
		Features:                &feature.Flags{},
		MetricOptions: &controller.MetricOptions{
			PollStateMetricInterval: f.PollStateMetricInterval,
			MRMetrics:               mm,
			MRStateMetrics:          sm,
		},
		Gate: new(gate.Gate[schema.GroupVersionKind]),
	}
	if f.EnableManagementPolicies {
		o.Features.Enable(feature.EnableBetaManagementPolicies)
		log.Info("Beta feature enabled", "flag", feature.EnableBetaManagementPolicies)
	}
	if f.EnableChangeLogs {
		o.Features.Enable(feature.EnableAlphaChangeLogs)
		log.Info("Alpha feature enabled", "flag", feature.EnableAlphaChangeLogs)
		conn, err := grpc.NewClient("unix://"+f.ChangeLogsSocketPath, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return errors.Wrapf(err, "cannot create the change logs client of %s", f.ChangeLogsSocketPath)
		}
		defer conn.Close() //nolint:errcheck // Nothing is left to do about a failed close at exit.
		o.ChangeLogOptions = &controller.ChangeLogOptions{
			ChangeLogger: managed.NewGRPCChangeLogger(changelogsv1alpha1.NewChangeLogServiceClient(conn), managed.WithProviderVersion("provider-aws-egress:"+version.Version)),
		}
	}

	// Safe start: controllers start once the CRDs of their kinds exist, which
	// for managed resources means once their ManagedResourceDefinitions are
	// activated.
	if err := customresourcesgate.Setup(mgr, o); err != nil {
		return errors.Wrap(err, "cannot set up the CustomResourceDefinition gate")
	}
	deps := managedopts.Dependencies{
		Clients: ec2client.NewClientFactory(mgr.GetClient(), append(fence,
			ec2client.WithBudget(budget),
			ec2client.WithMetrics(ec2m),
			ec2client.WithLogger(log.WithValues("client", "ec2")),
		)...),
		NATInventoryInterval: f.NATInventoryInterval,
	}
	if err := egresscontroller.SetupGated(mgr, o, deps); err != nil {
		return errors.Wrap(err, "cannot set up the provider's controllers")
	}

	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return errors.Wrap(err, "cannot add the health check")
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return errors.Wrap(err, "cannot add the readiness check")
	}

	if err := mgr.Start(ctx); err != nil {
		return errors.Wrap(err, "cannot run the controller manager")
	}
	log.Info("Stopped")
	return nil
}

// managerOptions returns the controller manager's options.
func managerOptions(f *flags, s *runtime.Scheme) ctrl.Options {
	o := ctrl.Options{
		Scheme: s,
		Cache: cache.Options{
			SyncPeriod: &f.SyncInterval,
			// The controllers never read managed fields; they are a large
			// share of every cached object.
			DefaultTransform: cache.TransformStripManagedFields(),
			ByObject: map[client.Object]cache.ByObject{
				// The CRD gate needs only the names and conditions of CRDs.
				&apiextensionsv1.CustomResourceDefinition{}: {Transform: customresourcesgate.TransformStripCRDSchema},
			},
		},
		Metrics:                metricsserver.Options{BindAddress: f.MetricsBindAddress},
		HealthProbeBindAddress: f.HealthProbeBindAddress,
		PprofBindAddress:       f.PprofBindAddress,

		// controller-runtime uses both ConfigMaps and Leases for leader
		// election by default. Leases expire after 15 seconds, with a 10
		// second renewal deadline. Under high load (hundreds of reconciles a
		// second and hundreds of API server requests a second) leaders have
		// been seen to lose the lease by missing the renewal deadline. Leases
		// only, held longer (60s and 50s by default), avoid that.
		LeaderElection:             f.LeaderElection,
		LeaderElectionID:           leaderElectionID,
		LeaderElectionNamespace:    f.LeaderElectionNamespace,
		LeaderElectionResourceLock: resourcelock.LeasesResourceLock,
		LeaseDuration:              ptr.To(f.LeaseDuration),
		RenewDeadline:              ptr.To(f.RenewDeadline),
		RetryPeriod:                ptr.To(f.RetryPeriod),
	}
	if !f.EnableSecretCache {
		o.Client = client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}}
	}
	return o
}
