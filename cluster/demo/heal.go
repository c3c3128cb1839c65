// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
)

// watchInterval is how often a watch looks.
const watchInterval = 200 * time.Millisecond

// A watch prints, as they change, the NATGateway's row as kubectl would show
// it, its events and, when following one, the state of a gateway in EC2, and
// notes when the healing's milestones happened.
type watch struct {
	d      *demo
	start  time.Time
	follow string // a gateway to follow in EC2; empty for none

	header, key, state string

	// milestones, zero until seen.
	ec2Deleted, detected, recreated, available time.Time
	newID                                      string
}

func (d *demo) newWatch(start time.Time, follow string) *watch {
	return &watch{d: d, start: start, follow: follow}
}

func (w *watch) printf(format string, args ...any) {
	fmt.Fprintf(w.d.out, "    %+7.1fs  "+format+"\n", append([]any{time.Since(w.start).Seconds()}, args...)...) //nolint:errcheck // output is best effort
}

// until looks every watchInterval until done is true of the NATGateway's
// row, or timeout passes.
func (w *watch) until(ctx context.Context, timeout time.Duration, done func(cells map[string]string) bool) error {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(watchInterval)
	defer tick.Stop()
	for {
		cells, err := w.look(ctx)
		if err != nil {
			return err
		}
		if done(cells) {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.Errorf("the NATGateway is still %v after %s", cells, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// look prints what changed and returns the NATGateway's row.
func (w *watch) look(ctx context.Context) (map[string]string, error) {
	t, err := w.d.table.get(ctx)
	if err != nil {
		return nil, err
	}
	if h := w.d.table.header(t); h != w.header {
		w.header = h
		fmt.Fprintf(w.d.out, "    %8s  %s\n", "", h) //nolint:errcheck // output is best effort
	}
	// A row is printed when it changes, but for its age.
	row, cells := w.d.table.row(t)
	if key := fmt.Sprint(cells["READY"], cells["SYNCED"], cells["EXTERNAL-NAME"], cells["STATE"], cells["RECREATIONS"]); key != w.key {
		w.key = key
		w.printf("%s", row)
	}
	if err := w.events(ctx); err != nil {
		return nil, err
	}
	if w.follow == "" {
		return cells, nil
	}

	if err := w.ec2State(ctx); err != nil {
		return nil, err
	}
	now := time.Now()
	if id := cells["EXTERNAL-NAME"]; id != "" && id != w.follow && w.recreated.IsZero() {
		w.recreated, w.newID = now, id
	}
	if cells["READY"] == "True" && cells["EXTERNAL-NAME"] == w.newID && w.newID != "" && w.available.IsZero() {
		w.available = now
	}
	return cells, nil
}

// events prints the NATGateway's events not printed before.
func (w *watch) events(ctx context.Context) error {
	evs, err := w.d.s.Events(ctx, w.d.gw)
	if err != nil {
		return err
	}
	for _, e := range evs {
		key := e.Reason + "/" + e.Message
		if w.d.seen[key] {
			continue
		}
		w.d.seen[key] = true
		w.printf("event %s %s: %s", e.Type, e.Reason, e.Message)
		if (e.Reason == "GatewayDeleted" || e.Reason == "Recreated") && w.follow != "" && w.detected.IsZero() {
			w.detected = time.Now()
		}
	}
	return nil
}

// ec2State prints the state of the followed gateway in EC2 when it changes.
func (w *watch) ec2State(ctx context.Context) error {
	out, err := w.d.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{w.follow}})
	if err != nil {
		return errors.Wrapf(err, "cannot describe %s", w.follow)
	}
	if len(out.NatGateways) == 0 {
		return nil
	}
	s := out.NatGateways[0].State
	if string(s) != w.state {
		w.state = string(s)
		w.printf("EC2: %s is %s", w.follow, s)
	}
	if s == types.NatGatewayStateDeleted && w.ec2Deleted.IsZero() {
		w.ec2Deleted = time.Now()
	}
	return nil
}

// deleteOutOfBand deletes the gateway through the EC2 API, as a person in
// the console would, shows the provider heal it and prints the timeline.
func (d *demo) deleteOutOfBand(ctx context.Context) error {
	d.stepf("Deleting the gateway out of band, as in the AWS console")
	if err := d.s.Client.Get(ctx, client.ObjectKeyFromObject(d.gw), d.gw); err != nil {
		return errors.Wrap(err, "cannot get the NATGateway")
	}
	id := meta.GetExternalName(d.gw)
	d.sayf("ec2:DeleteNatGateway %s, through the EC2 API with the account's credentials, behind Crossplane's back", id)
	start := time.Now()
	if _, err := d.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)}); err != nil {
		return errors.Wrapf(err, "cannot delete %s", id)
	}
	d.sayf("EC2 keeps listing it as deleting, then deleted; a controller that takes \"listed\" for \"exists\" would never recreate it")
	w := d.newWatch(start, id)
	err := w.until(ctx, d.cfg.timeout, func(map[string]string) bool { return !w.available.IsZero() })
	if err != nil {
		return err
	}

	d.stepf("Timeline, from the out-of-band deletion (as this demo saw it, looking every %s)", watchInterval)
	for _, m := range []struct {
		at   time.Time
		what string
	}{
		{start, fmt.Sprintf("deleted out of band          %s, through the EC2 API", id)},
		{w.ec2Deleted, fmt.Sprintf("EC2 reports it deleted       (ec2sim takes %s)", d.cfg.durations.Deleting)},
		{w.detected, fmt.Sprintf("provider detected it         (it lists NAT gateways every %s)", d.cfg.inventory)},
		{w.recreated, fmt.Sprintf("provider recreated it        %s", w.newID)},
		{w.available, fmt.Sprintf("available, Ready again       %s (ec2sim pending: %s)", w.newID, d.cfg.durations.Pending)},
	} {
		if m.at.IsZero() {
			d.sayf("%-12s  %7s  %s", "-", "-", m.what)
			continue
		}
		d.sayf("%s  %+6.1fs  %s", m.at.Format("15:04:05.0"), m.at.Sub(start).Seconds(), m.what)
	}

	if err := d.s.Client.Get(ctx, client.ObjectKeyFromObject(d.gw), d.gw); err != nil {
		return errors.Wrap(err, "cannot get the NATGateway")
	}
	if h := d.gw.Status.AtProvider.Healing; h != nil && h.Last != nil {
		d.sayf("status.atProvider.healing: recreations %d; last: %s found %s, replaced by %s at %s",
			h.Recreations, h.Last.PreviousID, h.Last.FoundState, h.Last.NewID, h.Last.Time.Format(time.TimeOnly))
	}
	return nil
}
