// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// scrapeInterval is how often the demo's Prometheus scrapes the provider and
// evaluates the example alerts.
const scrapeInterval = time.Second

// Alerts of examples/monitoring/rules.yaml the demo reports on.
const (
	alertReplaced = "EgressKitNATGatewayReplacedOutOfBand"
	alertNotReady = "EgressKitNATGatewayNotReady"
)

// startPrometheus starts a Prometheus server, built by cluster/tools, that
// scrapes the provider and evaluates the example alerts.
func (d *demo) startPrometheus(ctx context.Context) error {
	d.stepf("Starting Prometheus: it scrapes the provider every %s and evaluates %s", scrapeInterval, stack.RulesFile)
	dir := filepath.Join(d.s.Dir, "prometheus")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return errors.Wrap(err, "cannot make Prometheus's directory")
	}
	var err error
	if d.prom, err = d.s.StartPrometheus(ctx, dir, scrapeInterval); err != nil {
		return err
	}
	d.sayf("Prometheus %s scrapes %s/metrics", d.prom.URL, d.s.Provider.MetricsURL)
	return nil
}

// showPrometheus prints the healing as Prometheus saw it: the recreation
// counted, how long the healing took, and the alerts.
func (d *demo) showPrometheus(ctx context.Context) error {
	d.stepf("The healing as Prometheus saw it (%s/api/v1/query)", d.prom.URL)
	const healed = `egresskit_natgateway_healing_available_seconds_count{reason="deleted"}`
	// The not-Ready alert, pending while the gateway healed, resolves at the
	// next state metrics and rule evaluation after the NATGateway is Ready.
	err := local.Poll(ctx, d.cfg.timeout, func(ctx context.Context) error {
		n, err := d.prom.Scalar(ctx, healed)
		if err != nil {
			return err
		}
		if n < 1 {
			return errors.Errorf("%s is %v", healed, n)
		}
		st, err := d.prom.AlertState(ctx, alertNotReady, nil)
		if err != nil {
			return err
		}
		if st != "" {
			return errors.Errorf("alert %s is %s", alertNotReady, st)
		}
		return nil
	})
	if err != nil {
		return errors.Wrap(err, "Prometheus did not see the healing")
	}
	for _, q := range []struct{ expr, what string }{
		{`egresskit_natgateway_recreations_total{reason="deleted"}`, "NAT gateways recreated after a deletion"},
		{`egresskit_natgateway_healing_detection_seconds_sum{reason="deleted"}`, "seconds from EC2's deleteTime to the deletion noticed"},
		{`egresskit_natgateway_healing_request_seconds_sum{reason="deleted"}`, "seconds from the deletion noticed to the new gateway requested"},
		{`egresskit_natgateway_healing_available_seconds_sum{reason="deleted"}`, "seconds from the deletion noticed to the new gateway available"},
		{`max_over_time(egresskit_natinventory_listing_age_seconds[5m])`, "seconds, the oldest the NAT gateway listing got: it bounds how late a deletion is noticed"},
	} {
		v, err := d.prom.Scalar(ctx, q.expr)
		if err != nil {
			return err
		}
		d.sayf("%-75s %6.1f  %s", q.expr, v, q.what)
	}
	for _, a := range []string{alertReplaced, alertNotReady} {
		st, err := d.prom.AlertState(ctx, a, nil)
		if err != nil {
			return err
		}
		if st == "" {
			st = "inactive"
		}
		d.sayf("alert %-40s %s", a, st)
	}
	d.sayf("%s is pending while a NATGateway is not Ready and fires after 10 minutes; docs/runbook.md says what each alert means", alertNotReady)
	return nil
}
