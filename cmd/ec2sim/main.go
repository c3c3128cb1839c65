// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Command ec2sim serves the EC2 simulator of package ec2sim on a TCP
// address, so the AWS CLI, the provider and the demo can use it as an EC2
// endpoint.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/alecthomas/kingpin/v2"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// config is what the command line sets.
type config struct {
	listen          string
	durations       ec2sim.Durations
	throttle        bool
	throttleWall    bool
	wallTimestamps  bool
	secret          string
	accessKey       string
	region          string
	speed           float64
	seed            uint64
	addressLimit    int
	natGatewayLimit int
	errorRates      []string
	latencies       []string
	roles           []string
}

func newApp(cfg *config) *kingpin.Application {
	app := kingpin.New("ec2sim", "A faithful, fault-injecting simulator of the Amazon EC2 API for NAT gateways, "+
		"Elastic IPs, VPCs, subnets, route tables and tags. Point the AWS CLI or SDK at it with an endpoint override. "+
		"The admin API is served under "+ec2sim.AdminPrefix+" on the same address.")
	app.HelpFlag.Short('h')
	app.Flag("listen", "TCP address to serve on.").Default("127.0.0.1:4566").StringVar(&cfg.listen)
	app.Flag("pending", "How long a new NAT gateway stays pending (AWS: a few minutes).").Default(ec2sim.DefaultPending.String()).DurationVar(&cfg.durations.Pending)
	app.Flag("deleting", "How long a NAT gateway stays deleting (AWS: a few minutes).").Default(ec2sim.DefaultDeleting.String()).DurationVar(&cfg.durations.Deleting)
	app.Flag("retention", "How long deleted and failed NAT gateways stay listed before they are purged (AWS: about 1h).").Default(ec2sim.DefaultRetention.String()).DurationVar(&cfg.durations.Retention)
	app.Flag("consistency", "Eventual-consistency window: how long a new NAT gateway stays invisible to Describe, Delete and routes.").Default("0s").DurationVar(&cfg.durations.Consistency)
	app.Flag("throttle", "Throttle requests with EC2's token buckets per account, region and action (--no-throttle to turn off).").Default("true").BoolVar(&cfg.throttle)
	app.Flag("throttle-wall-clock", "Refill the token buckets on the wall clock, not the simulated one, so --speed shortens lifecycles but not EC2's request rates.").BoolVar(&cfg.throttleWall)
	app.Flag("wall-clock-timestamps", "Write the times of responses (a NAT gateway's createTime and deleteTime) as the wall-clock moments their events happened, so --speed does not put them in the client's future.").BoolVar(&cfg.wallTimestamps)
	app.Flag("secret", "Secret access key to verify SigV4 signatures with; requests signed otherwise get AuthFailure. Empty: signatures are not checked.").Envar("EC2SIM_SECRET").StringVar(&cfg.secret)
	app.Flag("access-key", "Account (access key) of unsigned requests.").Default(ec2sim.DefaultAccessKey).StringVar(&cfg.accessKey)
	app.Flag("region", "Region of unsigned requests.").Default(ec2sim.DefaultRegion).StringVar(&cfg.region)
	app.Flag("speed", "Simulated seconds per wall-clock second; lifecycles, retention and throttle refills follow it.").Default("1").Float64Var(&cfg.speed)
	app.Flag("seed", "Seed of the random choices of injected faults.").Default("1").Uint64Var(&cfg.seed)
	app.Flag("address-limit", "Elastic IP addresses per account and region (AWS default 5); 0 for no limit.").Default("0").IntVar(&cfg.addressLimit)
	app.Flag("nat-gateway-limit", "NAT gateways per availability zone (AWS default 5); 0 for no limit.").Default("0").IntVar(&cfg.natGatewayLimit)
	app.Flag("error-rate", "Inject InternalError into ACTION (or * for all) with probability RATE, as ACTION=RATE. Repeatable.").PlaceHolder("ACTION=RATE").StringsVar(&cfg.errorRates)
	app.Flag("role", `Declare an IAM role to STS, as JSON: {"arn":"arn:aws:iam::111111111111:role/egress","maxSessionDuration":"1h","trust":{"principals":["222222222222"],"externalID":"ext","tagSession":true}}. Repeatable; the admin API `+ec2sim.PathRoles+` declares more.`).PlaceHolder("JSON").StringsVar(&cfg.roles)
	app.Flag("latency", "Add latency to ACTION (or * for all), as ACTION=DURATION. Repeatable.").PlaceHolder("ACTION=DURATION").StringsVar(&cfg.latencies)
	return app
}

// faults turns --error-rate and --latency into one fault per action.
func (cfg *config) faults() ([]ec2sim.Fault, error) {
	byAction := map[string]*ec2sim.Fault{}
	var order []string
	get := func(a string) *ec2sim.Fault {
		if f, ok := byAction[a]; ok {
			return f
		}
		byAction[a] = &ec2sim.Fault{Action: a}
		order = append(order, a)
		return byAction[a]
	}
	for _, s := range cfg.errorRates {
		a, v, ok := strings.Cut(s, "=")
		rate, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil {
			return nil, errors.Errorf("cannot parse --error-rate %q: want ACTION=RATE", s)
		}
		get(a).ErrorRate = rate
	}
	for _, s := range cfg.latencies {
		a, v, ok := strings.Cut(s, "=")
		d, err := time.ParseDuration(v)
		if !ok || err != nil {
			return nil, errors.Errorf("cannot parse --latency %q: want ACTION=DURATION", s)
		}
		get(a).Latency = d
	}
	out := make([]ec2sim.Fault, 0, len(order))
	for _, a := range order {
		out = append(out, *byAction[a])
	}
	return out, nil
}

// run parses args, serves until ctx is done, and writes the address it
// serves on to out.
func run(ctx context.Context, args []string, out io.Writer) error {
	var cfg config
	app := newApp(&cfg)
	if _, err := app.Parse(args); err != nil {
		return errors.Wrap(err, "cannot parse command line")
	}
	faults, err := cfg.faults()
	if err != nil {
		return err
	}
	roles := make([]ec2sim.Role, 0, len(cfg.roles))
	for _, r := range cfg.roles {
		var role ec2sim.Role
		if err := json.Unmarshal([]byte(r), &role); err != nil {
			return errors.Wrapf(err, "cannot parse --role %q", r)
		}
		roles = append(roles, role)
	}
	sim, err := ec2sim.New(ec2sim.Options{
		Durations:           cfg.durations,
		DisableThrottling:   !cfg.throttle,
		ThrottleWallClock:   cfg.throttleWall,
		WallClockTimestamps: cfg.wallTimestamps,
		SecretKey:           cfg.secret,
		DefaultAccessKey:    cfg.accessKey,
		DefaultRegion:       cfg.region,
		ClockSpeed:          cfg.speed,
		Seed:                cfg.seed,
		Faults:              faults,
		AddressLimit:        cfg.addressLimit,
		NatGatewayLimit:     cfg.natGatewayLimit,
		Roles:               roles,
	})
	if err != nil {
		return errors.Wrap(err, "cannot configure the simulator")
	}
	lis, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.listen)
	if err != nil {
		return errors.Wrapf(err, "cannot listen on %s", cfg.listen)
	}
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(lis) }()
	_, _ = fmt.Fprintf(out, "ec2sim listening on http://%s\n", lis.Addr())
	select {
	case err := <-errc:
		return errors.Wrap(err, "cannot serve")
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return errors.Wrap(srv.Shutdown(shutdown), "cannot shut down")
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		_, _ = fmt.Fprintln(os.Stderr, "ec2sim:", err)
		os.Exit(1)
	}
}
