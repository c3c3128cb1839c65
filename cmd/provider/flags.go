// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"time"

	"github.com/alecthomas/kingpin/v2"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/version"
)

// appName names the provider's command. With DefaultEnvars every flag may
// also be set as PROVIDER_<FLAG>, e.g. PROVIDER_POLL=30s.
const appName = "provider"

// flags are the provider's command-line settings.
type flags struct {
	Debug                    bool
	LeaderElection           bool
	LeaderElectionNamespace  string
	LeaseDuration            time.Duration
	RenewDeadline            time.Duration
	RetryPeriod              time.Duration
	SyncInterval             time.Duration
	PollInterval             time.Duration
	PollStateMetricInterval  time.Duration
	MaxReconcileRate         int
	EnableManagementPolicies bool
	EnableChangeLogs         bool
	ChangeLogsSocketPath     string
	MetricsBindAddress       string
	HealthProbeBindAddress   string
	PprofBindAddress         string
	EnableSecretCache        bool
	EC2APIBudget             float64
	NATInventoryInterval     time.Duration
}

// newApp returns the provider's command line, filling f when parsed.
func newApp(f *flags) *kingpin.Application {
	app := kingpin.New(appName, "Keeps AWS NAT-gateway egress alive: NAT gateways, Elastic IPs and routes as Crossplane managed resources.").
		DefaultEnvars().
		Version(version.Version)

	app.Flag("debug", "Run with debug logging, including controller-runtime's.").Short('d').BoolVar(&f.Debug)
	app.Flag("leader-election", "Use leader election for the controller manager, so only one replica reconciles.").
		Short('l').Default("false").Envar("LEADER_ELECTION").BoolVar(&f.LeaderElection)
	app.Flag("leader-election-namespace", "Namespace of the leader election lease. Required out of cluster; in cluster defaults to the pod's namespace.").
		Default("").Envar("POD_NAMESPACE").StringVar(&f.LeaderElectionNamespace)
	app.Flag("leader-election-lease-duration", "How long a standby waits, after the leader last renewed the lease, before it takes the lease over: "+
		"the longest a failed leader leaves its resources unreconciled.").Default("60s").DurationVar(&f.LeaseDuration)
	app.Flag("leader-election-renew-deadline", "How long the leader keeps trying to renew the lease before it stops reconciling and exits; "+
		"shorter than --leader-election-lease-duration, so a partitioned leader stops before a standby takes over.").Default("50s").DurationVar(&f.RenewDeadline)
	app.Flag("leader-election-retry-period", "How often the leader renews the lease and a standby tries to acquire it.").
		Default("2s").DurationVar(&f.RetryPeriod)
	app.Flag("sync", "How often every resource is reconciled again from the informer cache, whatever happened.").
		Short('s').Default("1h").DurationVar(&f.SyncInterval)
	app.Flag("poll", "How often each managed resource is observed to detect drift. Each poll of an ElasticIP is one Describe "+
		"call, and of a Route two (its route table and its NAT gateway), of the account's non-mutating EC2 budget; "+
		"NATGateways are served from the NAT gateway inventory (see --nat-inventory-interval).").
		Default("1m").DurationVar(&f.PollInterval)
	app.Flag("nat-inventory-interval", "How often the NAT gateways of each AWS account and region in use are listed, "+
		"1000 to a DescribeNatGateways call. NATGateway polls are served from the latest listing, and a gateway deleted or "+
		"failed outside Crossplane is noticed within one interval, however long --poll is. 0 turns the inventory off: "+
		"each NATGateway poll is then one DescribeNatGateways call.").
		Default("5s").DurationVar(&f.NATInventoryInterval)
	app.Flag("poll-state-metric", "How often the managed resource state metrics are recorded.").
		Default("5s").DurationVar(&f.PollStateMetricInterval)
	app.Flag("max-reconcile-rate", "The most reconciles per second, across all controllers; it also sets the concurrent reconciles of each controller and the API server request rate (5x) and burst (10x). "+
		"EC2 calls have a budget of their own (--ec2-api-budget).").
		Default("20").IntVar(&f.MaxReconcileRate)
	app.Flag("enable-management-policies", "Enable support for management policies (e.g. observe-only).").
		Default("true").Envar("ENABLE_MANAGEMENT_POLICIES").BoolVar(&f.EnableManagementPolicies)
	app.Flag("enable-changelogs", "Send change logs of every external create, update and delete to the socket of --changelogs-socket-path.").
		Default("false").Envar("ENABLE_CHANGE_LOGS").BoolVar(&f.EnableChangeLogs)
	app.Flag("changelogs-socket-path", "Unix socket of the change logs service.").
		Default("/var/run/changelogs/changelogs.sock").Envar("CHANGELOGS_SOCKET_PATH").StringVar(&f.ChangeLogsSocketPath)
	app.Flag("metrics-bind-address", "Address the Prometheus metrics endpoint listens on; \"0\" disables it.").
		Default(":8080").StringVar(&f.MetricsBindAddress)
	app.Flag("health-probe-bind-address", "Address the /healthz and /readyz probes listen on; \"0\" disables them.").
		Default(":8081").StringVar(&f.HealthProbeBindAddress)
	app.Flag("pprof-bind-address", "Address Go's pprof profiles are served on, e.g. 127.0.0.1:6060; \"0\" disables them.").
		Default("0").StringVar(&f.PprofBindAddress)
	app.Flag("enable-secret-cache", "Cache Secrets in the provider's informers. Credentials are then read without API "+
		"server requests; with false each reconcile of a resource whose provider config uses a Secret reads it from the API server.").
		Default("true").Envar("ENABLE_SECRET_CACHE").BoolVar(&f.EnableSecretCache)
	app.Flag("ec2-api-budget", "Fraction (above 0, at most 1) of each EC2 request token bucket of an account and region "+
		"the provider may spend, e.g. 0.5 leaves half to the console, the CLI and other tools. Requests wait for a token "+
		"instead of being throttled by EC2.").
		Default("0.5").Float64Var(&f.EC2APIBudget)
	return app
}

// validate rejects settings the provider cannot run with.
func (f *flags) validate() error {
	if f.MaxReconcileRate < 1 {
		return errors.Errorf("--max-reconcile-rate must be at least 1, got %d", f.MaxReconcileRate)
	}
	if f.PollInterval <= 0 {
		return errors.Errorf("--poll must be positive, got %s", f.PollInterval)
	}
	if f.SyncInterval <= 0 {
		return errors.Errorf("--sync must be positive, got %s", f.SyncInterval)
	}
	if f.PollStateMetricInterval <= 0 {
		return errors.Errorf("--poll-state-metric must be positive, got %s", f.PollStateMetricInterval)
	}
	if f.RetryPeriod <= 0 || f.RenewDeadline <= f.RetryPeriod || f.LeaseDuration <= f.RenewDeadline {
		return errors.Errorf("want 0 < --leader-election-retry-period < --leader-election-renew-deadline < --leader-election-lease-duration, got %s, %s and %s",
			f.RetryPeriod, f.RenewDeadline, f.LeaseDuration)
	}
	if f.NATInventoryInterval != 0 && f.NATInventoryInterval < time.Second {
		return errors.Errorf("--nat-inventory-interval must be 0 (off) or at least 1s, got %s", f.NATInventoryInterval)
	}
	if _, err := ec2client.NewBudget(f.EC2APIBudget); err != nil {
		return errors.Wrap(err, "--ec2-api-budget")
	}
	return nil
}
